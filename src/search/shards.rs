//! The index as files: a manifest, term shards and document shards, each a
//! self-registering `.js` file. The format is specified in docs/search-index.md;
//! this module is its writer (and, in tests, its reader).
//!
//! Why `.js`: a page opened from `file://` may not `fetch` its neighbours, but it may
//! load them with `<script>` (mdBook ships `searchindex.js` for the same reason).
//! Each file is one call, `__studysiteSearch("<name>", "<packed JSON>");`, which the
//! browser side resolves to the load that asked for `<name>`. The JSON is packed
//! ([`pack`]: zlib, then base64) to little over half its size, on disk and on the
//! wire, whether or not the host compresses.
//!
//! Steps:
//! 1. Take the surface words in UTF-16 code-unit order (JavaScript's string order,
//!    so the browser can binary-search with `<`), kept sorted by the
//!    [`IndexState`].
//! 2. Cut them into term shards at content-defined boundaries of about
//!    [`TERM_SHARD_BYTES`] ([`cut_term_shards`]). An entry is its term's postings,
//!    or, when an earlier word of the same shard already carries them (`policies`
//!    after `policy`), that word's index. Give each shard the shortest prefix of its
//!    first word that sorts after the previous shard's last word: the ranges the
//!    manifest lists.
//! 3. Cut the documents, in reading order, into document shards of a fixed count
//!    of about [`DOC_SHARD_BYTES`], each with the pages its documents point into.
//! 4. Name the shards `t<i>` and `d<i>`; the manifest, written last, gives each set
//!    a version, a hash over its shards, that the browser adds to their URLs.
//!
//! The boundaries depend on the words and the document count only, never on the
//! postings or texts, so an edit leaves most shards byte-identical: `serve`
//! reuses their files (through [`ShardFiles`]) and static hosts keep serving them from cache.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use bytes::Bytes;
use rayon::prelude::*;

use crate::hashing::key_of_items;
use crate::hashing::ContentHasher;
use crate::search::documents::{DocKind, SearchDoc, SearchPage};
#[cfg(test)]
use crate::search::format::{decode_postings, decode_varints, is_continued};
use crate::search::format::{encode_ascending, js_order, pack};
use crate::search::state::{IndexState, Scored};

/// Format version, bumped on any incompatible change (the browser checks it).
pub(crate) const FORMAT_VERSION: u32 = 3;
/// Folder of the index inside the output.
pub(crate) const SEARCH_DIR: &str = "search";
/// The manifest, the only file with a fixed name.
pub(crate) const MANIFEST_NAME: &str = "index";
/// Term shards hold this many bytes of entries on average, before packing.
pub(crate) const TERM_SHARD_BYTES: usize = 12 * 1024;
/// Document shards hold this many bytes of documents on average, before packing
/// (about 6 KiB after).
pub(crate) const DOC_SHARD_BYTES: usize = 12 * 1024;
/// The global function each file calls.
pub(crate) const REGISTER_FN: &str = "__studysiteSearch";
/// Length of a set's version.
const HASH_CHARS: usize = 8;

/// `search/index.js`: what the browser loads first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub(crate) version: u32,
    pub(crate) language: String,
    /// Words dropped from documents, so the browser drops them from queries.
    pub(crate) stop: Vec<String>,
    /// Document kinds by code.
    pub(crate) kinds: Vec<String>,
    /// Number of documents.
    pub(crate) docs: u32,
    /// Term shards, in order.
    pub(crate) terms: TermShards,
    /// Document shards, in order.
    pub(crate) documents: DocShards,
}

/// The manifest's list of term shards. Shard *i* is the file `t<i>` and holds
/// the words `w` with `keys[i] <= w < keys[i+1]`; `keys[0]` is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TermShards {
    pub(crate) keys: Vec<String>,
    /// The set's version, over all term shards: one per set rather than per shard
    /// keeps the manifest small on big sites (thousands of shards).
    pub(crate) hash: String,
}

/// The manifest's list of document shards. Shard *i* is the file `d<i>`; its
/// first document id is the running sum of the varints in `first` (see [`DIGITS`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DocShards {
    pub(crate) first: String,
    pub(crate) hash: String,
}

/// `search/t…-<hash>.js`: a range of surface words and their postings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TermShard {
    /// Surface words, sorted in UTF-16 order.
    pub(crate) w: Vec<String>,
    /// One entry per word: an encoded posting list (see [`encode_postings`]), or the
    /// index in `w` of an earlier word whose postings this word shares.
    pub(crate) p: Vec<TermEntry>,
}

/// A word's postings, or a pointer to a word in the same shard that has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum TermEntry {
    Postings(String),
    SameAs(usize),
}

/// `search/d…-<hash>.js`: consecutive documents and the pages they point into.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DocShard {
    /// `[title, path, section]` per page; documents refer to them by index.
    pub(crate) pages: Vec<(String, String, String)>,
    /// `[page, heading, anchor, kind, text, parent heading]` per document, from the
    /// shard's first id on.
    pub(crate) docs: Vec<DocRow>,
}

