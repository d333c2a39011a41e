//! Question and flashcard banks: CSV and GIFT files become questions of their
//! section (bank page, section quiz, exam pool, search), Anki/Quizlet text
//! becomes flashcards of its section's deck; bad rows warn at file:line and
//! the rest is imported; `check` fails on them.

use crate::harness::{select, Built, SiteTest};
use crate::quiz::{exam_questions, plain};

const NOTE: (&str, &str) = ("content/01-cloud/01-note.md", "# Note\n\nSome text.\n");

/// The pool's questions that came from `file`, as (location, stem, correct texts).
fn pooled(site: &Built, file: &str) -> Vec<(String, String, Vec<String>)> {
    exam_questions(site)
        .into_iter()
        .filter(|q| q["location"].as_str().unwrap().starts_with(file))
        .map(|q| {
            let options = q["options"].as_array().unwrap();
            let correct = q["correct"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| collapsed(&plain(&options[i.as_u64().unwrap() as usize], "html")))
                .collect();
            (
                q["location"].as_str().unwrap().to_string(),
                collapsed(&plain(&q, "stem_html")),
                correct,
            )
        })
        .collect()
}

fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The texts of `css` on `url`, white space collapsed.
fn words(site: &Built, url: &str, css: &str) -> Vec<String> {
    site.texts(url, css)
        .iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

const CSV: &str = "\
# AWS basics
question,options,answer,explanation,section
Which service stores *objects*?,Amazon EBS|Amazon S3|Amazon EFS,B,S3 is object storage.,Cloud
\"Which are compute services?
(Choose two.)\",AWS Lambda|Amazon S3|Amazon EC2|AWS IAM,\"A, C\",,
";

#[test]
fn a_csv_bank_becomes_a_page_whose_questions_join_the_quiz_exam_and_search() {
    let file = "content/01-cloud/aws.questions.csv";
    let site = SiteTest::files(&[NOTE, (file, CSV)]).build();
    assert!(!site.run.stderr.contains("warning"), "{}", site.run.stderr);
    // The bank's own page: titled by its `# ` line, questions as QUIZ callouts render them.
    assert_eq!(site.texts("/cloud/aws/", "main h1"), ["AWS basics"]);
    let stems = words(
        &site,
        "/cloud/aws/",
        "main .callout-quiz form.quiz-question legend",
    );
    assert_eq!(
        stems,
        [
            "Which service stores objects?",
            "Which are compute services? (Choose two.)"
        ]
    );
    let correct = site.texts(
        "/cloud/aws/",
        "main form.quiz-question input[data-correct] + span",
    );
    assert_eq!(correct, ["Amazon S3", "AWS Lambda", "Amazon EC2"]);
    let answers = site.texts("/cloud/aws/", "main form details.quiz-answer p");
    assert_eq!(answers, ["S3 is object storage."]);
    // The section's quiz page, linking back to the bank's page.
    let quiz = site.texts("/cloud/quiz/", "main form.quiz-question legend");
    assert!(
        quiz.contains(&"Which service stores objects?".to_string()),
        "{quiz:?}"
    );
    let links = site.links("/cloud/quiz/", "main .quiz-source a", "href");
    assert_eq!(links, ["/cloud/aws/", "/cloud/aws/"]);
    // The exam pool, with the row's first line as location.
    assert_eq!(
        pooled(&site, file),
        [
            (
                format!("{file}:3"),
                "Which service stores objects?".into(),
                owned(&["Amazon S3"])
            ),
            (
                format!("{file}:4"),
                "Which are compute services? (Choose two.)".into(),
                owned(&["AWS Lambda", "Amazon EC2"])
            ),
        ]
    );
    // The file stays downloadable where a note's link to it points.
    assert_eq!(site.read("cloud/aws.questions.csv"), CSV);
    // Search finds the question.
    let shards = crate::harness::search_json(&site.out);
    assert!(shards.contains("\"quiz\""), "quiz documents are listed");
    assert!(
        shards.contains("Which service stores objects?"),
        "a quiz document"
    );
}

#[test]
fn a_csv_bank_without_a_header_reads_columns_in_order() {
    let file = "content/01-cloud/02-more.questions.csv";
    let csv = "Pick the region-free service,IAM|EC2 \\| VPC|RDS,a,IAM is global.\n\nTrue or false,Yes|No,B\n";
    let site = SiteTest::files(&[NOTE, (file, csv)]).build();
    assert!(!site.run.stderr.contains("warning"), "{}", site.run.stderr);
    assert_eq!(site.texts("/cloud/more/", "main h1"), ["More"]);
    let options = site.texts("/cloud/more/", "main form .quiz-options label > span");
    assert_eq!(options, ["IAM", "EC2 | VPC", "RDS", "Yes", "No"]);
    assert_eq!(
        pooled(&site, file),
        [
            (
                format!("{file}:1"),
                "Pick the region-free service".into(),
                owned(&["IAM"])
            ),
            (format!("{file}:3"), "True or false".into(), owned(&["No"])),
        ]
    );
}

const GIFT: &str = "\
// Moodle export
$CATEGORY: $course$/Cloud

::Q1:: Which service is a CDN? {
  =Amazon CloudFront#CloudFront caches at edge locations.
  ~Amazon Route 53
  ~AWS Direct Connect
}

// Two right answers, by weight
::Q2:: Which are databases? {~%50%Amazon RDS ~%50%Amazon DynamoDB ~%-100%Amazon S3}

S3 is a block store.{F####S3 stores objects.}

Ratio 1\\:1 uses \\{braces\\} and \\= signs {=\\# ~wrong}
";

#[test]
fn a_gift_bank_imports_multiple_choice_and_true_false() {
    let file = "content/01-cloud/moodle.gift";
    let site = SiteTest::files(&[NOTE, (file, GIFT)]).build();
    assert!(!site.run.stderr.contains("warning"), "{}", site.run.stderr);
    assert_eq!(
        pooled(&site, file),
        [
            (
                format!("{file}:4"),
                "Which service is a CDN?".into(),
                owned(&["Amazon CloudFront"])
            ),
            (
                format!("{file}:11"),
                "Which are databases?".into(),
                owned(&["Amazon RDS", "Amazon DynamoDB"])
            ),
            (
                format!("{file}:13"),
                "S3 is a block store.".into(),
                owned(&["False"])
            ),
            (
                format!("{file}:15"),
                "Ratio 1:1 uses {braces} and = signs".into(),
                owned(&["#"])
            ),
        ]
    );
    let explanations = site.texts("/cloud/moodle/", "main form details.quiz-answer p");
    assert_eq!(
        explanations,
        ["CloudFront caches at edge locations.", "S3 stores objects."]
    );
    let multi = site.attrs(
        "/cloud/moodle/",
        "main form.quiz-question[data-multi]",
        "id",
    );
    assert_eq!(multi.len(), 1);
}

const ANKI: &str = "#separator:tab\n#html:true\n#deck:AWS\n#tags column:3\n\
What is <b>S3</b>?\tObject storage &amp; more\taws storage\n\
\"A front\nover two lines\"\t\"A back with \"\"quotes\"\"\"\taws\n";

#[test]
fn anki_and_quizlet_exports_become_flashcards_of_the_section_deck() {
    let anki = "content/01-cloud/anki.cards.txt";
    let quizlet = "content/01-cloud/quizlet.cards.txt";
    let files = SiteTest::files(&[
        NOTE,
        (anki, ANKI),
        (
            quizlet,
            "EC2\tVirtual <servers>\nIAM\tIdentity and access\n",
        ),
    ]);
    let site = files.build();
    assert!(!site.run.stderr.contains("warning"), "{}", site.run.stderr);
    let deck = site.page("/cloud/flashcards/");
    let fronts: Vec<String> = select(&deck, "main details.flashcard-static summary")
        .iter()
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(
        fronts,
        ["What is S3?", "A front over two lines", "EC2", "IAM"]
    );
    let backs: Vec<String> = select(
        &deck,
        "main details.flashcard-static .flashcard-back-static",
    )
    .iter()
    .map(|e| e.inner_html().trim().to_string())
    .collect();
    assert_eq!(
        backs[0], "Object storage &amp; more",
        "html:true kept, tags left out"
    );
    assert_eq!(backs[1], "A back with \"quotes\"");
    assert_eq!(backs[2], "Virtual &lt;servers&gt;", "plain text is escaped");
    let sources = site.links(
        "/cloud/flashcards/",
        "main details.flashcard-static .flashcard-source a",
        "href",
    );
    assert_eq!(
        sources,
        [
            "/cloud/anki/#card-5",
            "/cloud/anki/#card-6",
            "/cloud/quizlet/#card-1",
            "/cloud/quizlet/#card-2"
        ]
    );
    // Each card's link lands on its heading on the bank's page.
    let ids = site.attrs("/cloud/anki/", "main h2.flashcard-front", "id");
    assert_eq!(ids, ["card-5", "card-6"]);
    let bold = site.texts("/cloud/anki/", "main h2#card-5 b");
    assert_eq!(bold, ["S3"]);
    let check = files.cli(&["check"]);
    assert_eq!(check.status, 0, "card links resolve: {}", check.stderr);
}

/// Each bad-input case: the bank's file name, its text (a good row, then the
/// bad one), the warning and the line it names.
fn bad_cases() -> [(&'static str, String, &'static str, u32); 12] {
    let good_csv = "Good question,a|b,A\n";
    let good_gift = "Good question {=a ~b}\n\n";
    let good_cards = "front\tback\n";
    [
        (
            "b.questions.csv",
            format!("{good_csv}Too few,a|b\n"),
            "row has 2 columns; expected 3 to 5",
            2,
        ),
        (
            "b.questions.csv",
            format!("{good_csv}No answer,a|b,\n"),
            "row has no answer",
            2,
        ),
        (
            "b.questions.csv",
            format!("{good_csv}Late,a|b,C\n"),
            "answer C has no option (the row has 2)",
            2,
        ),
        (
            "b.questions.csv",
            format!("{good_csv}Digit,a|b,1\n"),
            "answer `1` is not an option letter",
            2,
        ),
        (
            "b.questions.csv",
            format!("{good_csv}One,a,A\n"),
            "question has 1 option(s); it needs two or more",
            2,
        ),
        (
            "b.questions.csv",
            format!("{good_csv}Elsewhere,a|b,A,,Security\n"),
            "section `Security` is not this folder's; the question stays here",
            2,
        ),
        (
            "b.gift",
            format!("{good_gift}Nothing right {{~a ~b}}\n"),
            "question has no correct answer",
            3,
        ),
        (
            "b.gift",
            format!("{good_gift}Open {{=a ~b\n"),
            "GIFT question's `{` is not closed",
            3,
        ),
        (
            "b.gift",
            format!("{good_gift}// c\nWhat is 2+2? {{=4 =four}}\n"),
            "GIFT short-answer question is not supported; skipped",
            4,
        ),
        (
            "b.gift",
            format!("{good_gift}Match {{=a -> 1 =b -> 2}}\n"),
            "GIFT matching question is not supported; skipped",
            3,
        ),
        (
            "b.cards.txt",
            format!("{good_cards}no separator here\n"),
            "card needs a front and a back",
            2,
        ),
        (
            "b.cards.txt",
            format!("#separator:two\n{good_cards}"),
            "separator `two` is not one character; tab is used",
            1,
        ),
    ]
}

#[test]
fn bad_rows_warn_at_their_line_and_the_rest_is_imported() {
    for (name, text, message, line) in bad_cases() {
        let path = format!("content/01-cloud/{name}");
        let site = SiteTest::files(&[NOTE, (&path, &text)]);
        let built = site.build();
        built
            .run
            .expect_stderr(&format!("warning: {message}\n  --> {path}:{line}:"));
        built.run.expect_stderr("help: ");
        // The good row is imported all the same.
        let imported = match name.ends_with(".txt") {
            true => built.texts(
                "/cloud/flashcards/",
                "main details.flashcard-static summary",
            ),
            false => pooled(&built, &path).into_iter().map(|q| q.1).collect(),
        };
        let expected = match name.ends_with(".txt") {
            true => "front",
            false => "Good question",
        };
        assert!(
            imported.contains(&expected.to_string()),
            "{message}: {imported:?}"
        );
        let check = site.cli(&["check"]);
        assert_eq!(check.status, 1, "{message}: {}", check.stderr);
        check.expect_stderr(&format!("error: {message}\n  --> {path}:{line}:"));
    }
}

#[test]
fn a_bank_that_is_not_utf8_is_an_error_naming_the_file() {
    let site = SiteTest::files(&[NOTE]);
    site.write("content/01-cloud/latin1.gift", b"Caf\xe9? {=yes ~no}\n");
    let build = site.cli(&["build"]);
    assert_eq!(build.status, 1, "{}", build.stderr);
    build.expect_stderr(
        "error: not valid UTF-8 (invalid byte at offset 3)\n  --> content/01-cloud/latin1.gift:1",
    );
}

#[test]
fn other_csv_and_txt_files_stay_assets() {
    let note = "# Note\n\n[Data](data.csv) and [list](words.txt).\n";
    let site = SiteTest::files(&[
        ("content/01-cloud/01-note.md", note),
        (
            "content/01-cloud/data.csv",
            "question,options,answer\nQ,a|b,A\n",
        ),
        ("content/01-cloud/words.txt", "front\tback\n"),
    ])
    .build();
    assert!(site.exists("cloud/data.csv") && site.exists("cloud/words.txt"));
    assert!(!site.exists("cloud/data/index.html") && !site.exists("cloud/words/index.html"));
    assert!(
        !site.exists("cloud/quiz/index.html"),
        "no questions, no quiz page"
    );
    let links = site.links("/cloud/note/", "main .content a", "href");
    assert_eq!(links, ["/cloud/data.csv", "/cloud/words.txt"]);
}

#[test]
fn a_csv_header_in_another_exporters_words_is_read() {
    let file = "content/01-cloud/export.questions.csv";
    let csv = "Quiz title,HTML of the question,Answer,\"Options, separated by |\",HTML of the explanation to the answer\n\
Math,<p style='color: blue'>What is 7 × 8?</p>,B,48|56|64,<p>Seven eights.</p>\n\
Math,Which are even?,A|C,2|3|4,\n";
    let site = SiteTest::files(&[NOTE, (file, csv)]).build();
    site.run.expect_stderr(&format!(
        "warning: column `quiz title` is not one studysite reads; its cells are ignored\n  --> {file}:1:"
    ));
    assert_eq!(
        pooled(&site, file),
        [
            (format!("{file}:2"), "What is 7 × 8?".into(), owned(&["56"])),
            (
                format!("{file}:3"),
                "Which are even?".into(),
                owned(&["2", "4"])
            ),
        ]
    );
    let explanations = site.texts("/cloud/export/", "main form details.quiz-answer p");
    assert_eq!(explanations, ["Seven eights."]);
}

#[test]
fn gift_html_fields_are_unwrapped_and_a_stem_may_repeat_with_other_options() {
    let file = "content/01-cloud/html.gift";
    let gift = "::T1::[html]<p>Which is <b>bold</b>?</p>{=<p>yes</p> ~no}\n\n\
Pick one {=a ~b}\n\nPick one {=c ~d}\n\nPick one {~a =b}\n";
    let site = SiteTest::files(&[NOTE, (file, gift)]).build();
    site.run.expect_stderr(&format!(
        "warning: question repeats the one at line 3, options and all\n  --> {file}:7:"
    ));
    assert_eq!(
        pooled(&site, file),
        [
            (
                format!("{file}:1"),
                "Which is bold?".into(),
                owned(&["yes"])
            ),
            (format!("{file}:3"), "Pick one".into(), owned(&["a"])),
            (format!("{file}:5"), "Pick one".into(), owned(&["c"])),
        ]
    );
    let bold = site.texts("/cloud/html/", "main form legend b");
    assert_eq!(bold, ["bold"]);
    let ids = site.attrs("/cloud/html/", "main form.quiz-question", "id");
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), 3, "each variant has its own id: {ids:?}");
}
