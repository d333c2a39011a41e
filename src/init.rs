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

/// Where studysite's releases live: the `repository` of Cargo.toml, the one place
/// that names it. The Pages workflow downloads releases from its
/// `/releases/download/vX.Y.Z/`.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// Downloads a release, checks its SHA-256 and installs it, or builds studysite
/// with cargo when that version has no release. The Pages workflow carries it
/// whole (user repositories have no copy of ours), so there is one script:
/// this file, also run by this repository's own workflow and by the tests.
pub const INSTALL_SCRIPT: &str = include_str!("../scripts/install-studysite.sh");

/// What `init` writes in place of each placeholder of the scaffold's Pages
/// workflow, so a new site is built by the release that created it.
const PLACEHOLDERS: [(&str, &str); 2] = [
    ("__STUDYSITE_VERSION__", env!("CARGO_PKG_VERSION")),
    ("__STUDYSITE_REPOSITORY__", REPOSITORY),
];

/// The line of the scaffold's Pages workflow that becomes [`INSTALL_SCRIPT`],
/// indented like the line.
const SCRIPT_PLACEHOLDER: &str = "# __INSTALL_STUDYSITE_SH__";

/// A scaffold file's text as `init` writes it.
fn fill(text: &str) -> String {
    let mut text = text.to_string();
    for (placeholder, value) in PLACEHOLDERS {
        text = text.replace(placeholder, value);
    }
    let mut out = String::with_capacity(text.len() + INSTALL_SCRIPT.len());
    for line in text.split_inclusive('\n') {
        match line.trim_start().strip_prefix(SCRIPT_PLACEHOLDER) {
            Some(rest) if rest.trim().is_empty() => {
                let indent = &line[..line.len() - line.trim_start().len()];
                for script_line in INSTALL_SCRIPT.lines() {
                    if !script_line.is_empty() {
                        out.push_str(indent);
                        out.push_str(script_line);
                    }
                    out.push('\n');
                }
            }
            _ => out.push_str(line),
        }
    }
    out
}

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
        let text = fill(text);
        std::fs::write(&target, text).map_err(|e| Error::io(&target, e))?;
    }
    Ok(dir.to_path_buf())
}
