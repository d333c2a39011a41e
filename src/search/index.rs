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

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
// Fx hashing: the keys are short words, and the output never depends on hash order.
use rustc_hash::FxHashMap as HashMap;

use crate::search::cache::SearchCache;
use crate::search::documents::{SearchDoc, SearchPage};
use crate::search::tokenize::{StemCache, Tokenizer};

/// A heading match counts this many body occurrences.
pub(crate) const HEADING_WEIGHT: f64 = 3.0;
/// A page-title match (it applies to every section of the page).
pub(crate) const TITLE_WEIGHT: f64 = 1.5;
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Quantised scores are `round(bm25 * SCALE)`, clamped to `1..=MAX_SCORE`.
const SCALE: f64 = 40.0;
pub(crate) const MAX_SCORE: u32 = 1023;

/// Postings of one term: `(document id, quantised score)`, sorted by document.
pub(crate) type PostingList = Vec<(u32, u32)>;

/// The inverted index before sharding.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct InvertedIndex {
    /// Every term's postings, by term.
    pub(crate) terms: BTreeMap<String, PostingList>,
    /// Every normalised surface word and the term(s) it stands for. Two terms only
    /// when different words fold to the same surface (`résumé`/`resume` in French).
    pub(crate) surfaces: BTreeMap<String, BTreeSet<String>>,
}

#[derive(Debug, Default, Clone, Copy)]
struct FieldCounts {
    title: u32,
    heading: u32,
    body: u32,
}

impl FieldCounts {
    fn weighted(self) -> f64 {
        f64::from(self.body)
            + HEADING_WEIGHT * f64::from(self.heading)
            + TITLE_WEIGHT * f64::from(self.title)
    }
}

/// Builds postings for `docs` (whose `page` fields index `pages`).
pub(crate) fn build_inverted_index(
    pages: &[SearchPage],
    docs: &[SearchDoc],
    tokenizer: &Tokenizer,
) -> InvertedIndex {
    // Contiguous chunks, a few per thread: each is counted with its own vocabulary
    // and stem cache, and concatenating them keeps every posting list in id order.
    let chunk = docs.len().div_ceil(rayon::current_num_threads() * 4).max(1);
    let partials: Vec<Partial> = docs
        .par_chunks(chunk)
        .enumerate()
        .map(|(i, chunk_docs)| {
            Partial::count(
                pages,
                chunk_docs,
                i * chunk,
                tokenizer,
                &mut StemCache::default(),
            )
        })
        .collect();
    score(partials, docs.len())
}

/// [`build_inverted_index`] for serve's rebuilds: a document whose page title,
/// heading and text are unchanged takes its counts from `cache` instead of being
/// tokenised again. Same result: only the counting is skipped.
pub(crate) fn build_inverted_index_cached(
    pages: &[SearchPage],
    docs: &[SearchDoc],
    tokenizer: &Tokenizer,
    cache: &SearchCache,
) -> InvertedIndex {
    cache.begin();
    let counted: Vec<(u64, Arc<DocCounts>)> = docs
        .par_iter()
        .map_init(StemCache::default, |stems, doc| {
            let title = &pages[doc.page].title;
            cache.get_or_count(tokenizer.language(), title, doc, || {
                DocCounts::count(pages, doc, tokenizer, stems)
            })
        })
        .collect();
    cache.keep_only(counted.iter().map(|(key, _)| *key));
    let mut partial = Partial::default();
    for (id, (_, doc)) in counted.iter().enumerate() {
        partial.add(id as u32, doc);
    }
    score(vec![partial], docs.len())
}

/// One document's counts, by term, as [`Partial`] keeps them for a run.
#[derive(Debug)]
pub(crate) struct DocCounts {
    /// Every term with its counts per field.
    terms: Vec<(Box<str>, FieldCounts)>,
    /// Every surface word, with the index of its term in `terms`.
    surfaces: Vec<(Box<str>, u32)>,
    length: u32,
}

impl DocCounts {
    fn count(
        pages: &[SearchPage],
        doc: &SearchDoc,
        tokenizer: &Tokenizer,
        stems: &mut StemCache,
    ) -> Self {
        let partial = Partial::count(pages, std::slice::from_ref(doc), 0, tokenizer, stems);
        let mut terms =
            vec![(Box::<str>::default(), FieldCounts::default()); partial.postings.len()];
        for (term, id) in partial.ids {
            terms[id as usize].0 = term.into();
        }
        // One document: each term has exactly one posting.
        for (slot, postings) in terms.iter_mut().zip(partial.postings) {
            slot.1 = postings[0].1;
        }
        DocCounts {
            terms,
            surfaces: partial
                .surfaces
                .into_iter()
                .map(|(surface, id)| (surface.into(), id))
                .collect(),
            length: partial.lengths[0],
        }
    }
}

/// Occurrence counts for a run of documents, by term ids local to the run.
#[derive(Default)]
struct Partial {
    /// Local id of each term.
    ids: HashMap<String, u32>,
    /// By local term id: `(document id, counts)`, documents ascending.
    postings: Vec<Vec<(u32, FieldCounts)>>,
    /// Every surface word seen, with its term's local id. A surface always has
    /// one term: the term is a function of the (already folded) surface.
    surfaces: HashMap<String, u32>,
    /// Tokens in each document's heading and text (page titles not counted).
    lengths: Vec<u32>,
}

