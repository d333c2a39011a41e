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

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::search::documents::{SearchDoc, SearchPage};
use crate::search::tokenize::{StemCache, Token, Tokenizer};

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
    // Tokenising is most of the work and independent per document.
    let title_tokens: Vec<Vec<Token>> = pages
        .par_iter()
        .map(|p| tokenizer.tokens(&p.title))
        .collect();
    let tokenized: Vec<(Vec<Token>, Vec<Token>)> = docs
        .par_iter()
        .map_init(StemCache::new, |cache, d| {
            (
                tokenizer.tokens_with(&d.heading, cache),
                tokenizer.tokens_with(&d.text, cache),
            )
        })
        .collect();
    // Hash maps while counting (documents arrive in id order, so each list stays
    // sorted); the result is sorted, so output does not depend on hash order.
    let mut counts: HashMap<String, Vec<(u32, FieldCounts)>> = HashMap::new();
    let mut surfaces: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut lengths = Vec::with_capacity(docs.len());
    for (id, (doc, (heading, body))) in docs.iter().zip(&tokenized).enumerate() {
        lengths.push((heading.len() + body.len()) as f64);
        let fields: [(&[Token], FieldBump); 3] = [
            (&title_tokens[doc.page], |c| c.title += 1),
            (heading, |c| c.heading += 1),
            (body, |c| c.body += 1),
        ];
        let mut local: HashMap<&str, FieldCounts> = HashMap::new();
        for (tokens, bump) in fields {
            for token in tokens {
                bump(local.entry(&token.term).or_default());
                match surfaces.get_mut(&token.surface) {
                    Some(terms) if terms.contains(&token.term) => {}
                    Some(terms) => {
                        terms.insert(token.term.clone());
                    }
                    None => {
                        surfaces
                            .insert(token.surface.clone(), BTreeSet::from([token.term.clone()]));
                    }
                }
            }
        }
        for (term, fields) in local {
            match counts.get_mut(term) {
                Some(list) => list.push((id as u32, fields)),
                None => {
                    counts.insert(term.to_string(), vec![(id as u32, fields)]);
                }
            }
        }
    }
    let total = docs.len().max(1) as f64;
    let average = (lengths.iter().sum::<f64>() / total).max(1.0);
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
    InvertedIndex {
        terms,
        surfaces: surfaces.into_iter().collect(),
    }
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
