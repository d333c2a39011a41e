//! Stages 6–9, as job lists that all go through [`run_jobs`] into the same sink.
//! A clean build:
//!
//! 1. the quiz bank and the practice pages (notes and sections link to their
//!    section's practice pages, so the page kit is made from the bank); then
//!    the bank and the notes' flashcard backs go;
//! 2. the section and note pages; then the notes' HTML goes;
//! 3. the search index, which needs no page, and its files; the notes' section
//!    texts go as the index unpacks them;
//! 4. mnemonics, search, 404 and the sitemap.
//!
//! Steps 2 and 3 run one after the other: each keeps both cores busy on its own
//! (at 10,000 notes, 1.1 s and 2.2 s, against 3.1 s side by side), and memory
//! then never holds the pages being made, the notes' HTML and the index at once.
//! A small site's build (`build/spill.rs`) makes the index beside step 1
//! instead, for speed.
//!
//! `serve`'s rebuild runs the index beside step 1 too, and its files with the
//! pages of step 2 (see [`Outputs::render_rebuild`]).

use std::sync::Arc;

use rayon::prelude::*;

use crate::build::jobs::{run_jobs, Emit};
use crate::build::StageTimer;
use crate::cache::BuildCache;
use crate::config::SiteConfig;
use crate::content::model::SiteModel;
use crate::error::Result;
use crate::markdown::packed::PackedHtml;
use crate::markdown::{RenderedNote, TextSection, Urls};
use crate::pages::kit::PageKit;
use crate::pages::practice::Practice;
use crate::pages::{self, SiteData};
use crate::quiz::{build_quiz_bank, QuizBank, QuizInput};
use crate::render::Renderer;
use crate::search::{build_search_index, SearchIndex};
use crate::source::OutputPath;

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
    /// A large site's clean build makes its stages one after the other, to
    /// bound its memory ([`Outputs::render_clean`]).
    pub(crate) large: bool,
}

