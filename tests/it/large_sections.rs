//! A large section: the pages that list a section's notes, a tag's notes, a
//! section's quiz questions or flashcards are paged (`<base>/page/N/` after the
//! first), every item is on exactly one page, and the largest page does not grow
//! when the section doubles.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;
use studysite::build::{build_cached, BuildCache};
use studysite::{BuildOptions, OutputTarget};

use crate::harness::{select, Built, SiteTest};
use crate::quiz::embedded;
use crate::serve_cache::{clean_build, differences};

/// Notes of the large section: three pages of notes and questions, two of cards.
const NOTES: usize = 250;

/// A site with one section of `notes` notes, each with a question heading
/// (a flashcard and a generated question) and two tags, and a small section.
pub(crate) fn large_site(notes: usize) -> SiteTest {
    let mut files: Vec<(String, String)> = vec![
        (
            "content/_index.md".into(),
            "+++\ntitle = \"Big\"\n+++\nHome.\n".into(),
        ),
        (
            "content/01-big/_index.md".into(),
            "+++\ntitle = \"Big\"\nweight = 80\n+++\nThe big section's introduction.\n".into(),
        ),
        (
            "content/02-small/_index.md".into(),
            "+++\ntitle = \"Small\"\nweight = 20\n+++\n".into(),
        ),
    ];
    for i in 0..notes {
        files.push((format!("content/01-big/widget-{i}.md"), note(i, "Widget")));
    }
    for i in 0..3 {
        files.push((format!("content/02-small/gadget-{i}.md"), note(i, "Gadget")));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (&**p, &**t)).collect();
    SiteTest::files(&files)
}

fn note(i: usize, kind: &str) -> String {
    format!(
        "+++\ntitle = \"{kind} {i:04}\"\norder = {i}\ntags = [\"common\", \"t{}\"]\n+++\n\
         Some text about {kind}{i}.\n\n## What is {kind}{i}?\n\n\
         {kind}{i} is a managed service, number {i}, that keeps things for a section. It scales.\n{}",
        i % 2,
        match i % 25 {
            0 => format!("\n> [!TIP] Remember {} {i}\n> It is number {i}.\n", kind.to_lowercase()),
            _ => String::new(),
        }
    )
}

/// The URLs `css` links to on every page of a paged list, page by page.
fn per_page(built: &Built, urls: &[&str], css: &str) -> Vec<Vec<String>> {
    urls.iter()
        .map(|url| built.links(url, css, "href"))
        .collect()
}

/// The text of every element matching `css` on every page of a paged list, page by page.
fn per_page_texts(built: &Built, urls: &[&str], css: &str) -> Vec<Vec<String>> {
    urls.iter().map(|url| built.texts(url, css)).collect()
}

/// Fails unless `items` hold every one of `expected` exactly once, in order.
#[track_caller]
fn each_once(items: Vec<Vec<String>>, expected: &[String], max_per_page: usize) {
    for page in &items {
        assert!(page.len() <= max_per_page, "{} on a page", page.len());
    }
    let all: Vec<String> = items.into_iter().flatten().collect();
    assert_eq!(all.len(), expected.len());
    assert_eq!(all, expected);
}

#[test]
fn a_large_sections_notes_are_paged_with_a_pager() {
    let built = large_site(NOTES).build();
    let parts = ["/big/", "/big/page/2/", "/big/page/3/"];
    assert!(!built.exists("big/page/4/index.html"));
    assert!(
        !built.exists("big/page/1/index.html"),
        "page 1 is the section's own URL"
    );
    let notes: Vec<String> = (0..NOTES).map(|i| format!("/big/widget-{i}/")).collect();
    let listed = per_page(&built, &parts, "main ol.page-list a");
    each_once(listed, &notes, 100);

    // Page 2: its number in the title and heading, links to the pages around it.
    let page = built.page("/big/page/2/");
    let title = select(&page, "title")[0].text().collect::<String>();
    assert!(title.starts_with("Big, page 2 ·"), "{title}");
    assert_eq!(built.texts("/big/page/2/", "main h1"), ["Big, page 2"]);
    assert_eq!(
        built.texts("/big/page/2/", "nav[aria-label=Pages]").len(),
        1
    );
    assert_eq!(
        built.texts("/big/page/2/", "nav[aria-label=Pages] .pager-status"),
        ["Page 2 of 3"]
    );
    let pager = "nav[aria-label=Pages] a";
    assert_eq!(
        built.links("/big/page/2/", pager, "href"),
        [
            "/big/",
            "/big/",
            "/big/page/2/",
            "/big/page/3/",
            "/big/page/3/"
        ]
    );
    assert_eq!(
        built.texts("/big/page/2/", "nav[aria-label=Pages] a[aria-current=page]"),
        ["Page 2"]
    );
    assert_eq!(
        built.links("/big/page/2/", "link[rel=prev]", "href"),
        ["/big/"]
    );
    assert_eq!(
        built.links("/big/", "link[rel=next]", "href"),
        ["/big/page/2/"]
    );
    assert_eq!(
        built.attrs("/big/page/3/", "ol.page-list", "start"),
        ["201"]
    );
    // The section's text and weight are on page 1 only.
    assert!(built.texts("/big/", "main .content")[0].contains("introduction"));
    assert!(built.texts("/big/page/2/", "main .content").is_empty());
    assert!(built
        .texts("/big/page/2/", ".section-weight-line")
        .is_empty());

    // A section within the limit is one page, without a pager.
    assert_eq!(built.texts("/small/", "main ol.page-list a").len(), 3);
    assert!(built.texts("/small/", "nav[aria-label=Pages]").is_empty());
    assert!(!built.exists("small/page/2/index.html"));
}

