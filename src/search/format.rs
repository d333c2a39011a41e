//! The encodings of the index files, shared by the writer and the scored state
//! (and mirrored by the browser's reader, docs/search-index.md): JavaScript's
//! string order, and numbers as base-32 varints.

use std::cmp::Ordering;

/// UTF-16 code-unit order: JavaScript's `<` on strings.
pub(crate) fn js_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
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
pub(crate) fn decode_postings(text: &str) -> Option<Vec<(u32, u32)>> {
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
