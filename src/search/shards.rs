//! The index as files: a manifest, term shards and document shards, each a
//! self-registering `.js` file. The format is specified in docs/search-index.md;
//! this module is its writer (and, in tests, its reader).
//!
//! Why `.js`: a page opened from `file://` may not `fetch` its neighbours, but it may
//! load them with `<script>` (mdBook ships `searchindex.js` for the same reason).
//! Each file is one call, `__studysiteSearch("<name>", <JSON>);`, which the browser
//! side resolves to the load that asked for `<name>`.
//!
//! Steps:
//! 1. Sort surface words in UTF-16 code-unit order (JavaScript's string order, so the
//!    browser can binary-search with `<`).
//! 2. Walk them, appending each word's entry to the current term shard and cutting a
//!    new shard once it holds [`TERM_SHARD_BYTES`]. An entry is its term's postings,
//!    or, when an earlier word of the same shard already carries them (`policies`
//!    after `policy`), that word's index.
//! 3. Give each shard the shortest prefix of its first word that sorts after the
//!    previous shard's last word: the ranges the manifest lists.
//! 4. Cut the documents, in reading order, into document shards of about
//!    [`DOC_SHARD_BYTES`], each with the pages its documents point into.
//! 5. Name the shards `t<i>-<hash>` and `d<i>-<hash>`, the hash taken over each set's
//!    content (per set, not per shard, so the manifest need not list thousands of
//!    hashes); write the manifest last.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::render::ContentHasher;
use crate::search::documents::{stored_text, DocKind, SearchDoc, SearchPage};
use crate::search::index::{InvertedIndex, PostingList};

/// Format version, bumped on any incompatible change (the browser checks it).
pub(crate) const FORMAT_VERSION: u32 = 1;
/// Folder of the index inside the output.
pub(crate) const SEARCH_DIR: &str = "search";
/// The manifest, the only file with a fixed name.
pub(crate) const MANIFEST_NAME: &str = "index";
/// Term shards are cut once their entries reach this many bytes.
pub(crate) const TERM_SHARD_BYTES: usize = 12 * 1024;
/// Document shards are cut once their documents reach this many bytes.
pub(crate) const DOC_SHARD_BYTES: usize = 6 * 1024;
/// The global function each file calls.
pub(crate) const REGISTER_FN: &str = "__studysiteSearch";
/// Length of the content hash in shard names.
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

/// The manifest's list of term shards. Shard *i* is the file `t<i>-<hash>` and holds
/// the words `w` with `keys[i] <= w < keys[i+1]`; `keys[0]` is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TermShards {
    pub(crate) keys: Vec<String>,
    /// Hash of all term shards: one per set rather than per shard keeps the manifest
    /// small on big sites (thousands of shards).
    pub(crate) hash: String,
}

/// The manifest's list of document shards. Shard *i* is the file `d<i>-<hash>`; its
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
    /// Path relative to the output root: `search/t0-1a2b3c4d.js`.
    pub(crate) path: String,
    pub(crate) text: String,
}

/// Every file of the index; the manifest comes last.
pub(crate) fn write_shards(
    index: &InvertedIndex,
    pages: &[SearchPage],
    docs: &[SearchDoc],
    manifest: Manifest,
) -> Vec<IndexFile> {
    let mut files = Vec::new();
    let mut manifest = manifest;
    let (keys, term_shards): (Vec<String>, Vec<TermShard>) =
        cut_term_shards(index).into_iter().unzip();
    manifest.terms = TermShards {
        keys,
        hash: emit_set("t", term_shards, &mut files),
    };
    let (firsts, doc_shards): (Vec<u32>, Vec<DocShard>) =
        cut_doc_shards(pages, docs).into_iter().unzip();
    manifest.documents = DocShards {
        first: encode_ascending(&firsts),
        hash: emit_set("d", doc_shards, &mut files),
    };
    files.push(IndexFile {
        path: format!("{SEARCH_DIR}/{MANIFEST_NAME}.js"),
        text: script(MANIFEST_NAME, &json(&manifest)),
    });
    files
}

