//! The quality bar of generated questions over the shipped notes. Each fault
//! learners reported is counted on its own, from the built site alone (the
//! question pool, the notes' pages and the flashcard decks), and every count
//! must be zero:
//!
//! - a blank hides an ordinary word (a stop word such as `as`, or a capitalised
//!   name's lowercase namesake such as `budgets`) rather than the subject;
//! - a blank is a fragment of a longer name (`an ___ ID`);
//! - `A ___` / `An ___` gives the answer's first letter away;
//! - the explanation repeats the stem with the blank filled in;
//! - an option is a different kind of thing from the answer (a named service
//!   beside a concept, or a number).

use std::collections::BTreeMap;
use std::path::Path;

use regex::Regex;
use serde_json::Value;

use crate::harness::{select, Built, SiteTest};
use crate::quiz::{answer_text, banned_forms, exam_questions, plain};

const STOP_WORDS: [&str; 16] = [
    "a", "an", "and", "as", "at", "be", "by", "for", "in", "is", "it", "of", "on", "or", "the",
    "to",
];

/// What a subject is, read from its question heading as the author wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Named,
    Concept,
    Number,
}

#[derive(Debug, Default)]
struct Faults {
    ordinary_word: Vec<String>,
    fragment: Vec<String>,
    article: Vec<String>,
    echo: Vec<String>,
    mixed_kinds: Vec<String>,
    unaligned: Vec<String>,
}

impl Faults {
    fn counts(&self) -> [(&'static str, usize); 6] {
        [
            ("ordinary word masked", self.ordinary_word.len()),
            ("fragment of a longer name", self.fragment.len()),
            ("A/An gives the answer away", self.article.len()),
            ("explanation repeats the stem", self.echo.len()),
            ("option of another kind", self.mixed_kinds.len()),
            ("stem not found in its note", self.unaligned.len()),
        ]
    }
}

fn shipped() -> Built {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = SiteTest::empty();
    site.write("site.toml", std::fs::read(repo.join("site.toml")).unwrap());
    crate::harness::copy_dir(&repo.join("content"), &site.root().join("content"));
    site.build()
}

/// The subject of a `What is/are …?` heading, with its article dropped.
fn subject(front: &str) -> Option<String> {
    let pattern = Regex::new(r"(?i)^what (?:is|are) (?:(?:a|an|the) )?(.+)\?$").unwrap();
    Some(pattern.captures(front.trim())?[1].to_string())
}

/// Nouns a definition of an idea starts with ("the ability to …", "a design approach").
const IDEA_NOUNS: &str = "ability|approach|build-up|capability|chance|concept|delivery|\
    description|design|discipline|idea|measure|method|model|part|pattern|practice|principle|\
    process|property|rule|savings|share|speed|steps|strategy|style|technique|term|way";

/// A subject's kind: a number; a name the heading capitalises; else an idea when
/// its answer defines it by an activity (`is growing …`) or an idea noun within
/// its first six words, and a named thing (`a VPC component`) otherwise.
fn kind_of(raw: &str, answer: &str) -> Kind {
    let idea = Regex::new(&format!(
        r"(?i)\b(?:is|are|was|were)\s+(?:\w+ing\b|(?:[^\s,:;]+[\s,:;]+){{0,5}}(?:{IDEA_NOUNS})\b)"
    ))
    .unwrap();
    match raw.chars().next() {
        Some(c) if c.is_ascii_digit() => Kind::Number,
        Some(c) if c.is_uppercase() => Kind::Named,
        _ if idea.is_match(answer.split(". ").next().unwrap_or("")) => Kind::Concept,
        _ => Kind::Named,
    }
}

/// Every subject of a question heading on the decks, lowercased → its kind and
/// whether the heading writes it in lowercase (a common noun, not a name).
fn subject_kinds(built: &Built) -> BTreeMap<String, (Kind, bool)> {
    let decks = built.links("/flashcards/", "main table.flashcard-decks a", "href");
    let mut kinds = BTreeMap::new();
    for deck in decks {
        let page = built.page(&deck);
        for card in select(&page, "main details.flashcard-static") {
            let front: String = card
                .select(&sel("summary"))
                .flat_map(|e| e.text())
                .collect();
            let answer: String = card
                .select(&sel(".flashcard-back-static > p"))
                .next()
                .map(|p| p.text().collect())
                .unwrap_or_default();
            if let Some(raw) = subject(&front) {
                let common = !raw.starts_with(char::is_uppercase);
                kinds.insert(raw.to_lowercase(), (kind_of(&raw, &answer), common));
            }
        }
    }
    kinds
}

fn sel(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).unwrap()
}

/// The first sentence of the paragraph under the question's heading, as the note shows it.
fn source_sentence(built: &Built, q: &Value) -> Option<String> {
    let (page, anchor) = q["url"].as_str()?.split_once('#')?;
    let html = built.page(page);
    let heading = select(&html, &format!("[id='{anchor}']"))
        .into_iter()
        .next()?;
    let paragraph = heading
        .next_siblings()
        .filter_map(scraper::ElementRef::wrap)
        .next()
        .filter(|el| el.value().name() == "p")?;
    let text: String = paragraph.text().collect();
    // A sentence ends before a space and anything but a lowercase letter.
    let end = Regex::new(r"[.!?](\s+[^a-z\s]|\s*$)").unwrap();
    let cut = end.find_iter(&text).find(|m| {
        let word = text[..m.start()].rsplit(' ').next().unwrap_or("");
        !matches!(word, "e.g" | "i.e" | "etc" | "vs") && word.chars().count() > 1
    });
    Some(match cut {
        Some(m) => text[..=m.start()].to_string(),
        None => text,
    })
}

