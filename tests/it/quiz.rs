//! Quizzes on the `quiz` fixture: explicit QUIZ callouts, flashcards from question
//! headings, generated questions, the quiz/flashcard/exam pages, malformed quizzes,
//! determinism; and the quality bar over the shipped notes.

use std::collections::BTreeSet;
use std::path::Path;

use regex::RegexBuilder;
use serde_json::Value;

use crate::harness::{select, tree, Built, SiteTest};

fn built() -> Built {
    SiteTest::fixture("quiz").build()
}

/// The JSON a page embeds in `<script type="application/json" id=…>`.
pub(crate) fn embedded(site: &Built, url: &str, id: &str) -> Value {
    let page = site.page(url);
    let script = select(&page, &format!("script[type='application/json']#{id}"));
    let text: String = script[0].text().collect();
    assert!(!text.contains('<'), "raw < in embedded JSON");
    serde_json::from_str(&text).expect("valid JSON")
}

/// A data file named by `url` (from the site's root, with its content hash), as JSON.
fn hashed_json(site: &Built, url: &Value) -> Value {
    let (path, hash) = url
        .as_str()
        .unwrap()
        .split_once("?h=")
        .expect("a content hash");
    // Written from the site's root: the pages resolve it against <html data-root>.
    assert!(!path.starts_with('/') && !path.contains("://"), "{path}");
    let text = site.read(path);
    assert_eq!(
        hash,
        content_hash(text.as_bytes()),
        "the hash is the file's"
    );
    serde_json::from_str(&text).expect("valid JSON")
}

/// The index of the exam's pool files, which its page names.
pub(crate) fn pool_index(site: &Built) -> Value {
    hashed_json(site, &embedded(site, "/exam/", "exam-data")["pools"])
}

/// The exam's pool, from the files its index names.
pub(crate) fn exam_questions(site: &Built) -> Vec<Value> {
    let mut questions = Vec::new();
    for url in pool_index(site)["pools"].as_array().expect("pools") {
        let pool = hashed_json(site, url);
        questions.extend(pool["questions"].as_array().unwrap().iter().cloned());
    }
    for q in &questions {
        let url = q["url"].as_str().expect("a url");
        assert!(!url.starts_with('/'), "written from the site's root: {url}");
    }
    questions
}

/// FNV-1a as the build computes it for cache-busting URLs.
fn content_hash(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{:010x}", hash & 0xff_ffff_ffff)
}

#[test]
fn callouts_become_interactive_questions_on_note_pages() {
    let site = built();
    let url = "/storage/s3/";
    let stems = site.texts(
        url,
        "main .callout-quiz form.quiz-question legend.quiz-stem",
    );
    assert_eq!(
        stems,
        [
            "Which service is object storage?",
            "Which are block or file storage? (Choose two.)"
        ]
    );
    let radios = site.attrs(
        url,
        "main form.quiz-question:not([data-multi]) input",
        "type",
    );
    assert_eq!(radios, ["radio", "radio", "radio"]);
    let boxes = site.attrs(url, "main form.quiz-question[data-multi] input", "type");
    assert_eq!(boxes, ["checkbox", "checkbox", "checkbox"]);
    let correct = site.attrs(url, "main form.quiz-question input[data-correct]", "value");
    assert_eq!(correct, ["0", "0", "1"]);
    let answers = site.texts(
        url,
        "main form.quiz-question details.quiz-answer .quiz-correct li",
    );
    assert_eq!(answers, ["Amazon S3", "Amazon EBS", "Amazon EFS"]);
    let explanation = site.texts(url, "main form.quiz-question details.quiz-answer > p");
    assert!(
        explanation[0].contains("</script> safely"),
        "{explanation:?}"
    );
}