/// UTF-16 code-unit order: JavaScript's `<` on strings.
pub(crate) fn js_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Steps 1–3: `(key, shard)` pairs in order.
pub(crate) fn cut_term_shards(index: &InvertedIndex) -> Vec<(String, TermShard)> {
    let mut words: Vec<(&String, Vec<&String>)> = index
        .surfaces
        .iter()
        .map(|(word, terms)| (word, terms.iter().collect()))
        .collect();
    words.sort_by(|a, b| js_order(a.0, b.0));
    let mut shards: Vec<TermShard> = Vec::new();
    let mut current = TermShard::default();
    let mut owners: BTreeMap<&str, usize> = BTreeMap::new();
    let mut bytes = 0;
    for (word, terms) in words {
        if bytes >= TERM_SHARD_BYTES {
            shards.push(std::mem::take(&mut current));
            // Owners of the previous shard are out of reach: words get their own copy.
            owners.clear();
            bytes = 0;
        }
        let shared = match terms.as_slice() {
            [term] => owners.get(term.as_str()).copied(),
            _ => None,
        };
        let entry = match shared {
            Some(owner) => TermEntry::SameAs(owner),
            None => TermEntry::Postings(encode_postings(&merged(index, &terms))),
        };
        bytes += word.len()
            + 6
            + match &entry {
                TermEntry::Postings(p) => p.len(),
                TermEntry::SameAs(_) => 3,
            };
        push_entry(&mut current, &mut owners, word, &terms, entry);
    }
    if !current.w.is_empty() {
        shards.push(current);
    }
    let mut keyed = Vec::with_capacity(shards.len());
    let mut previous_last: Option<String> = None;
    for shard in shards {
        let key = match &previous_last {
            None => String::new(),
            Some(last) => shortest_key_after(&shard.w[0], last),
        };
        previous_last = shard.w.last().cloned();
        keyed.push((key, shard));
    }
    keyed
}

fn push_entry<'a>(
    shard: &mut TermShard,
    owners: &mut BTreeMap<&'a str, usize>,
    word: &str,
    terms: &[&'a String],
    entry: TermEntry,
) {
    if let ([term], TermEntry::Postings(_)) = (terms, &entry) {
        owners.insert(term.as_str(), shard.w.len());
    }
    shard.w.push(word.to_string());
    shard.p.push(entry);
}

/// The postings of one or more terms; for a document in several, the best score.
fn merged(index: &InvertedIndex, terms: &[&String]) -> PostingList {
    if let [term] = terms {
        return index.terms[term.as_str()].clone();
    }
    let mut best: BTreeMap<u32, u32> = BTreeMap::new();
    for term in terms {
        for &(doc, score) in &index.terms[term.as_str()] {
            let slot = best.entry(doc).or_default();
            *slot = (*slot).max(score);
        }
    }
    best.into_iter().collect()
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

/// Step 4: `(first document id, shard)` pairs in order.
pub(crate) fn cut_doc_shards(pages: &[SearchPage], docs: &[SearchDoc]) -> Vec<(u32, DocShard)> {
    let mut shards = Vec::new();
    let mut first = 0;
    let mut current = DocShard::default();
    let mut local: BTreeMap<usize, usize> = BTreeMap::new();
    let mut bytes = 0;
    for (id, doc) in docs.iter().enumerate() {
        if bytes >= DOC_SHARD_BYTES {
            shards.push((first, std::mem::take(&mut current)));
            local.clear();
            first = id as u32;
            bytes = 0;
        }
        let page_index = *local.entry(doc.page).or_insert_with(|| {
            let page = &pages[doc.page];
            bytes += page.title.len() + page.path.len() + page.section.len() + 12;
            current
                .pages
                .push((page.title.clone(), page.path.clone(), page.section.clone()));
            current.pages.len() - 1
        });
        let text = stored_text(&doc.text);
        bytes += doc.heading.len() + doc.anchor.len() + text.len() + doc.parent.len() + 20;
        current.docs.push((
            page_index,
            doc.heading.clone(),
            doc.anchor.clone(),
            doc.kind.code(),
            text.to_string(),
            doc.parent.clone(),
        ));
    }
    if !current.docs.is_empty() {
        shards.push((first, current));
    }
    shards
}

/// Posting lists as text: each number a little-endian base-32 varint, one character
/// per 5 bits from [`DIGITS`], bit 6 (`+32`) set on all but the last character. The
/// list is `doc, score` pairs, each doc the gap from the previous one.
pub(crate) fn encode_postings(postings: &[(u32, u32)]) -> String {
    let mut out = String::with_capacity(postings.len() * 3);
    let mut previous = 0;
    for &(doc, score) in postings {
        push_varint(&mut out, doc - previous);
        push_varint(&mut out, score);
        previous = doc;
    }
    out
}

/// 64 characters that need no escaping in JSON strings.
pub(crate) const DIGITS: &[u8; 64] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

fn push_varint(out: &mut String, mut n: u32) {
    loop {
        let low = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(DIGITS[low] as char);
            return;
        }
        out.push(DIGITS[low | 32] as char);
    }
}

