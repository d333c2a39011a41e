//! A generated question's stem, and what kind of thing its subject is.
//!
//! 1. Every occurrence of a variant of the subject becomes `___`: whole words; a
//!    variant with a capital letter (a name, an acronym) only as written, so `AS`
//!    never hides `as` nor `Budgets` the word `budgets` (the first letter may be a
//!    capital at the start of the sentence); a lowercase variant in any case.
//! 2. The sentence makes no stem when it never names its subject, still names it
//!    in another case (the stem would give it away), or names it inside a longer
//!    name (`access key` in `access key ID`).
//! 3. `A ___` / `An ___` become `A/An ___`, so the article gives no letter away.
//! 4. The subject's kind (a named service or resource, a concept, a number) is read
//!    from its heading and from the noun its answer defines it by; distractors are
//!    of the answer's kind.

use std::sync::LazyLock;

use regex::Regex;

use crate::quiz::generate::BLANK;

/// What a subject is, so that distractors are the same kind of thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SubjectKind {
    /// A service, product or resource: `Amazon S3`, `Internet gateway`, `Route table`.
    Named,
    /// An idea: `Loose coupling`, `Elasticity`, `Principle of least privilege`.
    Concept,
    /// A figure: `99.999999999%`, `5 TB`.
    Number,
}

/// Nouns that define an idea rather than a thing, as in "X is the ability to …".
const ABSTRACT_NOUNS: [&str; 30] = [
    "ability",
    "approach",
    "build-up",
    "capability",
    "chance",
    "concept",
    "delivery",
    "description",
    "design",
    "discipline",
    "idea",
    "measure",
    "method",
    "model",
    "part",
    "pattern",
    "practice",
    "principle",
    "process",
    "property",
    "rule",
    "savings",
    "share",
    "speed",
    "steps",
    "strategy",
    "style",
    "technique",
    "term",
    "way",
];

/// How many words after `is`/`are` the defining noun is looked for in.
const DEFINITION_WORDS: usize = 6;

/// The kind of a subject named `name` in its heading, defined by `sentence`.
pub(crate) fn kind_of(name: &str, is_named: bool, sentence: &str) -> SubjectKind {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return SubjectKind::Number;
    }
    if is_named {
        return SubjectKind::Named;
    }
    static DEFINITION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(?:is|are|was|were)\s+(.*)").expect("valid"));
    let Some(definition) = DEFINITION.captures(sentence) else {
        return SubjectKind::Named;
    };
    let words: Vec<String> = definition[1]
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';'))
        .filter(|w| !w.is_empty())
        .take(DEFINITION_WORDS)
        .map(str::to_lowercase)
        .collect();
    // "X is growing and shrinking …" defines an activity, an idea too.
    let is_activity = words.first().is_some_and(|w| w.ends_with("ing"));
    let is_abstract = is_activity || words.iter().any(|w| ABSTRACT_NOUNS.contains(&w.as_str()));
    if is_abstract {
        SubjectKind::Concept
    } else {
        SubjectKind::Named
    }
}

/// The stem for `sentence` with its subject's `variants` (longest first), or `None`
/// (see the module doc). A hand-written scan: a regex per question dominated large builds.
pub(crate) fn mask(sentence: &str, variants: &[String]) -> Option<String> {
    static DOUBLED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"___(?:\s*\(\s*___\s*\)|\s+___)").expect("valid"));
    let mut masked = String::with_capacity(sentence.len());
    let mut found = false;
    // Up to where `sentence` is in `masked`.
    let mut copied = 0;
    for at in word_starts(sentence) {
        if at < copied {
            continue; // inside the last blank
        }
        if let Some(variant) = variants.iter().find(|v| is_variant_at(sentence, at, v)) {
            masked.push_str(&sentence[copied..at]);
            masked.push_str(BLANK);
            copied = at + variant.len();
            found = true;
        }
    }
    masked.push_str(&sentence[copied..]);
    if !found {
        return None;
    }
    while DOUBLED.is_match(&masked) {
        masked = DOUBLED.replace_all(&masked, BLANK).into_owned();
    }
    if names_any(&masked, variants) || blank_inside_a_name(&masked) {
        return None;
    }
    Some(neutral_articles(&masked))
}

/// The byte offsets in `text` where a word may start: after a character that
/// is no letter or digit.
fn word_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut after_alphanumeric = false;
    text.char_indices().filter_map(move |(at, c)| {
        let starts = !after_alphanumeric;
        after_alphanumeric = c.is_alphanumeric();
        starts.then_some(at)
    })
}

/// Whether `variant` stands at byte `at`, ending at a word boundary, in the case
/// its kind allows (see the module doc).
fn is_variant_at(text: &str, at: usize, variant: &str) -> bool {
    // Every case rule keeps the first byte up to ASCII case: a cheap first test.
    let first = |s: &str| s.as_bytes().first().map(u8::to_ascii_lowercase);
    if first(&text[at..]) != first(variant) {
        return false;
    }
    let Some(candidate) = text.get(at..at + variant.len()) else {
        return false;
    };
    let ends_word = !text[at + variant.len()..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric);
    ends_word && case_matches(candidate, variant, text[..at].trim().is_empty())
}

