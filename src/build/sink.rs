//! Where output files go as the stages produce them: straight into the staging
//! folder for `build`, so a 10,000-note site is never held in memory whole, or
//! into a list for `serve` and `check`.
//!
//! Two kinds of file: *generated* ones (pages, search shards), of which two at one
//! path is an error, and *base* ones (theme statics, content assets, robots.txt),
//! which a generated file of the same path replaces. Among base files the later
//! one wins: statics over assets over the host files.

use std::fs;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use rustc_hash::{FxBuildHasher, FxHashSet};

use crate::build::outputs::{OutputBody, OutputFile};
use crate::build::write::{self, MARKER_FILE};
use crate::error::{Diagnostic, Error, Result};

pub(crate) struct Sink {
    /// Paths of the generated files emitted so far.
    generated: Mutex<FxHashSet<String>>,
    /// Every file written to disk, for the offline app's list and version.
    written: Mutex<Vec<Written>>,
    files: AtomicUsize,
    bytes: AtomicU64,
    place: Place,
}

enum Place {
    /// The site root (`OutputBody::Copy` sources are relative to it) and the files.
    Memory(PathBuf, Mutex<Vec<OutputFile>>),
    Staging(Staging),
}

/// A staging folder that is removed again unless [`Sink::finish`] swaps it in.
struct Staging {
    /// Site root: `OutputBody::Copy` sources are relative to it.
    root: PathBuf,
    dir: PathBuf,
    output: PathBuf,
    force: bool,
    swapped: bool,
}

impl Sink {
    pub(crate) fn in_memory(root: &Path) -> Sink {
        Sink::with(Place::Memory(root.to_path_buf(), Mutex::default()))
    }

    /// Writes into a fresh staging folder beside `output`.
    pub(crate) fn staging(root: &Path, output: &Path, force: bool) -> Result<Sink> {
        let dir = write::staging_dir(output)?;
        fs::write(
            dir.join(MARKER_FILE),
            "written by studysite; safe to delete with the folder\n",
        )
        .map_err(|e| Error::io(dir.join(MARKER_FILE), e))?;
        Ok(Sink::with(Place::Staging(Staging {
            root: root.to_path_buf(),
            dir,
            output: output.to_path_buf(),
            force,
            swapped: false,
        })))
    }

    fn with(place: Place) -> Sink {
        Sink {
            generated: Mutex::default(),
            written: Mutex::default(),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            place,
        }
    }

    /// A generated file; another generated file at the same path is an error.
    pub(crate) fn emit(&self, file: OutputFile) -> Result<()> {
        self.claim(&file.path)?;
        self.put(file)
    }

    /// Records a generated file's path; a second claim of a path is an error.
    fn claim(&self, path: &str) -> Result<()> {
        let is_new = self
            .generated
            .lock()
            .expect("no panics while held")
            .insert(path.to_string());
        if is_new {
            return Ok(());
        }
        Err(
            Diagnostic::error(None, format!("two pages would be written to `{path}`"))
                .with_help(
                    "a note or section has the URL of a generated page (quiz, exam, flashcards, \
                 search, mnemonics) or of another note; rename one of them",
                )
                .into(),
        )
    }

    /// Base files, in rising precedence, after every generated file: each is
    /// skipped when a generated file has its path, and written in order, so a
    /// later one replaces an earlier one.
    pub(crate) fn emit_base(&self, files: impl IntoIterator<Item = OutputFile>) -> Result<()> {
        let files: Vec<OutputFile> = {
            let generated = self.generated.lock().expect("no panics while held");
            files
                .into_iter()
                .filter(|f| !generated.contains(&f.path))
                .collect()
        };
        files.into_iter().try_for_each(|f| self.put(f))
    }