/// The numbers of a varint string.
#[cfg(test)]
pub(crate) fn decode_varints(text: &str) -> Option<Vec<u32>> {
    let mut numbers = Vec::new();
    let (mut value, mut shift) = (0u32, 0);
    for byte in text.bytes() {
        let digit = DIGITS.iter().position(|&d| d == byte)? as u32;
        value |= (digit & 31) << shift;
        if digit & 32 == 0 {
            numbers.push(value);
            (value, shift) = (0, 0);
        } else {
            shift += 5;
        }
    }
    Some(numbers)
}

/// The inverse of [`encode_postings`] (the browser has its own copy).
#[cfg(test)]
pub(crate) fn decode_postings(text: &str) -> Option<PostingList> {
    let mut doc = 0;
    let postings = decode_varints(text)?
        .chunks(2)
        .map(|pair| {
            doc += pair[0];
            (doc, *pair.get(1).unwrap_or(&0))
        })
        .collect();
    Some(postings)
}

/// Emits shards `<prefix><i>-<hash>`, the hash taken over the whole set; returns it.
/// Each shard is dropped once serialised: at 10,000 notes the set is ~90 MB.
fn emit_set(prefix: &str, shards: Vec<impl Serialize>, files: &mut Vec<IndexFile>) -> String {
    let bodies: Vec<String> = shards.into_iter().map(|shard| json(&shard)).collect();
    let hash = short_hash(bodies.iter().map(String::as_bytes));
    for (i, body) in bodies.into_iter().enumerate() {
        let name = format!("{prefix}{i}-{hash}");
        files.push(IndexFile {
            path: format!("{SEARCH_DIR}/{name}.js"),
            text: script(&name, &body),
        });
    }
    hash
}

#[cfg(test)]
/// File names of the shards a manifest lists: `(term shards, document shards)`.
pub(crate) fn shard_names(manifest: &Manifest) -> (Vec<String>, Vec<String>) {
    let terms = (0..manifest.terms.keys.len())
        .map(|i| format!("t{i}-{}", manifest.terms.hash))
        .collect();
    let count = manifest
        .documents
        .first
        .bytes()
        .filter(|b| !is_continued(*b))
        .count();
    let docs = (0..count)
        .map(|i| format!("d{i}-{}", manifest.documents.hash))
        .collect();
    (terms, docs)
}

#[cfg(test)]
fn is_continued(byte: u8) -> bool {
    DIGITS
        .iter()
        .position(|&d| d == byte)
        .is_some_and(|d| d & 32 != 0)
}

/// Ascending numbers as the varints of their gaps.
fn encode_ascending(values: &[u32]) -> String {
    let mut out = String::new();
    let mut previous = 0;
    for &value in values {
        push_varint(&mut out, value - previous);
        previous = value;
    }
    out
}

fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("index structs always serialise")
}

fn script(name: &str, body: &str) -> String {
    format!("{REGISTER_FN}(\"{name}\",{body});\n")
}

/// [`ContentHasher`] over the pieces one after the other, [`HASH_CHARS`] hex
/// digits: a cache-busting name, not security.
fn short_hash<'a>(pieces: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = ContentHasher::default();
    pieces.into_iter().for_each(|piece| hasher.update(piece));
    format!("{:016x}", hasher.value())[..HASH_CHARS].to_string()
}

/// The kinds list of the manifest.
pub(crate) fn kind_names() -> Vec<String> {
    DocKind::ALL.iter().map(|k| k.name().to_string()).collect()
}

#[cfg(test)]
#[path = "shards_tests.rs"]
mod tests;