/// What each blank of `stem` stands for in `sentence`, with its byte range there.
fn masked_spans(stem: &str, sentence: &str) -> Option<Vec<(usize, usize)>> {
    let parts: Vec<String> = stem
        .split("___")
        .map(|part| {
            regex::escape(part)
                .replace("A/An ", "(?:A|An) ")
                .replace("a/an ", "(?:a|an) ")
        })
        .collect();
    let pattern = Regex::new(&format!("^{}$", parts.join("(.+?)"))).unwrap();
    let caps = pattern.captures(sentence)?;
    Some(
        caps.iter()
            .skip(1)
            .flatten()
            .map(|m| (m.start(), m.end()))
            .collect(),
    )
}

/// Whether `piece` (one name inside a blank) is a form of the answer as the
/// note writes it: exactly, or with a capital only at the start of the sentence,
/// or in any case when the heading writes the subject in lowercase.
fn is_form(piece: &str, forms: &[String], at_start: bool, common: bool) -> bool {
    forms.iter().any(|form| {
        let same_rest = form.get(1..) == piece.get(1..);
        form == piece
            || (at_start && form.eq_ignore_ascii_case(piece) && same_rest)
            || (common && form.eq_ignore_ascii_case(piece))
    })
}

fn check_blanks(q: &Value, stem: &str, sentence: &str, common: bool, faults: &mut Faults) {
    let Some(spans) = masked_spans(stem, sentence) else {
        faults.unaligned.push(format!("{stem} / {sentence}"));
        return;
    };
    let forms = banned_forms(&answer_text(q), sentence);
    let brackets = Regex::new(r"\s*[()]\s*").unwrap();
    for (start, end) in spans {
        let masked = &sentence[start..end];
        // A name and its bracketed long or short form make one blank.
        let ordinary = brackets
            .split(masked)
            .filter(|p| !p.is_empty())
            .any(|piece| {
                let at_start = sentence[..start].trim().is_empty() && masked.starts_with(piece);
                STOP_WORDS.contains(&piece.to_lowercase().as_str())
                    || !is_form(piece, &forms, at_start, common)
            });
        if ordinary {
            faults.ordinary_word.push(format!("`{masked}` in: {stem}"));
        }
        let next_word = sentence[end..].split_whitespace().next().unwrap_or("");
        let inside_word = sentence[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            || sentence[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        let acronym_follows =
            next_word.chars().count() >= 2 && next_word.chars().all(|c| c.is_ascii_uppercase());
        if inside_word || acronym_follows {
            faults
                .fragment
                .push(format!("`{masked} {next_word}` in: {stem}"));
        }
    }
}

fn check_question(
    q: &Value,
    built: &Built,
    kinds: &BTreeMap<String, (Kind, bool)>,
    faults: &mut Faults,
) {
    let stem = plain(q, "stem_html");
    let explanation = plain(q, "explanation_html");
    let answer = answer_text(q);
    // `A/An ___` is the neutral form; a lone `A ___` or `An ___` is the fault.
    if Regex::new(r"(?i)(^|[^/\w])(a|an) ___")
        .unwrap()
        .is_match(&stem)
    {
        faults.article.push(stem.clone());
    }
    let filled = stem.replacen("___", &answer, 1);
    let sentence = source_sentence(built, q);
    let repeats = |text: &str| !text.is_empty() && explanation.contains(text);
    if repeats(&filled) || sentence.as_deref().is_some_and(repeats) {
        faults.echo.push(explanation.clone());
    }
    let answer_kind = kinds.get(&answer.to_lowercase()).map(|k| k.0);
    let common = kinds.get(&answer.to_lowercase()).is_some_and(|k| k.1);
    match &sentence {
        Some(sentence) => check_blanks(q, &stem, sentence, common, faults),
        None => faults
            .unaligned
            .push(format!("no paragraph under {}", q["url"])),
    }
    for option in q["options"].as_array().unwrap() {
        let text = option["text"].as_str().unwrap();
        if kinds.get(&text.to_lowercase()).map(|k| k.0) != answer_kind || answer_kind.is_none() {
            faults
                .mixed_kinds
                .push(format!("`{text}` beside `{answer}`: {stem}"));
        }
    }
}

#[test]
fn generated_questions_hide_only_their_subject_and_offer_options_of_its_kind() {
    let built = shipped();
    let kinds = subject_kinds(&built);
    let questions = exam_questions(&built);
    let generated: Vec<&Value> = questions
        .iter()
        .filter(|q| q["source"] == "generated")
        .collect();
    let mut faults = Faults::default();
    for q in &generated {
        check_question(q, &built, &kinds, &mut faults);
    }
    let counts = faults.counts();
    eprintln!(
        "{} generated questions; faults: {counts:?}",
        generated.len()
    );
    assert!(
        counts.iter().all(|(_, n)| *n == 0),
        "{counts:?}\n{faults:#?}"
    );
    assert!(
        generated.len() >= 50,
        "only {} generated questions",
        generated.len()
    );
}
