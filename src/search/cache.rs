//! Term counts of search documents kept across `serve`'s rebuilds, by content:
//! an edit re-tokenises only the documents it changed (tokenising is most of the
//! index's cost). A clean build never uses it.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::search::documents::SearchDoc;
use crate::search::index::DocCounts;

/// Counts by document content; owned by the caller across builds.
#[derive(Debug, Default)]
pub(crate) struct SearchCache {
    counts: Mutex<HashMap<u64, Arc<DocCounts>>>,
    /// Documents tokenised by the last build (the rest came from the cache).
    tokenised: AtomicUsize,
}

impl SearchCache {
    /// The counts of `doc` (on a page titled `title`, in `language`): cached, or
    /// made by `count` and kept. Returns them with their key.
    pub(crate) fn get_or_count(
        &self,
        language: &str,
        title: &str,
        doc: &SearchDoc<'_>,
        count: impl FnOnce() -> DocCounts,
    ) -> (u64, Arc<DocCounts>) {
        let key = key(language, title, doc);
        if let Some(found) = self.lock().get(&key) {
            return (key, Arc::clone(found));
        }
        let counts = Arc::new(count());
        self.tokenised.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(key, Arc::clone(&counts));
        (key, counts)
    }

    /// Starts a build: resets the count of documents tokenised.
    pub(crate) fn begin(&self) {
        self.tokenised.store(0, Ordering::Relaxed);
    }

    /// Drops every entry but `keys`: documents that are gone or were edited.
    pub(crate) fn keep_only(&self, keys: impl IntoIterator<Item = u64>) {
        let keep: HashSet<u64> = keys.into_iter().collect();
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

/// Everything a document's counts depend on: the language's tokenizer, the page
/// title and the document's heading and text.
fn key(language: &str, title: &str, doc: &SearchDoc<'_>) -> u64 {
    let mut hasher = DefaultHasher::new();
    (language, title, &doc.heading, &*doc.text).hash(&mut hasher);
    hasher.finish()
}