impl Outputs<'_> {
    /// Runs every job; returns the page kit.
    pub(crate) fn render(mut self, timer: &mut StageTimer) -> Result<PageKit> {
        let (kit, listed) = match self.cache {
            Some(cache) => self.render_rebuild(cache, timer)?,
            None => self.render_clean(timer)?,
        };
        let data = self.data();
        let jobs = pages::last_jobs(&data, &kit, listed);
        timer.time("last pages", || self.run(jobs))?;
        Ok(kit)
    }

    /// A clean build: the practice pages, the note pages, then the search index
    /// and its files. The bank goes before the note pages, and the notes' HTML
    /// before the index, so memory never holds them all at once; a small site
    /// makes the index beside the practice pages instead.
    fn render_clean(&mut self, timer: &mut StageTimer) -> Result<(PageKit, Vec<OutputPath>)> {
        let (practice, search) = match self.large {
            true => (self.practice(&self.data(), timer), None),
            false => {
                // The texts stay on the notes: the bank reads them meanwhile.
                let index = |data: &SiteData<'_>| {
                    search_index(data, || {
                        data.notes.par_iter().map(|n| n.sections.unpack()).collect()
                    })
                };
                let (practice, search) = self.practice_beside(timer, index);
                (practice, Some(search))
            }
        };
        let (kit, mut listed) = practice?;
        release(&mut self.notes, |note| note.question_backs = Vec::new());
        {
            // The jobs borrow the notes, which let their HTML go after them.
            let data = self.data();
            let note_jobs = pages::note_jobs(&data, &kit);
            listed.splice(0..0, pages::listed(&note_jobs));
            timer.time("note pages", || self.run(note_jobs))?;
        }
        release(&mut self.notes, |note| note.html = PackedHtml::default());
        let search = match search {
            Some(search) => search,
            None => timer.time("search index", || self.clean_search_index()),
        };
        timer.time("search files", || self.run(pages::search_jobs(search)))?;
        Ok((kit, listed))
    }

    /// The bank and practice pages, with the search index that `search` makes
    /// beside them: each leaves a core idle at times (at 1,000 notes the bank
    /// used 1.7 cores, the index 1.75). For `serve`, and a small site's build,
    /// whose memory is no concern.
    fn practice_beside(
        &self,
        timer: &mut StageTimer,
        search: impl FnOnce(&SiteData<'_>) -> SearchIndex + Send,
    ) -> (Result<(PageKit, Vec<OutputPath>)>, SearchIndex) {
        let data = self.data();
        let mut search_timer = StageTimer::default();
        let joined = rayon::join(
            || self.practice(&data, timer),
            || search_timer.time("search index", || search(&data)),
        );
        timer.stages.extend(search_timer.stages);
        joined
    }

    /// `serve`'s rebuild: the search index beside the bank and practice pages,
    /// then the note pages together with the index's files. A rebuild's stages
    /// are mostly single-threaded passes over the whole site, so two at a time
    /// keep both cores busy; `serve`'s cache holds the notes and the bank anyway.
    fn render_rebuild(
        &self,
        cache: &BuildCache,
        timer: &mut StageTimer,
    ) -> Result<(PageKit, Vec<OutputPath>)> {
        let (practice, search) =
            self.practice_beside(timer, |data| rebuild_search_index(cache, data));
        let (kit, mut listed) = practice?;
        let data = self.data();
        let mut jobs = pages::note_jobs(&data, &kit);
        listed.splice(0..0, pages::listed(&jobs));
        jobs.extend(pages::search_jobs(search));
        timer.time("notes, search files", || self.run(jobs))?;
        Ok((kit, listed))
    }

    /// The quiz bank and the practice pages, and the page kit, which links to
    /// the practice pages that exist. The bank goes before the note pages.
    fn practice(
        &self,
        data: &SiteData<'_>,
        timer: &mut StageTimer,
    ) -> Result<(PageKit, Vec<OutputPath>)> {
        let input = QuizInput {
            model: data.model,
            notes: data.notes,
            config: &data.config.quiz,
            targets: data.targets,
        };
        let bank = timer.time("quiz bank", || self.quiz_bank(&input));
        let practice = Practice::new(data, &bank);
        let kit = timer.time("page kit", || PageKit::new(data, &practice));
        let jobs = pages::practice_jobs(data, &kit, &practice);
        let listed = pages::listed(&jobs);
        timer.time("practice pages", || self.run(jobs))?;
        drop(practice);
        bank.release();
        Ok((kit, listed))
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

    fn quiz_bank(&self, input: &QuizInput<'_>) -> QuizBank {
        match self.cache {
            Some(cache) => cache.quiz.build_quiz_bank(input),
            None => build_quiz_bank(input),
        }
    }

    /// A clean build's index, which takes the notes' section texts.
    fn clean_search_index(&mut self) -> SearchIndex {
        let enabled = self.config.search.enabled;
        let texts = enabled.then(|| unpack_texts(&mut self.notes));
        search_index(&self.data(), || texts.unwrap_or_default())
    }
}

/// A clean build's index of `data`, whose pages' section texts `texts` gives.
fn search_index(data: &SiteData<'_>, texts: impl FnOnce() -> Vec<Vec<TextSection>>) -> SearchIndex {
    if !data.config.search.enabled {
        return SearchIndex::default();
    }
    let (model, notes, sections) = (data.model, data.notes, data.section_notes);
    build_search_index(model, notes, sections, texts(), data.config)
}

/// `serve`'s index, from its cache.
fn rebuild_search_index(cache: &BuildCache, data: &SiteData<'_>) -> SearchIndex {
    if !data.config.search.enabled {
        return SearchIndex::default();
    }
    let (model, notes, sections) = (data.model, data.notes, data.section_notes);
    cache
        .search
        .build_search_index(model, notes, sections, data.config)
}

/// Each note's section texts for the search index, by `PageId`; the packed
/// texts go as they are unpacked, so the two are never held whole at once.
fn unpack_texts(notes: &mut [Arc<RenderedNote>]) -> Vec<Vec<TextSection>> {
    let unpack = |note: &mut Arc<RenderedNote>| match Arc::get_mut(note) {
        Some(note) => std::mem::take(&mut note.sections).unpack(),
        None => note.sections.unpack(),
    };
    notes.par_iter_mut().map(unpack).collect()
}

/// Lets part of each note go once no later stage reads it, where this build
/// holds the notes alone (`serve`'s cache keeps its own, which stay): the
/// flashcard backs after the practice pages, the HTML after the note pages.
/// At 10,000 long notes they are 96 MB and 225 MB.
fn release(notes: &mut [Arc<RenderedNote>], part: impl Fn(&mut RenderedNote)) {
    for note in notes {
        if let Some(note) = Arc::get_mut(note) {
            part(note);
        }
    }
}
