//! Stages 6–9, as job lists that all go through [`run_jobs`] into the same sink:
//!
//! 1. the quiz bank (notes and sections link to their section's practice
//!    pages); then side by side the section and note pages and the practice
//!    pages; then the notes' HTML and the bank go;
//! 2. the search index and its files; the index goes as they are written. It
//!    comes last because it is the largest: a large site never holds it
//!    together with the notes' HTML or the bank;
//! 3. mnemonics, search, 404 and the sitemap.

use std::sync::Arc;

use crate::build::jobs::{run_jobs, Emit};
use crate::build::StageTimer;
use crate::cache::BuildCache;
use crate::config::SiteConfig;
use crate::content::model::SiteModel;
use crate::error::Result;
use crate::markdown::{RenderedNote, Urls};
use crate::pages::kit::PageKit;
use crate::pages::practice::Practice;
use crate::pages::{self, SiteData};
use crate::quiz::{build_quiz_bank, QuizBank, QuizInput};
use crate::render::Renderer;
use crate::search::{build_search_index, SearchIndex};

/// What the output stages read, and where their files go.
pub(crate) struct Outputs<'a> {
    pub(crate) model: &'a SiteModel,
    /// Indexed by `PageId`; owned, so that their HTML can go once it is on the pages.
    pub(crate) notes: Vec<Arc<RenderedNote>>,
    pub(crate) section_notes: &'a [Arc<RenderedNote>],
    pub(crate) config: &'a SiteConfig,
    pub(crate) targets: &'a Urls,
    pub(crate) renderer: &'a Renderer,
    pub(crate) cache: Option<&'a BuildCache>,
    pub(crate) emit: &'a Emit<'a>,
}

impl Outputs<'_> {
    pub(crate) fn render(mut self, timer: &mut StageTimer) -> Result<()> {
        let (kit, listed) = {
            let data = self.data();
            let input = QuizInput {
                model: data.model,
                notes: data.notes,
                config: &data.config.quiz,
                targets: data.targets,
            };
            let bank = timer.time("quiz bank", || self.quiz_bank(&input));
            let practice = Practice::new(&data, &bank);
            // Notes and sections link to their section's practice pages, so the
            // kit is made once the bank tells which sections have them.
            let kit = timer.time("page kit", || PageKit::new(&data, &practice));
            let note_jobs = pages::note_jobs(&data, &kit);
            let practice_jobs = pages::practice_jobs(&data, &kit, &practice);
            let mut listed = pages::listed(&note_jobs);
            listed.extend(pages::listed(&practice_jobs));
            let mut practice_timer = StageTimer::default();
            let (notes, practice) = rayon::join(
                || timer.time("note pages", || self.run(note_jobs)),
                || practice_timer.time("practice pages", || self.run(practice_jobs)),
            );
            timer.stages.extend(practice_timer.stages);
            notes?;
            practice?;
            (kit, listed)
        };
        release_html(&mut self.notes);
        let data = self.data();
        self.search(&data, timer)?;
        let jobs = pages::last_jobs(&data, &kit, listed);
        timer.time("last pages", || self.run(jobs))
    }

    fn data(&self) -> SiteData<'_> {
        SiteData {
            model: self.model,
            notes: &self.notes,
            section_notes: self.section_notes,
            config: self.config,
            targets: self.targets,
        }
    }

    fn run(&self, jobs: Vec<pages::job::Job<'_>>) -> Result<()> {
        let memo = self.cache.map(|cache| &cache.pages);
        run_jobs(jobs, self.renderer, memo, self.emit)
    }

    /// The search index and its files; the index goes as they are written.
    fn search(&self, data: &SiteData<'_>, timer: &mut StageTimer) -> Result<()> {
        let search = timer.time("search index", || self.search_index(data));
        timer.time("search files", || self.run(pages::search_jobs(search)))
    }

    fn quiz_bank(&self, input: &QuizInput<'_>) -> QuizBank {
        match self.cache {
            Some(cache) => cache.quiz.build_quiz_bank(input),
            None => build_quiz_bank(input),
        }
    }

    fn search_index(&self, data: &SiteData<'_>) -> SearchIndex {
        if !data.config.search.enabled {
            return SearchIndex::default();
        }
        let (model, notes, sections, config) =
            (data.model, data.notes, data.section_notes, data.config);
        match self.cache {
            Some(cache) => cache
                .search
                .build_search_index(model, notes, sections, config),
            None => build_search_index(model, notes, sections, config),
        }
    }
}

/// Only note pages show the notes' HTML: once they are made, it goes, where
/// this build holds the notes alone (a clean build's 10,000 notes hold some
/// hundred megabytes of it; `serve`'s cache keeps its own, which stays).
fn release_html(notes: &mut [Arc<RenderedNote>]) {
    for note in notes {
        if let Some(note) = Arc::get_mut(note) {
            note.html = String::new();
        }
    }
}
