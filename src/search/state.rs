//! The index between counting and sharding: every term's counts per document,
//! the documents' lengths, the surface words in browser order, and each term's
//! postings scored and encoded.
//!
//! A clean build makes it once ([`IndexState::scored_from_partials`]). `serve` keeps it
//! across rebuilds ([`IndexState::update`]): an edit takes the changed documents'
//! old counts out, puts the new ones in and re-scores only the terms they use.
//! That gives the same scores as a clean build because BM25 here uses the
//! average document length rounded to a whole token: one edit almost never moves
//! it, and when it does (or the number of documents changes) every term is
//! scored again.

use std::sync::Arc;

use rayon::prelude::*;
// Fx hashing: the keys are short words, and the output never depends on hash order.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::hashing::key_of;
use crate::search::documents::{SearchDoc, SearchPage};
use crate::search::format::{encode_postings, js_order};
use crate::search::index::{quantise, DocCounts, FieldCounts, Partial, B, K1};
use crate::search::tokenize::{StemCache, Tokenizer};

/// Counts every document of `docs` (whose `page` fields index `pages`) and
/// scores the index: a clean build's way, in parallel runs of documents.
pub(crate) fn build_index(
    pages: &[SearchPage],
    docs: &[SearchDoc],
    tokenizer: &Tokenizer,
) -> IndexState {
    // Contiguous chunks, a few per thread: each is counted with its own vocabulary
    // and stem cache, and concatenating them keeps every posting list in id order.
    let chunk = docs.len().div_ceil(rayon::current_num_threads() * 4).max(1);
    let partials: Vec<Partial> = docs
        .par_chunks(chunk)
        .with_max_len(1)
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
    IndexState::scored_from_partials(partials)
}

/// More changed documents than one in this many, and the state is made anew.
const REBUILD_FRACTION: usize = 8;

#[derive(Debug, Default)]
pub(crate) struct IndexState {
    /// Serve only: each document's key (see `cache::search`)
    /// and counts, by id, so that an edit can take the old counts out.
    pub(crate) docs: Vec<(u64, Arc<DocCounts>)>,
    counts: HashMap<Box<str>, Vec<(u32, FieldCounts)>>,
    lengths: Vec<u32>,
    total_length: u64,
    /// Surface word → its term, and how many documents use the word.
    surfaces: HashMap<Box<str>, (Box<str>, u32)>,
    /// Every surface word, in UTF-16 order (JavaScript's `<`).
    pub(crate) words: Vec<Box<str>>,
    /// Term → its postings, scored and encoded.
    scored: HashMap<Box<str>, Scored>,
    /// The document count and average length the scores were computed with.
    scored_with: Option<(usize, f64)>,
}

/// A term's postings as the shards hold them, with a hash of the text.
#[derive(Debug)]
pub(crate) struct Scored {
    pub(crate) postings: String,
    pub(crate) hash: u64,
}

impl IndexState {
    /// A clean build's state, scored, from runs of documents counted in id
    /// order. Each term is scored from its runs' lists in turn, which are never
    /// joined into one: at 10,000 notes, joining them copied 115 MB and left the
    /// allocator 70 MB of holes. The state can not be updated.
    pub(crate) fn scored_from_partials(partials: Vec<Partial>) -> Self {
        let mut state = IndexState::default();
        let mut runs: HashMap<Box<str>, Vec<Vec<(u32, FieldCounts)>>> = HashMap::default();
        for partial in partials {
            let mut terms = vec![String::new(); partial.postings.len()];
            for (term, id) in partial.ids {
                terms[id as usize] = term;
            }
            for (surface, id) in partial.surfaces {
                let Some(id) = id else { continue }; // a stop word
                let term = &terms[id as usize];
                state
                    .surfaces
                    .entry(surface.into())
                    .or_insert_with(|| (term.as_str().into(), 0))
                    .1 += 1;
            }
            for (term, postings) in terms.into_iter().zip(partial.postings) {
                runs.entry(term.into()).or_default().push(postings);
            }
            state.lengths.extend(partial.lengths);
        }
        state.total_length = state.lengths.iter().map(|&l| u64::from(l)).sum();
        state.sort_words();
        let scale = state.scale();
        let scored = runs
            .into_par_iter()
            .map(|(term, runs)| (term, scale.score(&runs)))
            .collect();
        state.scored_with = Some((state.lengths.len(), scale.average));
        state.scored = scored;
        state
    }