#[test]
fn section_quiz_pages_hold_callout_and_generated_questions() {
    let site = built();
    let storage = site.texts("/storage/quiz/", "main form.quiz-question legend");
    assert!(storage.contains(&"Which service is object storage?".to_string()));
    assert!(
        storage
            .iter()
            .any(|s| s.starts_with("___ (Elastic Block Store) is")
                || s.starts_with("___ is block storage")),
        "{storage:?}"
    );
    let links = site.links("/storage/quiz/", "main .quiz-source a", "href");
    assert!(
        links.contains(&"/storage/s3/#what-is-amazon-s3".to_string()),
        "{links:?}"
    );
    let security = site.texts("/security/quiz/", "main form.quiz-question legend");
    assert!(security.contains(&"Who should use the root user for daily work?".to_string()));
    assert!(
        !security
            .iter()
            .any(|s| s.contains("quizzed") || s.contains("private note")),
        "quiz = false pages contribute nothing: {security:?}"
    );
    let index = site.texts("/quiz/", "main table.quiz-sections tbody th a");
    assert_eq!(index, ["Storage", "Security"]);
    let counts = site.texts("/quiz/", "main table.quiz-sections tbody td:nth-of-type(1)");
    assert_eq!(counts.len(), 2);
    let best = site.attrs("/quiz/", "main [data-best-section]", "data-best-section");
    assert_eq!(best, ["storage", "security"]);
}

#[test]
fn flashcards_come_from_every_kind_of_question_heading() {
    let site = built();
    // `/flashcards/` lists a deck per section; each deck holds its section's cards.
    let decks = site.links("/flashcards/", "main table.flashcard-decks a", "href");
    assert_eq!(decks, ["/storage/flashcards/", "/security/flashcards/"]);
    // The first cell is the card count; due and new are filled in by the browser.
    let counts = site.texts(
        "/flashcards/",
        "main table.flashcard-decks td:nth-of-type(1)",
    );
    let due = site.texts("/flashcards/", "main table.flashcard-decks td.deck-due");
    assert_eq!(due, ["–", "–"]);
    let mut fronts = Vec::new();
    for (deck, count) in decks.iter().zip(&counts) {
        let cards = site.texts(deck, "main details.flashcard-static summary");
        assert_eq!(cards.len().to_string(), *count, "{deck}");
        fronts.extend(cards);
    }
    for front in [
        "What is Amazon S3?",
        "How is S3 different from EBS?",
        "When should I use Glacier?",
        "What are security groups?",
    ] {
        assert!(fronts.contains(&front.to_string()), "{front} in {fronts:?}");
    }
    assert!(!fronts.iter().any(|f| f.contains("private note")));
    // flashcards.js reads the cards from this list: front, back, section and source link.
    let page = site.page("/storage/flashcards/");
    let first = *select(&page, "details.flashcard-static").first().unwrap();
    assert_eq!(first.value().attr("data-section-title"), Some("Storage"));
    let back = select(&page, "details.flashcard-static .flashcard-back-static")[0].inner_html();
    assert!(back.contains("<li>Buckets hold objects.</li>"), "{back}");
    assert!(
        !back.contains("Which service"),
        "callouts stay off the back: {back}"
    );
    let source = site.links(
        "/storage/flashcards/",
        "details.flashcard-static .flashcard-source a",
        "href",
    );
    assert_eq!(source[0], "/storage/s3/#what-is-amazon-s3");
}

