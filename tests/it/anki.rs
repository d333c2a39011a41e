//! Each deck's Anki file, imported by Anki's own library (the `anki` package
//! from PyPI, in the virtual environment `scripts/install-test-tools` makes under
//! target/tools/), holds every card of the deck page and every QUIZ callout of
//! the section, with the right front, back, deck and tag. Without that
//! environment the test says so and passes, unless `CI` is set.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::harness::{select, Built, SiteTest};

const CONFIG: &str = "title = \"Anki Test\"\nbase_url = \"https://user.github.io/repo/\"\n\
[quiz]\nauto_generate = false\n";

const STORAGE: &str = "# Amazon S3\n\n## What is Amazon S3?\n\n\
Amazon S3 is **object storage** behind a web API. It scales.\n\n\
## What is a bucket policy?\n\nA bucket policy is a JSON document, as in:\n\n\
```\n{\n\t\"Effect\": \"Allow\"\n}\n```\n\n\
> [!QUIZ] Which service stores *objects*?\n> - [x] Amazon S3\n> - [ ] Amazon EBS\n>\n\
> S3 stores objects; EBS is a \"disk\".\n";

const SECURITY: &str = "# IAM\n\n## What are IAM roles?\n\n\
IAM roles hand out temporary credentials.\n\n\
> [!QUIZ] Which are IAM identities? (Choose two.)\n> - [x] Users\n> - [x] Roles\n\
> - [ ] Buckets\n>\n> Users and roles are identities.\n";

/// The Python of the venv with `anki`, or why there is none.
fn anki_python() -> Option<PathBuf> {
    let python = std::env::var_os("ANKI_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/tools/anki-venv/bin/python")
        });
    let imports = Command::new(&python)
        .args(["-c", "import anki"])
        .output()
        .is_ok_and(|o| o.status.success());
    if imports {
        return Some(python);
    }
    let why = format!(
        "no Python with the anki package at {} (run scripts/install-test-tools)",
        python.display()
    );
    assert!(
        std::env::var_os("CI").is_none(),
        "Anki missing on CI: {why}"
    );
    eprintln!("skipping the Anki import test: {why}");
    None
}

/// Runs tests/anki_import.py with `args`; its JSON.
fn run_import(python: &PathBuf, args: &[&std::ffi::OsStr]) -> Value {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/anki_import.py");
    let output = Command::new(python)
        .arg(script)
        .args(args)
        .output()
        .expect("run Python");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the import failed:\n{stderr}");
    serde_json::from_slice(&output.stdout).expect("JSON from the script")
}

fn by_guid(notes: &Value) -> BTreeMap<String, Value> {
    let notes = notes.as_array().expect("a list of notes");
    let guid = |n: &Value| n["guid"].as_str().unwrap().to_string();
    notes.iter().map(|n| (guid(n), n.clone())).collect()
}

/// What Anki holds after importing each file into a new collection: notes by
/// GUID, by file.
fn import(python: &PathBuf, built: &Built, files: &[&str]) -> Vec<BTreeMap<String, Value>> {
    let paths: Vec<PathBuf> = files.iter().map(|f| built.out.join(f)).collect();
    let args: Vec<&std::ffi::OsStr> = paths.iter().map(|p| p.as_os_str()).collect();
    let imported = run_import(python, &args);
    let notes = |path: &PathBuf| by_guid(&imported[path.to_str().unwrap()]);
    paths.iter().map(notes).collect()
}

/// The cards of a deck page, as (id, front, back HTML).
fn deck_cards(built: &Built, url: &str) -> Vec<(String, String, String)> {
    let page = built.page(url);
    select(&page, "details.flashcard-static")
        .into_iter()
        .map(|card| {
            let front = select_in(&card, "summary").text().collect::<String>();
            let back = select_in(&card, ".flashcard-back-static").inner_html();
            (card.attr("id").unwrap().to_string(), front, back)
        })
        .collect()
}

/// The questions of a quiz page, as (id, stem HTML, option HTML, correct option HTML).
fn quiz_questions(built: &Built, url: &str) -> Vec<(String, String, Vec<String>, Vec<String>)> {
    let page = built.page(url);
    select(&page, "form.quiz-question")
        .into_iter()
        .map(|form| {
            let html = |css: &str| -> Vec<String> {
                let selector = scraper::Selector::parse(css).unwrap();
                form.select(&selector).map(|e| e.inner_html()).collect()
            };
            let id = form.attr("id").unwrap().to_string();
            let stem = html("legend.quiz-stem").remove(0);
            (
                id,
                stem,
                html(".quiz-options label > span"),
                html(".quiz-correct li"),
            )
        })
        .collect()
}

