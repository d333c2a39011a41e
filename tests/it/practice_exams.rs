//! Practice exams written as numbered questions with lettered options and an
//! answer line, on the `practice-exam` fixture: each common variant becomes a
//! quiz question in the page, the section quiz and the exam pool; a page made of
//! them links to a timed exam; bad blocks warn in `build` and fail `check`.

use serde_json::Value;

use crate::harness::{select, Built, SiteTest};
use crate::quiz::{exam_questions, plain, pool_index};

fn built() -> Built {
    SiteTest::fixture("practice-exam").build()
}

/// The pool's questions from `file`, in order, as (stem, correct option texts, location).
fn pooled(site: &Built, file: &str) -> Vec<(String, Vec<String>, String)> {
    exam_questions(site)
        .into_iter()
        .filter(|q| q["location"].as_str().unwrap().starts_with(file))
        .map(|q| {
            let options = q["options"].as_array().unwrap();
            let correct = q["correct"].as_array().unwrap();
            let texts = correct
                .iter()
                .map(|i| {
                    options[i.as_u64().unwrap() as usize]["text"]
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect();
            (
                plain(&q, "stem_html"),
                texts,
                q["location"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_common_variant_becomes_a_question_with_its_answer_and_line() {
    let site = built();
    let file = "content/02-exams/exam-1.md";
    let questions = pooled(&site, file);
    let expect = [
        (
            "Which AWS service records who terminated an EC2 instance?",
            vec!["AWS CloudTrail."],
            3,
        ),
        (
            "Which of these relate to reliability? (Choose TWO)",
            vec![
                "Provisioning resources to meet demand.",
                "Recovering quickly from failures.",
            ],
            13,
        ),
        (
            "Which storage class suits archives read once a year?",
            vec!["S3 Glacier Deep Archive"],
            24,
        ),
        (
            "Which pricing model fits steady workloads for three years?",
            vec!["Reserved Instances"],
            33,
        ),
        (
            "Which services can host a SQL Server database? (Select 2)",
            vec!["Amazon EC2", "Amazon RDS"],
            40,
        ),
    ];
    assert_eq!(questions.len(), expect.len(), "{questions:#?}");
    for ((stem, correct, location), (want_stem, want_correct, line)) in questions.iter().zip(expect)
    {
        assert_eq!(stem, want_stem);
        assert_eq!(correct, &want_correct, "{stem}");
        assert_eq!(location, &format!("{file}:{line}"));
    }
    let explanations: Vec<String> = exam_questions(&site)
        .iter()
        .filter(|q| q["location"].as_str().unwrap().starts_with(file))
        .map(|q| plain(q, "explanation_html").trim().to_string())
        .collect();
    assert_eq!(
        explanations[2],
        "Deep Archive is the cheapest class, with retrieval in hours."
    );
    assert_eq!(explanations[3], "A commitment buys the largest discount.");
    assert_eq!(explanations[4], "Explanation: https://aws.amazon.com/sql/");
    assert_eq!(
        explanations[0], "",
        "the <details> markup is not an explanation"
    );
}

#[test]
fn questions_are_interactive_in_the_page_and_join_the_section_quiz() {
    let site = built();
    let page = site.page("/exams/exam-1/");
    let forms = select(&page, ".content ol > li form.quiz-question");
    assert_eq!(forms.len(), 5, "each item holds its question");
    // Answers are in the page for readers without JavaScript, behind a <details>.
    let answers = site.texts(
        "/exams/exam-1/",
        "form.quiz-question details.quiz-answer ul.quiz-correct li",
    );
    assert_eq!(answers[0], "AWS CloudTrail.");
    let correct = site.attrs(
        "/exams/exam-1/",
        "form.quiz-question input[data-correct]",
        "value",
    );
    assert_eq!(correct, ["1", "1", "4", "2", "0", "0", "1"]);
    let multi = site.attrs("/exams/exam-1/", "form.quiz-question[data-multi]", "id");
    assert_eq!(multi.len(), 2, "(Choose TWO) and (Select 2)");
    // The options and answers are not the note's own words.
    let search = crate::harness::search_json(&site.out);
    assert!(search.contains("How durable are objects in S3?"));
    assert!(!search.contains("Compensation when issues occur"));
    let quiz = site.texts("/exams/quiz/", "form.quiz-question legend");
    assert_eq!(quiz.len(), 6, "exam-1's five and mixed's one: {quiz:?}");
    assert!(quiz.iter().any(|s| s == "How durable are objects in S3?"));
}

#[test]
fn a_page_of_practice_questions_links_to_a_timed_exam_of_them() {
    let site = built();
    let link = site.links("/exams/exam-1/", ".practice-exam-link a", "href");
    // `from` names the page from the site's root, as the exam's pool URLs do.
    assert_eq!(link, ["/exam/?from=exams/exam-1/"]);
    assert_eq!(
        site.texts("/exams/exam-1/", ".practice-exam-count"),
        ["5 questions"]
    );
    // One question amid prose is not a practice exam; quiz = false leaves it as written.
    assert!(site
        .attrs("/exams/mixed/", ".practice-exam-link a", "href")
        .is_empty());
    assert!(select(&site.page("/exams/off/"), "form.quiz-question").is_empty());
    assert_eq!(
        site.texts("/exams/off/", ".content ol > li > ul > li")[1],
        "B. Pacific"
    );
    let pooled: Vec<Value> = exam_questions(&site);
    assert!(pooled
        .iter()
        .all(|q| plain(q, "stem_html") != "Which is the largest ocean?"));
}

#[test]
fn practice_exams_can_be_turned_off_for_the_site() {
    let site = SiteTest::fixture("practice-exam");
    let config = site.read_file("site.toml");
    site.write(
        "site.toml",
        format!("{config}\n[quiz]\npractice_exams = false\n"),
    );
    let built = site.build();
    assert!(select(&built.page("/exams/exam-1/"), "form.quiz-question").is_empty());
    assert!(built
        .attrs("/exams/exam-1/", ".practice-exam-link a", "href")
        .is_empty());
}

#[test]
fn blocks_that_look_like_questions_but_are_not_warn_in_build_and_fail_check() {
    let cases = [
        (
            "1. Which?\n    - A. one\n    - B. two\n",
            "practice question has lettered options but no answer",
            3,
        ),
        (
            "1. Which?\n    - A. one\n    - B. two\n\n    Answer: C\n",
            "answer `C` names no option of the question",
            7,
        ),
        (
            "1. Which?\n    - A. one\n    - A. two\n\n    Answer: A\n",
            "practice question has two options `A`",
            5,
        ),
        (
            // `100. ` puts the text 5 columns in: 4 spaces do not nest.
            "100. Which?\n    - A. one\n    - B. two\n\n    Answer: A\n",
            "practice question's options are indented less than its text",
            4,
        ),
    ];
    // Each bad block comes before a good question, which is still read.
    let good = "2. Which is right?\n    - A. this\n    - B. that\n\n    Answer: A\n";
    for (block, message, line) in cases {
        let text = format!("# Note\n\n{block}\n{good}");
        let site = SiteTest::files(&[("content/sec/note.md", &text)]);
        let build = site.cli(&["build"]);
        assert_eq!(build.status, 0, "{message}: {}", build.stderr);
        build.expect_stderr(&format!("warning: {message}"));
        build.expect_stderr(&format!("content/sec/note.md:{line}"));
        let built = site.build();
        let stems = built.texts("/sec/note/", "form.quiz-question legend");
        assert_eq!(stems, ["Which is right?"], "{message}");
        let items = built.texts("/sec/note/", ".content ol > li");
        assert!(
            items[0].contains("Which?"),
            "the bad block is left as written"
        );
        let check = site.cli(&["check"]);
        assert_eq!(check.status, 1, "{message}: {}", check.stderr);
        check.expect_stderr(&format!("error: {message}"));
        check.expect_stderr("help: ");
    }
    let site = SiteTest::files(&[(
        "content/sec/note.md",
        "# Note\n\n100. Which?\n    - A. one\n    - B. two\n",
    )]);
    site.build()
        .run
        .expect_stderr("help: indent the options and the answer by 5 spaces");
    // A count that disagrees with "(Choose TWO)" warns, and the question stays.
    let site = SiteTest::files(&[(
        "content/sec/note.md",
        "# Note\n\n1. Which two? (Choose TWO)\n    - A. one\n    - B. two\n    - C. three\n\n    Answer: A\n",
    )]);
    let built = site.build();
    built
        .run
        .expect_stderr("warning: the question asks to choose 2 but the answer gives 1");
    built.run.expect_stderr("content/sec/note.md:8");
    assert_eq!(
        select(&built.page("/sec/note/"), "form.quiz-question").len(),
        1
    );
    // An ordinary numbered list with plain sub-items is left alone, silently.
    let site = SiteTest::files(&[(
        "content/sec/note.md",
        "# Steps\n\n1. Open the console\n    - sign in\n    - pick a region\n2. Launch\n",
    )]);
    let built = site.build();
    assert!(
        !built.run.stderr.contains("warning"),
        "{}",
        built.run.stderr
    );
}

/// Options written without letters count A, B, C … in order, but only when an
/// answer line names letters; a stem may run over several lines.
#[test]
fn unlettered_options_count_by_position_when_an_answer_names_letters() {
    let site = SiteTest::files(&[(
        "content/sec/exam.md",
        "# Exam\n\n1. [domain:Storage]  \n   Which class archives cheapest?\n    - S3 Standard\n    - S3 Glacier Deep Archive\n    - S3 One Zone-IA\n\n    \
         <details markdown=1><summary markdown='span'>Answer</summary>\n      Correct answer: B</br>\n      Retrieval takes hours.\n    </details>\n\n\
         2. Steps to follow\n    - open the console\n    - pick a region\n",
    )]);
    let built = site.build();
    assert!(
        !built.run.stderr.contains("warning"),
        "{}",
        built.run.stderr
    );
    let page = built.page("/sec/exam/");
    assert_eq!(
        select(&page, "form.quiz-question").len(),
        1,
        "the plain list stays a list"
    );
    let correct = built.texts(
        "/sec/exam/",
        "form.quiz-question input[data-correct] + span",
    );
    assert_eq!(correct, ["S3 Glacier Deep Archive"]);
    let stem = built.texts("/sec/exam/", "form.quiz-question legend");
    assert_eq!(
        stem[0].split_whitespace().collect::<Vec<_>>().join(" "),
        "[domain:Storage] Which class archives cheapest?"
    );
    let explanation = built.texts("/sec/exam/", "form.quiz-question details.quiz-answer p");
    assert_eq!(explanation, ["Retrieval takes hours."]);
}

/// One question per heading, answered by the task list under it (the shape of
/// the large practice-question repositories): the heading and its id stay, the
/// list becomes the question; a heading over a to-do list stays a to-do list.
#[test]
fn a_question_heading_over_a_task_list_is_a_question() {
    let site = SiteTest::files(&[(
        "content/sec/questions.md",
        "# Questions\n\n## Contents\n\n- [Which service records API calls?](#which-service-records-api-calls)\n\n\
         ### Which service records API calls?\n\n- [ ] Amazon Inspector\n- [x] AWS CloudTrail\n- [ ] AWS Config\n\n\
         **[Back to top](#contents)**\n\n### What is the cheapest storage class for archives?\n\nPick one.\n\n\
         - [x] S3 Glacier Deep Archive\n- [ ] S3 Standard\n\n### Study plan\n\n- [x] read S3\n- [ ] read EC2\n",
    )]);
    let check = site.cli(&["check"]);
    assert_eq!(check.status, 0, "{}", check.stderr);
    let built = site.build();
    let url = "/sec/questions/";
    assert_eq!(
        built.attrs(url, "h3", "id"),
        [
            "which-service-records-api-calls",
            "what-is-the-cheapest-storage-class-for-archives",
            "study-plan"
        ]
    );
    assert_eq!(
        built.texts(url, "form.quiz-question input[data-correct] + span"),
        ["AWS CloudTrail", "S3 Glacier Deep Archive"]
    );
    assert_eq!(
        built.texts(url, ".content > ul input[type=checkbox]").len(),
        2,
        "the to-do list stays"
    );
    let stems: Vec<String> = exam_questions(&built)
        .iter()
        .map(|q| plain(q, "stem_html"))
        .collect();
    assert_eq!(
        stems,
        [
            "Which service records API calls?",
            "What is the cheapest storage class for archives?Pick one."
        ]
    );
    // The "What is" heading is a practice question, not also a flashcard.
    assert!(!built.exists("sec/flashcards/index.html"));
}

/// The pool files of a section as `exam.js` reads them, through the pool's index `data`: question `i` of a group
/// is question `i % chunk` of file `first_file + i / chunk`.
fn mapped_questions(site: &Built, group: &Value, data: &Value) -> Vec<Value> {
    let chunk = data["chunk"].as_u64().expect("questions per file") as usize;
    let count = group["questions"].as_u64().expect("a count") as usize;
    let first = group["first_file"].as_u64().expect("a first file") as usize;
    let mut files: Vec<Vec<Value>> = Vec::new();
    (0..count)
        .map(|i| {
            let file = first + i / chunk;
            while files.len() <= file - first {
                let url = data["pools"][first + files.len()].as_str().expect("a url");
                let pool: Value = serde_json::from_str(&site.read(url.split('?').next().unwrap()))
                    .expect("valid JSON");
                files.push(pool["questions"].as_array().expect("questions").clone());
            }
            files[file - first][i % chunk].clone()
        })
        .collect()
}

#[test]
fn the_pool_comes_in_files_the_exam_page_maps_so_an_attempt_fetches_only_its_own() {
    // One page of 120 practice questions and a note of 3, in one section: 123
    // questions, more than two files' worth.
    let mut exam = String::from("# Big exam\n\n");
    for i in 1..=120 {
        exam.push_str(&format!(
            "{i}. Which option is number {i}?\n     - A. Option {i}\n     - B. Other {i}\n\n     **Answer:** A\n\n"
        ));
    }
    let note = "# Notes\n\n> [!QUIZ] One?\n> - [x] Yes\n> - [ ] No\n\n\
                > [!QUIZ] Two?\n> - [x] Yes\n> - [ ] No\n\n> [!QUIZ] Three?\n> - [x] Yes\n> - [ ] No\n";
    let site = SiteTest::files(&[
        ("content/01-big/01-notes.md", note),
        ("content/01-big/02-exam.md", &exam),
    ])
    .build();
    let data = pool_index(&site);
    let groups = data["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 1, "{groups:?}");
    let group = &groups[0];
    assert_eq!(group["questions"], 123);
    let chunk = data["chunk"].as_u64().unwrap() as usize;
    assert_eq!(
        data["pools"].as_array().unwrap().len(),
        123_usize.div_ceil(chunk),
        "files of `chunk` questions"
    );
    // Read through the map, the files hold the whole pool in its order.
    let mapped = mapped_questions(&site, group, &data);
    let whole = exam_questions(&site);
    assert_eq!(mapped, whole);
    assert_eq!(plain(&mapped[0], "stem_html"), "One?");
    // `?from=` finds the practice exam's questions by their range alone.
    let range = &group["pages"]["big/exam/"];
    let (start, end) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
    assert_eq!((start, end), (3, 123));
    assert_eq!(plain(&mapped[3], "stem_html"), "Which option is number 1?");
    assert_eq!(
        plain(&mapped[122], "stem_html"),
        "Which option is number 120?"
    );
    assert!(mapped[3..]
        .iter()
        .all(|q| q["url"].as_str().unwrap().starts_with("big/exam/")));
    assert_eq!(
        group["pages"].as_object().unwrap().len(),
        1,
        "the notes page is no practice exam"
    );
}

#[test]
fn an_explanation_before_the_answer_line_is_kept() {
    let site = SiteTest::files(&[(
        "content/sec/q.md",
        "# Q\n\n1. How can the `client.id` setting be useful?\n    - A. It sets the partitioner\n    \
         - B. It tags client activity in logs\n\n    Explanation: brokers log the client.id.\n\n    \
         Answer: B\n\n    More after.\n",
    )]);
    let built = site.build();
    let explained = built.texts("/sec/q/", ".quiz-answer > p");
    assert_eq!(
        explained,
        ["Explanation: brokers log the client.id.", "More after."]
    );
}
