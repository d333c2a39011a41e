//! `serve` over real HTTP and WebSockets on a free 127.0.0.1 port: edits,
//! broken templates, page and section moves, rename-saves, bursts, traversal,
//! many clients. Every wait is bounded.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use scraper::{Html, Selector};
use serde_json::Value;
use studysite::serve::{self, Running, ServeOptions};
use tempfile::TempDir;
use tungstenite::WebSocket;

use crate::serve_cache::{clean_build, differences, heading_partial_with_class};

pub(crate) const TIMEOUT: Duration = Duration::from_secs(15);

/// A site in `<temp>/site`, with a secret file beside it (outside the root).
pub(crate) struct Site {
    dir: TempDir,
}

impl Site {
    pub(crate) fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::write(site.dir.path().join("secret.txt"), "TOP-SECRET").unwrap();
        site.write("site.toml", "title = \"Serve Test\"\nbase_url = \"/\"\n");
        site.write(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\n\nWelcome.\n",
        );
        site.write(
            "content/01-intro/_index.md",
            "+++\ntitle = \"Intro\"\n+++\n\nThe intro.\n",
        );
        site.write(
            "content/01-intro/01-alpha.md",
            "# Alpha\n\nFirst version.\n",
        );
        site.write("content/01-intro/02-beta.md", "# Beta\n\nBeta text.\n");
        site
    }

    pub(crate) fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub(crate) fn write(&self, path: &str, text: &str) {
        let path = self.root().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn rename(&self, from: &str, to: &str) {
        std::fs::rename(self.root().join(from), self.root().join(to)).unwrap();
    }

    fn remove(&self, path: &str) {
        let path = self.root().join(path);
        if path.is_dir() {
            std::fs::remove_dir_all(path).unwrap();
        } else {
            std::fs::remove_file(path).unwrap();
        }
    }

    pub(crate) fn serve(&self) -> Running {
        let options = ServeOptions {
            port: 0,
            ..ServeOptions::new(self.root())
        };
        serve::start(options).expect("server starts")
    }
}

pub(crate) struct Reply {
    pub(crate) status: u16,
    headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[track_caller]
    fn texts(&self, css: &str) -> Vec<String> {
        let html = Html::parse_document(&self.body);
        let selector = Selector::parse(css).unwrap();
        html.select(&selector)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }
}

/// One request on its own connection; the path is sent exactly as given.
pub(crate) fn request(address: SocketAddr, method: &str, path: &str) -> Reply {
    let mut stream = TcpStream::connect_timeout(&address, TIMEOUT).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("response");
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete response");
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap();
    Reply {
        status: status.parse().unwrap(),
        headers: lines
            .filter_map(|l| l.split_once(": "))
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        body: body.to_string(),
    }
}

pub(crate) fn get(address: SocketAddr, path: &str) -> Reply {
    request(address, "GET", path)
}

