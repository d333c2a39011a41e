//! The search stage through the cache: each page's documents, their term
//! counts by content (an edit re-tokenises only the documents it changed), the
//! scored index (updated for the documents that changed, see
//! [`IndexState::update`]) and its shard files.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use rayon::prelude::*;

use crate::cache::memo::Memo;
use crate::config::SiteConfig;
use crate::content::model::SiteModel;
use crate::hashing::key_of;
use crate::markdown::RenderedNote;
use crate::search::documents::{
    borrow_documents, doc_key, note_documents, search_page, search_pages, NoteInput, PageDocs,
    SearchDoc, SearchPage,
};
use crate::search::index::DocCounts;
use crate::search::shards::{write_shards, IndexFile, Manifest, ShardFiles};
use crate::search::state::IndexState;
use crate::search::tokenize::{StemCache, Tokenizer};
use crate::search::{manifest, note_inputs, SearchIndex};

/// Shard files by name, with the content hash of their JSON.
pub(crate) type ShardMemo = Memo<(Bytes, u64)>;

impl ShardFiles for ShardMemo {
    fn file(
        &self,
        name: &str,
        key: &dyn Fn() -> u64,
        make: &dyn Fn() -> (Bytes, u64),
    ) -> (Bytes, u64) {
        self.get_or_make(name, key(), make)
    }
}

/// Counts by document content, the index built from them and its shard files;
/// owned by the caller across builds.
#[derive(Debug, Default)]
pub(crate) struct SearchCache {
    counts: Mutex<HashMap<u64, Arc<DocCounts>>>,
    /// Documents tokenised by the last build (the rest came from the cache).
    tokenised: AtomicUsize,
    state: Mutex<Option<IndexState>>,
    pub(crate) shards: ShardMemo,
    /// Each page's documents, by page path.
    pub(crate) documents: Memo<Arc<PageDocs>>,
}

impl SearchCache {
    /// [`build_search_index`](crate::search::build_search_index), reusing what is unchanged.
    pub(crate) fn build_search_index(
        &self,
        model: &SiteModel,
        notes: &[Arc<RenderedNote>],
        section_notes: &[Arc<RenderedNote>],
        config: &SiteConfig,
    ) -> SearchIndex {
        let inputs = note_inputs(model, notes, section_notes);
        let language = &config.language;
        let (pages, page_docs) = self.collect_documents(&inputs, language);
        let (docs, keys) = borrow_documents(&page_docs);
        let tokenizer = Tokenizer::for_language(language);
        let manifest = manifest(&tokenizer, language, docs.len());
        SearchIndex {
            files: self.index_files(&pages, &docs, &keys, &tokenizer, manifest),
        }
    }

    /// The index files of `docs` (whose keys are `keys`).
    pub(crate) fn index_files(
        &self,
        pages: &[SearchPage],
        docs: &[SearchDoc],
        keys: &[u64],
        tokenizer: &Tokenizer,
        manifest: Manifest,
    ) -> Vec<IndexFile> {
        let count = |ids: &[usize]| self.count_documents(pages, docs, keys, ids, tokenizer);
        self.with_state(keys, count, |state| {
            write_shards(state, pages, docs, manifest, &self.shards)
        })
    }

    /// The counts of the document with `key` ([`doc_key`](super::documents::doc_key)):
    /// cached, or made by `count` and kept.
    pub(crate) fn get_or_count(
        &self,
        key: u64,
        count: impl FnOnce() -> DocCounts,
    ) -> Arc<DocCounts> {
        if let Some(found) = self.lock().get(&key) {
            return Arc::clone(found);
        }
        let counts = Arc::new(count());
        self.tokenised.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(key, Arc::clone(&counts));
        counts
    }

    /// Each page's documents, kept
    /// while its note, title and place are unchanged. Returns the page table and
    /// the pages' documents, which [`borrow_documents`] lays out in reading order.
    fn collect_documents(
        &self,
        notes: &[NoteInput<'_>],
        language: &str,
    ) -> (Vec<SearchPage>, Vec<Arc<PageDocs>>) {
        let docs = notes
            .par_iter()
            .map(|input| {
                let key = key_of(&(
                    input.note.source_key,
                    input.title,
                    input.path,
                    input.section,
                ));
                self.documents.get_or_make(input.path, key, || {
                    let texts = input.note.sections.unpack();
                    let docs: Vec<SearchDoc<'static>> = note_documents(0, input.note, &texts)
                        .map(SearchDoc::into_owned)
                        .collect();
                    let page = search_page(input);
                    let keys = docs.iter().map(|d| doc_key(language, &page, d)).collect();
                    Arc::new(PageDocs { docs, keys })
                })
            })
            .collect();
        (search_pages(notes), docs)
    }

    /// The counts of the documents at `ids`, kept when their key (their
    /// page title, heading and text) is known there (serve's rebuilds).
    fn count_documents(
        &self,
        pages: &[SearchPage],
        docs: &[SearchDoc],
        keys: &[u64],
        ids: &[usize],
        tokenizer: &Tokenizer,
    ) -> Vec<Arc<DocCounts>> {
        let counted = ids
            .par_iter()
            .map_init(StemCache::default, |stems, &i| {
                let count = || DocCounts::count(pages, &docs[i], tokenizer, stems);
                self.get_or_count(keys[i], count)
            })
            .collect();
        self.prune(keys);
        counted
    }

    /// Starts a build: resets the count of documents tokenised.
    pub(crate) fn begin(&self) {
        self.tokenised.store(0, Ordering::Relaxed);
    }

    /// Brings the kept index to the documents with `keys` (see
    /// [`IndexState::update`] for `count`) and hands it to `write`.
    pub(crate) fn with_state<T>(
        &self,
        keys: &[u64],
        count: impl FnOnce(&[usize]) -> Vec<Arc<DocCounts>>,
        write: impl FnOnce(&IndexState) -> T,
    ) -> T {
        let mut slot = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        // Out of its slot while it changes, so a panic part-way leaves no
        // half-updated index: the next build starts from nothing instead.
        let mut state = slot.take().unwrap_or_default();
        state.update(keys, count);
        let written = write(&state);
        *slot = Some(state);
        written
    }

    /// Drops every entry but `keys` (documents that are gone or were edited),
    /// once the cache holds twice as many entries as there are documents.
    pub(crate) fn prune(&self, keys: &[u64]) {
        if self.lock().len() <= keys.len() * 2 {
            return;
        }
        let keep: HashSet<u64> = keys.iter().copied().collect();
        self.lock().retain(|key, _| keep.contains(key));
    }

    /// Documents the last build tokenised rather than took from the cache.
    pub(crate) fn tokenised(&self) -> usize {
        self.tokenised.load(Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Arc<DocCounts>>> {
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
