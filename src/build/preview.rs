//! `serve`'s preview of an edit: as soon as the edited notes are rendered and
//! their links checked, their pages are made with the last build's page kit
//! and served, before the rest of the rebuild (quiz bank, practice pages,
//! search index) is done. At 10,000 notes that rest takes most of a rebuild;
//! the page being written need not wait for it.
//!
//! The kit (sidebars, breadcrumbs, practice links) is the last build's, so
//! a preview may show a sidebar one edit old (a changed title, a section's
//! first quiz); the whole rebuild that follows serves the right one, and the
//! page reloads once more only then. A preview is made only while the site's
//! pages and sections are the same ones, in the same order, as when the kit
//! was made: the kit is indexed by their ids.

use std::sync::{Arc, Mutex};

use crate::build::jobs::run_jobs;
use crate::build::OutputFile;
use crate::cache::BuildCache;
use crate::content::model::{PageId, SiteModel};
use crate::error::Result;
use crate::hashing::key_of_items;
use crate::markdown::RenderedNote;
use crate::pages::kit::PageKit;
use crate::pages::{note, SiteData};
use crate::render::Renderer;

/// Receives a preview's pages.
pub type PreviewSink<'a> = dyn Fn(Vec<OutputFile>) + Sync + 'a;

/// The most changed notes a preview makes: an editor saves one file at a time;
/// a checkout that changes many waits for the whole rebuild.
const MAX_PREVIEW_NOTES: usize = 8;

/// What a build's notes were: the ids its kit is indexed by, and each note's key.
#[derive(Debug)]
pub(crate) struct Snapshot {
    /// Every page's and section's path and place, and the reading order.
    ids: u64,
    /// Each page's rendered note key, by `PageId`.
    note_keys: Vec<u64>,
}

impl Snapshot {
    pub(crate) fn of(model: &SiteModel, notes: &[Arc<RenderedNote>]) -> Self {
        let pages = model.pages.iter().map(|p| (&p.path, p.section));
        let sections = model.sections.iter().map(|s| (&s.path, s.parent));
        Snapshot {
            ids: key_of_items(&key_of_items(&model.reading_order, pages), sections),
            note_keys: notes.iter().map(|note| note.source_key).collect(),
        }
    }

    /// The notes whose key changed since `earlier`, when the ids are the same
    /// and few changed.
    fn changed_since(&self, earlier: &Snapshot) -> Option<Vec<PageId>> {
        if self.ids != earlier.ids || self.note_keys.len() != earlier.note_keys.len() {
            return None;
        }
        let pairs = self.note_keys.iter().zip(&earlier.note_keys);
        let changed: Vec<PageId> = pairs
            .enumerate()
            .filter(|(_, (now, then))| now != then)
            .map(|(i, _)| PageId(i))
            .take(MAX_PREVIEW_NOTES + 1)
            .collect();
        (!changed.is_empty() && changed.len() <= MAX_PREVIEW_NOTES).then_some(changed)
    }
}

/// The last successful build's kit, with the snapshot of its notes.
#[derive(Default)]
pub(crate) struct KeptKit(Mutex<Option<Arc<(Snapshot, PageKit)>>>);

impl KeptKit {
    pub(crate) fn keep(&self, snapshot: Snapshot, kit: PageKit) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new((snapshot, kit)));
    }

    fn get(&self) -> Option<Arc<(Snapshot, PageKit)>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl std::fmt::Debug for KeptKit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeptKit")
    }
}

/// The pages of the notes changed since the kept kit was made, through the
/// pages' memo (so the rebuild reuses them when its kit is the same); none
/// when there is no kit or it does not fit (see the module doc).
pub(crate) fn preview_pages(
    data: &SiteData<'_>,
    now: &Snapshot,
    cache: &BuildCache,
    renderer: &Renderer,
) -> Result<Vec<OutputFile>> {
    let Some(kept) = cache.kit.get() else {
        return Ok(Vec::new());
    };
    let (earlier, kit) = &*kept;
    let Some(changed) = now.changed_since(earlier) else {
        return Ok(Vec::new());
    };
    let jobs = note::jobs_of(data, kit, |id| changed.contains(&id));
    let files = Mutex::new(Vec::new());
    let collect = |path: String, bytes: bytes::Bytes| {
        let file = OutputFile::bytes(path, bytes);
        files.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    };
    run_jobs(jobs, renderer, Some(&cache.pages), &collect)?;
    Ok(files.into_inner().unwrap_or_else(|e| e.into_inner()))
}
