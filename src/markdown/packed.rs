//! Text kept lz4-compressed until it is read: a note's HTML, its flashcard
//! backs and its section texts are the largest things a build holds while it
//! makes the quiz bank and the practice pages (at 10,000 long notes 206 MB,
//! 92 MB and 90 MB, which lz4 makes 2.5, 1.35 and 1.6 times smaller). A view
//! serialises packed HTML decompressed, so only a page actually rendered reads
//! it: `serve`'s rebuild keys its pages without.
//!
//! lz4 rather than deflate, which is already a dependency: libdeflate's fastest
//! level packed the notes' HTML 3 times but cost 2.5 s more CPU at 10,000 notes,
//! and the texts 2.3 times (20 MB less) for about 4% of a build's CPU.

use std::fmt;

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

/// A note's section texts (see [`TextSection`]), packed as one block, which lz4
/// makes smaller than each text alone would be. Read once by the note's
/// flashcards and once by the search index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PackedTexts {
    texts: PackedHtml,
    /// Each section's heading and where its text ends in the block.
    sections: Vec<(Option<usize>, usize)>,
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
            texts: PackedHtml::pack(&block),
            sections: headings.zip(ends).collect(),
        }
    }

    /// The sections again.
    pub(crate) fn unpack(&self) -> Vec<TextSection> {
        let block = self.texts.unpack();
        let mut start = 0;
        let section = |&(heading, end): &(Option<usize>, usize)| {
            let text = block[start..end].to_string();
            start = end;
            TextSection { heading, text }
        };
        self.sections.iter().map(section).collect()
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