fn select_in<'a>(element: &scraper::ElementRef<'a>, css: &str) -> scraper::ElementRef<'a> {
    let selector = scraper::Selector::parse(css).unwrap();
    element
        .select(&selector)
        .next()
        .unwrap_or_else(|| panic!("no {css}"))
}

fn fields(note: &Value) -> (&str, &str) {
    let fields = note["fields"].as_array().unwrap();
    (fields[0].as_str().unwrap(), fields[1].as_str().unwrap())
}

#[test]
fn every_deck_imports_into_anki_with_every_card() {
    let Some(python) = anki_python() else { return };
    let site = SiteTest::files(&[
        ("site.toml", CONFIG),
        (
            "content/01-storage/_index.md",
            "+++\ntitle = \"Storage\"\n+++\n",
        ),
        ("content/01-storage/s3.md", STORAGE),
        (
            "content/02-security/_index.md",
            "+++\ntitle = \"Security\"\n+++\n",
        ),
        ("content/02-security/iam.md", SECURITY),
    ]);
    let built = site.build();
    let files = [
        "flashcards/storage.anki.txt",
        "flashcards/security.anki.txt",
    ];
    let imported = import(&python, &built, &files);
    for ((section, title), notes) in [("storage", "Storage"), ("security", "Security")]
        .into_iter()
        .zip(&imported)
    {
        let cards = deck_cards(&built, &format!("/{section}/flashcards/"));
        let questions = quiz_questions(&built, &format!("/{section}/quiz/"));
        assert!(!cards.is_empty() && !questions.is_empty(), "{section}");
        assert_eq!(
            notes.len(),
            cards.len() + questions.len(),
            "{section}: {notes:#?}"
        );
        for note in notes.values() {
            assert_eq!(
                note["decks"],
                serde_json::json!([format!("Anki Test::{title}")])
            );
            assert_eq!(note["tags"], serde_json::json!([section]));
        }
        for (id, front, back) in &cards {
            let (anki_front, anki_back) = fields(&notes[id]);
            assert_eq!(anki_front, front);
            assert!(
                anki_back.starts_with(back.trim()),
                "{anki_back:?} from {back:?}"
            );
        }
        for (id, stem, options, correct) in &questions {
            let (anki_front, anki_back) = fields(&notes[id]);
            assert!(anki_front.starts_with(stem.as_str()), "{anki_front:?}");
            let listed = |list: &[String]| {
                list.iter()
                    .map(|o| format!("<li>{o}</li>"))
                    .collect::<String>()
            };
            assert!(anki_front.contains(&listed(options)), "{anki_front:?}");
            assert!(
                anki_back.starts_with(&format!("<ul>{}</ul>", listed(correct))),
                "{anki_back:?}"
            );
        }
    }
    // HTML, a tab, newlines and quotes arrive as written; each back links to its note.
    let storage = &imported[0];
    let policy = storage
        .values()
        .find(|n| fields(n).0 == "What is a bucket policy?")
        .unwrap();
    let (_, back) = fields(policy);
    assert!(
        back.contains("<pre><code>{\n\t\"Effect\": \"Allow\"\n}\n</code></pre>"),
        "{back:?}"
    );
    assert!(back.ends_with("<p>From <a href=\"https://user.github.io/repo/storage/s3/#what-is-a-bucket-policy\">Amazon S3</a></p>"), "{back:?}");
    let s3 = storage
        .values()
        .find(|n| fields(n).0 == "What is Amazon S3?")
        .unwrap();
    assert!(fields(s3)
        .1
        .starts_with("<p>Amazon S3 is <strong>object storage</strong>"));
}

#[test]
fn without_an_absolute_base_url_cards_name_their_note_as_text() {
    let Some(python) = anki_python() else { return };
    let site = SiteTest::files(&[
        ("site.toml", "title = \"Anki Test\"\nbase_url = \"/\"\n"),
        ("content/01-storage/s3.md", STORAGE),
    ]);
    let built = site.build();
    let imported = import(&python, &built, &["flashcards/storage.anki.txt"]);
    let s3 = imported[0]
        .values()
        .find(|n| fields(n).0 == "What is Amazon S3?")
        .unwrap();
    assert!(
        fields(s3)
            .1
            .ends_with("<p>From Amazon S3 (storage/s3/#what-is-amazon-s3)</p>"),
        "{s3:?}"
    );
}