    fn put(&self, file: OutputFile) -> Result<()> {
        match &self.place {
            Place::Memory(_, list) => list.lock().expect("no panics while held").push(file),
            Place::Staging(staging) => {
                let len = staging.write(&file)?;
                self.files.fetch_add(1, Ordering::Relaxed);
                self.bytes.fetch_add(len, Ordering::Relaxed);
                let written = Written::new(file, len);
                self.written
                    .lock()
                    .expect("no panics while held")
                    .push(written);
            }
        }
        Ok(())
    }

    /// The files written to disk so far, the latest of a path only, by path.
    pub(crate) fn written(&self) -> Vec<Written> {
        let mut list = self.written.lock().expect("no panics while held").clone();
        list.reverse();
        list.sort_by(|a, b| a.path.cmp(&b.path));
        list.dedup_by(|later, earlier| later.path == earlier.path);
        list
    }

    /// Swaps a staging folder in for the output; returns the files held in memory
    /// (sorted by path, the last emitted of a path kept) and the file and byte counts.
    pub(crate) fn finish(self) -> Result<Finished> {
        let Sink {
            files,
            bytes,
            place,
            ..
        } = self;
        let mut finished = Finished {
            files: Vec::new(),
            count: files.into_inner(),
            bytes: bytes.into_inner(),
        };
        match place {
            Place::Memory(root, list) => {
                let mut list = list.into_inner().expect("no panics while held");
                // Latest first, so the stable sort and dedup keep the latest of a path.
                list.reverse();
                list.sort_by(|a, b| a.path.cmp(&b.path));
                list.dedup_by(|later, earlier| later.path == earlier.path);
                finished.count = list.len();
                finished.bytes = list.iter().map(|f| body_len(&root, &f.body)).sum();
                finished.files = list;
            }
            Place::Staging(mut staging) => {
                write::swap_in(&staging.dir, &staging.output, staging.force)?;
                staging.swapped = true;
            }
        }
        Ok(finished)
    }
}

/// A file written to disk: its path, size and a hash of its content (of a
/// copied file's source path and size, not to read it twice).
#[derive(Debug, Clone)]
pub(crate) struct Written {
    pub(crate) path: String,
    pub(crate) len: u64,
    pub(crate) hash: u64,
}

impl Written {
    fn new(file: OutputFile, len: u64) -> Self {
        let hash = match &file.body {
            OutputBody::Bytes(bytes) => FxBuildHasher.hash_one(&bytes[..]),
            OutputBody::Copy(source) => FxBuildHasher.hash_one((source, len)),
        };
        Written {
            path: file.path,
            len,
            hash,
        }
    }
}

/// What a finished sink leaves: the in-memory files (none for a staging folder) and totals.
pub(crate) struct Finished {
    pub(crate) files: Vec<OutputFile>,
    pub(crate) count: usize,
    pub(crate) bytes: u64,
}

fn body_len(root: &Path, body: &OutputBody) -> u64 {
    match body {
        OutputBody::Bytes(bytes) => bytes.len() as u64,
        OutputBody::Copy(source) => fs::metadata(root.join(source)).map_or(0, |m| m.len()),
    }
}

impl Staging {
    /// The staging path of output `path`, its folder created.
    fn create(&self, path: &str) -> Result<PathBuf> {
        let path = self.dir.join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        Ok(path)
    }

    /// Writes one file; returns its length.
    fn write(&self, file: &OutputFile) -> Result<u64> {
        let path = self.create(&file.path)?;
        match &file.body {
            OutputBody::Bytes(bytes) => fs::write(&path, bytes)
                .map(|()| bytes.len() as u64)
                .map_err(|e| Error::io(&path, e)),
            OutputBody::Copy(source) => {
                let from = self.root.join(source);
                fs::copy(&from, &path).map_err(|e| Error::io(&from, e))
            }
        }
    }
}

impl Drop for Staging {
    /// A build that failed (or panicked) part-way leaves nothing half-written
    /// behind; the previous output was never touched.
    fn drop(&mut self) {
        if !self.swapped {
            if let Err(e) = write::remove_if_exists(&self.dir) {
                log::warn!("could not remove {}: {e}", self.dir.display());
            }
        }
    }
}
