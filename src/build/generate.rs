//! Stages 6–8 of the pipeline: note and section pages, the quiz bank and its
//! pages, the search index and the sitemap, each file handed on as it is made.
//!
//! `build` runs them one after another and drops the notes' HTML once the
//! pages hold it, to bound memory on large sites. `serve` (with a cache) runs
//! the pages, the practice pages and the search index side by side, since none
//! needs another, and the author waits on the slowest instead of all three.

use std::sync::Arc;

use rayon::prelude::*;

use crate::build::note_cache::NoteCache;
use crate::build::StageTimer;
use crate::config::SiteConfig;
use crate::content::model::SiteModel;
use crate::error::Result;
use crate::markdown::{LinkTargets, RenderedNote};
use crate::quiz::{build_quiz_bank, QuizInput};
use crate::render::pages::{
    render_pages, render_practice_pages, render_sitemap, Emit, PageKit, RenderedFile, SiteInput,
};
use crate::render::Renderer;
use crate::search::build_search_index;

/// What the stages read, and where their files go.
pub(crate) struct Generate<'a> {
    pub(crate) model: &'a SiteModel,
    pub(crate) section_notes: &'a [Arc<RenderedNote>],
    pub(crate) config: &'a SiteConfig,
    pub(crate) targets: &'a LinkTargets,
    pub(crate) renderer: &'a Renderer,
    pub(crate) cache: Option<&'a NoteCache>,
    pub(crate) emit: &'a Emit<'a>,
}

impl Generate<'_> {
    /// Runs the stages over `notes` (indexed by page id).
    pub(crate) fn run(&self, notes: Vec<Arc<RenderedNote>>, timer: &mut StageTimer) -> Result<()> {
        // What every page shares (site view, sidebars), made once for both the
        // pages and the practice pages; it holds no note, so the notes' HTML
        // can be dropped after the pages.
        let memo = self.cache.map(|c| (&c.pages, &c.navs));
        let kit = PageKit::new(&self.input(&notes), self.renderer, memo);
        let kit = &kit;
        if self.cache.is_some() {
            // Three independent stages; rayon spreads them over the cores.
            let (mut practice_timer, mut search_timer) = Default::default();
            let (pages, (practice, search)) = rayon::join(
                || timer.time("render pages", || self.pages(&notes, kit)),
                || {
                    rayon::join(
                        || self.practice(&notes, kit, &mut practice_timer),
                        || self.search(&notes, &mut search_timer),
                    )
                },
            );
            let stages = [practice_timer, search_timer].map(|t: StageTimer| t.stages);
            timer.stages.extend(stages.into_iter().flatten());
            pages?;
            search?;
            return self.sitemap(&notes, &practice?);
        }
        timer.time("render pages", || self.pages(&notes, kit))?;
        let notes = without_html(notes);
        let practice_paths = self.practice(&notes, kit, timer)?;
        self.search(&notes, timer)?;
        self.sitemap(&notes, &practice_paths)
    }

    fn input<'n>(&'n self, notes: &'n [Arc<RenderedNote>]) -> SiteInput<'n> {
        SiteInput {
            model: self.model,
            notes,
            section_notes: self.section_notes,
            config: self.config,
            targets: self.targets,
        }
    }

    fn pages(&self, notes: &[Arc<RenderedNote>], kit: &PageKit<'_>) -> Result<()> {
        render_pages(&self.input(notes), kit, self.emit)
    }

    /// The quiz bank and its pages; returns their paths for the sitemap.
    fn practice(
        &self,
        notes: &[Arc<RenderedNote>],
        kit: &PageKit<'_>,
        timer: &mut StageTimer,
    ) -> Result<Vec<String>> {
        let quiz = timer.time("quiz bank", || {
            build_quiz_bank(
                &QuizInput {
                    model: self.model,
                    notes,
                    config: &self.config.quiz,
                    targets: self.targets,
                },
                self.cache.map(|c| &c.quiz),
            )
        });
        timer.time("quiz pages", || {
            render_practice_pages(
                &self.input(notes),
                &quiz,
                kit,
                self.emit,
                self.cache.map(|c| &c.pools),
            )
        })
    }

    fn search(&self, notes: &[Arc<RenderedNote>], timer: &mut StageTimer) -> Result<()> {
        if !self.config.search.enabled {
            return Ok(());
        }
        timer.time("search index", || {
            let counts = self.cache.map(|c| &c.search);
            let index =
                build_search_index(self.model, notes, self.section_notes, self.config, counts);
            index.files.into_par_iter().try_for_each(|f| {
                (self.emit)(RenderedFile {
                    path: f.path,
                    body: f.text,
                })
            })
        })
    }

    fn sitemap(&self, notes: &[Arc<RenderedNote>], practice_paths: &[String]) -> Result<()> {
        (self.emit)(render_sitemap(
            &self.input(notes),
            self.renderer,
            practice_paths,
            self.cache.map(|c| &c.pages),
        )?)
    }
}

/// The notes without their HTML, which only the note pages use.
fn without_html(mut notes: Vec<Arc<RenderedNote>>) -> Vec<Arc<RenderedNote>> {
    for note in &mut notes {
        Arc::make_mut(note).html = String::new();
    }
    notes
}
