//! Note pages kept across `serve`'s rebuilds.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use bytes::Bytes;

use crate::error::Result;

/// Note pages by output path, with the key of everything each was rendered
/// from besides the cache's fingerprint (which empties it when it changes):
/// see `PageRender::render` in
/// [`pages`](crate::render::pages). An edit re-renders only the pages whose key
/// changed: the edited note's, and its neighbours' or its section's when a
/// title they show changed.
#[derive(Debug, Default)]
pub(crate) struct PageMemo {
    pages: Mutex<HashMap<String, (u64, Bytes)>>,
    /// Pages rendered by the last build (the rest were reused).
    rendered: AtomicUsize,
}

impl PageMemo {
    /// The page at `path` rendered from `key`: kept from an earlier build, or
    /// rendered now and kept.
    pub(crate) fn get_or_render(
        &self,
        path: &str,
        key: u64,
        render: impl FnOnce() -> Result<String>,
    ) -> Result<Bytes> {
        if let Some((_, body)) = lock(&self.pages).get(path).filter(|(k, _)| *k == key) {
            return Ok(body.clone());
        }
        let body = Bytes::from(render()?);
        self.rendered.fetch_add(1, Ordering::Relaxed);
        lock(&self.pages).insert(path.to_string(), (key, body.clone()));
        Ok(body)
    }

    /// Starts a build's pages: forgets pages that no longer exist.
    pub(crate) fn begin(&self, paths: &HashSet<String>) {
        self.rendered.store(0, Ordering::Relaxed);
        lock(&self.pages).retain(|path, _| paths.contains(path));
    }

    /// Pages the last build rendered rather than reused.
    pub(crate) fn rendered(&self) -> usize {
        self.rendered.load(Ordering::Relaxed)
    }

    /// Forgets every page: what they were rendered with changed.
    pub(crate) fn clear(&self) {
        lock(&self.pages).clear();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
