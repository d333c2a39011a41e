//! HTML kept lz4-compressed until the page that shows it is made: a note's HTML
//! and its flashcard backs are the largest things a build holds while it makes
//! the quiz bank and the practice pages, before the note pages (206 MB and 97 MB
//! at 10,000 long notes, which lz4 makes about 2.1 times smaller). A view
//! serialises it decompressed, so only a page actually rendered reads it:
//! `serve`'s rebuild keys its pages without.
//!
//! lz4 rather than deflate, which is already a dependency: libdeflate's fastest
//! level packed the notes' HTML 3 times but cost 2.5 s more CPU at 10,000 notes.

use std::fmt;

use serde::{Serialize, Serializer};

/// HTML held compressed; it serialises as the HTML.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct PackedHtml {
    packed: Vec<u8>,
    /// The HTML's length in bytes.
    len: usize,
}

/// No HTML, for views of pages without content of their own.
pub(crate) static NO_HTML: PackedHtml = PackedHtml {
    packed: Vec::new(),
    len: 0,
};

impl PackedHtml {
    pub(crate) fn pack(html: &str) -> PackedHtml {
        if html.is_empty() {
            return PackedHtml::default();
        }
        // Copied out of the worst-case buffer `compress` makes, which the
        // allocator would otherwise keep whole.
        let packed = lz4_flex::block::compress(html.as_bytes())
            .as_slice()
            .to_vec();
        PackedHtml {
            packed,
            len: html.len(),
        }
    }

    /// The HTML again.
    pub(crate) fn unpack(&self) -> String {
        if self.len == 0 {
            return String::new();
        }
        let bytes = lz4_flex::block::decompress(&self.packed, self.len)
            .expect("packed by `pack`, to this length");
        String::from_utf8(bytes).expect("packed from a str")
    }
}

impl Serialize for PackedHtml {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.unpack())
    }
}

/// The HTML, for messages and tests.
impl fmt::Display for PackedHtml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.unpack())
    }
}

impl fmt::Debug for PackedHtml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PackedHtml({} bytes in {})", self.len, self.packed.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_comes_back_as_it_went_in() {
        let html = "<p>Caf\u{e9} <strong>au lait</strong></p>\n".repeat(100);
        let packed = PackedHtml::pack(&html);
        assert!(packed.packed.len() < html.len() / 10, "{packed:?}");
        assert_eq!(packed.unpack(), html);
        assert_eq!(
            serde_json::to_string(&packed).unwrap(),
            serde_json::to_string(&html).unwrap()
        );
        assert_eq!(PackedHtml::pack("").unpack(), "");
        assert_eq!(NO_HTML.unpack(), "");
    }
}