/// A document in a [`DocShard`]: `[page, heading, anchor, kind, text, parent]`.
pub(crate) type DocRow = (usize, String, String, usize, String, String);

/// One file of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexFile {
    /// Path relative to the output root: `search/t0.js`.
    pub(crate) path: String,
    pub(crate) text: Bytes,
}

/// Where a shard's file and content hash come from: `make` (a clean build), or
/// what `serve` kept under the shard's name while `key` is unchanged.
pub(crate) trait ShardFiles: Sync {
    fn file(
        &self,
        name: &str,
        key: &dyn Fn() -> u64,
        make: &dyn Fn() -> (Bytes, u64),
    ) -> (Bytes, u64);
}

/// Every shard serialised now.
pub(crate) struct Fresh;

impl ShardFiles for Fresh {
    fn file(&self, _: &str, _: &dyn Fn() -> u64, make: &dyn Fn() -> (Bytes, u64)) -> (Bytes, u64) {
        make()
    }
}

/// Every file of the index; the manifest comes last. `files` gives each
/// shard's file (serve reuses the unchanged ones). Shards are made in parallel.
pub(crate) fn write_shards(
    state: &IndexState,
    pages: &[SearchPage],
    docs: &[SearchDoc],
    manifest: Manifest,
    files_of: &dyn ShardFiles,
) -> Vec<IndexFile> {
    let mut manifest = manifest;
    let term_shards = cut_term_shards(state);
    let (mut files, hashes): (Vec<IndexFile>, Vec<u64>) = term_shards
        .par_iter()
        .enumerate()
        .map(|(i, words)| {
            let key = || key_of_items(&i, words.iter().map(|(w, _, s)| (w, s.hash)));
            shard_file(files_of, &format!("t{i}"), &key, &|| term_shard(words))
        })
        .unzip();
    manifest.terms = TermShards {
        keys: term_shard_keys(&term_shards),
        hash: short_hash(&hashes),
    };
    let per_shard = docs_per_shard(docs);
    let (doc_files, hashes): (Vec<IndexFile>, Vec<u64>) = docs
        .par_chunks(per_shard)
        .enumerate()
        .map(|(i, chunk)| {
            let key = || doc_shard_key(state, i * per_shard, chunk.len(), i);
            shard_file(files_of, &format!("d{i}"), &key, &|| {
                doc_shard(pages, chunk)
            })
        })
        .unzip();
    files.extend(doc_files);
    let firsts: Vec<u32> = (0..hashes.len()).map(|i| (i * per_shard) as u32).collect();
    manifest.documents = DocShards {
        first: encode_ascending(&firsts),
        hash: short_hash(&hashes),
    };
    files.push(IndexFile {
        path: format!("{SEARCH_DIR}/{MANIFEST_NAME}.js"),
        text: script(MANIFEST_NAME, &json(&manifest)).into(),
    });
    files
}

/// Each term shard's key in the manifest: the shortest string that sorts
/// after the previous shard's last word and not after its own first.
fn term_shard_keys(term_shards: &[Vec<(&str, &str, &Scored)>]) -> Vec<String> {
    let mut previous_last: Option<&str> = None;
    term_shards
        .iter()
        .map(|words| {
            let key =
                previous_last.map_or_else(String::new, |last| shortest_key_after(words[0].0, last));
            previous_last = words.last().map(|(word, ..)| *word);
            key
        })
        .collect()
}

/// A shard's file and the content hash of its JSON, through `files_of`.
fn shard_file<T: Serialize>(
    files_of: &dyn ShardFiles,
    name: &str,
    key: &dyn Fn() -> u64,
    make: &dyn Fn() -> T,
) -> (IndexFile, u64) {
    let (text, hash) = files_of.file(name, key, &|| {
        let body = json(&make());
        let hash = ContentHasher::of(body.as_bytes());
        (Bytes::from(script(name, &body)), hash)
    });
    let path = format!("{SEARCH_DIR}/{name}.js");
    (IndexFile { path, text }, hash)
}

/// Everything a document shard shows: its place and its documents' keys
/// (each covers the document's whole row, see [`doc_key`]).
///
/// [`doc_key`]: crate::search::documents::doc_key
fn doc_shard_key(state: &IndexState, first: usize, count: usize, i: usize) -> u64 {
    let docs = &state.docs[first..first + count];
    key_of_items(&i, docs.iter().map(|(key, _)| key))
}