/// Polls until `path` answers `status` and `check` holds, or fails after [`TIMEOUT`].
#[track_caller]
fn eventually(address: SocketAddr, path: &str, status: u16, check: impl Fn(&Reply) -> bool) {
    let started = Instant::now();
    loop {
        let reply = get(address, path);
        if reply.status == status && check(&reply) {
            return;
        }
        assert!(
            started.elapsed() < TIMEOUT,
            "{path}: still {} after {TIMEOUT:?}",
            reply.status
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub(crate) type Channel = WebSocket<TcpStream>;

/// Opens the live-reload channel and reads its hello.
pub(crate) fn channel(address: SocketAddr) -> Channel {
    let mut socket = open_channel(address);
    assert_eq!(next_message(&mut socket)["type"], "hello");
    socket
}

/// Opens the live-reload channel; its hello is the first message to read.
pub(crate) fn open_channel(address: SocketAddr) -> Channel {
    let stream = TcpStream::connect_timeout(&address, TIMEOUT).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let url = format!("ws://{address}/__studysite/livereload");
    tungstenite::client(url, stream)
        .expect("websocket handshake")
        .0
}

/// The next JSON message, skipping pings; fails after [`TIMEOUT`].
#[track_caller]
pub(crate) fn next_message(socket: &mut Channel) -> Value {
    let started = Instant::now();
    while started.elapsed() < TIMEOUT {
        match socket.read() {
            Ok(tungstenite::Message::Text(text)) => return serde_json::from_str(&text).unwrap(),
            Ok(tungstenite::Message::Ping(_) | tungstenite::Message::Pong(_)) => {}
            Ok(other) => panic!("unexpected frame {other:?}"),
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(error) => panic!("live-reload channel failed: {error}"),
        }
    }
    panic!("no live-reload message within {TIMEOUT:?}");
}

/// Reads messages until one of type `kind` arrives; fails after [`TIMEOUT`].
#[track_caller]
pub(crate) fn wait_for(socket: &mut Channel, kind: &str) -> Value {
    let started = Instant::now();
    loop {
        let message = next_message(socket);
        if message["type"] == kind {
            return message;
        }
        assert!(
            started.elapsed() < TIMEOUT,
            "no {kind} message; last {message}"
        );
    }
}

#[test]
fn editing_a_note_sends_reload_then_serves_new_html() {
    let site = Site::new();
    let server = site.serve();
    let address = server.address();
    let page = get(address, "/intro/alpha/");
    assert_eq!(page.status, 200);
    assert_eq!(page.texts(".content p"), vec!["First version."]);
    assert_eq!(page.texts("script[data-generation]").len(), 1);
    let mut socket = channel(address);

    site.write(
        "content/01-intro/01-alpha.md",
        "# Alpha\n\nSecond version.\n",
    );
    let message = wait_for(&mut socket, "reload");
    assert!(message["generation"].as_u64().unwrap() >= 2);
    let pages = message["pages"].as_array().expect("a page list");
    assert!(pages.contains(&Value::from("/intro/alpha/")), "{message}");
    // The reload is sent only once the new build is being served.
    assert_eq!(
        get(address, "/intro/alpha/").texts(".content p"),
        vec!["Second version."]
    );
}

#[test]
fn a_broken_template_keeps_the_old_site_and_reports_until_fixed() {
    let site = Site::new();
    let server = site.serve();
    let address = server.address();
    let mut socket = channel(address);

    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock main %}\n",
    );
    let error = wait_for(&mut socket, "error");
    assert_eq!(error["file"], "templates/page.html", "{error}");
    assert!(error["message"].as_str().unwrap().contains("page.html"));
    let page = get(address, "/intro/alpha/");
    assert_eq!(page.status, 200);
    assert_eq!(page.texts(".content p"), vec!["First version."]);
    assert!(server.last_error().is_some());
    // A page opened now gets the error right after its hello.
    let mut late = channel(address);
    assert_eq!(next_message(&mut late)["type"], "error");

    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}<p class=\"fixed\">{{ page.title }}</p>{% endblock main %}\n",
    );
    wait_for(&mut socket, "ok");
    wait_for(&mut socket, "reload");
    assert!(server.last_error().is_none());
    assert_eq!(
        get(address, "/intro/alpha/").texts("p.fixed"),
        vec!["Alpha"]
    );
}

#[test]
fn a_stylesheet_edit_swaps_css_without_reload() {
    let site = Site::new();
    site.write("static/css/style.css", "body { color: black; }\n");
    let server = site.serve();
    let mut socket = channel(server.address());
    site.write("static/css/style.css", "body { color: rebeccapurple; }\n");
    let message = wait_for(&mut socket, "css");
    let href = message["hrefs"][0].as_str().expect("an href");
    assert!(href.starts_with("/css/style.css?h="), "{message}");
    let css = get(server.address(), href);
    assert_eq!(css.body, "body { color: rebeccapurple; }\n");
}

#[test]
fn a_broken_note_reports_its_file_and_line() {
    let site = Site::new();
    let server = site.serve();
    let mut socket = channel(server.address());
    site.write(
        "content/01-intro/02-beta.md",
        "+++\ntitle = \"Beta\nweight = 3\n+++\n\nBeta.\n",
    );
    let error = wait_for(&mut socket, "error");
    assert_eq!(error["file"], "content/01-intro/02-beta.md", "{error}");
    assert_eq!(error["line"], 2, "{error}");
    assert_eq!(get(server.address(), "/intro/beta/").status, 200);
}