#[test]
fn the_sidebar_sitemap_and_offline_parts_follow_the_pages() {
    let built = large_site(NOTES).build();
    let notes: Vec<String> = (0..NOTES).map(|i| format!("/big/widget-{i}/")).collect();
    // The sidebar lists a window of the section's notes around the note, or
    // around the first note of a later section page.
    let sidebar = |url: &str| {
        let css = ".nav-sections > li.is-current .nav-pages li:not(.nav-practice):not(.nav-more) a";
        built.links(url, css, "href")
    };
    assert_eq!(sidebar("/big/widget-150/"), notes[140..161]);
    assert_eq!(sidebar("/big/page/3/"), notes[190..211]);
    assert_eq!(sidebar("/big/"), notes[..21]);
    // The sitemap and the offline parts hold every page.
    let sitemap = built.read("sitemap.xml");
    for url in [
        "big/page/3/",
        "big/quiz/page/3/",
        "big/flashcards/page/2/",
        "tags/common/page/3/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/{url}</loc>")),
            "{url}"
        );
    }
    let offline: Value = serde_json::from_str(&built.read("offline.json")).unwrap();
    let big = offline["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "big/");
    let files: HashSet<&str> = big.unwrap()["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for url in [
        "big/page/2/",
        "big/page/3/",
        "big/quiz/page/3/",
        "big/flashcards/page/2/",
    ] {
        assert!(files.contains(url), "{url} is saved with its section");
    }
}

#[test]
fn a_tags_notes_are_paged_and_the_index_shows_a_page_of_each() {
    let built = large_site(NOTES).build();
    let notes: Vec<String> = (0..NOTES).map(|i| format!("/big/widget-{i}/")).collect();
    let parts = [
        "/tags/common/",
        "/tags/common/page/2/",
        "/tags/common/page/3/",
    ];
    let listed: Vec<Vec<String>> = per_page(&built, &parts, "main ul.tag-notes a")
        .into_iter()
        .map(|page| {
            page.into_iter()
                .filter(|u| u.starts_with("/big/"))
                .collect()
        })
        .collect();
    each_once(listed, &notes, 100);
    let lead = built.texts("/tags/common/page/2/", "main .lead").join("");
    assert!(
        lead.contains("253 notes with this tag; this page lists 101 to 200"),
        "{lead}"
    );
    assert!(!built.exists("tags/common/page/4/index.html"));
    assert!(built.exists("tags/t0/page/2/index.html"), "127 notes");
    assert!(!built.exists("tags/t0/page/3/index.html"));
    // The index lists a tag's first page of notes and links the rest.
    let index = built.page("/tags/");
    for group in select(&index, "section.tag-group") {
        let notes = group
            .select(&scraper::Selector::parse("ul a").unwrap())
            .count();
        assert!(notes <= 100, "{notes}");
    }
    assert!(built
        .texts("/tags/", "section.tag-group p a")
        .contains(&"All 253 notes with #common".to_string()));
}

