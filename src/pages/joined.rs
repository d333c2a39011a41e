//! Data files of many pieces: a section's exam pool (one JSON object per
//! question) and its Anki file (one line per note). At 10,000 notes a section's
//! file holds thousands of pieces and an edit changes one or two, so with a
//! memo a rebuild copies each unchanged piece from the file's last version and
//! makes only the changed ones.

use std::hash::Hash;
use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;
use rustc_hash::FxHashMap;

use crate::hashing::{key_of, key_of_items};
use crate::pages::job::{Body, Job, Update};
use crate::source::OutputPath;

/// What comes before, between and after a joined file's pieces.
#[derive(Clone, Hash)]
pub(crate) struct Frame {
    pub(crate) head: String,
    pub(crate) separator: &'static str,
    pub(crate) tail: &'static str,
}

/// Where a joined file's pieces are, by key, and the key of what every
/// piece was made with.
#[derive(Debug)]
pub(crate) struct Pieces {
    context: u64,
    at: FxHashMap<u64, Range<usize>>,
}

/// A joined file's inputs: its frame, what every piece depends on besides its
/// item (`context`), and its items with their keys.
pub(crate) struct Joined<T, C> {
    pub(crate) frame: Frame,
    pub(crate) context: C,
    pub(crate) items: Vec<(u64, T)>,
}

impl<'a> Job<'a> {
    /// A data file of `joined`'s items, each made by `make` with its context.
    /// Its key is that of its frame, context and items' keys.
    pub(crate) fn joined<T, C>(
        output: OutputPath,
        joined: Joined<T, C>,
        make: impl Fn(&C, &T) -> Vec<u8> + Send + 'a,
    ) -> Self
    where
        T: Send + 'a,
        C: Hash + Send + 'a,
    {
        let key = |j: &Joined<T, C>| {
            let keys = j.items.iter().map(|(key, _)| key);
            key_of_items(&(&j.frame, &j.context, j.items.len()), keys)
        };
        Job::updated(output, joined, key, move |j, update| join(j, update, make))
    }
}

/// The file, with each piece the last version holds (made with the same
/// context) copied from it; where its pieces are when `serve` keeps it.
fn join<T, C: Hash>(
    joined: &Joined<T, C>,
    update: Update,
    make: impl Fn(&C, &T) -> Vec<u8>,
) -> Body {
    let Joined {
        frame,
        context,
        items,
    } = joined;
    let context_key = key_of(context);
    let previous = update.previous.as_ref().and_then(|body| {
        let pieces = body.pieces.as_ref().filter(|p| p.context == context_key)?;
        Some((&body.bytes, &pieces.at))
    });
    // Sized as the last version: a section's file can be tens of megabytes,
    // and growing it by doubling would copy it again and again.
    let size = update.previous.as_ref().map_or(0, |body| body.bytes.len());
    let mut bytes = Vec::with_capacity(size + size / 64);
    bytes.extend_from_slice(frame.head.as_bytes());
    let pieces = if update.kept { items.len() } else { 0 };
    let mut at = FxHashMap::with_capacity_and_hasher(pieces, Default::default());
    for (i, (key, item)) in items.iter().enumerate() {
        if i > 0 {
            bytes.extend_from_slice(frame.separator.as_bytes());
        }
        let start = bytes.len();
        match previous.and_then(|(old, at)| Some(&old[at.get(key)?.clone()])) {
            Some(piece) => bytes.extend_from_slice(piece),
            None => bytes.extend_from_slice(&make(context, item)),
        }
        if update.kept {
            at.insert(*key, start..bytes.len());
        }
    }
    bytes.extend_from_slice(frame.tail.as_bytes());
    let mut body = Body::new(Bytes::from(bytes));
    if update.kept {
        body.pieces = Some(Arc::new(Pieces {
            context: context_key,
            at,
        }));
    }
    body
}
