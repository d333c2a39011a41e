//! Writing a build to disk atomically: everything goes into a temporary folder
//! beside the output, which is swapped in only when complete. A failed build
//! therefore leaves the previous output untouched, and a folder that studysite
//! did not create (no marker file) is never replaced without `--force`.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::build::outputs::{OutputBody, OutputFile};
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

/// Writes `files` under `root` into a fresh temporary folder, then swaps it in for `output`.
pub(crate) fn write_atomically(
    root: &Path,
    output: &Path,
    files: &[OutputFile],
    force: bool,
) -> Result<()> {
    ensure_replaceable(output, force)?;
    let staging = sibling(output, "new");
    remove_if_exists(&staging)?;
    let result = write_all(root, &staging, files).and_then(|()| swap_in(&staging, output));
    if result.is_err() {
        // Leave nothing half-written behind; the previous output was never touched.
        if let Err(cleanup) = remove_if_exists(&staging) {
            log::warn!("could not remove {}: {cleanup}", staging.display());
        }
    }
    result
}

fn write_all(root: &Path, staging: &Path, files: &[OutputFile]) -> Result<()> {
    fs::create_dir_all(staging).map_err(|e| Error::io(staging, e))?;
    fs::write(
        staging.join(MARKER_FILE),
        "written by studysite; safe to delete with the folder\n",
    )
    .map_err(|e| Error::io(staging.join(MARKER_FILE), e))?;
    files.par_iter().try_for_each(|file| {
        let path = staging.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        match &file.body {
            OutputBody::Bytes(bytes) => fs::write(&path, bytes).map_err(|e| Error::io(&path, e)),
            OutputBody::Copy(source) => {
                let from = root.join(source);
                fs::copy(&from, &path)
                    .map(drop)
                    .map_err(|e| Error::io(&from, e))
            }
        }
    })
}

/// Renames the old output aside, the new one in, then deletes the old one.
fn swap_in(staging: &Path, output: &Path) -> Result<()> {
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

fn remove_if_exists(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}