    /// A state holding `docs`, each document's key and counts, by id.
    pub(crate) fn from_docs(docs: Vec<(u64, Arc<DocCounts>)>) -> Self {
        let mut state = IndexState {
            lengths: vec![0; docs.len()],
            ..IndexState::default()
        };
        let mut touched = HashSet::default();
        for (id, (_, counts)) in docs.iter().enumerate() {
            state.add(id as u32, counts, &mut touched);
        }
        state.docs = docs;
        state.sort_words();
        state
    }

    /// Brings the state to `docs` (serve's rebuilds) and scores it.
    /// `keys` are the documents' keys by id; `count` gives the counts of the
    /// documents at the ids it is handed, which are only those that changed.
    pub(crate) fn update(
        &mut self,
        keys: &[u64],
        count: impl FnOnce(&[usize]) -> Vec<Arc<DocCounts>>,
    ) {
        // Ids are positions in reading order: with a document added or removed,
        // most ids move, and the state is made anew.
        let same_ids = keys.len() == self.docs.len() && !self.docs.is_empty();
        let changed: Vec<usize> = (0..keys.len())
            .filter(|&i| same_ids && keys[i] != self.docs[i].0)
            .collect();
        if !same_ids || changed.len() > keys.len() / REBUILD_FRACTION {
            let all: Vec<usize> = (0..keys.len()).collect();
            *self = IndexState::from_docs(keys.iter().copied().zip(count(&all)).collect());
            self.score(None);
            return;
        }
        let mut touched = HashSet::default();
        let (mut gone, mut new) = (Vec::new(), Vec::new());
        let mut edits = Vec::with_capacity(changed.len());
        for (&i, counts) in changed.iter().zip(count(&changed)) {
            let old = std::mem::replace(&mut self.docs[i], (keys[i], Arc::clone(&counts)));
            gone.extend(self.remove(i as u32, &old.1, &counts, &mut touched));
            new.extend(self.add(i as u32, &counts, &mut touched));
            edits.push((old.1, counts));
        }
        for word in gone.iter().filter(|w| !self.surfaces.contains_key(*w)) {
            if let Ok(at) = self.words.binary_search_by(|w| js_order(w, word)) {
                self.words.remove(at);
            }
        }
        for word in new {
            if let Err(at) = self.words.binary_search_by(|w| js_order(w, &word)) {
                self.words.insert(at, word);
            }
        }
        let moved = self.moved(&edits, touched);
        self.score(Some(&moved));
    }

    /// Of the `touched` terms, those whose postings the `edits` (each document's
    /// old and new counts) changed. While the scale is unchanged, a term that
    /// every edited document has before and after, with the same quantised
    /// score, keeps its postings: its document count is the same, and so are
    /// the other documents' scores. Most of an edited note's terms are common
    /// words with long postings, whose scores barely move.
    fn moved(
        &self,
        edits: &[(Arc<DocCounts>, Arc<DocCounts>)],
        touched: HashSet<Box<str>>,
    ) -> HashSet<Box<str>> {
        let scale = self.scale();
        if self.scored_with != Some((self.lengths.len(), scale.average)) {
            return touched;
        }
        let mut moved = HashSet::default();
        for (old, new) in edits {
            let before: HashMap<&str, FieldCounts> =
                old.terms.iter().map(|(term, f)| (&**term, *f)).collect();
            for (term, fields) in &new.terms {
                let same = before.get(&**term).is_some_and(|old_fields| {
                    let idf = scale.idf(self.counts[term].len());
                    scale.quantised(idf, *old_fields, old.length)
                        == scale.quantised(idf, *fields, new.length)
                });
                if !same {
                    moved.insert(term.clone());
                }
            }
            let after: HashSet<&str> = new.terms.iter().map(|(term, _)| &**term).collect();
            let left = old
                .terms
                .iter()
                .filter(|(term, _)| !after.contains(&**term));
            moved.extend(left.map(|(term, _)| term.clone()));
        }
        moved
    }

    /// Adds document `id`'s counts; returns the surface words that are new.
    fn add(&mut self, id: u32, doc: &DocCounts, touched: &mut HashSet<Box<str>>) -> Vec<Box<str>> {
        for (term, fields) in &doc.terms {
            let list = self.counts.entry(term.clone()).or_default();
            // A term the document had before keeps its place: set in place
            // rather than moving the rest of a long list twice.
            match list.binary_search_by_key(&id, |(d, _)| *d) {
                Ok(at) => list[at].1 = *fields,
                Err(at) => list.insert(at, (id, *fields)),
            }
            touched.insert(term.clone());
        }
        let mut new_words = Vec::new();
        for (surface, index) in &doc.surfaces {
            let entry = self.surfaces.entry(surface.clone()).or_insert_with(|| {
                new_words.push(surface.clone());
                (doc.terms[*index as usize].0.clone(), 0)
            });
            entry.1 += 1;
        }
        self.lengths[id as usize] = doc.length;
        self.total_length += u64::from(doc.length);
        new_words
    }

