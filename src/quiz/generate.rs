//! Generated multiple choice from `What is X?` / `What are X?` flashcards.
//!
//! 1. The subject X is the heading without `What is`, an article and the `?`.
//! 2. Its variants: the name, the name without `Amazon`/`AWS`, the acronym of its
//!    capitalised words (`Virtual Private Cloud` → `VPC`), a singular of a plural, and
//!    the long or short form in brackets beside a variant in the answer
//!    (`S3 (Simple Storage Service)`).
//! 3. The stem is the answer's first sentence with the subject replaced by `___`
//!    (rules in [`stem`]: names only as written, never a word inside a longer name,
//!    `A/An ___`). A sentence that does not name its subject cleanly makes no question.
//! 4. The correct option is the subject; three distractors are other subjects of the
//!    same kind ([`SubjectKind`]: a named service or resource, a concept, a number),
//!    preferring the same section and number, never one the stem already names. With
//!    fewer than three, no question is made.
//! 5. The explanation is the answer's next sentence (the question links to the note),
//!    or nothing: the first sentence would only repeat the stem.
//! 6. Ties and the answer's position are decided by a [`SplitMix64`] seeded with
//!    `[quiz] seed` and the question id, so builds are reproducible.

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::hashing::key_of;
use crate::markdown::highlight::escape as escape_html;
use crate::markdown::quiz_blocks::{stem_id, QuizOption};
use crate::quiz::{Flashcard, QuestionSource, QuizQuestion};

mod stem;
pub(crate) use stem::{mask, SubjectKind};

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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Subject {
    /// As the option shows it: `Amazon S3`, `Root user`.
    pub(crate) name: String,
    /// Every form that gives the answer away, longest first.
    pub(crate) variants: Vec<String>,
    pub(crate) kind: SubjectKind,
    pub(crate) is_plural: bool,
    /// The name and variants lowercased, for whole-word checks.
    name_lower: String,
    lowered: Vec<String>,
    /// A hash of the above, for the memo's key of the whole pool.
    key: u64,
}

/// The subject of `What is X?` / `What are X?`, or `None` for other headings.
pub(crate) fn subject_of(heading: &str, sentence: &str) -> Option<Box<Subject>> {
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
    let is_named =
        PREFIXES.iter().any(|p| name.starts_with(p)) || name.starts_with(char::is_uppercase);
    let kind = stem::kind_of(name, is_named, sentence);
    let display = capitalise(name);
    let variants = variants_of(name, is_plural, sentence);
    Some(Box::new(Subject {
        key: key_of(&(&display, &variants, kind, is_plural)),
        name_lower: display.to_lowercase(),
        lowered: variants.iter().map(|v| v.to_lowercase()).collect(),
        name: display,
        variants,
        kind,
        is_plural,
    }))
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
    // `An AMI (Amazon Machine Image)`: the article is not part of the name.
    const ARTICLES: [&str; 3] = ["A", "An", "The"];
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
                .take_while(|w| !ARTICLES.contains(w))
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

/// A subject ready to be asked about or used as a distractor.
struct Candidate<'a> {
    card: &'a Flashcard,
    subject: &'a Subject,
}

/// Every generated question, in flashcard order.
pub(crate) fn generate_questions(cards: &[Arc<Flashcard>], seed: u64) -> Vec<Arc<QuizQuestion>> {
    let pool = Pool::new(cards);
    (0..pool.len())
        .into_par_iter()
        .filter_map(|i| pool.question(i, seed))
        .collect()
}

/// The candidates grouped by what distractor choice prefers, so choosing three
/// distractors looks at a handful of candidates instead of all of them. The
/// groups are made on first use: `serve` often needs none, and keeps them
/// while the pool's [key](Pool::key) is unchanged.
pub(crate) struct Pool<'a> {
    candidates: Vec<Candidate<'a>>,
    groups: OnceLock<Arc<Groups>>,
}

/// What [`Pool::key`] covers decides these: each candidate's section and kind.
#[derive(Debug)]
pub(crate) struct Groups {
    /// Section name → its number in `by_section`.
    sections: FxHashMap<Arc<str>, u32>,
    /// (section number, kind, is_plural) → candidates.
    by_section: FxHashMap<(u32, SubjectKind, bool), Vec<usize>>,
    /// (kind, is_plural) → candidates of every section.
    by_kind: FxHashMap<(SubjectKind, bool), Vec<usize>>,
}

impl Groups {
    fn same_section(&self, section: &str, kind: SubjectKind, plural: bool) -> Option<&Vec<usize>> {
        let section = *self.sections.get(section)?;
        self.by_section.get(&(section, kind, plural))
    }
}

