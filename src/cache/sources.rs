//! The notes `serve` read in earlier builds, so that a rebuild reads only what
//! changed: a [`SourceCache`], and [`load_content_cached`], the content stage
//! run through it.
//!
//! 1. When the watcher reports only edits of notes the last listing holds, the
//!    listing is reused, and if the edits leave every front matter, body start
//!    and first heading as they were, the last model is patched in place.
//! 2. Otherwise content/ is walked again and each note is read only when its
//!    modification time or length changed.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use rustc_hash::FxHashMap;

use crate::content::model::SiteModel;
use crate::content::{
    assemble, first_heading, read_note, read_notes, walk, Listing, LoadOptions, ReadNote,
};
use crate::error::{Diagnostic, Diagnostics, Error, Result};

/// [`load_content`](crate::content::load_content) through `cache`.
pub(crate) fn load_content_cached(
    root: &Path,
    options: LoadOptions,
    cache: &SourceCache,
    diagnostics: &mut Diagnostics,
) -> Result<SiteModel> {
    let edited = cache.edited_notes(root);
    if let Some((_, edited)) = &edited {
        if let Some((model, reported)) = cache.patched_model(root, edited)? {
            reported.into_iter().for_each(|d| diagnostics.push(d));
            return Ok(model);
        }
    }
    let reported_before = diagnostics.len();
    let (listing, edited) = match edited {
        Some((listing, edited)) => (listing, Some(edited)),
        None => (Arc::new(walk(root)?), None),
    };
    // With `edited`, every other note is taken as unchanged.
    let read = |relative: &str| {
        let unchanged = edited.as_ref().filter(|e| !e.contains(relative));
        match unchanged.and_then(|_| cache.get(relative, None)) {
            Some(note) => Ok(Ok(note)),
            None => read_cached(root, relative, cache),
        }
    };
    let notes = read_notes(&listing.notes, &read, diagnostics)?;
    cache.keep_only(&listing.notes);
    let model = assemble(&listing, &notes, options, diagnostics);
    cache.set_listing(listing);
    let reported = diagnostics.iter().skip(reported_before).cloned().collect();
    cache.set_model(&model, reported);
    Ok(model)
}

/// Notes read by earlier builds, by path, with the modification time and
/// length they had then; owned by `serve` across rebuilds.
///
/// When the watcher names the notes an edit touched ([`SourceCache::edited`]),
/// the last build's listing of content/ is reused and only those notes are
/// looked at again; otherwise every note's time and length are checked.
#[derive(Debug, Default)]
pub(crate) struct SourceCache {
    notes: Mutex<FxHashMap<String, (Stamp, Arc<ReadNote>)>>,
    listing: Mutex<Option<Arc<Listing>>>,
    edited: Mutex<Option<HashSet<String>>>,
    model: Mutex<Option<Arc<Loaded>>>,
}

/// The last model made, with what loading it reported.
type Loaded = (SiteModel, Vec<Diagnostic>);

type Stamp = (SystemTime, u64);

impl SourceCache {
    /// The next build's changes, from the watcher: `Some` when they are only
    /// edits of these notes (relative paths), `None` when files may have
    /// appeared or gone (or anything else changed).
    pub(crate) fn edited(&self, notes: Option<HashSet<String>>) {
        *lock(&self.edited) = notes;
    }

    /// The last listing and the notes edited since, when the edits are all of
    /// notes it lists that still exist; taken once.
    fn edited_notes(&self, root: &Path) -> Option<(Arc<Listing>, HashSet<String>)> {
        let edited = lock(&self.edited).take()?;
        let listing = lock(&self.listing).clone()?;
        let known = |path: &String| listing.notes.contains(path);
        edited
            .iter()
            .all(|path| known(path) && root.join(path).is_file())
            .then_some((listing, edited))
    }

    fn set_listing(&self, listing: Arc<Listing>) {
        *lock(&self.listing) = Some(listing);
    }

    fn set_model(&self, model: &SiteModel, diagnostics: Vec<Diagnostic>) {
        *lock(&self.model) = Some(Arc::new((model.clone(), diagnostics)));
    }

    /// The last model with the `edited` notes read again, when none of them
    /// changed anything the model holds but their text: front matter, where
    /// the body starts, the first heading (a title) and what parsing reported.
    /// `None` sends the caller to a full load.
    fn patched_model(
        &self,
        root: &Path,
        edited: &HashSet<String>,
    ) -> Result<Option<(SiteModel, Vec<Diagnostic>)>> {
        let Some(last) = lock(&self.model).clone() else {
            return Ok(None);
        };
        let mut model = last.0.clone();
        for path in edited {
            let Some(old) = self.get(path, None) else {
                return Ok(None);
            };
            let Ok(new) = read_cached(root, path, self)? else {
                return Ok(None);
            };
            let body = |note: &ReadNote| first_heading(&note.file.text[note.split.body_start..]);
            let same = old.split.body_start == new.split.body_start
                && old.matter == new.matter
                && old.diagnostics == new.diagnostics
                && body(&old) == body(&new);
            let page = model
                .pages
                .iter_mut()
                .find(|p| &*p.file.path == path.as_str());
            match (same, page) {
                (true, Some(page)) => page.file = Arc::clone(&new.file),
                _ => return Ok(None),
            }
        }
        // Kept as patched: the next edit starts from this one.
        self.set_model(&model, last.1.clone());
        Ok(Some((model, last.1.clone())))
    }