#[test]
fn importing_a_newer_deck_updates_its_cards_instead_of_adding_them_again() {
    let Some(python) = anki_python() else { return };
    let site = SiteTest::files(&[("site.toml", CONFIG), ("content/01-storage/s3.md", STORAGE)]);
    let file = "flashcards/storage.anki.txt";
    let older = site.root().join("older.anki.txt");
    std::fs::write(&older, site.build().read(file)).unwrap();
    let s3 = site.read_file("content/01-storage/s3.md");
    site.write(
        "content/01-storage/s3.md",
        s3.replace("behind a web API", "behind an HTTPS API"),
    );
    let newer = site.build().out.join(file);
    let both = run_import(
        &python,
        &[
            "--one-collection".as_ref(),
            older.as_os_str(),
            newer.as_os_str(),
        ],
    );
    let notes = by_guid(&both["collection"]);
    let alone = import(&python, &site.build(), &[file]).remove(0);
    assert_eq!(
        notes.keys().collect::<Vec<_>>(),
        alone.keys().collect::<Vec<_>>()
    );
    let s3 = notes
        .values()
        .find(|n| fields(n).0 == "What is Amazon S3?")
        .unwrap();
    assert!(fields(s3).1.contains("behind an HTTPS API"), "{s3:?}");
}

#[test]
fn a_section_with_only_quiz_callouts_has_a_file_linked_from_its_quiz() {
    let Some(python) = anki_python() else { return };
    let callouts_only = "# Regions\n\nRegions hold zones.\n\n\
> [!QUIZ] How many zones does a Region have at least?\n> - [x] Three\n> - [ ] One\n";
    let site = SiteTest::files(&[
        ("site.toml", CONFIG),
        ("content/01-global/regions.md", callouts_only),
    ]);
    let built = site.build();
    assert!(
        !built.exists("global/flashcards/index.html"),
        "no cards, no deck"
    );
    assert_eq!(
        built.links("/global/quiz/", "a[download]", "href"),
        ["/repo/flashcards/global.anki.txt"]
    );
    let imported = import(&python, &built, &["flashcards/global.anki.txt"]);
    let notes: Vec<&Value> = imported[0].values().collect();
    assert_eq!(notes.len(), 1);
    assert!(fields(notes[0])
        .0
        .starts_with("How many zones does a Region have at least?"));
}

#[test]
fn a_deck_of_more_notes_than_a_file_holds_is_split_into_files_of_one_deck() {
    // One card a note: 2,050 cards take two files, of 2,000 and 50.
    let built = crate::large_sections::large_site(2_050).build();
    let files = ["flashcards/big.anki.txt", "flashcards/big.2.anki.txt"];
    assert!(!built.exists("flashcards/big.3.anki.txt"));
    let notes_in = |file: &str| {
        let text = built.read(file);
        assert!(text.starts_with("#separator:tab\n"), "{file}");
        // A note starts a line with its quoted GUID and a tab (a back spans lines).
        let starts_a_note = |l: &&str| l.starts_with('"') && l.contains("\"\t\"");
        text.lines().filter(starts_a_note).count()
    };
    assert_eq!(files.map(notes_in), [2_000, 50]);
    // Both pages that offer the deck link every file, in order.
    for url in ["/big/flashcards/", "/big/quiz/"] {
        let links: Vec<String> = select(&built.page(url), "a[download]")
            .iter()
            .map(|a| a.attr("href").unwrap().to_string())
            .collect();
        let expected: Vec<String> = files.iter().map(|f| format!("../../{f}")).collect();
        assert_eq!(links, expected, "{url}");
    }
    // The small section's deck stays one file, offered as before.
    assert!(built.exists("flashcards/small.anki.txt"));
    assert!(!built.exists("flashcards/small.2.anki.txt"));
    let Some(python) = anki_python() else { return };
    let paths: Vec<PathBuf> = files.iter().map(|f| built.out.join(f)).collect();
    let mut args: Vec<&std::ffi::OsStr> = vec!["--one-collection".as_ref()];
    args.extend(paths.iter().map(|p| p.as_os_str()));
    let notes = by_guid(&run_import(&python, &args)["collection"]);
    assert_eq!(notes.len(), 2_050);
    let decks: std::collections::BTreeSet<String> =
        notes.values().map(|n| n["decks"].to_string()).collect();
    assert_eq!(decks.len(), 1, "{decks:?}");
}
