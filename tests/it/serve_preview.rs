//! `serve`'s preview: the page of an edited note is served, and its open
//! copies reloaded, before the rest of the rebuild; the rebuild then reloads
//! only what else changed, and a rebuild that fails after its preview serves
//! the last good site again.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use scraper::{Html, Selector};
use serde_json::Value;
use studysite::serve::{self, Running, ServeEvent, ServeOptions};

use crate::serve::{channel, get, next_message, open_channel, wait_for, Channel, Site, TIMEOUT};

/// What the server reported, in order: `previewed <pages>`, `rebuilt`, `failed`.
type Events = Arc<Mutex<Vec<String>>>;

/// `site` served, what the server reports, and an open live-reload channel.
fn serving(site: &Site) -> (Running, Events, Channel) {
    let events = Events::default();
    let recorder = Arc::clone(&events);
    let options = ServeOptions {
        port: 0,
        on_event: Arc::new(move |event: &ServeEvent<'_>| {
            let line = match event {
                ServeEvent::Previewed { pages, .. } => format!("previewed {}", pages.join(" ")),
                ServeEvent::Rebuilt { .. } => "rebuilt".into(),
                ServeEvent::Failed { .. } => "failed".into(),
                ServeEvent::WatchFailed(_) => return,
            };
            recorder.lock().unwrap().push(line);
        }),
        ..ServeOptions::new(site.root())
    };
    let server = serve::start(options).expect("server starts");
    let socket = channel(server.address());
    (server, events, socket)
}

/// The events, once there are `count` of them (the server reports an event
/// after it tells the open pages).
#[track_caller]
fn events_when(events: &Events, count: usize) -> Vec<String> {
    let started = Instant::now();
    loop {
        let seen = events.lock().unwrap().clone();
        if seen.len() >= count || started.elapsed() > TIMEOUT {
            return seen;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn texts(html: &str, css: &str) -> Vec<String> {
    let html = Html::parse_document(html);
    let selector = Selector::parse(css).unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn pages(message: &Value) -> Vec<&str> {
    let pages = message["pages"].as_array().expect("a page list");
    pages.iter().map(|p| p.as_str().unwrap()).collect()
}

fn generation(message: &Value) -> u64 {
    message["generation"].as_u64().unwrap()
}

/// The next two messages: the preview's reload, then the rebuild's.
fn two_reloads(socket: &mut Channel) -> (Value, Value) {
    let preview = wait_for(socket, "reload");
    let rebuild = wait_for(socket, "reload");
    assert_eq!(generation(&rebuild), generation(&preview) + 1);
    (preview, rebuild)
}

#[test]
fn an_edited_note_is_served_before_the_rebuild_which_reloads_it_no_more() {
    let site = Site::new();
    let (server, events, mut socket) = serving(&site);
    let address = server.address();

    site.write(
        "content/01-intro/01-alpha.md",
        "# Alpha\n\nSecond version.\n",
    );
    let (preview, rebuild) = two_reloads(&mut socket);
    assert_eq!(pages(&preview), ["/intro/alpha/"]);
    assert!(!pages(&rebuild).contains(&"/intro/alpha/"), "{rebuild}");
    let page = get(address, "/intro/alpha/").body;
    assert_eq!(texts(&page, ".content p"), ["Second version."]);
    assert_eq!(
        events_when(&events, 2),
        ["previewed /intro/alpha/", "rebuilt"]
    );

    // A page that loaded from the preview and connects after the rebuild learns
    // from its hello that the rebuild did not change it.
    let hello = next_message(&mut open_channel(address));
    let recent = hello["recent"].as_array().expect("recent changes");
    let listed: Vec<u64> = recent.iter().map(generation).collect();
    assert!(
        listed.ends_with(&[generation(&preview), generation(&rebuild)]),
        "{hello}"
    );
}

#[test]
fn a_new_title_reloads_the_page_again_once_the_rebuild_brings_the_new_sidebar() {
    let site = Site::new();
    let (server, _, mut socket) = serving(&site);
    let address = server.address();

    site.write("content/01-intro/01-alpha.md", "# Alpha Two\n\nRenamed.\n");
    let preview = wait_for(&mut socket, "reload");
    assert_eq!(pages(&preview), ["/intro/alpha/"]);
    let rebuild = wait_for(&mut socket, "reload");
    // The title in the sidebar changed with the rebuild: the page reloads again.
    assert!(pages(&rebuild).contains(&"/intro/alpha/"), "{rebuild}");
    let page = get(address, "/intro/alpha/").body;
    assert_eq!(texts(&page, "main h1"), ["Alpha Two"]);
    let sidebar = texts(&page, "#sidebar .nav-pages a");
    assert!(sidebar.contains(&"Alpha Two".to_string()), "{sidebar:?}");
}

#[test]
fn a_new_note_waits_for_the_whole_rebuild() {
    let site = Site::new();
    let (_server, events, mut socket) = serving(&site);

    site.write("content/01-intro/03-gamma.md", "# Gamma\n\nNew.\n");
    let reload = wait_for(&mut socket, "reload");
    assert!(pages(&reload).contains(&"/intro/gamma/"), "{reload}");
    assert_eq!(events_when(&events, 1), ["rebuilt"]);
}

#[test]
fn a_rebuild_that_fails_after_its_preview_serves_the_last_good_site() {
    let site = Site::new();
    // The site's own quiz template breaks once a section has a question.
    site.write(
        "templates/quiz.html",
        "{% for question in questions %}{{ question.no_such_field }}{% endfor %}",
    );
    let (server, events, mut socket) = serving(&site);
    let address = server.address();

    let quiz =
        "# Alpha\n\nQuiz version.\n\n> [!QUIZ] Which letter comes first?\n> - [x] A\n> - [ ] B\n";
    site.write("content/01-intro/01-alpha.md", quiz);
    let preview = wait_for(&mut socket, "reload");
    assert_eq!(pages(&preview), ["/intro/alpha/"]);
    let error = wait_for(&mut socket, "error");
    assert!(
        error["message"].as_str().unwrap().contains("quiz.html"),
        "{error}"
    );
    assert_eq!(
        events_when(&events, 2),
        ["previewed /intro/alpha/", "failed"]
    );
    let page = get(address, "/intro/alpha/").body;
    assert_eq!(texts(&page, ".content p"), ["First version."]);

    // Fixed, the next rebuild is whole; the overlay goes.
    site.write("content/01-intro/01-alpha.md", "# Alpha\n\nFixed.\n");
    wait_for(&mut socket, "ok");
    let page = get(address, "/intro/alpha/").body;
    assert_eq!(texts(&page, ".content p"), ["Fixed."]);
    assert_eq!(events_when(&events, 3).last().unwrap(), "rebuilt");
}
