//! Hashes, in one place: content hashes that name output files (stable across
//! runs and machines), and the keys under which `serve` keeps what it made
//! (stable within one process, which is all a kept value needs).
//!
//! A key is derived, never written by hand: [`key_of`] hashes a value through its
//! `#[derive(Hash)]`, so a field added to a view is in its key by construction.
//! [`Keyed`] is how a large shared part (a note's HTML, the site view, a sidebar)
//! enters a key: by the key of what it was made from, computed once.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;
use serde::{Serialize, Serializer};

/// A key: a fast hash of `value`.
pub(crate) fn key_of(value: &impl Hash) -> u64 {
    let mut hasher = FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A key of `head` and every item of `items` in order, made without
/// collecting the items (a search shard's words or documents).
pub(crate) fn key_of_items<T: Hash>(head: &impl Hash, items: impl IntoIterator<Item = T>) -> u64 {
    let mut hasher = FxHasher::default();
    head.hash(&mut hasher);
    items.into_iter().for_each(|item| item.hash(&mut hasher));
    hasher.finish()
}

/// A key of a view's JSON form, for values whose types cannot derive `Hash`
/// (TOML and JSON tables).
pub(crate) fn json_key(value: &impl Serialize) -> u64 {
    let mut writer = HashingWriter::new(std::io::sink());
    serde_json::to_writer(&mut writer, value).expect("views serialise");
    writer.hasher.value()
}

/// A value with the key of what it was made from: hashing it hashes only the
/// key, serialising it serialises only the value.
#[derive(Debug, Clone)]
pub(crate) struct Keyed<T> {
    pub(crate) value: T,
    pub(crate) key: u64,
}

impl<T> Keyed<T> {
    pub(crate) fn new(value: T, key: u64) -> Self {
        Keyed { value, key }
    }
}

impl<T> Hash for Keyed<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

impl<T: Serialize> Serialize for Keyed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// FNV-1a, 64 bits: a stable content hash for cache-busting names (not security).
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    let mut hasher = ContentHasher::default();
    hasher.update(bytes);
    hasher.finish()
}

/// [`content_hash`] over bytes that arrive in pieces.
pub(crate) struct ContentHasher(u64);

impl Default for ContentHasher {
    fn default() -> Self {
        ContentHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl ContentHasher {
    /// The hash of `bytes` alone.
    pub(crate) fn of(bytes: &[u8]) -> u64 {
        let mut hasher = ContentHasher::default();
        hasher.update(bytes);
        hasher.value()
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.0 = bytes.iter().fold(self.0, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    }

    pub(crate) fn finish(&self) -> String {
        format!("{:010x}", self.0 & 0xff_ffff_ffff)
    }

    /// The whole 64-bit hash.
    pub(crate) fn value(&self) -> u64 {
        self.0
    }
}

/// Passes bytes on to `inner`, hashing and counting them on the way.
pub(crate) struct HashingWriter<W> {
    pub(crate) inner: W,
    pub(crate) hasher: ContentHasher,
    pub(crate) len: u64,
}

impl<W> HashingWriter<W> {
    pub(crate) fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: ContentHasher::default(),
            len: 0,
        }
    }
}

impl<W: std::io::Write> std::io::Write for HashingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        self.len += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hashes_follow_content_and_keyed_values_hash_by_key() {
        assert_eq!(content_hash(b"abc"), content_hash(b"abc"));
        assert_ne!(content_hash(b"abc"), content_hash(b"abd"));
        let (a, b) = (Keyed::new("one", 1), Keyed::new("two", 1));
        assert_eq!(key_of(&a), key_of(&b));
        assert_ne!(key_of(&a), key_of(&Keyed::new("one", 2)));
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"one\"");
    }
}
