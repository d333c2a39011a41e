//! Stages 6–9: the quiz bank and the search index, made while the section and
//! note pages (which need neither) are rendered; then every other page. Both
//! job lists go through [`run_jobs`] into the same sink.

use crate::build::jobs::{run_jobs, Emit};
use crate::build::StageTimer;
use crate::cache::BuildCache;
use crate::error::Result;
use crate::pages::kit::PageKit;
use crate::pages::practice::Practice;
use crate::pages::{self, SiteData};
use crate::quiz::{build_quiz_bank, QuizBank, QuizInput};
use crate::render::Renderer;
use crate::search::{build_search_index, SearchIndex};

/// What the output stages read, and where their files go.
pub(crate) struct Outputs<'a> {
    pub(crate) data: SiteData<'a>,
    pub(crate) renderer: &'a Renderer,
    pub(crate) cache: Option<&'a BuildCache>,
    pub(crate) emit: &'a Emit<'a>,
}

impl Outputs<'_> {
    pub(crate) fn render(&self, timer: &mut StageTimer) -> Result<()> {
        let data = &self.data;
        let kit = timer.time("page kit", || PageKit::new(data));
        let note_jobs = pages::note_jobs(data, &kit);
        let listed = pages::listed(&note_jobs);
        let mut side = StageTimer::default();
        let (pages, (bank, search)) = rayon::join(
            || timer.time("note pages", || self.run(note_jobs)),
            || self.quiz_and_search(&mut side),
        );
        timer.stages.extend(side.stages);
        pages?;
        let practice = Practice::new(data, &bank);
        let jobs = pages::study_jobs(data, &kit, &practice, &search, listed);
        timer.time("study pages", || self.run(jobs))
    }

    fn run(&self, jobs: Vec<pages::job::Job<'_>>) -> Result<()> {
        let memo = self.cache.map(|cache| &cache.pages);
        run_jobs(jobs, self.renderer, memo, self.emit)
    }

    /// The quiz bank and the search index, side by side: neither needs the other.
    fn quiz_and_search(&self, timer: &mut StageTimer) -> (QuizBank, SearchIndex) {
        let data = &self.data;
        let input = QuizInput {
            model: data.model,
            notes: data.notes,
            config: &data.config.quiz,
            targets: data.targets,
        };
        let mut search_timer = StageTimer::default();
        let (bank, search) = rayon::join(
            || timer.time("quiz bank", || self.quiz_bank(&input)),
            || search_timer.time("search index", || self.search_index()),
        );
        timer.stages.extend(search_timer.stages);
        (bank, search)
    }

    fn quiz_bank(&self, input: &QuizInput<'_>) -> QuizBank {
        match self.cache {
            Some(cache) => cache.quiz.build_quiz_bank(input),
            None => build_quiz_bank(input),
        }
    }

    fn search_index(&self) -> SearchIndex {
        let data = &self.data;
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
