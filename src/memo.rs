//! Values kept across `serve`'s rebuilds: note pages, each page's questions and
//! flashcards, generated questions and the practice pages.
//!
//! Each value is stored under a name (an output path, a source file) with the
//! key of everything it was made from. A build that asks for a name with the
//! same key gets the kept value; any other key makes it again. What is not asked
//! for in a build is forgotten when the build finishes, so deleted pages leave.
//! A failed build changes nothing: its round is never finished.

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rustc_hash::{FxHashMap, FxHasher};

#[derive(Debug)]
pub(crate) struct Memo<V> {
    kept: Mutex<Entries<V>>,
    /// What this round asked for; becomes `kept` when it finishes.
    used: Mutex<Entries<V>>,
    /// Values this round made rather than reused.
    made: AtomicUsize,
}

/// Values by name; a name is shared between rounds rather than copied.
type Entries<V> = FxHashMap<Arc<str>, (u64, V)>;

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            kept: Mutex::default(),
            used: Mutex::default(),
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
        let kept = lock(&self.kept)
            .get_key_value(name)
            .map(|(name, (k, value))| (Arc::clone(name), *k == key, value.clone()));
        let (name, value) = match kept {
            Some((name, true, value)) => (name, value),
            other => {
                self.made.fetch_add(1, Ordering::Relaxed);
                let name = other.map_or_else(|| Arc::from(name), |(name, ..)| name);
                (name, make()?)
            }
        };
        lock(&self.used).insert(name, (key, value.clone()));
        Ok(value)
    }

    /// Starts a round: forgets what an unfinished (failed) round asked for.
    pub(crate) fn begin(&self) {
        lock(&self.used).clear();
        self.made.store(0, Ordering::Relaxed);
    }

    /// Ends a round: keeps exactly what it asked for.
    pub(crate) fn finish(&self) {
        let used = std::mem::take(&mut *lock(&self.used));
        *lock(&self.kept) = used;
    }

    /// Values the current (or last) round made rather than reused.
    pub(crate) fn made(&self) -> usize {
        self.made.load(Ordering::Relaxed)
    }

    /// Forgets everything: what the values were made with changed.
    pub(crate) fn clear(&self) {
        lock(&self.kept).clear();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A memo key: a fast hash of `value` (stable within one process, which is all
/// a memo needs).
pub(crate) fn key_of(value: &impl Hash) -> u64 {
    let mut hasher = FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
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
    fn names_a_round_did_not_use_are_forgotten_and_a_failed_round_changes_nothing() {
        let memo = Memo::default();
        memo.begin();
        get(&memo, "a", 1);
        get(&memo, "b", 1);
        memo.finish();
        memo.begin();
        get(&memo, "a", 1);
        memo.finish();
        // A round that fails part-way (never finished) leaves the memo as it was.
        memo.begin();
        get(&memo, "a", 9);
        memo.begin();
        get(&memo, "a", 1);
        get(&memo, "b", 1);
        assert_eq!(
            memo.made(),
            1,
            "only `b`, forgotten by the second round, is made"
        );
    }
}