#[test]
fn pages_and_sections_can_be_added_renamed_and_deleted() {
    let site = Site::new();
    let server = site.serve();
    let address = server.address();

    site.write("content/01-intro/03-gamma.md", "# Gamma\n\nNew page.\n");
    eventually(address, "/intro/gamma/", 200, |r| {
        r.texts(".content p") == ["New page."]
    });
    site.rename(
        "content/01-intro/03-gamma.md",
        "content/01-intro/03-delta.md",
    );
    eventually(address, "/intro/delta/", 200, |_| true);
    eventually(address, "/intro/gamma/", 404, |_| true);
    site.remove("content/01-intro/03-delta.md");
    eventually(address, "/intro/delta/", 404, |_| true);

    site.write(
        "content/02-extra/_index.md",
        "+++\ntitle = \"Extra\"\n+++\n",
    );
    site.write("content/02-extra/01-one.md", "# One\n\nIn extra.\n");
    eventually(address, "/extra/one/", 200, |_| true);
    site.rename("content/02-extra", "content/02-more");
    eventually(address, "/more/one/", 200, |_| true);
    eventually(address, "/extra/one/", 404, |_| true);
    site.remove("content/02-more");
    eventually(address, "/more/", 404, |_| true);
    eventually(address, "/intro/alpha/", 200, |_| true);
}

#[test]
fn rename_saves_rebuild_and_editor_files_do_not() {
    let site = Site::new();
    let server = site.serve();
    let address = server.address();
    let mut socket = channel(address);

    // Vim's probe file, a swap file, a backup and an Emacs lock: no rebuild.
    site.write("content/01-intro/4913", "");
    site.remove("content/01-intro/4913");
    site.write("content/01-intro/.01-alpha.md.swp", "swap");
    site.write("content/01-intro/01-alpha.md~", "backup");
    site.write("content/01-intro/.#01-alpha.md", "lock");
    site.write(
        "content/01-intro/01-alpha.md.tmp",
        "# Alpha\n\nSaved by rename.\n",
    );
    site.rename(
        "content/01-intro/01-alpha.md.tmp",
        "content/01-intro/01-alpha.md",
    );
    // The edited page's preview, then the one rebuild.
    let preview = wait_for(&mut socket, "reload");
    assert_eq!(preview["generation"], 2, "{preview}");
    let message = wait_for(&mut socket, "reload");
    assert_eq!(message["generation"], 3, "one rebuild: {message}");
    assert_eq!(
        get(address, "/intro/alpha/").texts(".content p"),
        vec!["Saved by rename."]
    );
    assert_eq!(server.generation(), 3);
}

#[test]
fn a_burst_of_edits_ends_in_the_final_state() {
    let site = Site::new();
    let server = site.serve();
    let address = server.address();
    for i in 0..100 {
        site.write(
            "content/01-intro/01-alpha.md",
            &format!("# Alpha\n\nEdit {i}.\n"),
        );
        site.write(
            &format!("content/01-intro/{}-extra-{}.md", 10 + i % 10, i % 10),
            &format!("# Extra {i}\n"),
        );
    }
    eventually(address, "/intro/alpha/", 200, |r| {
        r.texts(".content p") == ["Edit 99."]
    });
    // The last writes of the extra notes may land in a later rebuild than
    // alpha's last edit: wait for each to show its final text.
    for n in 0..10 {
        let title = format!("Extra {}", 90 + n);
        eventually(address, &format!("/intro/extra-{n}/"), 200, |r| {
            r.texts("h1") == [title.clone()]
        });
    }
    assert_eq!(server.last_error(), None);
    let generation = server.generation();
    assert!(generation <= 50, "{generation} rebuilds for 200 writes");
}

#[test]
fn traversal_is_refused() {
    let site = Site::new();
    let server = site.serve();
    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/intro/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%00/secret.txt",
        "/intro%00/",
        "/%252e%252e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "//secret.txt",
        "/site.toml",
        "/content/01-intro/01-alpha.md",
    ] {
        let reply = get(server.address(), path);
        assert!(
            matches!(reply.status, 400 | 404),
            "{path}: {}",
            reply.status
        );
        assert!(!reply.body.contains("TOP-SECRET"), "{path}");
        assert!(!reply.body.contains("First version"), "{path}");
    }
}