impl<'a> Pool<'a> {
    /// The cards that ask about a subject.
    pub(crate) fn new(cards: &'a [Arc<Flashcard>]) -> Self {
        let candidates = cards
            .iter()
            .filter_map(|card| {
                let subject = card.subject.as_ref()?;
                Some(Candidate { card, subject })
            })
            .collect();
        Pool {
            candidates,
            groups: OnceLock::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.candidates.len()
    }

    /// The key of candidate `i`'s card.
    pub(crate) fn card_key(&self, i: usize) -> u64 {
        self.candidates[i].card.key
    }

    /// A key of everything a question reads of the other candidates (their
    /// sections and subjects) and of the seed: while it is unchanged, a
    /// question changes only with its own card.
    pub(crate) fn key(&self, seed: u64) -> u64 {
        let subjects: Vec<_> = self
            .candidates
            .iter()
            .map(|c| (&c.card.section, c.subject.key))
            .collect();
        key_of(&(seed, subjects))
    }

    /// The question about candidate `i`, if it makes one.
    pub(crate) fn question(&self, i: usize, seed: u64) -> Option<Arc<QuizQuestion>> {
        generate_one(self, i, seed).map(|q| Arc::new(q.keyed()))
    }

    /// A pool whose groups are `groups`, made for a pool of the same key.
    pub(crate) fn with_groups(mut self, groups: Arc<Groups>) -> Self {
        self.groups = OnceLock::from(groups);
        self
    }

    /// The groups, if a question needed them.
    pub(crate) fn made_groups(&self) -> Option<Arc<Groups>> {
        self.groups.get().cloned()
    }

    fn groups(&self) -> &Groups {
        self.groups.get_or_init(|| {
            let mut groups = Groups {
                sections: FxHashMap::default(),
                by_section: FxHashMap::default(),
                by_kind: FxHashMap::default(),
            };
            for (i, c) in self.candidates.iter().enumerate() {
                let kind = (c.subject.kind, c.subject.is_plural);
                let next = groups.sections.len() as u32;
                let section = *groups
                    .sections
                    .entry(Arc::clone(&c.card.section))
                    .or_insert(next);
                groups
                    .by_section
                    .entry((section, kind.0, kind.1))
                    .or_default()
                    .push(i);
                groups.by_kind.entry(kind).or_default().push(i);
            }
            Arc::new(groups)
        })
    }

    /// Whether either of two candidates names the other.
    fn related(&self, i: usize, j: usize) -> bool {
        let (a, b) = (self.candidates[i].subject, self.candidates[j].subject);
        a.lowered.iter().any(|v| contains_word(&b.name_lower, v))
            || b.lowered.iter().any(|v| contains_word(&a.name_lower, v))
    }
}

/// Whole-word occurrence of `word` in `text` (both lowercase), among the
/// occurrences `str::match_indices` finds (leftmost, not overlapping). Found
/// by the first byte and a comparison: a distractor is tested against stems
/// and names tens of times a question, and a string searcher's setup cost more
/// than these short texts' scan.
fn contains_word(text: &str, word: &str) -> bool {
    let (bytes, needle) = (text.as_bytes(), word.as_bytes());
    let Some(&first) = needle.first() else {
        return false; // an empty word names nothing
    };
    let mut from = 0;
    while let Some(offset) = memchr::memchr(first, &bytes[from..]) {
        let at = from + offset;
        if !bytes[at..].starts_with(needle) {
            from = at + 1;
            continue;
        }
        // `at` starts a match of valid UTF-8, so it is a character boundary.
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        from = at + needle.len();
    }
    false
}

fn generate_one(pool: &Pool<'_>, index: usize, seed: u64) -> Option<QuizQuestion> {
    let target = &pool.candidates[index];
    let card = target.card;
    let stem = mask(&card.first_sentence, &target.subject.variants)?;
    if stem
        .split_whitespace()
        // A word holds the blank only if it holds an underscore: a quick test first.
        .filter(|w| !(w.contains('_') && w.contains(BLANK)))
        .count()
        < 4
    {
        return None;
    }
    // Of the note, not the line (`location`), so that an edit above keeps the id.
    let note = card
        .location
        .rsplit_once(':')
        .map_or(&*card.location, |(path, _)| path);
    let id = stem_id(note, &format!("generated {}", card.front));
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
        stem_html: None,
        stem,
        options,
        correct: vec![answer_at],
        multi: false,
        explanation_html: None,
        explanation: card.next_sentence.clone(),
        page_title: card.page_title.clone(),
        heading: Some(card.front.clone()),
        url: card.url.clone(),
        location: card.location.clone(),
        page: card.page,
        anchor: Some(card.anchor.clone()),
        key: 0,
    })
}

/// Three other subjects, best fit first (see the module doc): preference levels
/// are tried from the best down, and within a level candidates are visited from a
/// random start with a random stride (ties broken by `rng`).
fn pick_distractors(
    pool: &Pool<'_>,
    index: usize,
    stem: &str,
    rng: &mut SplitMix64,
) -> Option<Vec<String>> {
    let target = &pool.candidates[index];
    let section = &*target.card.section;
    let (kind, plural) = (target.subject.kind, target.subject.is_plural);
    let stem = stem.to_lowercase();
    let mut picked: Vec<usize> = Vec::new();
    // Only the same kind of thing; score 2·same section + 1·same number, highest first.
    for score in (0..4u8).rev() {
        let same_section = score & 2 != 0;
        let want_plural = if score & 1 != 0 { plural } else { !plural };
        let groups = pool.groups();
        let bucket = if same_section {
            groups.same_section(section, kind, want_plural)
        } else {
            groups.by_kind.get(&(kind, want_plural))
        };
        let Some(bucket) = bucket else { continue };
        for j in shuffled(bucket, rng) {
            let candidate = &pool.candidates[j];
            let acceptable = j != index
                && (same_section || *candidate.card.section != *section)
                && !pool.related(index, j)
                && !candidate
                    .subject
                    .lowered
                    .iter()
                    .any(|v| contains_word(&stem, v))
                && !picked.iter().any(|&p| pool.related(p, j));
            if acceptable {
                picked.push(j);
                if picked.len() == OPTIONS - 1 {
                    let names = picked
                        .iter()
                        .map(|&p| pool.candidates[p].subject.name.clone());
                    return Some(names.collect());
                }
            }
        }
    }
    None
}

/// Every item of `items` once, from a random start with a random stride coprime to the length.
fn shuffled<'i>(items: &'i [usize], rng: &mut SplitMix64) -> impl Iterator<Item = usize> + 'i {
    let len = items.len();
    let start = rng.below(len.max(1));
    let mut stride = 1 + rng.below(len.max(1));
    while gcd(stride, len) != 1 {
        stride += 1;
    }
    (0..len).map(move |k| items[(start + k * stride) % len])
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

#[cfg(test)]
pub(crate) mod tests;
