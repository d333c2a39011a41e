//! Values kept across `serve`'s rebuilds: rendered pages, each page's questions
//! and flashcards, the practice pages and pool files, each page's search
//! documents and the search shard files.
//!
//! Each value is stored under a name (an output path, a source file) with the
//! key of everything it was made from. A build that asks for a name with the
//! same key gets the kept value; any other key makes it again (and keeps that).
//! What a build did not ask for is forgotten when it finishes, so deleted pages
//! leave; a failed build never finishes its round, so it forgets nothing.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashMap};

/// Names are spread over this many separately locked maps, so that the
/// parallel jobs of a build seldom wait for one another's lookups.
const SHARDS: usize = 16;

#[derive(Debug)]
pub(crate) struct Memo<V> {
    entries: [Mutex<FxHashMap<Box<str>, Entry<V>>>; SHARDS],
    /// The current round, stamped on every entry it asks for.
    round: AtomicU64,
    /// Values this round made rather than reused.
    made: AtomicUsize,
}

#[derive(Debug)]
struct Entry<V> {
    key: u64,
    value: V,
    /// The last round that asked for it.
    round: u64,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            entries: std::array::from_fn(|_| Mutex::default()),
            round: AtomicU64::new(0),
            made: AtomicUsize::new(0),
        }
    }
}

impl<V: Clone> Memo<V> {
    /// The value named `name` made from `key`: kept from the last build, or made now.
    pub(crate) fn get_or_make(&self, name: &str, key: u64, make: impl FnOnce() -> V) -> V {
        let made: Result<V, std::convert::Infallible> =
            self.try_get_or_make(name, key, || Ok(make()));
        match made {
            Ok(value) => value,
        }
    }

    /// [`Memo::get_or_make`] with a `make` that can fail.
    pub(crate) fn try_get_or_make<E>(
        &self,
        name: &str,
        key: u64,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        self.try_get_or_update(name, key, |_| make())
    }

    /// [`Memo::try_get_or_make`] whose `make` receives the value last kept
    /// under `name` (from another key), to reuse what is still right in it.
    pub(crate) fn try_get_or_update<E>(
        &self,
        name: &str,
        key: u64,
        make: impl FnOnce(Option<V>) -> Result<V, E>,
    ) -> Result<V, E> {
        let round = self.round.load(Ordering::Relaxed);
        let shard = self.shard(name);
        let previous = match lock(shard).get_mut(name) {
            Some(entry) if entry.key == key => {
                entry.round = round;
                return Ok(entry.value.clone());
            }
            entry => entry.map(|e| e.value.clone()),
        };
        // Made outside the lock: other names are looked up meanwhile.
        self.made.fetch_add(1, Ordering::Relaxed);
        let value = make(previous)?;
        let entry = Entry {
            key,
            value: value.clone(),
            round,
        };
        lock(shard).insert(name.into(), entry);
        Ok(value)
    }

    /// How many values are kept.
    pub(crate) fn len(&self) -> usize {
        self.entries.iter().map(|shard| lock(shard).len()).sum()
    }

    /// Values the current (or last) round made rather than reused.
    pub(crate) fn made(&self) -> usize {
        self.made.load(Ordering::Relaxed)
    }
}

/// The rounds of a memo, whatever its values: what the build cache drives for
/// all its memos at once.
pub(crate) trait Rounds {
    /// Starts a round.
    fn begin(&self);
    /// Ends a round: forgets what it did not ask for.
    fn finish(&self);
}

impl<V> Rounds for Memo<V> {
    fn begin(&self) {
        self.round.fetch_add(1, Ordering::Relaxed);
        self.made.store(0, Ordering::Relaxed);
    }

    fn finish(&self) {
        let round = self.round.load(Ordering::Relaxed);
        for shard in &self.entries {
            lock(shard).retain(|_, entry| entry.round == round);
        }
    }
}

impl<V> Memo<V> {
    fn shard(&self, name: &str) -> &Mutex<FxHashMap<Box<str>, Entry<V>>> {
        &self.entries[FxBuildHasher.hash_one(name) as usize % SHARDS]
    }
}

/// Through `memo` when there is one (serve), [`Memo::try_get_or_make`];
/// without (a clean build), just `make()`. `key` is only computed with a memo.
pub(crate) fn try_memoised<V: Clone, E>(
    memo: Option<&Memo<V>>,
    name: &str,
    key: impl FnOnce() -> u64,
    make: impl FnOnce() -> Result<V, E>,
) -> Result<V, E> {
    try_updated(memo, name, key, |_| make())
}

/// [`try_memoised`] through [`Memo::try_get_or_update`]: a clean build's
/// `make` receives no previous value.
pub(crate) fn try_updated<V: Clone, E>(
    memo: Option<&Memo<V>>,
    name: &str,
    key: impl FnOnce() -> u64,
    make: impl FnOnce(Option<V>) -> Result<V, E>,
) -> Result<V, E> {
    match memo {
        Some(memo) => memo.try_get_or_update(name, key(), make),
        None => make(None),
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(memo: &Memo<String>, name: &str, key: u64) -> String {
        memo.get_or_make(name, key, || format!("{name}@{key}"))
    }

    #[test]
    fn a_value_is_reused_for_its_key_and_made_again_for_another() {
        let memo = Memo::default();
        memo.begin();
        get(&memo, "a", 1);
        get(&memo, "b", 1);
        memo.finish();
        assert_eq!(memo.made(), 2);
        memo.begin();
        assert_eq!(get(&memo, "a", 1), "a@1");
        assert_eq!(get(&memo, "b", 2), "b@2");
        memo.finish();
        assert_eq!(memo.made(), 1);
    }

    #[test]
    fn names_a_round_did_not_use_are_forgotten_but_not_by_a_failed_round() {
        let memo = Memo::default();
        memo.begin();
        get(&memo, "a", 1);
        get(&memo, "b", 1);
        memo.finish();
        memo.begin();
        get(&memo, "a", 1);
        memo.finish();
        // A round that fails part-way (never finished) forgets nothing.
        memo.begin();
        get(&memo, "c", 1);
        memo.begin();
        get(&memo, "a", 1);
        get(&memo, "b", 1);
        get(&memo, "c", 1);
        assert_eq!(memo.made(), 1, "only `b`, forgotten by the second round");
    }

    #[test]
    fn an_update_receives_the_value_kept_under_another_key() {
        let memo: Memo<String> = Memo::default();
        memo.begin();
        let first = memo.try_get_or_update("a", 1, |previous| Ok::<_, ()>(format!("{previous:?}")));
        assert_eq!(first.unwrap(), "None");
        let second =
            memo.try_get_or_update("a", 2, |previous| Ok::<_, ()>(format!("{previous:?}")));
        assert_eq!(second.unwrap(), "Some(\"None\")");
        let kept = memo.try_get_or_update("a", 2, |_| Ok::<_, ()>("made again".into()));
        assert_eq!(kept.unwrap(), "Some(\"None\")");
    }
}
