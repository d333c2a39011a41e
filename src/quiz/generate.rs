//! Generated multiple choice from `What is X?` / `What are X?` flashcards.
//!
//! 1. The subject X is the heading without `What is`, an article and the `?`.
//! 2. Its variants: the name, the name without `Amazon`/`AWS`, the acronym of its
//!    capitalised words (`Virtual Private Cloud` → `VPC`), a singular of a plural, and
//!    the long or short form in brackets beside a variant in the answer
//!    (`S3 (Simple Storage Service)`).
//! 3. The stem is the answer's first sentence with every variant replaced by `___`
//!    (whole words, case-insensitive). A sentence that never names its subject makes
//!    no question.
//! 4. The correct option is the subject; three distractors are other subjects,
//!    preferring the same kind of thing (a named service or a concept, singular or
//!    plural), then the same section, and never one the stem already names.
//! 5. Ties and the answer's position are decided by a [`SplitMix64`] seeded with
//!    `[quiz] seed` and the question id, so builds are reproducible.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use crate::markdown::quiz_blocks::{question_id, QuizOption};
use crate::quiz::{escape_html, Flashcard, QuestionSource, QuizQuestion};

/// Where the subject stood in a stem.
pub(crate) const BLANK: &str = "___";
const PREFIXES: [&str; 2] = ["Amazon ", "AWS "];
const OPTIONS: usize = 4;

/// A small seeded PRNG (SplitMix64): deterministic, no dependency.
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant at these sizes.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// A question heading's subject and what it is.
#[derive(Debug, Clone)]
pub(crate) struct Subject {
    /// As the option shows it: `Amazon S3`, `Root user`.
    pub(crate) name: String,
    /// Every form that gives the answer away, longest first.
    pub(crate) variants: Vec<String>,
    pub(crate) is_service: bool,
    pub(crate) is_plural: bool,
}

/// The subject of `What is X?` / `What are X?`, or `None` for other headings.
pub(crate) fn subject_of(heading: &str, sentence: &str) -> Option<Subject> {
    let heading = heading.trim().strip_suffix('?')?;
    let (rest, is_plural) = if let Some(rest) = strip_prefix_ci(heading, "what is ") {
        (rest, false)
    } else {
        (strip_prefix_ci(heading, "what are ")?, true)
    };
    let mut name = rest.trim();
    for article in ["a ", "an ", "the "] {
        if let Some(stripped) = strip_prefix_ci(name, article) {
            name = stripped.trim();
        }
    }
    if name.is_empty() {
        return None;
    }
    let is_service =
        PREFIXES.iter().any(|p| name.starts_with(p)) || name.starts_with(char::is_uppercase);
    let display = capitalise(name);
    let variants = variants_of(name, is_plural, sentence);
    Some(Subject {
        name: display,
        variants,
        is_service,
        is_plural,
    })
}

fn strip_prefix_ci<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The forms of a subject's name that must not appear in its stem.
pub(crate) fn variants_of(name: &str, is_plural: bool, sentence: &str) -> Vec<String> {
    let mut variants: BTreeSet<String> = BTreeSet::new();
    let add = |v: &str, set: &mut BTreeSet<String>| {
        let v = v.trim();
        if v.chars().count() >= 2 {
            set.insert(v.to_string());
        }
    };
    add(name, &mut variants);
    let bare = PREFIXES
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name);
    add(bare, &mut variants);
    if let Some(acronym) = acronym(bare) {
        add(&acronym, &mut variants);
    }
    if is_plural {
        for v in variants.clone() {
            add(&singular(&v), &mut variants);
        }
    }
    // Long and short forms in brackets beside a known variant, both ways round.
    for _ in 0..2 {
        for v in variants.clone() {
            for form in bracket_forms(sentence, &v) {
                add(&form, &mut variants);
            }
        }
    }
    let mut variants: Vec<String> = variants.into_iter().collect();
    variants.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    variants
}

