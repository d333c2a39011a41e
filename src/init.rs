//! `studysite init`: scaffold a working site from files embedded in the binary.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Location, Result};

macro_rules! scaffold {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../scaffold/", $path)))),*]
    };
}

/// Every scaffold file, by its path in the new site.
const SCAFFOLD: &[(&str, &str)] = scaffold!(
    "site.toml",
    "content/_index.md",
    "content/01-getting-started/_index.md",
    "content/01-getting-started/01-every-feature.md",
    "content/01-getting-started/02-plain-note.md",
    "content/01-getting-started/img/diagram.svg",
    ".gitignore",
    ".github/workflows/pages.yml",
);

/// Stands in the scaffold's Pages workflow for the version that installs studysite,
/// so a new site is built by the same release that created it.
const VERSION_PLACEHOLDER: &str = "STUDYSITE_VERSION";

/// Creates a new site in `dir`, which must be missing or empty. Returns the folder.
pub fn init(dir: &Path) -> Result<PathBuf> {
    let is_empty = std::fs::read_dir(dir).map_or(true, |mut entries| entries.next().is_none());
    if !is_empty {
        return Err(Diagnostic::error(
            Some(Location::file(dir.display().to_string())),
            "folder is not empty; init never overwrites files",
        )
        .with_help("pass a new folder name, e.g. `studysite init my-notes`")
        .into());
    }
    for (path, text) in SCAFFOLD {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let text = text.replace(VERSION_PLACEHOLDER, env!("CARGO_PKG_VERSION"));
        std::fs::write(&target, text).map_err(|e| Error::io(&target, e))?;
    }
    Ok(dir.to_path_buf())
}
