//! The search index's parts kept across `serve`'s rebuilds: each page's
//! documents, their term counts by content (an edit re-tokenises only the
//! documents it changed), the scored index and its shard files. A clean build
//! never uses it.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::memo::Memo;
use crate::search::documents::PageDocs;
use crate::search::index::DocCounts;
use crate::search::shards::ShardMemo;
use crate::search::state::IndexState;

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
