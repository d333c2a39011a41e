//! Step 3 of loading: read every note and parse its front matter, in parallel.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::front_matter::{self, FrontMatter, Split};
use super::{INDEX_FILE, PAGE_KEYS, SECTION_KEYS};
use crate::error::{Diagnostic, Diagnostics, Error, Location, Result};
use crate::source::{BankFormat, SourceFile};

/// A note as read: its text, where its body starts and its front matter.
#[derive(Debug)]
pub(crate) struct ReadNote {
    pub(crate) file: Arc<SourceFile>,
    pub(crate) split: Split,
    pub(crate) matter: FrontMatter,
    /// What parsing the front matter reported, given again on every load.
    pub(crate) diagnostics: Diagnostics,
}

/// How one note is read: from disk, or from what `serve` kept.
pub(crate) type ReadOne<'a> = dyn Fn(&str) -> Result<Result<Arc<ReadNote>, Diagnostic>> + Sync + 'a;

/// Reads every note in parallel through `read`; a file that is not UTF-8 is a
/// diagnostic, not a panic.
pub(crate) fn read_notes(
    notes: &[String],
    read: &ReadOne<'_>,
    diagnostics: &mut Diagnostics,
) -> Result<Vec<Option<Arc<ReadNote>>>> {
    let results: Vec<Result<Arc<ReadNote>, Diagnostic>> = notes
        .par_iter()
        .map(|relative| read(relative))
        .collect::<Result<_>>()?;
    Ok(results
        .into_iter()
        .map(|result| match result {
            Ok(note) => {
                diagnostics.extend(note.diagnostics.clone());
                Some(note)
            }
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                None
            }
        })
        .collect())
}

/// Reads one note from disk and parses its front matter.
pub(crate) fn read_note(root: &Path, relative: &str) -> Result<Result<ReadNote, Diagnostic>> {
    let path: PathBuf = root.join(relative);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let line = prefix.matches('\n').count() as u32 + 1;
            return Ok(Err(Diagnostic::error(
                Some(Location {
                    path: relative.to_string(),
                    line,
                    column: None,
                    source_line: None,
                }),
                format!("not valid UTF-8 (invalid byte at offset {valid})"),
            )
            .with_help("save the file as UTF-8 in your editor")));
        }
    };
    let file = SourceFile::new(relative, text);
    let keys = match relative.ends_with(&format!("/{INDEX_FILE}")) {
        true => SECTION_KEYS,
        false => PAGE_KEYS,
    };
    // A bank has no front matter: its first line is a header or a row.
    let split = match BankFormat::of(relative) {
        Some(_) => Split::default(),
        None => front_matter::split(&file.text),
    };
    let mut diagnostics = Diagnostics::default();
    let matter = front_matter::parse(&file, &split, keys, &mut diagnostics);
    Ok(Ok(ReadNote {
        file: Arc::new(file),
        split,
        matter,
        diagnostics,
    }))
}