impl Partial {
    fn count(
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
                tokenizer.for_each_token(&pages[doc.page].title, cache, |surface, term| {
                    ids.push(partial.intern(surface, term));
                });
                title = Some((doc.page, ids));
            }
            let mut bump = |id: u32, field: fn(&mut FieldCounts)| {
                let slot = id as usize;
                if slot >= counts.len() {
                    counts.resize(slot + 1, FieldCounts::default());
                }
                if counts[slot].weighted() == 0.0 {
                    touched.push(id);
                }
                field(&mut counts[slot]);
            };
            for &id in title.as_ref().map_or(&[][..], |(_, ids)| ids) {
                bump(id, |c| c.title += 1);
            }
            let mut length = 0;
            tokenizer.for_each_token(&doc.heading, cache, |surface, term| {
                bump(partial.intern(surface, term), |c| c.heading += 1);
                length += 1;
            });
            tokenizer.for_each_token(&doc.text, cache, |surface, term| {
                bump(partial.intern(surface, term), |c| c.body += 1);
                length += 1;
            });
            partial.lengths.push(length);
            let id = (first_id + offset) as u32;
            for local in touched.drain(..) {
                let fields = std::mem::take(&mut counts[local as usize]);
                partial.postings[local as usize].push((id, fields));
            }
        }
        partial
    }

    /// The local term id of `surface`, registering the word and its term when new.
    fn intern(&mut self, surface: &str, term: &str) -> u32 {
        if let Some(&id) = self.surfaces.get(surface) {
            return id;
        }
        let id = self.term_id(term);
        self.surfaces.insert(surface.to_string(), id);
        id
    }

    fn term_id(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.postings.len() as u32;
        self.ids.insert(term.to_string(), id);
        self.postings.push(Vec::new());
        id
    }

    /// Appends document `doc`'s counts (documents must come in id order).
    fn add(&mut self, doc: u32, counts: &DocCounts) {
        let ids: Vec<u32> = counts
            .terms
            .iter()
            .map(|(term, fields)| {
                let id = self.term_id(term);
                self.postings[id as usize].push((doc, *fields));
                id
            })
            .collect();
        for (surface, index) in &counts.surfaces {
            if !self.surfaces.contains_key(&**surface) {
                self.surfaces
                    .insert(surface.to_string(), ids[*index as usize]);
            }
        }
        self.lengths.push(counts.length);
    }
}

/// Joins the runs' counts by term and scores every (term, document) pair with BM25.
fn score(partials: Vec<Partial>, doc_count: usize) -> InvertedIndex {
    let lengths: Vec<f64> = partials
        .iter()
        .flat_map(|p| p.lengths.iter().map(|&l| f64::from(l)))
        .collect();
    let total = doc_count.max(1) as f64;
    let average = (lengths.iter().sum::<f64>() / total).max(1.0);
    let mut counts: HashMap<String, Vec<(u32, FieldCounts)>> = HashMap::default();
    let mut surfaces: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for partial in partials {
        let mut terms = vec![String::new(); partial.postings.len()];
        for (term, id) in partial.ids {
            terms[id as usize] = term;
        }
        for (surface, id) in partial.surfaces {
            surfaces
                .entry(surface)
                .or_insert_with(|| BTreeSet::from([terms[id as usize].clone()]));
        }
        for (term, postings) in terms.into_iter().zip(partial.postings) {
            match counts.get_mut(&term) {
                Some(list) => list.extend(postings),
                None => {
                    counts.insert(term, postings);
                }
            }
        }
    }
    let terms = counts
        .into_par_iter()
        .map(|(term, per_doc)| {
            let df = per_doc.len() as f64;
            let idf = (1.0 + (total - df + 0.5) / (df + 0.5)).ln();
            let postings = per_doc
                .into_iter()
                .map(|(doc, fields)| {
                    let tf = fields.weighted();
                    let norm = K1 * (1.0 - B + B * lengths[doc as usize] / average);
                    let score = idf * tf * (K1 + 1.0) / (tf + norm);
                    (doc, quantise(score))
                })
                .collect();
            (term, postings)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    InvertedIndex { terms, surfaces }
}

fn quantise(score: f64) -> u32 {
    ((score * SCALE).round() as u32).clamp(1, MAX_SCORE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::documents::DocKind;

    fn doc<'a>(page: usize, heading: &str, text: &'a str) -> SearchDoc<'a> {
        SearchDoc {
            page,
            heading: heading.into(),
            anchor: String::new(),
            parent: String::new(),
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
        let index = build_inverted_index(&pages, &docs, &Tokenizer::for_language("en"));
        let glacier = &index.terms["glacier"];
        assert_eq!(glacier.len(), 2);
        assert!(glacier[0].1 > glacier[1].1, "{glacier:?}");
        assert_eq!(
            index.terms["scale"].iter().map(|p| p.0).collect::<Vec<_>>(),
            [2]
        );
        assert_eq!(
            index.surfaces["scaling"].iter().collect::<Vec<_>>(),
            ["scale"]
        );
        assert_eq!(
            index.surfaces["scale"].iter().collect::<Vec<_>>(),
            ["scale"]
        );
        assert!(!index.surfaces.contains_key("the"));
        // The page title is indexed for each of its documents.
        assert_eq!(index.terms["comput"].len(), 2);
    }
}
