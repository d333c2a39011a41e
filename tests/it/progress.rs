//! `/progress/` on the `quiz` fixture: every section with its weight, the ids
//! files `progress.js` counts by, the pool files it reviews from, and the links to
//! the page; and question ids that survive a rewording of punctuation and case.

use serde_json::Value;

use crate::harness::{select, SiteTest};
use crate::quiz::{embedded, exam_questions};

#[test]
fn progress_page_lists_every_section_with_its_weight() {
    let site = SiteTest::fixture("quiz").build();
    let rows = "table.progress-sections tbody tr";
    assert_eq!(
        site.texts("/progress/", &format!("{rows} th")),
        ["Storage", "Security"]
    );
    let weights = site.texts("/progress/", &format!("{rows} td:nth-of-type(1)"));
    assert_eq!(weights, ["60%", "40%"]);
    assert_eq!(
        site.attrs("/progress/", rows, "data-progress-section"),
        ["storage", "security"]
    );
    // Without JavaScript the page says where progress lives; the app stays hidden.
    let fallback = site.texts("/progress/", ".progress-fallback").join(" ");
    assert!(fallback.contains("kept in this browser"), "{fallback}");
    assert_eq!(
        select(&site.page("/progress/"), ".progress-app[hidden]").len(),
        1
    );

    let data = embedded(&site, "/progress/", "progress-data");
    let sections = data["sections"].as_array().expect("sections");
    for section in sections {
        let slug = section["section"].as_str().unwrap();
        // The ids are in a file of the section's, named with its content hash.
        let url = section["ids"].as_str().expect("an ids file");
        let (path, _hash) = url.split_once("?h=").expect("a content hash");
        assert_eq!(path, format!("progress/ids-{slug}.json"));
        let file: Value = serde_json::from_str(&site.read(path)).expect("valid JSON");
        let ids = strings(&file["questions"]);
        assert_eq!(section["question_count"], ids.len());
        let quiz = format!("/{slug}/quiz/");
        assert_eq!(ids, site.attrs(&quiz, "form.quiz-question", "id"), "{slug}");
        let deck = format!("/{slug}/flashcards/");
        let card_ids = site.attrs(&deck, "details.flashcard-static", "id");
        assert_eq!(strings(&file["cards"]), card_ids, "{slug}");
        assert_eq!(section["card_count"], card_ids.len());
        assert!(!ids.is_empty() && !card_ids.is_empty(), "{slug}");
    }
    assert_eq!(sections[0]["weight"], 60);
    assert_eq!(
        data["pools"],
        embedded(&site, "/exam/", "exam-data")["pools"]
    );
    assert_eq!(
        (
            data["min_score"].clone(),
            data["pass_score"].clone(),
            data["max_score"].clone()
        ),
        (Value::from(0), Value::from(700), Value::from(1000))
    );
    // The review queue re-attaches by note and stem: the pool carries both.
    let pooled = exam_questions(&site);
    assert!(pooled
        .iter()
        .all(|q| q["stem"].as_str().is_some_and(|s| !s.is_empty())));
    let how = site
        .texts("/progress/", ".progress-readiness-how")
        .join(" ");
    assert!(
        how.contains("weighted by the sections' exam weights")
            && how.contains("passes at 70% of its scale"),
        "{how}"
    );

    let nav = site.links("/storage/s3/", ".practice-nav a", "href");
    assert_eq!(nav.last().map(String::as_str), Some("/progress/"));
    let home = site.links("/", "main a", "href");
    assert!(home.iter().any(|href| href == "/progress/"), "{home:?}");
    let cards = site.attrs(
        "/",
        ".section-card .section-progress[hidden]",
        "data-progress-section",
    );
    assert_eq!(
        cards,
        ["storage", "security"],
        "filled in by JavaScript, hidden without"
    );
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_section_without_a_weight_is_listed_without_one() {
    let site = SiteTest::files(&[
        (
            "content/01-a/_index.md",
            "+++\ntitle = \"A\"\nweight = 100\n+++\n",
        ),
        (
            "content/01-a/n.md",
            "# N\n\n> [!QUIZ] Which?\n> - [x] This\n> - [ ] That\n",
        ),
        ("content/02-b/n.md", "# M\n\nNo questions.\n"),
    ])
    .build();
    let rows = "table.progress-sections tbody tr";
    assert_eq!(
        site.texts("/progress/", &format!("{rows} td:nth-of-type(1)")),
        ["100%", "–"]
    );
    let data = embedded(&site, "/progress/", "progress-data");
    assert_eq!(data["sections"][1]["question_count"], 0);
    let ids: Value = serde_json::from_str(&site.read("progress/ids-b.json")).unwrap();
    assert_eq!(ids["questions"], Value::Array(vec![]));
}

#[test]
fn question_ids_survive_rewording_of_case_punctuation_and_spacing() {
    let id = |stem: &str| {
        let note = format!("# N\n\n> [!QUIZ] {stem}\n> - [x] This\n> - [ ] That\n");
        let site = SiteTest::files(&[("content/01-a/n.md", note.as_str())]).build();
        site.attrs("/a/n/", "form.quiz-question", "id").remove(0)
    };
    let first = id("Which one is right?");
    assert_eq!(id("which  one is RIGHT"), first);
    assert_ne!(id("Which one is wrong?"), first);
}
