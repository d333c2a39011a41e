//! Writing a build to disk atomically: everything goes into a temporary folder
//! beside the output, which is swapped in only when complete. A failed build
//! therefore leaves the previous output untouched, and a folder that studysite
//! did not create (no marker file) is never replaced without `--force`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Present in every output folder studysite writes.
pub(crate) const MARKER_FILE: &str = ".studysite-output";

/// Refuses early (before any work) when `output` exists and is not ours.
pub(crate) fn ensure_replaceable(output: &Path, force: bool) -> Result<()> {
    let is_foreign =
        output.exists() && !force && !output.join(MARKER_FILE).is_file() && !is_empty_dir(output);
    if is_foreign {
        return Err(Error::ForeignOutput {
            path: output.to_path_buf(),
            marker: MARKER_FILE,
        });
    }
    Ok(())
}

fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

/// A fresh, empty staging folder beside `output`.
pub(crate) fn staging_dir(output: &Path) -> Result<PathBuf> {
    let staging = sibling(output, "new");
    remove_if_exists(&staging)?;
    fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    Ok(staging)
}

/// Renames the old output aside, the new one in, then deletes the old one.
/// Checks again that `output` may be replaced: it may have appeared since the start.
pub(crate) fn swap_in(staging: &Path, output: &Path, force: bool) -> Result<()> {
    ensure_replaceable(output, force)?;
    let old = sibling(output, "old");
    remove_if_exists(&old)?;
    if output.exists() {
        fs::rename(output, &old).map_err(|e| Error::io(output, e))?;
    }
    if let Err(e) = fs::rename(staging, output) {
        // Put the previous output back before reporting.
        if old.exists() {
            fs::rename(&old, output).map_err(|e| Error::io(output, e))?;
        }
        return Err(Error::io(output, e));
    }
    remove_if_exists(&old)
}

fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.studysite-{suffix}"))
}

pub(crate) fn remove_if_exists(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}
