//! The one library error type, user-facing diagnostics, and their terminal rendering.
//!
//! User mistakes (bad front matter, a broken link, a malformed quiz) are
//! [`Diagnostic`]s with a file:line location; stages push them into a
//! [`Diagnostics`] collector and keep going so `check` reports every problem.
//! Everything else (I/O, templates) is an [`Error`] variant naming its path or
//! template. All rendering of messages lives here.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// `Result` with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// One or more mistakes in the site's content, config or templates.
    #[error("{}", .0.render())]
    Invalid(Diagnostics),
    /// The output folder exists and was not created by studysite.
    #[error(
        "refusing to replace {}: it was not created by studysite (no {marker} inside)\nhelp: choose another folder with -o, or pass --force to replace it",
        path.display()
    )]
    ForeignOutput {
        /// The output folder.
        path: PathBuf,
        /// The marker file name that was looked for.
        marker: &'static str,
    },
    /// A file-system watcher could not be set up.
    #[error("cannot watch files: {message}")]
    Watch {
        /// What the watcher said.
        message: String,
    },
    /// The HTTP server could not start.
    #[error("cannot serve on {address}: {message}")]
    Serve {
        /// The address that was asked for.
        address: String,
        /// Why it failed and what to do.
        message: String,
    },
}

impl Error {
    /// An I/O error on `path`.
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Reported, but the build goes on.
    Warning,
    /// Stops the build.
    Error,
}

/// Where a diagnostic points: a file relative to the site root, a 1-based
/// line and an optional 1-based column, plus the source line for the caret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line, 0 when the whole file is meant.
    pub line: u32,
    /// 1-based column, when known.
    pub column: Option<u32>,
    /// The text of that line (or of a window around the column), shown under the message.
    pub(crate) source_line: Option<SourceLine>,
}

/// The part of a source line shown under a message, with where the caret goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceLine {
    /// The line, or for a long line a window of it with `…` where it was cut, so a
    /// report stays small whatever the line's length. (Boxed: a `Diagnostic` is
    /// returned in `Err` and should stay small.)
    pub(crate) text: Box<str>,
    /// 0-based character index in `text` under which the caret goes.
    pub(crate) caret: Option<u32>,
}

impl SourceLine {
    /// `part` of a line, marked `…` on the sides where the line goes on; `caret` counts
    /// characters from the start of `part`.
    pub(crate) fn cut(part: &str, cut_before: bool, cut_after: bool, caret: Option<u32>) -> Self {
        let mut text = String::with_capacity(part.len() + 6);
        if cut_before {
            text.push('…');
        }
        text.push_str(part);
        if cut_after {
            text.push('…');
        }
        SourceLine {
            text: text.into(),
            caret: caret.map(|c| c + u32::from(cut_before)),
        }
    }

    /// A line whose caret sits at 1-based `column`; long lines are cut around it.
    pub(crate) fn at_column(line: &str, column: Option<u32>) -> Self {
        let file = crate::source::SourceFile::new("", line.to_string());
        let offset = column.map_or(0, |c| {
            line.char_indices()
                .nth(c.saturating_sub(1) as usize)
                .map_or(line.len(), |(i, _)| i)
        });
        let cut = file.location(offset).source_line.unwrap_or(SourceLine {
            text: "".into(),
            caret: None,
        });
        SourceLine {
            caret: column.and(cut.caret),
            ..cut
        }
    }
}

impl Location {
    /// A location covering a whole file.
    pub(crate) fn file(path: impl Into<String>) -> Self {
        Location {
            path: path.into(),
            line: 0,
            column: None,
            source_line: None,
        }
    }
}

/// One user mistake: what is wrong, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where it is; `None` for site-wide problems.
    pub location: Option<Location>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `location`.
    pub(crate) fn error(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `location`.
    pub(crate) fn warning(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message)
        }
    }

    /// Adds the "how to fix it" line.
    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Renders rustc-style: `error: msg`, `  --> file:line:col`, the line with a caret, `help: …`.
    pub fn render(&self) -> String {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{label}: {}\n", self.message);
        if let Some(loc) = &self.location {
            out.push_str(&format!("  --> {}", loc.path));
            if loc.line > 0 {
                out.push_str(&format!(":{}", loc.line));
                if let Some(col) = loc.column {
                    out.push_str(&format!(":{col}"));
                }
            }
            out.push('\n');
            if let Some(line) = &loc.source_line {
                let gutter = loc.line.to_string();
                let pad = " ".repeat(gutter.len());
                out.push_str(&format!("{pad} |\n{gutter} | {}\n", line.text));
                if let Some(caret) = line.caret {
                    out.push_str(&format!("{pad} | {}^\n", " ".repeat(caret as usize)));
                }
            }
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("help: {help}\n"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render().trim_end())
    }
}

/// A collector of diagnostics that stages push into and keep going.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds one diagnostic.
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Moves all of `other` in.
    pub(crate) fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// True when any item is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All items, in the order they were pushed.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Turns every warning into an error (`check` is strict).
    pub(crate) fn escalate_warnings(&mut self) {
        for item in &mut self.items {
            item.severity = Severity::Error;
        }
    }

    /// Sorts by file and line so output is stable whatever order threads finished in.
    pub(crate) fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.location
                    .as_ref()
                    .map(|l| (l.path.clone(), l.line, l.column))
            };
            key(a).cmp(&key(b))
        });
    }

    /// Fails with [`Error::Invalid`] holding only the errors, if there are any.
    /// Warnings stay in `self` for the report.
    pub(crate) fn take_errors(&mut self) -> Result<()> {
        if !self.has_errors() {
            return Ok(());
        }
        self.sort();
        let (errors, warnings) = std::mem::take(&mut self.items)
            .into_iter()
            .partition(|d| d.severity == Severity::Error);
        self.items = warnings;
        Err(Error::Invalid(Diagnostics { items: errors }))
    }

    /// All items rendered, one block each.
    pub fn render(&self) -> String {
        let blocks: Vec<String> = self.items.iter().map(Diagnostic::render).collect();
        blocks.join("\n").trim_end().to_string()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics {
            items: vec![diagnostic],
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Error::Invalid(diagnostic.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_caret_and_help() {
        let mut loc = Location::file("content/a.md");
        loc.line = 3;
        loc.column = Some(5);
        loc.source_line = Some(SourceLine::at_column("titel = \"x\"", Some(5)));
        let d =
            Diagnostic::error(Some(loc), "unknown key `titel`").with_help("did you mean `title`?");
        assert_eq!(
            d.render(),
            "error: unknown key `titel`\n  --> content/a.md:3:5\n  |\n3 | titel = \"x\"\n  |     ^\nhelp: did you mean `title`?\n"
        );
    }

    #[test]
    fn take_errors_keeps_warnings() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::warning(None, "w"));
        assert!(all.take_errors().is_ok());
        all.push(Diagnostic::error(None, "e"));
        let err = all.take_errors().unwrap_err();
        assert!(matches!(err, Error::Invalid(d) if d.len() == 1));
        assert_eq!(all.len(), 1);
    }
}