/// Steps 1–2: the words of each term shard, with their terms and postings.
///
/// A shard starts at every word whose hash is a multiple of the shard size in
/// words (content-defined, like rsync's chunks): an edit that changes postings
/// moves no boundary, so `serve` rewrites only the shards whose words changed.
/// The size is the power of two nearest [`TERM_SHARD_BYTES`] over the average
/// entry, so it changes only when the index grows or shrinks a lot.
pub(crate) fn cut_term_shards(state: &IndexState) -> Vec<Vec<(&str, &str, &Scored)>> {
    let entries: Vec<(&str, &str, &Scored)> = state
        .words
        .par_iter()
        .map(|word| {
            let (term, scored) = state.entry(word);
            (&**word, term, scored)
        })
        .collect();
    let bytes: usize = entries
        .par_iter()
        .map(|(w, _, s)| w.len() + 6 + s.postings.len())
        .sum();
    let per_shard = power_of_two_near(TERM_SHARD_BYTES * entries.len() / bytes.max(1));
    // FNV-1a's low bits are weak: take high bits of a multiplied hash.
    let boundaries: Vec<bool> = entries
        .par_iter()
        .map(|(word, ..)| {
            let mixed =
                ContentHasher::of(word.as_bytes()).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32;
            mixed.is_multiple_of(per_shard as u64)
        })
        .collect();
    let mut shards: Vec<Vec<(&str, &str, &Scored)>> = Vec::new();
    for (entry, boundary) in entries.into_iter().zip(boundaries) {
        match shards.last_mut() {
            Some(shard) if !boundary => shard.push(entry),
            _ => shards.push(vec![entry]),
        }
    }
    shards
}

/// A term shard: each word's postings, or the index of an earlier word of the
/// shard with the same term (its postings are the same).
fn term_shard(words: &[(&str, &str, &Scored)]) -> TermShard {
    let mut shard = TermShard::default();
    let mut owners: BTreeMap<&str, usize> = BTreeMap::new();
    for &(word, term, scored) in words {
        let entry = match owners.get(term) {
            Some(&owner) => TermEntry::SameAs(owner),
            None => {
                owners.insert(term, shard.w.len());
                TermEntry::Postings(scored.postings.clone())
            }
        };
        shard.w.push(word.to_string());
        shard.p.push(entry);
    }
    shard
}

/// The nearest power of two to `n` (at least 1), by its logarithm.
fn power_of_two_near(n: usize) -> usize {
    let n = n.max(1);
    let below = 1usize << n.ilog2();
    if n - below < below * 2 - n {
        below
    } else {
        below * 2
    }
}

/// The shortest prefix of `first` that sorts after `previous` (`first > previous`).
fn shortest_key_after(first: &str, previous: &str) -> String {
    let mut key = String::new();
    for c in first.chars() {
        key.push(c);
        if js_order(&key, previous) == Ordering::Greater {
            break;
        }
    }
    key
}

/// Step 3: documents per document shard, in id order: the power of two
/// nearest [`DOC_SHARD_BYTES`] over the average document. A fixed count keeps
/// an edited document's text from moving the other shards' boundaries.
fn docs_per_shard(docs: &[SearchDoc]) -> usize {
    let bytes: usize = docs
        .par_iter()
        .map(|d| d.heading.len() + d.anchor.len() + d.snippet_text().len() + d.parent.len() + 20)
        .sum();
    power_of_two_near(DOC_SHARD_BYTES * docs.len() / bytes.max(1))
}

/// A document shard: its documents and the pages they point into.
fn doc_shard(pages: &[SearchPage], docs: &[SearchDoc]) -> DocShard {
    let mut shard = DocShard::default();
    let mut local: BTreeMap<usize, usize> = BTreeMap::new();
    for doc in docs {
        let page_index = *local.entry(doc.page).or_insert_with(|| {
            let page = &pages[doc.page];
            shard
                .pages
                .push((page.title.clone(), page.path.clone(), page.section.clone()));
            shard.pages.len() - 1
        });
        shard.docs.push((
            page_index,
            doc.heading.to_string(),
            doc.anchor.to_string(),
            doc.kind.code(),
            doc.snippet_text().to_string(),
            doc.parent.to_string(),
        ));
    }
    shard
}

#[cfg(test)]
/// File names of the shards a manifest lists: `(term shards, document shards)`.
pub(crate) fn shard_names(manifest: &Manifest) -> (Vec<String>, Vec<String>) {
    let terms = (0..manifest.terms.keys.len())
        .map(|i| format!("t{i}"))
        .collect();
    let count = manifest
        .documents
        .first
        .bytes()
        .filter(|b| !is_continued(*b))
        .count();
    let docs = (0..count).map(|i| format!("d{i}")).collect();
    (terms, docs)
}

fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("index structs always serialise")
}

fn script(name: &str, body: &str) -> String {
    format!("{REGISTER_FN}(\"{name}\",\"{}\");\n", pack(body))
}

/// A set's version: [`HASH_CHARS`] hex digits of a hash over its shards' hashes.
/// The browser adds it to each shard's URL (`t3.js?v=…`) to bust caches.
fn short_hash(hashes: &[u64]) -> String {
    let mut hasher = ContentHasher::default();
    hashes
        .iter()
        .for_each(|hash| hasher.update(&hash.to_le_bytes()));
    format!("{:016x}", hasher.value())[..HASH_CHARS].to_string()
}

/// The kinds list of the manifest.
pub(crate) fn kind_names() -> Vec<String> {
    DocKind::ALL.iter().map(|k| k.name().to_string()).collect()
}

#[cfg(test)]
#[path = "shards_tests.rs"]
mod tests;
