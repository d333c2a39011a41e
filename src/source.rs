//! Source files with a line index, so byte offsets become `file:line:col` once.

use std::path::Path;
use std::sync::OnceLock;

use serde::Serialize;

use crate::error::{Location, SourceLine};
use crate::hashing::key_of;

/// Line-start offsets of a text; converts byte offsets to 1-based line and column.
///
/// Columns count characters. So that a column costs the same on a 1 MB line as on a
/// short one (a note with thousands of problems on one long line was quadratic), the
/// number of characters before every [`BLOCK`]-byte boundary is kept as well.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
    chars_before_block: Vec<usize>,
}

/// Bytes per character-count checkpoint.
const BLOCK: usize = 4096;

/// Widest part of a line shown on each side of the caret, in characters.
const EXCERPT_CHARS: usize = 60;

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut chars_before_block = vec![0];
        for block in text.as_bytes().chunks(BLOCK) {
            let last = chars_before_block.last().copied().unwrap_or_default();
            chars_before_block.push(last + count_chars(block));
        }
        LineIndex {
            starts,
            chars_before_block,
        }
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line(&self, offset: usize) -> u32 {
        self.starts.partition_point(|&s| s <= offset) as u32
    }

    /// 1-based (line, column in characters) of a byte offset.
    pub(crate) fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = self.line(offset);
        let start = self.starts[line as usize - 1];
        let column = self.chars_before(text, offset) - self.chars_before(text, start);
        (line, column as u32 + 1)
    }

    /// Characters in `text[..offset]`, counting a split character once.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block = offset / BLOCK;
        self.chars_before_block[block] + count_chars(&text.as_bytes()[block * BLOCK..offset])
    }

    /// The text of a 1-based line, without its newline.
    pub(crate) fn line_text<'t>(&self, text: &'t str, line: u32) -> &'t str {
        let i = (line as usize).saturating_sub(1);
        let Some(&start) = self.starts.get(i) else {
            return "";
        };
        let end = self.starts.get(i + 1).map_or(text.len(), |&e| e - 1);
        text.get(start..end).unwrap_or("").trim_end_matches('\r')
    }

    /// The line holding byte `offset`, cut to a window around it.
    fn excerpt(&self, text: &str, offset: usize) -> SourceLine {
        let offset = offset.min(text.len());
        let line = self.line(offset);
        let line_text = self.line_text(text, line);
        let line_start = self.starts[line as usize - 1];
        let at = floor_char_boundary(line_text, offset.saturating_sub(line_start));
        let before: Vec<usize> = line_text[..at]
            .char_indices()
            .rev()
            .take(EXCERPT_CHARS + 1)
            .map(|(i, _)| i)
            .collect();
        let (from, cut_before) = match before.get(EXCERPT_CHARS) {
            Some(_) => (before[EXCERPT_CHARS - 1], true),
            None => (0, false),
        };
        let to = line_text[at..]
            .char_indices()
            .nth(EXCERPT_CHARS)
            .map_or(line_text.len(), |(i, _)| at + i);
        SourceLine::cut(
            &line_text[from..to],
            cut_before,
            to < line_text.len(),
            Some(line_text[from..at].chars().count() as u32),
        )
    }
}

/// Number of UTF-8 characters starting in `bytes` (continuation bytes are not counted).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// A Markdown or config file as read from disk.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Path relative to the site root (what errors show).
    pub(crate) path: SourcePath,
    pub(crate) text: String,
    pub(crate) lines: LineIndex,
    /// A key of `text`, made on first use: only `serve`'s cache asks, and a
    /// file it keeps from one build to the next is hashed once.
    text_key: OnceLock<u64>,
    /// What the text embeds (see [`SourceFile::embeds`]), found on first use.
    embeds: OnceLock<Vec<Box<str>>>,
}

impl SourceFile {
    pub(crate) fn new(path: impl Into<String>, text: String) -> Self {
        let lines = LineIndex::new(&text);
        SourceFile {
            path: SourcePath(path.into()),
            text,
            lines,
            text_key: OnceLock::new(),
            embeds: OnceLock::new(),
        }
    }

    /// A key of the file's text.
    pub(crate) fn text_key(&self) -> u64 {
        *self.text_key.get_or_init(|| key_of(&self.text))
    }

    /// The names the text embeds, as `scan` finds them, found once: `serve`
    /// asks for every note on every rebuild, and keeps unchanged files.
    pub(crate) fn embeds(&self, scan: impl FnOnce(&str) -> Vec<Box<str>>) -> &[Box<str>] {
        self.embeds.get_or_init(|| scan(&self.text))
    }

