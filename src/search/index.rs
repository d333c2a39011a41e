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

use crate::search::documents::{SearchDoc, SearchPage};
use crate::search::tokenize::{Token, Tokenizer};

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

/// Counts one occurrence in one field.
type FieldBump = fn(&mut FieldCounts);

#[derive(Default, Clone, Copy)]
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
    let mut index = InvertedIndex::default();
    let mut counts: BTreeMap<String, BTreeMap<u32, FieldCounts>> = BTreeMap::new();
    let mut lengths = Vec::with_capacity(docs.len());
    let title_tokens: Vec<_> = pages.iter().map(|p| tokenizer.tokens(&p.title)).collect();
    for (id, doc) in docs.iter().enumerate() {
        let id = id as u32;
        let heading = tokenizer.tokens(&doc.heading);
        let body = tokenizer.tokens(&doc.text);
        lengths.push((heading.len() + body.len()) as f64);
        let fields: [(&[Token], FieldBump); 3] = [
            (&title_tokens[doc.page], |c| c.title += 1),
            (&heading, |c| c.heading += 1),
            (&body, |c| c.body += 1),
        ];
        for (tokens, bump) in fields {
            for token in tokens {
                bump(
                    counts
                        .entry(token.term.clone())
                        .or_default()
                        .entry(id)
                        .or_default(),
                );
                index
                    .surfaces
                    .entry(token.surface.clone())
                    .or_default()
                    .insert(token.term.clone());
            }
        }
    }
    let total = docs.len().max(1) as f64;
    let average = (lengths.iter().sum::<f64>() / total).max(1.0);
    for (term, per_doc) in counts {
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
        index.terms.insert(term, postings);
    }
    index
}

fn quantise(score: f64) -> u32 {
    ((score * SCALE).round() as u32).clamp(1, MAX_SCORE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::documents::DocKind;

    fn doc(page: usize, heading: &str, text: &str) -> SearchDoc {
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