/// `V (long form)` and `Long Form (V)` around each whole-word occurrence of `variant`.
fn bracket_forms(sentence: &str, variant: &str) -> Vec<String> {
    const CONNECTORS: [&str; 4] = ["and", "of", "for", "the"];
    let lower = sentence.to_ascii_lowercase();
    let needle = variant.to_ascii_lowercase();
    let mut forms = Vec::new();
    for (at, _) in lower.match_indices(&needle) {
        let end = at + needle.len();
        let is_word_char = |c: char| c.is_alphanumeric();
        if sentence[..at].chars().next_back().is_some_and(is_word_char)
            || sentence[end..].chars().next().is_some_and(is_word_char)
        {
            continue;
        }
        let after = sentence[end..].trim_start();
        if let Some(inside) = after.strip_prefix('(') {
            if let Some(close) = inside.find(')') {
                forms.push(inside[..close].to_string());
            }
        }
        let before = sentence[..at].trim_end();
        if let (Some(head), true) = (before.strip_suffix('('), after.starts_with(')')) {
            let mut words: Vec<&str> = head
                .split_whitespace()
                .rev()
                .take_while(|w| w.starts_with(char::is_uppercase) || CONNECTORS.contains(w))
                .collect();
            while words.last().is_some_and(|w| CONNECTORS.contains(w)) {
                words.pop();
            }
            words.reverse();
            if !words.is_empty() {
                forms.push(words.join(" "));
            }
        }
    }
    forms
}

/// ASCII-only matching compiles many times faster; names with other letters need Unicode.
fn case_insensitive(pattern: &str) -> Regex {
    let build = |unicode: bool| {
        RegexBuilder::new(pattern)
            .case_insensitive(true)
            .unicode(unicode)
            .build()
    };
    let unicode = !pattern.is_ascii();
    build(unicode)
        .or_else(|_| build(true))
        .expect("built from escaped text")
}

/// `Virtual Private Cloud` → `VPC`: initials of two or more capitalised words.
fn acronym(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = words.iter().filter(|w| w.starts_with(char::is_uppercase));
    let initials: String = capitalised
        .filter(|w| w.chars().skip(1).any(char::is_lowercase))
        .filter_map(|w| w.chars().next())
        .collect();
    (initials.chars().count() >= 2).then_some(initials)
}

/// `policies` → `policy`, `users` → `user` (the last word only).
fn singular(name: &str) -> String {
    let (head, last) = name.rsplit_once(' ').unwrap_or(("", name));
    let one = if let Some(stem) = last.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = last.strip_suffix('s').filter(|s| !s.ends_with('s')) {
        stem.to_string()
    } else {
        last.to_string()
    };
    if head.is_empty() {
        one
    } else {
        format!("{head} {one}")
    }
}

/// A whole-word, case-insensitive matcher for any of `variants`.
pub(crate) fn variant_matcher(variants: &[String]) -> Regex {
    case_insensitive(&variant_pattern(variants))
}

fn variant_pattern(variants: &[String]) -> String {
    let alternatives: Vec<String> = variants.iter().map(|v| regex::escape(v)).collect();
    format!(r"\b(?:{})\b", alternatives.join("|"))
}

/// The sentence with every variant blanked; `None` if it never names the subject.
pub(crate) fn mask(sentence: &str, matcher: &Regex) -> Option<String> {
    static DOUBLED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"___(?:\s*\(\s*___\s*\)|\s+___)").expect("valid"));
    if !matcher.is_match(sentence) {
        return None;
    }
    let mut masked = matcher.replace_all(sentence, BLANK).into_owned();
    while DOUBLED.is_match(&masked) {
        masked = DOUBLED.replace_all(&masked, BLANK).into_owned();
    }
    Some(masked)
}

/// A subject ready to be asked about or used as a distractor.
struct Candidate<'a> {
    card: &'a Flashcard,
    subject: Subject,
    /// Whole-word matcher for the subject's variants, compiled once.
    matcher: Regex,
}

/// Every generated question, in flashcard order.
pub(crate) fn generate_questions(cards: &[Flashcard], seed: u64) -> Vec<QuizQuestion> {
    let candidates: Vec<Candidate<'_>> = cards
        .iter()
        .filter_map(|card| {
            let subject = subject_of(&card.front, &card.first_sentence)?;
            let matcher = variant_matcher(&subject.variants);
            Some(Candidate {
                card,
                subject,
                matcher,
            })
        })
        .collect();
    let pool = Pool::new(candidates);
    (0..pool.candidates.len())
        .filter_map(|i| generate_one(&pool, i, seed))
        .collect()
}