    fn get(&self, path: &str, stamp: Option<Stamp>) -> Option<Arc<ReadNote>> {
        let notes = lock(&self.notes);
        notes
            .get(path)
            .filter(|(kept, _)| stamp.is_none_or(|stamp| *kept == stamp))
            .map(|(_, note)| Arc::clone(note))
    }

    fn put(&self, path: &str, stamp: Stamp, note: &Arc<ReadNote>) {
        lock(&self.notes).insert(path.to_string(), (stamp, Arc::clone(note)));
    }

    /// Forgets notes that are gone.
    fn keep_only(&self, paths: &[String]) {
        let mut notes = lock(&self.notes);
        if notes.len() != paths.len() {
            let keep: HashSet<&str> = paths.iter().map(String::as_str).collect();
            notes.retain(|path, _| keep.contains(path.as_str()));
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn read_cached(
    root: &Path,
    relative: &str,
    cache: &SourceCache,
) -> Result<Result<Arc<ReadNote>, Diagnostic>> {
    let path = root.join(relative);
    let metadata = std::fs::metadata(&path).map_err(|e| Error::io(&path, e))?;
    let stamp = (
        metadata.modified().map_err(|e| Error::io(&path, e))?,
        metadata.len(),
    );
    if let Some(note) = cache.get(relative, Some(stamp)) {
        return Ok(Ok(note));
    }
    let note = read_note(root, relative)?.map(Arc::new);
    if let Ok(note) = &note {
        cache.put(relative, stamp, note);
    }
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(root: &Path, cache: &SourceCache) -> crate::content::model::SiteModel {
        let mut diagnostics = Diagnostics::default();
        load_content_cached(root, LoadOptions::default(), cache, &mut diagnostics).expect("loads")
    }

    fn titles(root: &Path, cache: &SourceCache) -> Vec<String> {
        load(root, cache)
            .pages
            .iter()
            .map(|p| p.title.clone())
            .collect()
    }

    #[test]
    fn edited_notes_are_read_again_and_other_changes_walk_content() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let edited = |paths: &[&str]| Some(paths.iter().map(|p| p.to_string()).collect());
        write("content/01-a/01-x.md", "# X\n");
        write("content/01-a/02-y.md", "# Y\n");
        let cache = SourceCache::default();
        assert_eq!(titles(root, &cache), ["X", "Y"]);
        // An edit the watcher names: read again without a walk.
        write("content/01-a/01-x.md", "# X2\n");
        cache.edited(edited(&["content/01-a/01-x.md"]));
        assert_eq!(titles(root, &cache), ["X2", "Y"]);
        // A note the last listing does not have: the walk finds it.
        write("content/01-a/03-z.md", "# Z\n");
        cache.edited(edited(&["content/01-a/03-z.md"]));
        assert_eq!(titles(root, &cache), ["X2", "Y", "Z"]);
        // Two edits in turn, each patching the last model: both stay.
        write("content/01-a/01-x.md", "# X2\n\nMore.\n");
        cache.edited(edited(&["content/01-a/01-x.md"]));
        assert_eq!(titles(root, &cache), ["X2", "Y", "Z"]);
        write("content/01-a/02-y.md", "# Y\n\nMore.\n");
        cache.edited(edited(&["content/01-a/02-y.md"]));
        let model = load(root, &cache);
        let text = |i: usize| model.pages[i].file.text.clone();
        assert_eq!(
            (text(0), text(1)),
            ("# X2\n\nMore.\n".into(), "# Y\n\nMore.\n".into())
        );
        // A note that is gone: the walk drops it.
        std::fs::remove_file(root.join("content/01-a/02-y.md")).unwrap();
        cache.edited(edited(&["content/01-a/02-y.md"]));
        assert_eq!(titles(root, &cache), ["X2", "Z"]);
        // No hint: every note's time and length are checked.
        write("content/01-a/03-z.md", "# Z, longer\n");
        cache.edited(None);
        assert_eq!(titles(root, &cache), ["X2", "Z, longer"]);
        // A question bank is a note to the watcher's hint: added, retitled, edited.
        let bank = "content/01-a/04-q.questions.csv";
        write(bank, "# Q\nA?,x|y,A\n");
        cache.edited(edited(&[bank]));
        assert_eq!(titles(root, &cache), ["X2", "Z, longer", "Q"]);
        write(bank, "# Q2\nA?,x|y,A\n");
        cache.edited(edited(&[bank]));
        assert_eq!(titles(root, &cache), ["X2", "Z, longer", "Q2"]);
        write(bank, "# Q2\nA?,x|y,B\n");
        cache.edited(edited(&[bank]));
        let model = load(root, &cache);
        assert_eq!(&*model.pages[2].file.text, "# Q2\nA?,x|y,B\n");
    }
}
