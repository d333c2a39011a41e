//! Text kept compressed until it is read: a note's HTML, its flashcard backs
//! and its section texts are the largest things a build holds while it makes
//! the quiz bank and the practice pages (206 MB, 92 MB and 90 MB at 10,000
//! long notes). A view serialises packed HTML decompressed, so only a page
//! actually rendered reads it: `serve`'s rebuild keys its pages without.
//!
//! HTML goes through lz4 (2.5 times smaller for the notes, 1.35 for the short
//! backs) rather than deflate, which packed the notes' HTML 3 times but cost
//! 2.5 s more CPU at 10,000 notes: a page's HTML is read for every render.
//! Texts, read twice, are deflated ([`PackedTexts`]).

use std::cell::RefCell;
use std::fmt;

use libdeflater::{CompressionLvl, Compressor, Decompressor};
use serde::{Serialize, Serializer};

use crate::markdown::TextSection;

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

/// A note's section texts (see [`TextSection`]), deflated as one block: packed
/// together, the texts share more than each alone. Deflate rather than lz4:
/// texts are read only twice (by the note's flashcards and by the search
/// index), and at 10,000 long notes libdeflate's level 1 packs their 90 MB
/// 2.3 times against lz4's 1.6.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PackedTexts {
    deflated: Vec<u8>,
    /// The block's length in bytes.
    len: usize,
    /// Each section's heading and where its text ends in the block.
    sections: Vec<(Option<usize>, usize)>,
}

thread_local! {
    /// Made once per thread: making one allocates its tables.
    static DEFLATE: RefCell<Compressor> =
        RefCell::new(Compressor::new(CompressionLvl::new(1).expect("1 is a valid level")));
    static INFLATE: RefCell<Decompressor> = RefCell::new(Decompressor::new());
}

impl PackedTexts {
    pub(crate) fn pack(sections: &[TextSection]) -> PackedTexts {
        let block: String = sections.iter().map(|s| s.text.as_str()).collect();
        let ends = sections.iter().scan(0, |end, section| {
            *end += section.text.len();
            Some(*end)
        });
        let headings = sections.iter().map(|s| s.heading);
        PackedTexts {
            deflated: deflate(block.as_bytes()),
            len: block.len(),
            sections: headings.zip(ends).collect(),
        }
    }

    /// The sections again.
    pub(crate) fn unpack(&self) -> Vec<TextSection> {
        let mut block = vec![0; self.len];
        if self.len > 0 {
            INFLATE
                .with_borrow_mut(|inflate| inflate.deflate_decompress(&self.deflated, &mut block))
                .expect("deflated by `pack`, to this length");
        }
        let block = String::from_utf8(block).expect("deflated from a str");
        let mut start = 0;
        let section = |&(heading, end): &(Option<usize>, usize)| {
            let text = block[start..end].to_string();
            start = end;
            TextSection { heading, text }
        };
        self.sections.iter().map(section).collect()
    }
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    DEFLATE.with_borrow_mut(|deflate| {
        let mut deflated = vec![0; deflate.deflate_compress_bound(bytes.len())];
        let written = deflate
            .deflate_compress(bytes, &mut deflated)
            .expect("the buffer holds the bound");
        // Copied out, so that the allocator keeps no slack.
        deflated[..written].to_vec()
    })
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
    fn texts_come_back_as_they_went_in() {
        let sections = vec![
            TextSection {
                heading: None,
                text: "Lead — in.".into(),
            },
            TextSection {
                heading: Some(0),
                text: String::new(),
            },
            TextSection {
                heading: Some(1),
                text: "Ünïcode text under the second heading.".into(),
            },
        ];
        assert_eq!(PackedTexts::pack(&sections).unpack(), sections);
        assert!(PackedTexts::pack(&[]).unpack().is_empty());
    }

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
