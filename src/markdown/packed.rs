//! A note's HTML, its flashcard backs and its section texts, held until they
//! are read. They are the largest things a build holds while it makes the quiz
//! bank and the practice pages (at 10,000 long notes 206 MB, 92 MB and 90 MB),
//! so a clean build of a large site moves them out of memory into a
//! [`Scratch`] file as soon as the note is rendered (`build/spill.rs`), and
//! `serve` keeps a large site's lz4-compressed (2.5, 1.35 and 1.6 times
//! smaller). A small site's stay as they are: at 1,000 long notes lz4 took 7%
//! of a build's CPU to save 10 MiB of its peak.
//! A view serialises the HTML itself, so only a page actually rendered reads
//! it: `serve`'s rebuild keys its pages without.
//!
//! lz4 rather than deflate, which is already a dependency: libdeflate's fastest
//! level packed the notes' HTML 3 times but cost 2.5 s more CPU at 10,000 notes,
//! and the texts 2.3 times (20 MB less) for about 4% of a build's CPU.

use std::fmt;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Serialize, Serializer};

use crate::markdown::TextSection;

/// HTML held until it is read, maybe compressed or in a scratch file; it
/// serialises as the HTML.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct PackedHtml {
    store: Store,
    /// The HTML's length in bytes.
    len: usize,
}

/// No HTML, for views of pages without content of their own.
pub(crate) static NO_HTML: PackedHtml = PackedHtml {
    store: Store::Plain(String::new()),
    len: 0,
};

impl PackedHtml {
    /// The HTML, held as it is.
    pub(crate) fn new(html: impl Into<String>) -> PackedHtml {
        let html = html.into();
        PackedHtml {
            len: html.len(),
            store: Store::Plain(html),
        }
    }

    /// The HTML again.
    pub(crate) fn unpack(&self) -> String {
        let bytes = match &self.store {
            Store::Plain(html) => return html.clone(),
            Store::Packed(bytes) => lz4_flex::block::decompress(bytes, self.len)
                .expect("compressed by `compress`, from this length"),
            Store::Spilled { scratch, offset } => scratch.read(*offset, self.len),
        };
        String::from_utf8(bytes).expect("held from a str")
    }

    /// Compresses the HTML held as it is.
    pub(crate) fn compress(&mut self) {
        if let Store::Plain(html) = &self.store {
            if !html.is_empty() {
                // Copied out of the worst-case buffer `compress` makes, which
                // the allocator would otherwise keep whole.
                let packed = lz4_flex::block::compress(html.as_bytes())
                    .as_slice()
                    .to_vec();
                self.store = Store::Packed(packed);
            }
        }
    }

    /// Whether its bytes are in a scratch file.
    #[cfg(test)]
    pub(crate) fn is_spilled(&self) -> bool {
        matches!(self.store, Store::Spilled { .. })
    }

    /// Moves HTML held as it is to `spiller`'s file. Compressed HTML, which
    /// only `serve` keeps (a spilling build does not compress), stays.
    pub(crate) fn spill(&mut self, spiller: &mut Spiller) -> io::Result<()> {
        if let Store::Plain(html) = &self.store {
            if !html.is_empty() {
                self.store = spiller.put(html.as_bytes())?;
            }
        }
        Ok(())
    }
}

impl Serialize for PackedHtml {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.store {
            Store::Plain(html) => serializer.serialize_str(html),
            _ => serializer.serialize_str(&self.unpack()),
        }
    }
}

/// Where the HTML is, and how.
#[derive(Clone)]
enum Store {
    Plain(String),
    /// lz4-compressed.
    Packed(Vec<u8>),
    /// As it is, in a scratch file at `offset`.
    Spilled {
        scratch: Arc<Scratch>,
        offset: u64,
    },
}

impl Default for Store {
    fn default() -> Self {
        Store::Plain(String::new())
    }
}

/// Spilled bytes are equal, and hash, by where they are: only a clean build
/// spills, and it keys nothing (see `build::jobs`).
impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Store::Plain(a), Store::Plain(b)) => a == b,
            (Store::Packed(a), Store::Packed(b)) => a == b,
            (
                Store::Spilled {
                    scratch: a,
                    offset: i,
                },
                Store::Spilled {
                    scratch: b,
                    offset: j,
                },
            ) => Arc::ptr_eq(a, b) && i == j,
            _ => false,
        }
    }
}

impl Eq for Store {}

impl Hash for Store {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Store::Plain(html) => html.hash(state),
            Store::Packed(bytes) => bytes.hash(state),
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
        })
    }

    pub(crate) fn finish(mut self) -> io::Result<()> {
        self.out.flush()?;
        self.scratch.finished.store(true, Ordering::Release);
        Ok(())
    }
}

/// A note's section texts (see [`TextSection`]), held as one block, which lz4
/// makes smaller than each text alone would be. Read once by the note's
/// flashcards and once by the search index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PackedTexts {
    pub(crate) texts: PackedHtml,
    /// Each section's heading and where its text ends in the block.
    sections: Vec<(Option<usize>, usize)>,
}
impl PackedTexts {
    pub(crate) fn new(sections: &[TextSection]) -> PackedTexts {
        let block: String = sections.iter().map(|s| s.text.as_str()).collect();
        let ends = sections.iter().scan(0, |end, section| {
            *end += section.text.len();
            Some(*end)
        });
        let headings = sections.iter().map(|s| s.heading);
        PackedTexts {
            texts: PackedHtml::new(block),
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
        match &self.store {
            Store::Plain(_) => write!(f, "PackedHtml({} bytes)", self.len),
            Store::Packed(bytes) => write!(f, "PackedHtml({} bytes in {})", self.len, bytes.len()),
            Store::Spilled { offset, .. } => {
                write!(f, "PackedHtml({} bytes at {offset})", self.len)
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
        let mut texts = PackedTexts::new(&sections);
        assert_eq!(texts.unpack(), sections);
        texts.texts.compress();
        assert_eq!(texts.unpack(), sections);
        assert!(PackedTexts::new(&[]).unpack().is_empty());
    }

    #[test]
    fn html_comes_back_as_it_went_in() {
        let html = "<p>Caf\u{e9} <strong>au lait</strong></p>\n".repeat(100);
        let plain = PackedHtml::new(&html);
        let mut packed = plain.clone();
        packed.compress();
        let Store::Packed(bytes) = &packed.store else {
            panic!("not compressed: {packed:?}");
        };
        assert!(bytes.len() < html.len() / 10, "{packed:?}");
        for held in [plain, packed] {
            assert_eq!(held.unpack(), html);
            assert_eq!(
                serde_json::to_string(&held).unwrap(),
                serde_json::to_string(&html).unwrap()
            );
        }
        let mut empty = PackedHtml::new("");
        empty.compress();
        assert_eq!(empty.unpack(), "");
        assert_eq!(NO_HTML.unpack(), "");
    }
}