    /// Frees the text once nothing will read it again (a clean build, after
    /// its last stage that does); the path and line index stay.
    pub(crate) fn release_text(&mut self) {
        self.text = String::new();
    }

    /// A diagnostic location for a byte offset into the whole file.
    pub(crate) fn location(&self, offset: usize) -> Location {
        let (line, column) = self.lines.line_col(&self.text, offset);
        Location {
            path: self.path.to_string(),
            line,
            column: Some(column),
            source_line: Some(self.lines.excerpt(&self.text, offset)),
        }
    }
}

/// A question or flashcard bank: a content file, beside the notes, whose
/// rows become questions or flashcards (`docs/question-banks.md`). It is
/// recognised by its name alone, so a plain `.csv` or `.txt` stays an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum BankFormat {
    /// `*.questions.csv`: one question a row.
    Csv,
    /// `*.gift`: Moodle's GIFT format.
    Gift,
    /// `*.cards.txt`: an Anki or Quizlet text export, one card a line.
    Cards,
}

impl BankFormat {
    const ALL: [BankFormat; 3] = [BankFormat::Csv, BankFormat::Gift, BankFormat::Cards];

    /// The name ending that marks a bank of this format.
    pub(crate) fn suffix(self) -> &'static str {
        match self {
            BankFormat::Csv => ".questions.csv",
            BankFormat::Gift => ".gift",
            BankFormat::Cards => ".cards.txt",
        }
    }

    /// The format of the file at `path`, if its name marks a bank (any case).
    pub(crate) fn of(path: &str) -> Option<BankFormat> {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|format| name.len() > format.suffix().len() && name.ends_with(format.suffix()))
    }

    /// The file name without its bank ending: `aws.questions.csv` → `aws`.
    pub(crate) fn stem(self, name: &str) -> &str {
        let cut = name.len().saturating_sub(self.suffix().len());
        name.get(..cut).unwrap_or(name)
    }
}

/// Whether a content file is a note: Markdown, or a question or flashcard bank.
pub(crate) fn is_note_path(path: &str) -> bool {
    path.ends_with(".md") || BankFormat::of(path).is_some()
}

/// Defines a `/`-separated path newtype: its text is the path, it derefs to
/// `str`, and a map keyed by it can be looked up with a `&str`.
macro_rules! slash_path_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub(crate) struct $name(String);

        impl From<String> for $name {
            fn from(path: String) -> Self {
                $name(path)
            }
        }

        impl From<&str> for $name {
            fn from(path: &str) -> Self {
                $name(path.to_string())
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

slash_path_type!(
    /// A file's path relative to the site root, as errors name it:
    /// `content/01-security/iam.md`.
    SourcePath
);

slash_path_type!(
    /// A path relative to the output root: a page's folder (`security/iam/`;
    /// the home page's is empty) or a file (`css/style.css`).
    OutputPath
);

impl OutputPath {
    /// `name` inside this folder path: `security/iam/` + `index.html`.
    pub(crate) fn join(&self, name: &str) -> OutputPath {
        OutputPath(format!("{}{name}", self.0))
    }
}

/// A path as the site names it: `/`-separated on every platform (output paths,
/// source paths in errors, watcher changes).
pub(crate) fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines_and_columns() {
        let text = "ab\ncdé\n\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 3), (2, 1));
        assert_eq!(index.line_col(text, 7), (2, 4));
        assert_eq!(index.line_col(text, 9), (4, 1));
        assert_eq!(index.line_text(text, 2), "cdé");
        assert_eq!(index.line_text(text, 3), "");
        assert_eq!(index.line_text(text, 9), "");
    }

    #[test]
    fn columns_count_characters_across_blocks() {
        let text = format!("x\n{}ab", "é".repeat(BLOCK));
        let index = LineIndex::new(&text);
        let b = text.len() - 1;
        assert_eq!(index.line_col(&text, b), (2, BLOCK as u32 + 2));
        assert_eq!(index.line_col(&text, b - 1), (2, BLOCK as u32 + 1));
    }

    #[test]
    fn long_lines_are_cut_around_the_offset() {
        let text = format!("{}TARGET{}\n", "a".repeat(1000), "b".repeat(1000));
        let file = SourceFile::new("a.md", text);
        let location = file.location(1000);
        assert_eq!(location.column, Some(1001));
        let line = location.source_line.unwrap();
        let expected = format!("…{}TARGET{}…", "a".repeat(60), "b".repeat(54));
        assert_eq!(&*line.text, expected);
        assert_eq!(line.caret, Some(61));
        let short = SourceFile::new("a.md", "ab\ncd".into()).location(4);
        assert_eq!(&*short.source_line.unwrap().text, "cd");
    }
}
