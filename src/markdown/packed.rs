//! Text kept lz4-compressed until it is read: a note's HTML, its flashcard
//! backs and its section texts are the largest things a build holds while it
//! makes the quiz bank and the practice pages (at 10,000 long notes 206 MB,
//! 92 MB and 90 MB, which lz4 makes 2.5, 1.35 and 1.6 times smaller). A view
//! serialises packed HTML decompressed, so only a page actually rendered reads
//! it: `serve`'s rebuild keys its pages without.
//!
//! A clean build of a large site then moves the packed bytes out of memory
//! into a [`Scratch`] file (see `build/spill.rs`), and reads each back when it
//! is unpacked.
//!
//! lz4 rather than deflate, which is already a dependency: libdeflate's fastest
//! level packed the notes' HTML 3 times but cost 2.5 s more CPU at 10,000 notes,
//! and the texts 2.3 times (20 MB less) for about 4% of a build's CPU.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Serialize, Serializer};

use crate::markdown::TextSection;

/// HTML held compressed; it serialises as the HTML.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct PackedHtml {
    packed: Store,
    /// The HTML's length in bytes.
    len: usize,
}

/// No HTML, for views of pages without content of their own.
pub(crate) static NO_HTML: PackedHtml = PackedHtml {
    packed: Store::Held(Vec::new()),
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
            packed: Store::Held(packed),
            len: html.len(),
        }
    }

    /// The HTML again.
    pub(crate) fn unpack(&self) -> String {
        if self.len == 0 {
            return String::new();
        }
        let bytes = lz4_flex::block::decompress(&self.packed.bytes(), self.len)
            .expect("packed by `pack`, to this length");
        String::from_utf8(bytes).expect("packed from a str")
    }

    /// Whether its bytes are in a scratch file.
    #[cfg(test)]
    pub(crate) fn is_spilled(&self) -> bool {
        matches!(self.packed, Store::Spilled { .. })
    }

    /// Moves the packed bytes to `spiller`'s file.
    pub(crate) fn spill(&mut self, spiller: &mut Spiller) -> io::Result<()> {
        if let Store::Held(bytes) = &self.packed {
            if !bytes.is_empty() {
                self.packed = spiller.put(bytes)?;
            }
        }
        Ok(())
    }
}

impl Serialize for PackedHtml {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.unpack())
    }
}

/// Where packed bytes are.
#[derive(Clone)]
enum Store {
    Held(Vec<u8>),
    /// In a scratch file, at `offset`.
    Spilled {
        scratch: Arc<Scratch>,
        offset: u64,
        len: usize,
    },
}

impl Default for Store {
    fn default() -> Self {
        Store::Held(Vec::new())
    }
}

impl Store {
    fn bytes(&self) -> Cow<'_, [u8]> {
        match self {
            Store::Held(bytes) => Cow::Borrowed(bytes),
            Store::Spilled {
                scratch,
                offset,
                len,
            } => Cow::Owned(scratch.read(*offset, *len)),
        }
    }
}

/// Spilled bytes are equal, and hash, by where they are: only a clean build
/// spills, and it keys nothing (see `build::jobs`).
impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Store::Held(a), Store::Held(b)) => a == b,
            (
                Store::Spilled {
                    scratch: a,
                    offset: i,
                    ..
                },
                Store::Spilled {
                    scratch: b,
                    offset: j,
                    ..
                },
            ) => Arc::ptr_eq(a, b) && i == j,
            _ => false,
        }
    }
}

impl Eq for Store {}

impl Hash for Store {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Store::Held(bytes) => bytes.hash(state),
            Store::Spilled { offset, .. } => offset.hash(state),
        }
    }
}

/// An unnamed temporary file holding spilled bytes; the system deletes it
/// when the build ends, however it ends.
pub(crate) struct Scratch {
    file: Mutex<File>,
    /// Set once every write has reached the file.
    finished: AtomicBool,
}

impl Scratch {
    fn read(&self, offset: u64, len: usize) -> Vec<u8> {
        assert!(
            self.finished.load(Ordering::Acquire),
            "spilled bytes are read only once the spill is finished"
        );
        let mut bytes = vec![0; len];
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.seek(SeekFrom::Start(offset))
            .and_then(|_| file.read_exact(&mut bytes))
            .expect("a scratch file reads back what was written to it");
        bytes
    }
}

/// Writes spilled bytes to a new [`Scratch`] file, one after the other; they
/// may be read once [`Spiller::finish`] has returned.
pub(crate) struct Spiller {
    out: BufWriter<File>,
    end: u64,
    scratch: Arc<Scratch>,
}

impl Spiller {
    /// A spiller into a new scratch file in `dir`.
    pub(crate) fn new(dir: &Path) -> io::Result<Spiller> {
        let file = tempfile::tempfile_in(dir)?;
        let scratch = Arc::new(Scratch {
            file: Mutex::new(file.try_clone()?),
            finished: AtomicBool::new(false),
        });
        Ok(Spiller {
            out: BufWriter::with_capacity(1 << 20, file),
            end: 0,
            scratch,
        })
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<Store> {
        self.out.write_all(bytes)?;
        let offset = self.end;
        self.end += bytes.len() as u64;
        Ok(Store::Spilled {
            scratch: Arc::clone(&self.scratch),
            offset,
            len: bytes.len(),
        })
    }

    pub(crate) fn finish(mut self) -> io::Result<()> {
        self.out.flush()?;
        self.scratch.finished.store(true, Ordering::Release);
        Ok(())
    }
}

/// A note's section texts (see [`TextSection`]), packed as one block, which lz4
/// makes smaller than each text alone would be. Read once by the note's
/// flashcards and once by the search index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PackedTexts {
    pub(crate) texts: PackedHtml,
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
        match &self.packed {
            Store::Held(bytes) => write!(f, "PackedHtml({} bytes in {})", self.len, bytes.len()),
            Store::Spilled { offset, len, .. } => {
                write!(f, "PackedHtml({} bytes in {len} at {offset})", self.len)
            }
        }
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
        assert!(packed.packed.bytes().len() < html.len() / 10, "{packed:?}");
        assert_eq!(packed.unpack(), html);
        assert_eq!(
            serde_json::to_string(&packed).unwrap(),
            serde_json::to_string(&html).unwrap()
        );
        assert_eq!(PackedHtml::pack("").unpack(), "");
        assert_eq!(NO_HTML.unpack(), "");
    }
}