#[test]
fn the_exam_embeds_its_plan_and_fetches_the_whole_pool() {
    let site = built();
    let data = embedded(&site, "/exam/", "exam-data");
    assert_eq!(data["plan"]["questions"], 6);
    assert_eq!(data["plan"]["minutes"], 10);
    assert_eq!(data["plan"]["pass_score"], 700);
    // Unset in the fixture: a blank paper scores 0.
    assert_eq!(data["plan"]["min_score"], 0);
    let weights: Vec<(String, i64)> = data["plan"]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["section"].as_str().unwrap().into(),
                s["weight"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(weights, [("storage".into(), 60), ("security".into(), 40)]);
    let questions = exam_questions(&site);
    let explicit = questions.iter().find(|q| q["source"] == "callout").unwrap();
    assert_eq!(explicit["location"], "content/01-storage/01-s3.md:9");
    assert!(plain(explicit, "explanation_html").contains("</script>"));
    let raw = site.read("exam/index.html");
    let opened = raw.matches("<script").count();
    assert_eq!(
        raw.matches("</script>").count(),
        opened,
        "only real closing tags"
    );
    let nav = site.links("/exam/", "header nav.practice-nav a", "href");
    assert_eq!(nav, ["/quiz/", "/flashcards/", "/exam/", "/progress/"]);
}

#[test]
fn generated_stems_mask_the_subject_and_its_variants() {
    let site = built();
    for q in exam_questions(&site)
        .iter()
        .filter(|q| q["source"] == "generated")
    {
        let stem = plain(q, "stem_html");
        assert!(stem.contains("___"), "{stem}");
        for banned in [
            "Amazon S3",
            "Simple Storage Service",
            "EBS",
            "Elastic Block Store",
        ] {
            let answer = answer_text(q);
            if answer.contains(banned) || banned.contains(&answer) {
                assert!(!stem.contains(banned), "{stem} names {banned}");
            }
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let a = built();
    let b = built();
    assert_eq!(tree(&a.out), tree(&b.out));
}

#[test]
fn malformed_quizzes_warn_in_build_and_fail_check() {
    let cases = [
        (
            "> [!QUIZ] Which?\n> Only prose here.\n",
            "quiz has no option list under its question",
            3,
        ),
        ("> [!QUIZ] Which?\n> - a\n> - b\n", "quiz has no options", 4),
        (
            "> [!QUIZ] Which?\n> - [ ] a\n> - [ ] b\n",
            "quiz has no correct option",
            4,
        ),
        (
            "> [!QUIZ] Which?\n> - [x] a\n> - [ ] b\n> - [ ] a\n",
            "quiz has duplicate option `a`",
            6,
        ),
    ];
    for (quiz, message, line) in cases {
        let text = format!("# Note\n\n{quiz}");
        let site = SiteTest::files(&[("content/sec/note.md", &text)]);
        let build = site.cli(&["build"]);
        assert_eq!(build.status, 0, "{message}: {}", build.stderr);
        let located = format!("content/sec/note.md:{line}");
        assert!(
            build.stderr.contains(&format!("warning: {message}")),
            "{}",
            build.stderr
        );
        assert!(build.stderr.contains(&located), "{}", build.stderr);
        let check = site.cli(&["check"]);
        assert_eq!(check.status, 1, "{message}: {}", check.stderr);
        assert!(
            check.stderr.contains(&format!("error: {message}")),
            "{}",
            check.stderr
        );
        assert!(check.stderr.contains(&located), "{}", check.stderr);
        assert!(check.stderr.contains("help: "), "{}", check.stderr);
    }
}

/// The text of an HTML field of a question or option, as a reader sees it.
/// The pool leaves out an HTML field that is only its plain field escaped
/// (`stem` for `stem_html`, `text` for an option's `html`), which the reader shows.
pub(crate) fn plain(q: &Value, field: &str) -> String {
    let Some(html) = q[field].as_str() else {
        let text_field = if field == "html" {
            "text"
        } else {
            field.trim_end_matches("_html")
        };
        let text = q[text_field].as_str();
        return text
            .unwrap_or_else(|| panic!("no {field} or {text_field}"))
            .to_string();
    };
    scraper::Html::parse_fragment(html)
        .root_element()
        .text()
        .collect()
}

pub(crate) fn answer_text(q: &Value) -> String {
    let index = q["correct"][0].as_u64().unwrap() as usize;
    q["options"][index]["text"].as_str().unwrap().to_string()
}

/// Forms of an answer a stem must not contain, derived independently of the generator:
/// the name, the name without `Amazon`/`AWS`, the initials of its capitalised words, a
/// singular, and bracketed long/short forms beside any of them in the explanation.
pub(crate) fn banned_forms(answer: &str, explanation: &str) -> Vec<String> {
    let mut forms = vec![answer.to_string()];
    let bare = answer
        .strip_prefix("Amazon ")
        .or_else(|| answer.strip_prefix("AWS "))
        .unwrap_or(answer);
    forms.push(bare.to_string());
    let initials: String = bare
        .split_whitespace()
        .filter(|w| w.starts_with(char::is_uppercase) && w.chars().skip(1).any(char::is_lowercase))
        .filter_map(|w| w.chars().next())
        .collect();
    if initials.len() >= 2 {
        forms.push(initials);
    }
    if let Some(stem) = bare.strip_suffix('s') {
        forms.push(stem.to_string());
    }
    for form in forms.clone() {
        let pattern = format!(r"(?i)\b{}\s*\(([^()]+)\)", regex::escape(&form));
        if let Some(caps) = RegexBuilder::new(&pattern)
            .build()
            .unwrap()
            .captures(explanation)
        {
            forms.push(caps[1].to_string());
        }
    }
    forms.retain(|f| f.chars().count() >= 2);
    forms
}

#[test]
fn shipped_notes_meet_the_quality_bar() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = SiteTest::empty();
    site.write("site.toml", std::fs::read(repo.join("site.toml")).unwrap());
    crate::harness::copy_dir(&repo.join("content"), &site.root().join("content"));
    let built = site.build();
    let questions = exam_questions(&built);
    let generated: Vec<&Value> = questions
        .iter()
        .filter(|q| q["source"] == "generated")
        .collect();
    assert!(
        generated.len() >= 50,
        "only {} generated questions",
        generated.len()
    );
    assert!(questions.len() - generated.len() >= 100);
    for q in &generated {
        let stem = plain(q, "stem_html");
        let explanation = plain(q, "explanation_html");
        let (stem, explanation) = (stem.as_str(), explanation.as_str());
        for form in banned_forms(&answer_text(q), explanation) {
            // An acronym in lowercase is an ordinary word: `as` does not name `AS`.
            let acronym = form.chars().all(|c| c.is_ascii_uppercase());
            let word = RegexBuilder::new(&format!(r"\b{}\b", regex::escape(&form)))
                .case_insensitive(!acronym)
                .build()
                .unwrap();
            assert!(
                !word.is_match(stem),
                "stem names its answer `{form}`: {stem}"
            );
        }
        assert_eq!(q["options"].as_array().unwrap().len(), 4, "{stem}");
    }
    let mut anchors_checked = 0;
    for q in &questions {
        let options: Vec<String> = q["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["text"].as_str().unwrap().trim().to_lowercase())
            .collect();
        assert!(options.iter().all(|o| !o.is_empty()), "{q}");
        let distinct: BTreeSet<&String> = options.iter().collect();
        assert_eq!(distinct.len(), options.len(), "{q}");
        let url = q["url"].as_str().unwrap();
        let (page, anchor) = url.split_once('#').unwrap_or((url, ""));
        if !anchor.is_empty() {
            let ids = built.attrs(page, &format!("[id='{anchor}']"), "id");
            assert_eq!(ids.len(), 1, "{url} has no anchor");
            anchors_checked += 1;
        }
    }
    assert!(anchors_checked > 200);
}

#[test]
fn notes_and_sections_link_to_their_sections_practice_pages() {
    let site = SiteTest::files(&[
        (
            "content/01-storage/01-s3.md",
            "# S3\n\n> [!QUIZ] Which service stores objects?\n> - [x] Amazon S3\n> - [ ] Amazon EBS\n\n## What is Amazon S3?\n\nAmazon S3 is object storage for any amount of data.\n",
        ),
        (
            "content/02-plain/01-notes.md",
            "# Notes\n\nNothing to practise here.\n",
        ),
    ])
    .build();
    let links = ".practice-links a";
    let expected = ["/storage/quiz/", "/storage/flashcards/", "/storage/cram/"];
    assert_eq!(site.links("/storage/s3/", links, "href"), expected);
    assert_eq!(site.links("/storage/", links, "href"), expected);
    assert_eq!(
        site.links(
            "/storage/s3/",
            ".nav-sections > li.is-current .nav-practice a",
            "href"
        ),
        expected[..2]
    );
    // Every link points at a page the build made.
    for url in expected {
        assert_eq!(site.texts(url, "h1").len(), 1, "{url}");
    }
    // A section with neither questions nor flashcards, and the home page, have none.
    for url in ["/plain/notes/", "/plain/", "/"] {
        assert!(
            site.attrs(url, ".practice-links a", "href").is_empty(),
            "{url}"
        );
        assert!(
            site.attrs(url, ".nav-practice a", "href").is_empty(),
            "{url}"
        );
    }
}

#[test]
fn the_pool_leaves_out_html_that_is_only_its_plain_text_escaped() {
    let site = SiteTest::files(&[(
        "content/01-food/01-menu.md",
        "# Menu\n\n> [!QUIZ] Fish & chips: which costs < 5 \"units\"?\n> - [x] Tartare\n> - [ ] **Brown**\n\n\
         > [!QUIZ] Which has `code`?\n> - [x] A & B\n> - [ ] C\n",
    )])
    .build();
    let questions = exam_questions(&site);
    let plain_stem = &questions[0];
    assert_eq!(plain_stem["stem"], "Fish & chips: which costs < 5 “units”?");
    assert!(plain_stem.get("stem_html").is_none(), "{plain_stem}");
    let options = plain_stem["options"].as_array().unwrap();
    assert!(options[0].get("html").is_none(), "{plain_stem}");
    assert_eq!(options[1]["html"], "<strong>Brown</strong>");
    let marked_up = &questions[1];
    assert_eq!(marked_up["stem_html"], "Which has <code>code</code>?");
    assert!(marked_up["options"][0].get("html").is_none(), "{marked_up}");
}

#[test]
fn counts_read_in_the_singular_and_the_exam_never_promises_more_than_its_pool() {
    let site = SiteTest::files(&[
        (
            "content/dns/notes.md",
            "# DNS notes\n\n## What is DNS?\n\nDNS is used to resolve names to addresses.\n",
        ),
        (
            "content/net/notes.md",
            "# Notes\n\n## What is DHCP?\n\nDHCP is used to assign addresses.\n\n\
             ## What is NTP?\n\nNTP is used to synchronise clocks.\n\n\
             ## What is SNMP?\n\nSNMP is used to monitor devices.\n",
        ),
    ]);
    let built = site.build();
    let lead = built.texts("/dns/quiz/", ".lead")[0].clone();
    assert!(lead.starts_with("1 question from the notes"), "{lead}");
    let lead = built.texts("/dns/flashcards/", ".lead")[0].clone();
    assert!(lead.starts_with("1 card from"), "{lead}");
    let pool = built.texts("/exam/", ".exam-weights li");
    assert_eq!(pool[0], "Dns (1 question in the pool)");
    // The site's exam has 20 questions; the pool holds 4.
    let planned = embedded(&built, "/exam/", "exam-data")["plan"]["questions"].clone();
    assert_eq!(planned, 4);
    let more = built.texts("/quiz/", ".quiz-more li");
    assert!(
        more.iter()
            .any(|m| m.starts_with("Mock exam: 4 questions in")),
        "{more:?}"
    );
    built.run.expect_stdout("Built 2 pages in 3 sections");

    let site = SiteTest::files(&[("content/sec/note.md", "# Note\n\nJust text.\n")]);
    let built = site.build();
    let lead = built.texts("/exam/", ".lead");
    assert_eq!(lead.len(), 1);
    assert!(
        lead[0].starts_with("The notes hold no questions yet"),
        "{lead:?}"
    );
    assert!(select(&built.page("/exam/"), "#exam-data, .exam-fallback").is_empty());
    assert!(built
        .texts("/quiz/", ".quiz-more li")
        .iter()
        .all(|m| !m.contains("Mock exam")));
    built.run.expect_stdout("Built 1 page in 2 sections");
}

#[test]
fn a_generated_stem_ends_with_its_paragraph() {
    let note = "# Security\n\n## What is Azure Key Vault?\n\n\
        Azure Key Vault is a cloud service that stores:\n\n- Secrets\n- Keys\n\n\
        It removes secrets from your code.\n\n\
        ## What is Azure Firewall?\n\nAzure Firewall is a managed network security service.\n\n\
        ## What is Azure Sentinel?\n\nAzure Sentinel is a cloud-native SIEM service.\n\n\
        ## What is Azure Policy?\n\nAzure Policy is a governance service that enforces rules.\n";
    let built = SiteTest::files(&[("content/sec/note.md", note)]).build();
    let stems = built.texts("/sec/quiz/", "form.quiz-question legend");
    assert!(
        stems.contains(&"___ is a cloud service that stores:".to_string()),
        "{stems:?}"
    );
    assert!(
        stems.contains(&"___ is a managed network security service.".to_string()),
        "{stems:?}"
    );
}
