//! The sidebar stays bounded however big a section grows: small sections list
//! every note, big ones a window around the current page.

use crate::harness::{SiteTest, DEFAULT_CONFIG};

/// A site with one section of `notes` notes (`big/note-0000` …) and one of three.
fn site(notes: usize) -> SiteTest {
    let mut files = vec![
        ("site.toml".to_string(), DEFAULT_CONFIG.to_string()),
        (
            "content/01-big/_index.md".to_string(),
            "+++\ntitle = \"Big\"\n+++\n".to_string(),
        ),
        (
            "content/02-small/_index.md".to_string(),
            "+++\ntitle = \"Small\"\n+++\n".to_string(),
        ),
    ];
    for i in 0..notes {
        let path = format!("content/01-big/note-{i:04}.md");
        files.push((path, format!("# Note {i:04}\n\nText of note {i}.\n")));
    }
    for i in 0..3 {
        let path = format!("content/02-small/small-{i}.md");
        files.push((path, format!("# Small {i}\n\nText.\n")));
    }
    site_of(&files)
}

fn site_of(files: &[(String, String)]) -> SiteTest {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    SiteTest::files(&refs)
}

fn sidebar_notes(built: &crate::harness::Built, url: &str) -> Vec<String> {
    built.texts(url, ".nav-pages li:not(.nav-more):not(.nav-practice) a")
}

#[test]
fn a_small_section_lists_every_note() {
    let built = site(40).build();
    let listed = sidebar_notes(&built, "/big/note-0020/");
    assert_eq!(listed.len(), 40);
    assert!(built.texts("/big/note-0020/", ".nav-more").is_empty());
}

#[test]
fn a_big_section_shows_a_window_around_the_current_note() {
    let built = site(100).build();
    let url = "/big/note-0050/";
    let expected: Vec<String> = (40..=60).map(|i| format!("Note {i:04}")).collect();
    assert_eq!(sidebar_notes(&built, url), expected);
    assert_eq!(
        built.texts(url, ".nav-pages [aria-current=page]"),
        ["Note 0050"]
    );
    assert_eq!(
        built.texts(url, ".nav-more a"),
        ["40 earlier notes", "39 more notes"]
    );
    assert_eq!(built.links(url, ".nav-more a", "href"), ["/big/", "/big/"]);
}

#[test]
fn the_window_is_clamped_at_both_ends() {
    let built = site(100).build();
    let first = sidebar_notes(&built, "/big/note-0002/");
    assert_eq!(first.first().map(String::as_str), Some("Note 0000"));
    assert_eq!(first.len(), 21);
    assert_eq!(
        built.texts("/big/note-0002/", ".nav-more a"),
        ["79 more notes"]
    );
    let last = sidebar_notes(&built, "/big/note-0099/");
    assert_eq!(last.last().map(String::as_str), Some("Note 0099"));
    assert_eq!(last.len(), 21);
    assert_eq!(
        built.texts("/big/note-0099/", ".nav-more a"),
        ["79 earlier notes"]
    );
    // The section page's sidebar starts at its first note.
    assert_eq!(sidebar_notes(&built, "/big/")[0], "Note 0000");
}

#[test]
fn other_sections_are_unaffected_by_a_big_one() {
    let built = site(100).build();
    assert_eq!(
        sidebar_notes(&built, "/small/small-1/"),
        ["Small 0", "Small 1", "Small 2"]
    );
    // Pages outside the big section list none of its notes.
    assert!(sidebar_notes(&built, "/search/").is_empty());
}

#[test]
fn note_pages_do_not_grow_with_their_section() {
    let largest = |notes: usize| {
        let built = site(notes).build();
        (0..notes)
            .map(|i| built.read(&format!("big/note-{i:04}/index.html")).len())
            .max()
            .unwrap()
    };
    let (small, big) = (largest(150), largest(300));
    assert!(
        big as f64 <= small as f64 * 1.02,
        "largest note page: {small} bytes at 150 notes, {big} at 300"
    );
}

/// A site of `count` sections of two notes each (`s-01/n-0` …).
fn many_sections(count: usize) -> SiteTest {
    let mut files = vec![("site.toml".to_string(), DEFAULT_CONFIG.to_string())];
    for s in 1..=count {
        for n in 0..2 {
            let path = format!("content/{s:02}-s-{s:02}/n-{n}.md");
            files.push((path, format!("# Note {s}.{n}\n\nText.\n")));
        }
    }
    site_of(&files)
}

fn sidebar_sections(built: &crate::harness::Built, url: &str) -> Vec<String> {
    built.texts(url, ".nav-sections:not(.nav-tools) > li:not(.nav-more) > a")
}

#[test]
fn a_site_of_few_sections_lists_them_all() {
    let built = many_sections(30).build();
    assert_eq!(sidebar_sections(&built, "/s-08/n-0/").len(), 30);
    assert!(built
        .texts("/s-08/n-0/", ".nav-sections > .nav-more")
        .is_empty());
}

#[test]
fn a_site_of_many_sections_lists_a_window_around_the_current_one() {
    let built = many_sections(40).build();
    let url = "/s-20/n-1/";
    let expected: Vec<String> = (13..=27).map(|s| format!("S {s:02}")).collect();
    assert_eq!(sidebar_sections(&built, url), expected);
    assert_eq!(
        built.texts(url, ".nav-sections > li.is-current > a"),
        ["S 20"]
    );
    let more = ".nav-sections > .nav-more a";
    assert_eq!(
        built.texts(url, more),
        ["12 earlier sections", "13 more sections"]
    );
    // Both lead to the home page's full list of sections.
    assert_eq!(
        built.links(url, more, "href"),
        ["/#exam-sections", "/#exam-sections"]
    );
    assert_eq!(built.texts("/", "#exam-sections").len(), 1);
    assert_eq!(built.texts("/", ".section-card-title").len(), 40);
    // At either end the window moves inwards; pages outside any section
    // show the first sections.
    assert_eq!(sidebar_sections(&built, "/s-01/n-0/")[0], "S 01");
    assert_eq!(built.texts("/s-01/n-0/", more), ["25 more sections"]);
    assert_eq!(sidebar_sections(&built, "/s-40/n-0/")[14], "S 40");
    assert_eq!(built.texts("/s-40/n-0/", more), ["25 earlier sections"]);
    assert_eq!(sidebar_sections(&built, "/search/")[0], "S 01");
}

#[test]
fn note_pages_do_not_grow_with_the_number_of_sections() {
    let size = |count: usize| {
        many_sections(count)
            .build()
            .read("s-10/n-0/index.html")
            .len()
    };
    let (fewer, more) = (size(40), size(99));
    assert!(
        more <= fewer + 16,
        "a note page: {fewer} bytes at 40 sections, {more} at 99"
    );
}