#[test]
fn quiz_and_deck_pages_hold_every_question_and_card_once() {
    let built = large_site(NOTES).build();
    let progress = embedded(&built, "/progress/", "progress-data");
    let big = &progress["sections"][0];
    assert_eq!(big["section"], "big");
    let file: serde_json::Value =
        serde_json::from_str(&built.read("progress/ids-big.json")).expect("valid JSON");
    let ids = |key: &str| -> Vec<String> {
        file[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let (questions, cards) = (ids("questions"), ids("cards"));
    assert_eq!((questions.len(), cards.len()), (NOTES, NOTES));

    let quiz = ["/big/quiz/", "/big/quiz/page/2/", "/big/quiz/page/3/"];
    let on_pages: Vec<Vec<String>> = quiz
        .iter()
        .map(|url| built.attrs(url, "form.quiz-question", "id"))
        .collect();
    each_once(on_pages, &questions, 100);
    assert!(!built.exists("big/quiz/page/4/index.html"));
    for (i, url) in quiz.iter().enumerate() {
        assert_eq!(
            built.attrs(url, "article.quiz-page", "data-quiz-section"),
            ["big"]
        );
        assert_eq!(
            built.attrs(url, "article.quiz-page", "data-quiz-part"),
            [(i + 1).to_string()]
        );
        assert_eq!(
            built.attrs(url, "article.quiz-page", "data-quiz-parts"),
            ["3"]
        );
    }
    assert_eq!(
        built.attrs("/big/quiz/page/2/", "ol.quiz-list", "start"),
        ["101"]
    );
    assert_eq!(
        built.attrs("/quiz/", "[data-best-section=big]", "data-best-parts"),
        ["3"]
    );
    assert!(built
        .attrs("/quiz/", "[data-best-section=small]", "data-best-parts")
        .is_empty());
    // A section within the limit keeps its one quiz page, without part numbers.
    assert!(built
        .attrs("/small/quiz/", "article.quiz-page", "data-quiz-part")
        .is_empty());

    let decks = ["/big/flashcards/", "/big/flashcards/page/2/"];
    let on_pages: Vec<Vec<String>> = decks
        .iter()
        .map(|url| built.attrs(url, "details.flashcard-static", "id"))
        .collect();
    each_once(on_pages, &cards, 200);
    assert!(!built.exists("big/flashcards/page/3/index.html"));
    // /flashcards/ follows each deck page's rel=next link to count the deck.
    assert_eq!(
        built.links("/big/flashcards/", "link[rel=next]", "href"),
        ["/big/flashcards/page/2/"]
    );
    assert!(built
        .links("/big/flashcards/page/2/", "link[rel=next]", "href")
        .is_empty());
    // The Anki file stays whole: every card, with the section's questions.
    let anki = built.read("flashcards/big.anki.txt");
    assert!(cards.iter().all(|id| anki.contains(&format!("\"{id}\"\t"))));
}

#[test]
fn a_large_sections_cram_sheet_is_paged_with_every_item_once() {
    let built = large_site(NOTES).build();
    let parts = ["/big/cram/", "/big/cram/page/2/"];
    assert!(!built.exists("big/cram/page/3/index.html"));
    // Mnemonics come first, then tips, then questions, across the pages.
    let items = per_page_texts(&built, &parts, ".callout-title-text, .cram-question dt");
    let tips = (0..NOTES)
        .step_by(25)
        .map(|i| format!("Remember widget {i}"));
    let questions = (0..NOTES).map(|i| format!("What is Widget{i}?"));
    let expected: Vec<String> = tips.chain(questions).collect();
    each_once(items, &expected, 200);
    assert_eq!(
        built.texts(
            "/big/cram/page/2/",
            "nav[aria-label=Pages] [aria-current=page]"
        ),
        ["Page 2"]
    );
    assert!(built.texts("/big/cram/page/2/", "h1")[0].ends_with("cram sheet, page 2"));
    // A small section's sheet is one page, without a pager.
    assert!(built
        .texts("/small/cram/", "nav[aria-label=Pages]")
        .is_empty());
}

/// The size of the largest HTML page of each kind, and of all of them. A kind
/// is a path with its page numbers left out and its notes' names made one
/// (`big/quiz/page/2/index.html` is `big/quiz/index.html`, a note is `big/widget/index.html`).
fn largest_pages(built: &Built) -> BTreeMap<String, u64> {
    let mut largest: BTreeMap<String, u64> = BTreeMap::new();
    for path in built.html_files() {
        let size = std::fs::metadata(built.out.join(&path)).unwrap().len();
        let kind: Vec<&str> = path
            .split('/')
            .filter(|part| *part != "page" && part.parse::<u32>().is_err())
            .map(|part| {
                if part.starts_with("widget-") {
                    "widget"
                } else {
                    part
                }
            })
            .collect();
        for kind in [kind.join("/"), "every page".to_string()] {
            let max = largest.entry(kind).or_default();
            *max = (*max).max(size);
        }
    }
    largest
}

#[test]
fn the_largest_page_does_not_grow_when_the_section_doubles() {
    let small = largest_pages(&large_site(NOTES).build());
    let large = largest_pages(&large_site(2 * NOTES).build());
    for (kind, &size) in &large {
        let before = small.get(kind).copied().unwrap_or(size);
        // A tenth more at most, or two kilobytes on a small page: a later page
        // filled where it was short, a pager with more links, longer numbers.
        let bound = (before as f64 * 1.1).max(before as f64 + 2048.0);
        assert!((size as f64) < bound, "{kind}: {before} → {size} bytes");
    }
    let ratio = large["every page"] as f64 / small["every page"] as f64;
    assert!(ratio < 1.1, "the largest page: {small:?} → {large:?}");
    let every = large["every page"];
    assert!(every < 200_000, "the largest page has {every} bytes");
    let paged = [
        "big/index.html",
        "big/quiz/index.html",
        "big/flashcards/index.html",
        "tags/common/index.html",
        "big/widget/index.html",
        // The learner's pages name the files of ids and questions they fetch.
        "progress/index.html",
        "exam/index.html",
    ];
    for kind in paged {
        assert!(small.contains_key(kind), "{kind} in {:?}", small.keys());
    }
}

#[test]
fn the_mnemonics_page_is_paged_by_the_notes_they_come_from() {
    let mut files = vec![(
        "content/01-big/_index.md".to_string(),
        "+++\ntitle = \"Big\"\n+++\n".to_string(),
    )];
    for i in 0..NOTES {
        let text = format!(
            "# Note {i:03}\n\n> [!MNEMONIC] Cool People {i}\n> - **C**ost\n> - **P**erformance\n"
        );
        files.push((format!("content/01-big/n{i:03}.md"), text));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (&**p, &**t)).collect();
    let built = SiteTest::files(&files).build();
    let parts = ["/mnemonics/", "/mnemonics/page/2/", "/mnemonics/page/3/"];
    assert!(!built.exists("mnemonics/page/4/index.html"));
    let phrases = per_page_texts(&built, &parts, ".mnemonic-entry .callout-title-text");
    let expected: Vec<String> = (0..NOTES).map(|i| format!("Cool People {i}")).collect();
    each_once(phrases, &expected, 100);
    assert!(built.texts("/mnemonics/page/3/", "h1")[0].ends_with("page 3"));
}

/// Edits in a large section, rebuilt with the cache as `serve` does: each
/// equals a clean build, and remakes only the outputs it changes (the search
/// files come from the index's own state and are not counted), not the
/// section's other quiz, deck and cram pages. The last edit moves every
/// question after it a few lines down, which the quiz and deck pages' views
/// hold (a question's `file:line`) but their HTML does not show, so those
/// pages (at most 3 + 2) are remade unchanged.
#[test]
fn cached_rebuilds_of_a_large_section_equal_clean_builds_and_remake_what_changed() {
    let site = large_site(NOTES);
    let options = BuildOptions {
        target: OutputTarget::Memory,
        ..BuildOptions::new(site.root())
    };
    let edit = |path: &str, from: &str, to: &str| {
        let text = site.read_file(path);
        assert!(text.contains(from), "{path} holds {from:?}");
        site.write(path, text.replacen(from, to, 1));
    };
    let cache = BuildCache::new();
    build_cached(&options, &cache).expect("first build");
    let mut last = build_cached(&options, &cache).expect("second build").1;
    let steps: [(&str, &dyn Fn(), usize); 4] = [
        (
            "a late card's answer",
            &|| edit("content/01-big/widget-240.md", "that keeps", "that holds"),
            0,
        ),
        (
            "an early tip",
            &|| edit("content/01-big/widget-25.md", "It is number", "It is item"),
            0,
        ),
        (
            "a paragraph",
            &|| edit("content/01-big/widget-100.md", "Some text", "Other text"),
            0,
        ),
        (
            "a new tip",
            &|| {
                let tip = "> [!TIP] New\n> Fresh.\n\nSome text";
                edit("content/01-big/widget-3.md", "Some text", tip)
            },
            5,
        ),
    ];
    for (step, edit, most_unchanged) in steps {
        edit();
        let (_, cached) = build_cached(&options, &cache).expect(step);
        let made = cache.last_stats().pages_rendered;
        assert_eq!(
            differences(&cached, &clean_build(site.root())),
            Vec::<String>::new(),
            "{step}"
        );
        let mut changed = differences(&cached, &last);
        changed.retain(|path| !path.starts_with("search/"));
        assert!(!changed.is_empty(), "{step}");
        let unchanged = made.checked_sub(changed.len());
        assert!(
            unchanged.is_some_and(|n| n <= most_unchanged),
            "{step}: {made} made, {changed:?}"
        );
        last = cached;
    }
}