fn case_matches(candidate: &str, variant: &str, at_sentence_start: bool) -> bool {
    if !variant.chars().any(char::is_uppercase) {
        return candidate.eq_ignore_ascii_case(variant);
    }
    if candidate == variant {
        return true;
    }
    // At the start of a sentence the first letter's case may differ.
    let first = |s: &str| s.chars().next().map(|c| c.len_utf8()).unwrap_or(0);
    at_sentence_start
        && candidate.eq_ignore_ascii_case(variant)
        && candidate[first(candidate)..] == variant[first(variant)..]
}

/// Short English words that are also acronyms of subjects (`AS` for Auto Scaling).
const COMMON_WORDS: [&str; 16] = [
    "am", "an", "as", "at", "be", "by", "do", "go", "if", "in", "is", "it", "no", "of", "on", "or",
];

/// Whether any variant still stands in `text` as a whole word, in any case
/// (`budgets` names `Budgets`), except a common word spelt like an acronym
/// (`as` is not `AS`).
fn names_any(text: &str, variants: &[String]) -> bool {
    let exact_only: Vec<bool> = variants
        .iter()
        .map(|v| COMMON_WORDS.contains(&v.to_ascii_lowercase().as_str()))
        .collect();
    word_starts(text).any(|at| {
        variants.iter().zip(&exact_only).any(|(v, &exact_only)| {
            text.get(at..at + v.len()).is_some_and(|w| {
                if exact_only {
                    w == v
                } else {
                    w.eq_ignore_ascii_case(v)
                }
            }) && !text[at + v.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        })
    })
}

/// Whether a blank is followed by an acronym that continues a longer name (`___ ID`).
fn blank_inside_a_name(stem: &str) -> bool {
    stem.match_indices(BLANK).any(|(at, _)| {
        let next = stem[at + BLANK.len()..]
            .split_whitespace()
            .next()
            .unwrap_or("");
        let word = next.trim_end_matches(|c: char| !c.is_alphanumeric());
        word.chars().count() >= 2 && word.chars().all(|c| c.is_ascii_uppercase())
    })
}

/// `A ___` and `An ___` → `A/An ___` (and in lowercase), so no vowel gives the answer away.
fn neutral_articles(stem: &str) -> String {
    static ARTICLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(?:(A|An)|(a|an)) ___").expect("valid"));
    ARTICLE
        .replace_all(stem, |caps: &regex::Captures<'_>| {
            if caps.get(1).is_some() {
                format!("A/An {BLANK}")
            } else {
                format!("a/an {BLANK}")
            }
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_mask_only_as_written_and_words_stay() {
        let variants = v(&["Auto Scaling group", "Auto Scaling", "ASG", "AS"]);
        assert_eq!(
            mask(
                "An Auto Scaling group is instances treated as one group.",
                &variants
            )
            .as_deref(),
            Some("A/An ___ is instances treated as one group.")
        );
        // `Budgets` the service is masked; `budgets` the word would give it away.
        let budgets = v(&["AWS Budgets", "Budgets"]);
        assert_eq!(mask("AWS Budgets lets you set budgets.", &budgets), None);
        assert_eq!(
            mask("AWS Budgets alerts you on spending.", &budgets).as_deref(),
            Some("___ alerts you on spending.")
        );
    }

    #[test]
    fn concepts_match_in_any_case_and_the_sentence_start_may_capitalise() {
        let variants = v(&["elasticity"]);
        assert_eq!(
            mask("Elasticity is the ability to grow.", &variants).as_deref(),
            Some("___ is the ability to grow.")
        );
    }

    #[test]
    fn a_subject_inside_a_longer_name_makes_no_stem() {
        let variants = v(&["access keys", "access key"]);
        assert_eq!(
            mask(
                "Access keys are made of an access key ID and a secret.",
                &variants
            ),
            None
        );
    }

    #[test]
    fn articles_before_a_blank_are_neutral() {
        assert_eq!(
            neutral_articles("An ___ is a thing; use a ___ or an ___."),
            "A/An ___ is a thing; use a/an ___ or a/an ___."
        );
        assert_eq!(
            neutral_articles("Bananas ___ and a ___x"),
            "Bananas ___ and a/an ___x"
        );
    }

    #[test]
    fn kinds_come_from_the_heading_and_the_defining_noun() {
        let kind = |name: &str, named: bool, sentence: &str| kind_of(name, named, sentence);
        assert_eq!(
            kind("Amazon S3", true, "Amazon S3 is a service."),
            SubjectKind::Named
        );
        assert_eq!(
            kind(
                "internet gateway",
                false,
                "An internet gateway is a horizontally scaled VPC component."
            ),
            SubjectKind::Named
        );
        assert_eq!(
            kind(
                "loose coupling",
                false,
                "Loose coupling is a design approach in which parts are independent."
            ),
            SubjectKind::Concept
        );
        assert_eq!(
            kind(
                "scalability",
                false,
                "Scalability is the ability of a system to grow."
            ),
            SubjectKind::Concept
        );
        assert_eq!(
            kind("99.9% availability", false, "It is a figure."),
            SubjectKind::Number
        );
    }
}
