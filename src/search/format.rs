//! The encodings of the index files, shared by the writer and the scored state
//! (and mirrored by the browser's reader, docs/search-index.md): JavaScript's
//! string order, numbers as base-32 varints, and each file's JSON packed as
//! base64 of its zlib stream.

use std::cell::RefCell;
use std::cmp::Ordering;

use base64::Engine;

/// UTF-16 code-unit order: JavaScript's `<` on strings.
pub(crate) fn js_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Posting lists as text: the list's highest score, then `doc, level` pairs.
/// Numbers are little-endian base-32 varints, one character per 5 bits from
/// [`DIGITS`], bit 6 (`+32`) set on all but the last character; each doc is the gap
/// from the previous one. A level is one character of [`DIGITS`]: the score as
/// 63rds of the highest, at least 1. The best documents for a word, the ones a
/// search shows, keep their scores to 1/63 of the highest, in one character each.
pub(crate) fn encode_postings(postings: &[(u32, u32)]) -> String {
    let mut out = String::with_capacity(postings.len() * 3 + 2);
    let highest = postings.iter().map(|&(_, score)| score).max().unwrap_or(0);
    push_varint(&mut out, highest);
    let mut previous = 0;
    for &(doc, score) in postings {
        push_varint(&mut out, doc - previous);
        out.push(DIGITS[level(score, highest)] as char);
        previous = doc;
    }
    out
}

/// The highest level: [`DIGITS`] has 64 characters.
const MAX_LEVEL: u32 = 63;

/// `score` in 63rds of `highest`, at least 1.
fn level(score: u32, highest: u32) -> usize {
    let level = (u64::from(score) * u64::from(MAX_LEVEL) + u64::from(highest) / 2)
        / u64::from(highest.max(1));
    level.max(1) as usize
}

/// libdeflate level of the packed files: on a 1,000-note index, level 6 packed
/// 1.2% smaller for 1.8% more of the whole build's instructions, level 8 1.6%
/// smaller for 4.4% more.
const PACK_LEVEL: i32 = 4;

thread_local! {
    /// One compressor per thread, made once: making one allocates its tables.
    static DEFLATE: RefCell<libdeflater::Compressor> = RefCell::new(libdeflater::Compressor::new(
        libdeflater::CompressionLvl::new(PACK_LEVEL).expect("4 is a valid level"),
    ));
}

/// A file's JSON as the base64 of its zlib stream: at 10,000 long notes, 0.6 of
/// the JSON's bytes, and still a string a `<script>` can carry (the browser
/// inflates it with `DecompressionStream`).
pub(crate) fn pack(json: &str) -> String {
    let zlib = DEFLATE.with_borrow_mut(|deflate| {
        let mut zlib = vec![0; deflate.zlib_compress_bound(json.len())];
        let written = deflate
            .zlib_compress(json.as_bytes(), &mut zlib)
            .expect("the buffer holds the bound");
        zlib.truncate(written);
        zlib
    });
    base64::engine::general_purpose::STANDARD.encode(zlib)
}

/// The inverse of [`pack`].
#[cfg(test)]
pub(crate) fn unpack(packed: &str) -> Option<String> {
    use std::io::Read;
    let zlib = base64::engine::general_purpose::STANDARD
        .decode(packed)
        .ok()?;
    let mut json = String::new();
    flate2::read::ZlibDecoder::new(&zlib[..])
        .read_to_string(&mut json)
        .ok()?;
    Some(json)
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
    let mut digits = digit_values(text)?.into_iter().peekable();
    let mut numbers = Vec::new();
    while digits.peek().is_some() {
        numbers.push(next_varint(&mut digits)?);
    }
    Some(numbers)
}

/// The inverse of [`encode_postings`] (the browser has its own copy): the
/// highest score and the `doc, level` pairs.
#[cfg(test)]
pub(crate) fn decode_postings(text: &str) -> Option<(u32, Vec<(u32, u32)>)> {
    let mut digits = digit_values(text)?.into_iter().peekable();
    let highest = next_varint(&mut digits)?;
    let (mut postings, mut doc) = (Vec::new(), 0);
    while digits.peek().is_some() {
        doc += next_varint(&mut digits)?;
        postings.push((doc, digits.next()?));
    }
    Some((highest, postings))
}

/// Each character's value in [`DIGITS`], or `None` for one that is not there.
#[cfg(test)]
fn digit_values(text: &str) -> Option<Vec<u32>> {
    text.bytes()
        .map(|byte| DIGITS.iter().position(|&d| d == byte).map(|d| d as u32))
        .collect()
}

/// The varint the digits start with (see [`push_varint`]).
#[cfg(test)]
fn next_varint(digits: &mut impl Iterator<Item = u32>) -> Option<u32> {
    let (mut value, mut shift) = (0u32, 0);
    for d in digits {
        value |= (d & 31) << shift;
        if d & 32 == 0 {
            return Some(value);
        }
        shift += 5;
    }
    None
}

#[cfg(test)]
pub(crate) fn is_continued(byte: u8) -> bool {
    DIGITS
        .iter()
        .position(|&d| d == byte)
        .is_some_and(|d| d & 32 != 0)
}

/// Ascending numbers as the varints of their gaps.
pub(crate) fn encode_ascending(values: &[u32]) -> String {
    let mut out = String::new();
    let mut previous = 0;
    for &value in values {
        push_varint(&mut out, value - previous);
        previous = value;
    }
    out
}