#[test]
fn many_clients_and_open_channels_are_all_answered() {
    let site = Site::new();
    let server = site.serve();
    let address = server.address();
    let mut sockets: Vec<Channel> = (0..20).map(|_| channel(address)).collect();
    let clients: Vec<_> = (0..100)
        .map(|i| {
            std::thread::spawn(move || {
                let path = if i % 2 == 0 { "/intro/alpha/" } else { "/" };
                get(address, path).status
            })
        })
        .collect();
    for client in clients {
        assert_eq!(client.join().unwrap(), 200);
    }
    site.write("content/01-intro/02-beta.md", "# Beta\n\nChanged.\n");
    for socket in &mut sockets {
        wait_for(socket, "reload");
    }
    assert_eq!(server.subscribers(), 20);
}

#[test]
fn methods_statuses_and_content_types() {
    let site = Site::new();
    let server = site.serve();
    let address = server.address();

    let head = request(address, "HEAD", "/intro/alpha/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    let post = request(address, "POST", "/");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET, HEAD"));
    let missing = get(address, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.texts("script[data-generation]").len(), 1);
    let moved = get(address, "/intro/alpha");
    assert_eq!(moved.status, 302);
    assert_eq!(moved.header("Location"), Some("/intro/alpha/"));
    for (path, expected) in [
        ("/css/style.css", "text/css; charset=utf-8"),
        ("/js/theme.js", "text/javascript; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        (
            "/__studysite/livereload.js",
            "text/javascript; charset=utf-8",
        ),
    ] {
        let reply = get(address, path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("Content-Type"), Some(expected), "{path}");
    }
    // base_url = "/" is not absolute: no sitemap, and robots.txt names none.
    assert_eq!(get(address, "/sitemap.xml").status, 404);
    let robots = get(address, "/robots.txt");
    assert!(robots.body.contains("User-agent"), "{}", robots.body);
    assert!(!robots.body.contains("Sitemap"), "{}", robots.body);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = Site::new();
    let first = site.serve();
    let options = ServeOptions {
        port: first.address().port(),
        ..ServeOptions::new(site.root())
    };
    let error = serve::start(options).err().expect("the port is taken");
    let text = error.to_string();
    assert!(text.contains("already in use"), "{text}");
    assert!(text.contains("-p 0"), "{text}");
}

#[test]
fn the_site_is_never_written_to_disk() {
    let site = Site::new();
    let server = site.serve();
    assert_eq!(get(server.address(), "/").status, 200);
    assert!(!Path::new(&site.root().join("public")).exists());
}

#[test]
fn a_serve_rebuild_after_edits_equals_a_clean_build_byte_for_byte() {
    let site = Site::new();
    let server = site.serve();
    let edits: [&dyn Fn(); 5] = [
        &|| {
            site.write(
                "content/01-intro/01-alpha.md",
                "# Alpha\n\nSee [beta](02-beta.md).\n",
            )
        },
        &|| {
            site.write(
                "content/01-intro/02-beta.md",
                "# Beta Renamed\n\nBeta text.\n",
            )
        },
        &|| {
            site.write(
                "content/01-intro/03-gamma.md",
                "# Gamma\n\n## Part\n\nNew.\n",
            )
        },
        &|| {
            site.write(
                "templates/partials/heading_anchor.html",
                &heading_partial_with_class(),
            )
        },
        &|| site.remove("content/01-intro/03-gamma.md"),
    ];
    for (step, edit) in edits.iter().enumerate() {
        let before = server.generation();
        edit();
        // Wait for the rebuild, then for the served site to settle on the tree's state.
        let started = Instant::now();
        loop {
            let served = server.site();
            let diff = differences(&served, &clean_build(&site.root()));
            if server.generation() > before && diff.is_empty() {
                assert!(server.last_error().is_none());
                break;
            }
            assert!(
                started.elapsed() < TIMEOUT,
                "edit {step}: served site differs from a clean build in {diff:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