/// The candidates, and which of them name one another, worked out once with a
/// [`RegexSet`] (one pass per name instead of one regex per pair).
struct Pool<'a> {
    candidates: Vec<Candidate<'a>>,
    set: RegexSet,
    /// `names[i][j]`: candidate j's variants occur in candidate i's name.
    names: Vec<Vec<bool>>,
}

impl<'a> Pool<'a> {
    fn new(candidates: Vec<Candidate<'a>>) -> Self {
        let patterns: Vec<String> = candidates
            .iter()
            .map(|c| variant_pattern(&c.subject.variants))
            .collect();
        let set = RegexSetBuilder::new(&patterns)
            .case_insensitive(true)
            .unicode(!patterns.iter().all(|p| p.is_ascii()))
            .build()
            .expect("built from escaped text");
        let names = candidates
            .iter()
            .map(|c| self_hits(&set, &c.subject.name))
            .collect();
        Pool {
            candidates,
            set,
            names,
        }
    }

    /// Whether either of two candidates names the other.
    fn related(&self, i: usize, j: usize) -> bool {
        self.names[i][j] || self.names[j][i]
    }
}

fn self_hits(set: &RegexSet, text: &str) -> Vec<bool> {
    let matches = set.matches(text);
    (0..set.len()).map(|j| matches.matched(j)).collect()
}

fn generate_one(pool: &Pool<'_>, index: usize, seed: u64) -> Option<QuizQuestion> {
    let target = &pool.candidates[index];
    let card = target.card;
    let stem = mask(&card.first_sentence, &target.matcher)?;
    if stem
        .split_whitespace()
        .filter(|w| !w.contains(BLANK))
        .count()
        < 4
    {
        return None;
    }
    let id = question_id(&card.location, &format!("generated:{}", card.front));
    let mut rng = SplitMix64::new(seed ^ u64::from_str_radix(&id[1..], 16).unwrap_or(0));
    let distractors = pick_distractors(pool, index, &stem, &mut rng)?;
    let mut names: Vec<String> = distractors;
    let answer_at = rng.below(OPTIONS);
    names.insert(answer_at, target.subject.name.clone());
    let options = names
        .iter()
        .enumerate()
        .map(|(i, name)| QuizOption {
            text: name.clone(),
            html: escape_html(name),
            correct: i == answer_at,
        })
        .collect();
    Some(QuizQuestion {
        id,
        source: QuestionSource::Generated,
        section: card.section.clone(),
        section_title: card.section_title.clone(),
        stem_html: escape_html(&stem),
        stem,
        options,
        correct: vec![answer_at],
        multi: false,
        explanation_html: format!("<p>{}</p>", escape_html(&card.first_sentence)),
        explanation: card.first_sentence.clone(),
        page_title: card.page_title.clone(),
        heading: Some(card.front.clone()),
        url: card.url.clone(),
        location: card.location.clone(),
        page: card.page,
        anchor: Some(card.anchor.clone()),
    })
}

/// Three other subjects, best fit first (see the module doc), ties broken by `rng`.
fn pick_distractors(
    pool: &Pool<'_>,
    index: usize,
    stem: &str,
    rng: &mut SplitMix64,
) -> Option<Vec<String>> {
    let target = &pool.candidates[index];
    let in_stem = self_hits(&pool.set, stem);
    let mut scored: Vec<(u32, u64, usize)> = (0..pool.candidates.len())
        .filter(|&j| j != index && !pool.related(index, j) && !in_stem[j])
        .map(|j| {
            let c = &pool.candidates[j];
            let s = &c.subject;
            let t = &target.subject;
            let score = 4 * u32::from(s.is_service == t.is_service)
                + 2 * u32::from(c.card.section == target.card.section)
                + u32::from(s.is_plural == t.is_plural);
            (score, rng.next_u64(), j)
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut picked: Vec<usize> = Vec::new();
    for (_, _, j) in scored {
        if !picked.iter().any(|&p| pool.related(p, j)) {
            picked.push(j);
        }
        if picked.len() == OPTIONS - 1 {
            let names = picked
                .iter()
                .map(|&p| pool.candidates[p].subject.name.clone());
            return Some(names.collect());
        }
    }
    None
}

#[cfg(test)]
mod tests;
