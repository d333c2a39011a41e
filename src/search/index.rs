//! Documents → postings with precomputed BM25 scores.
//!
//! 1. Tokenise each document's three fields: the page title, the heading and the text.
//! 2. Count, per term and document, the occurrences in each field; remember which
//!    surface words were seen for each term.
//! 3. Score every (term, document) pair with BM25 over a weighted term frequency
//!    (heading ×[`HEADING_WEIGHT`], page title ×[`TITLE_WEIGHT`], text ×1) and quantise
//!    it to an integer in `1..=`[`MAX_SCORE`].
//!
//! Scoring at build time means the browser needs no document lengths or document
//! frequencies: a query only sums the integers it finds in the postings.

// Fx hashing: the keys are short words, and the output never depends on hash order.
use rustc_hash::FxHashMap as HashMap;

use crate::search::documents::{DocKind, SearchDoc, SearchPage};
use crate::search::tokenize::{for_each_word, StemCache, Tokenizer, Word};

/// A heading match counts this many body occurrences.
pub(crate) const HEADING_WEIGHT: f64 = 3.0;
/// A page-title match (it applies to every section of the page).
pub(crate) const TITLE_WEIGHT: f64 = 1.5;
pub(crate) const K1: f64 = 1.2;
pub(crate) const B: f64 = 0.75;
/// Quantised scores are `round(bm25 * SCALE)`, clamped to `1..=MAX_SCORE`.
const SCALE: f64 = 40.0;
pub(crate) const MAX_SCORE: u32 = 1023;

/// A term's occurrences in one document's fields. Titles and headings are a
/// line each, so 16 bits count them (saturating, against a hostile line), and
/// a posting takes 12 bytes rather than 16: a clean build holds every posting
/// of the site at once (9.6 million at 10,000 long notes).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FieldCounts {
    title: u16,
    heading: u16,
    body: u32,
}

impl FieldCounts {
    fn add_title(&mut self) {
        self.title = self.title.saturating_add(1);
    }

    fn add_heading(&mut self) {
        self.heading = self.heading.saturating_add(1);
    }

    fn add_body(&mut self) {
        self.body += 1;
    }

    fn is_zero(self) -> bool {
        self.title == 0 && self.heading == 0 && self.body == 0
    }

    pub(crate) fn weighted(self) -> f64 {
        f64::from(self.body)
            + HEADING_WEIGHT * f64::from(self.heading)
            + TITLE_WEIGHT * f64::from(self.title)
    }
}

/// One document's counts, by term, as [`Partial`] keeps them for a run.
#[derive(Debug)]
pub(crate) struct DocCounts {
    /// Every term with its counts per field.
    pub(crate) terms: Vec<(Box<str>, FieldCounts)>,
    /// Every surface word, with the index of its term in `terms`.
    pub(crate) surfaces: Vec<(Box<str>, u32)>,
    pub(crate) length: u32,
}

impl DocCounts {
    pub(crate) fn count(
        pages: &[SearchPage],
        doc: &SearchDoc,
        tokenizer: &Tokenizer,
        stems: &mut StemCache,
    ) -> Self {
        let partial = Partial::count(pages, std::slice::from_ref(doc), 0, tokenizer, stems);
        let mut terms =
            vec![(Box::<str>::default(), FieldCounts::default()); partial.postings.len()];
        for (term, &id) in &partial.ids {
            terms[id as usize].0 = term.as_str().into();
        }
        // One document: each term has exactly one posting.
        for (slot, postings) in terms.iter_mut().zip(&partial.postings) {
            slot.1 = postings[0].1;
        }
        DocCounts {
            terms,
            surfaces: partial
                .surfaces()
                .map(|(surface, id)| (surface.into(), id))
                .collect(),
            length: partial.lengths[0],
        }
    }
}

/// Occurrence counts for a run of documents, by term ids local to the run.
#[derive(Default)]
pub(crate) struct Partial {
    /// Local id of each term.
    pub(crate) ids: HashMap<String, u32>,
    /// By local term id: `(document id, counts)`, documents ascending.
    pub(crate) postings: Vec<Vec<(u32, FieldCounts)>>,
    /// Every surface word seen, with its term's local id, or `None` for a stop
    /// word. A surface always has one term: the term is a function of the
    /// (already folded) surface, so this is also the run's stem cache, and a
    /// word costs one lookup however often it repeats.
    pub(crate) surfaces: HashMap<String, Option<u32>>,
    /// Tokens in each document's heading and text (page titles not counted).
    pub(crate) lengths: Vec<u32>,
}

