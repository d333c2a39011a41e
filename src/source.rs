//! Source files with a line index, so byte offsets become `file:line:col` once.

use std::path::Path;
use std::sync::OnceLock;

use serde::Serialize;

use crate::error::Location;
use crate::hashing::key_of;

/// Line-start offsets of a text; converts byte offsets to 1-based line and column.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based (line, column in characters) of a byte offset.
    pub(crate) fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line as u32 + 1, column as u32 + 1)
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
}

impl SourceFile {
    pub(crate) fn new(path: impl Into<String>, text: String) -> Self {
        let lines = LineIndex::new(&text);
        SourceFile {
            path: SourcePath(path.into()),
            text,
            lines,
            text_key: OnceLock::new(),
        }
    }

    /// A key of the file's text.
    pub(crate) fn text_key(&self) -> u64 {
        *self.text_key.get_or_init(|| key_of(&self.text))
    }

    /// A diagnostic location for a byte offset into the whole file.
    pub(crate) fn location(&self, offset: usize) -> Location {
        let (line, column) = self.lines.line_col(&self.text, offset);
        self.location_at(line, Some(column))
    }

    /// A diagnostic location for a known line (and column).
    pub(crate) fn location_at(&self, line: u32, column: Option<u32>) -> Location {
        Location {
            path: self.path.to_string(),
            line,
            column,
            source_line: Some(self.lines.line_text(&self.text, line).to_string()),
        }
    }
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
}