    /// Takes document `id`'s counts out, but for the terms it still has as
    /// `next` (which [`IndexState::add`] sets in place); returns the surface
    /// words no document uses now.
    fn remove(
        &mut self,
        id: u32,
        doc: &DocCounts,
        next: &DocCounts,
        touched: &mut HashSet<Box<str>>,
    ) -> Vec<Box<str>> {
        let kept: HashSet<&str> = next.terms.iter().map(|(term, _)| &**term).collect();
        for (term, _) in doc.terms.iter().filter(|(term, _)| !kept.contains(&**term)) {
            if let Some(list) = self.counts.get_mut(term) {
                if let Ok(at) = list.binary_search_by_key(&id, |(d, _)| *d) {
                    list.remove(at);
                }
                if list.is_empty() {
                    self.counts.remove(term);
                    self.scored.remove(term);
                }
            }
            touched.insert(term.clone());
        }
        let mut gone = Vec::new();
        for (surface, _) in &doc.surfaces {
            if let Some(entry) = self.surfaces.get_mut(surface) {
                entry.1 -= 1;
                if entry.1 == 0 {
                    self.surfaces.remove(surface);
                    gone.push(surface.clone());
                }
            }
        }
        self.total_length -= u64::from(self.lengths[id as usize]);
        self.lengths[id as usize] = 0;
        gone
    }

    fn sort_words(&mut self) {
        let mut words: Vec<Box<str>> = self.surfaces.keys().cloned().collect();
        words.par_sort_unstable_by(|a, b| js_order(a, b));
        self.words = words;
    }

    /// Scores the `touched` terms, or every term when that is `None` or the
    /// document count or average length moved since the last scoring.
    pub(crate) fn score(&mut self, touched: Option<&HashSet<Box<str>>>) {
        let scale = self.scale();
        let with = Some((self.lengths.len(), scale.average));
        let terms: Vec<&Box<str>> = match touched {
            Some(touched) if self.scored_with == with => touched
                .iter()
                .filter(|t| self.counts.contains_key(*t))
                .collect(),
            _ => self.counts.keys().collect(),
        };
        let scored: Vec<(Box<str>, Scored)> = terms
            .into_par_iter()
            .map(|term| {
                let per_doc = std::slice::from_ref(&self.counts[term]);
                (term.clone(), scale.score(per_doc))
            })
            .collect();
        self.scored.extend(scored);
        self.scored_with = with;
    }

    fn scale(&self) -> Scale<'_> {
        let total = self.lengths.len().max(1) as f64;
        Scale {
            lengths: &self.lengths,
            total,
            // Whole tokens: see the module doc.
            average: (self.total_length as f64 / total).round().max(1.0),
        }
    }

    /// The term of a surface word and its scored postings.
    pub(crate) fn entry(&self, word: &str) -> (&str, &Scored) {
        let term = &self.surfaces[word].0;
        (term, &self.scored[term])
    }
}

/// What a term's BM25 scores depend on besides its own counts.
struct Scale<'a> {
    lengths: &'a [u32],
    total: f64,
    average: f64,
}

impl Scale<'_> {
    /// One term's postings with BM25 scores over the weighted term frequency,
    /// from its counts per document in runs, in id order.
    fn score(&self, runs: &[Vec<(u32, FieldCounts)>]) -> Scored {
        let idf = self.idf(runs.iter().map(Vec::len).sum());
        let scores: Vec<(u32, u32)> = runs
            .iter()
            .flatten()
            .map(|&(doc, fields)| {
                let length = self.lengths[doc as usize];
                (doc, self.quantised(idf, fields, length))
            })
            .collect();
        let postings = encode_postings(&scores);
        let hash = key_of(&postings);
        Scored { postings, hash }
    }

    /// The inverse document frequency of a term that `df` documents use.
    fn idf(&self, df: usize) -> f64 {
        let df = df as f64;
        (1.0 + (self.total - df + 0.5) / (df + 0.5)).ln()
    }

    /// A document's quantised score for a term, from its counts and length.
    fn quantised(&self, idf: f64, fields: FieldCounts, length: u32) -> u32 {
        let tf = fields.weighted();
        let norm = K1 * (1.0 - B + B * f64::from(length) / self.average);
        quantise(idf * tf * (K1 + 1.0) / (tf + norm))
    }
}