impl Partial {
    pub(crate) fn count(
        pages: &[SearchPage],
        docs: &[SearchDoc],
        first_id: usize,
        tokenizer: &Tokenizer,
        cache: &mut StemCache,
    ) -> Self {
        let mut partial = Partial::default();
        // Counts of the document at hand, by local id, and which ids it touched.
        let mut counts: Vec<FieldCounts> = Vec::new();
        let mut touched: Vec<u32> = Vec::new();
        let mut title: Option<(usize, Vec<u32>)> = None;
        for (offset, doc) in docs.iter().enumerate() {
            if title.as_ref().is_none_or(|(page, _)| *page != doc.page) {
                let mut ids = Vec::new();
                for_each_word(&pages[doc.page].title, |word| {
                    ids.extend(partial.intern(word, tokenizer, cache));
                });
                title = Some((doc.page, ids));
            }
            let mut bump = |id: u32, field: fn(&mut FieldCounts)| {
                let slot = id as usize;
                if slot >= counts.len() {
                    counts.resize(slot + 1, FieldCounts::default());
                }
                if counts[slot].is_zero() {
                    touched.push(id);
                }
                field(&mut counts[slot]);
            };
            for &id in title.as_ref().map_or(&[][..], |(_, ids)| ids) {
                bump(id, FieldCounts::add_title);
            }
            let mut length = 0;
            // A question's words are its text, not a heading of the notes: the
            // heading boost would rank every short question above the note it
            // comes from.
            let heading_field: fn(&mut FieldCounts) = match doc.kind {
                DocKind::Quiz => FieldCounts::add_body,
                DocKind::Note | DocKind::Mnemonic => FieldCounts::add_heading,
            };
            for_each_word(&doc.heading, |word| {
                if let Some(id) = partial.intern(word, tokenizer, cache) {
                    bump(id, heading_field);
                    length += 1;
                }
            });
            for_each_word(&doc.text, |word| {
                if let Some(id) = partial.intern(word, tokenizer, cache) {
                    bump(id, FieldCounts::add_body);
                    length += 1;
                }
            });
            partial.lengths.push(length);
            let id = (first_id + offset) as u32;
            for local in touched.drain(..) {
                let fields = std::mem::take(&mut counts[local as usize]);
                partial.postings[local as usize].push((id, fields));
            }
        }
        // Grown by doubling, the lists hold a third more than they use, and a
        // clean build holds all runs' lists at once.
        for list in &mut partial.postings {
            list.shrink_to_fit();
        }
        partial
    }

    /// The local term id of `word` (`None` for a stop word), registering the
    /// word and its term when new.
    fn intern(
        &mut self,
        word: Word<'_>,
        tokenizer: &Tokenizer,
        stems: &mut StemCache,
    ) -> Option<u32> {
        if let Some(&id) = self.surfaces.get(word.text()) {
            return id;
        }
        let id = tokenizer.term(word, stems).map(|term| self.term_id(term));
        self.surfaces.insert(word.text().to_string(), id);
        id
    }

    fn term_id(&mut self, term: String) -> u32 {
        if let Some(&id) = self.ids.get(&term) {
            return id;
        }
        let id = self.postings.len() as u32;
        self.ids.insert(term, id);
        self.postings.push(Vec::new());
        id
    }

    /// Every surface word seen (stop words left out), with its term's local id.
    pub(crate) fn surfaces(&self) -> impl Iterator<Item = (&str, u32)> {
        self.surfaces
            .iter()
            .filter_map(|(surface, id)| Some((surface.as_str(), (*id)?)))
    }
}

pub(crate) fn quantise(score: f64) -> u32 {
    ((score * SCALE).round() as u32).clamp(1, MAX_SCORE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::format::decode_postings;
    use crate::search::state::build_index;

    fn doc<'a>(page: usize, heading: &str, text: &'a str) -> SearchDoc<'a> {
        SearchDoc {
            page,
            heading: heading.to_string().into(),
            anchor: "".into(),
            parent: "".into(),
            kind: DocKind::Note,
            text: text.into(),
        }
    }

    fn page(title: &str) -> SearchPage {
        SearchPage {
            title: title.into(),
            path: String::new(),
            section: String::new(),
        }
    }

    #[test]
    fn heading_matches_outrank_body_matches_and_variants_share_a_term() {
        let pages = [page("Storage"), page("Compute")];
        let docs = [
            doc(0, "Glacier", "Archive tier for cold data."),
            doc(1, "Instances", "Logs can be archived to glacier cheaply."),
            doc(1, "Scaling", "Instances scale out."),
        ];
        let index = build_index(&pages, &docs, &Tokenizer::for_language("en"));
        let postings = |word: &str| {
            let (term, scored) = index.entry(word);
            (
                term.to_string(),
                decode_postings(&scored.postings).unwrap().1,
            )
        };
        let (_, glacier) = postings("glacier");
        assert_eq!(glacier.len(), 2);
        assert!(glacier[0].1 > glacier[1].1, "{glacier:?}");
        let (scaling, scale) = (postings("scaling"), postings("scale"));
        assert_eq!(scaling, scale, "variants share a term");
        assert_eq!(scale.0, "scale");
        assert_eq!(scale.1.iter().map(|p| p.0).collect::<Vec<_>>(), [2]);
        assert!(!index.words.iter().any(|w| &**w == "the"));
        // The page title is indexed for each of its documents.
        assert_eq!(postings("compute").1.len(), 2);
    }

    #[test]
    fn a_title_and_heading_repeating_one_word_past_sixteen_bits_are_counted() {
        let heading = "glacier ".repeat(70_000);
        let pages = [page(&heading)];
        let docs = [doc(0, &heading, "cold"), doc(0, "Other", "glacier")];
        let index = build_index(&pages, &docs, &Tokenizer::for_language("en"));
        let (_, scored) = index.entry("glacier");
        let postings = decode_postings(&scored.postings).unwrap().1;
        assert_eq!(postings.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
    }
}
