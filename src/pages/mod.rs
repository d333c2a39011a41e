//! Every output a build renders, as a list of [jobs](job::Job).
//!
//! Each page kind is a module with a `jobs` function: from the site's data
//! (model, rendered notes, quiz bank, search index) it lists its outputs, each
//! with a path and a function that makes its view. [`jobs`] below is the
//! registry: the one list, in the order the sitemap lists pages. The build runs
//! it (`build::run_jobs`); how to add a kind is in docs/architecture.md.

pub(crate) mod job;
pub(crate) mod kit;
pub(crate) mod mnemonics;
pub(crate) mod note;
pub(crate) mod plain;
pub(crate) mod practice;
pub(crate) mod search_index;
pub(crate) mod section;
pub(crate) mod sitemap;

use std::sync::Arc;

use crate::config::SiteConfig;
use crate::content::model::SiteModel;
use crate::markdown::{LinkTargets, RenderedNote};
use crate::quiz::QuizBank;
use crate::search::SearchIndex;
use job::Job;
use kit::PageKit;
use mnemonics::MNEMONICS_PATH;
use practice::Practice;

/// What pages are made from.
pub(crate) struct SiteData<'a> {
    pub(crate) model: &'a SiteModel,
    /// Indexed by `PageId`.
    pub(crate) notes: &'a [Arc<RenderedNote>],
    /// Indexed by `SectionId`; `_index.md` bodies.
    pub(crate) section_notes: &'a [Arc<RenderedNote>],
    pub(crate) config: &'a SiteConfig,
    pub(crate) targets: &'a LinkTargets,
    pub(crate) bank: &'a QuizBank,
    pub(crate) search: &'a SearchIndex,
}

/// What several kinds share, made once per build: the site view and sidebars,
/// and the quiz bank grouped by section.
pub(crate) struct Shared<'a> {
    kit: PageKit,
    practice: Practice<'a>,
}

impl<'a> Shared<'a> {
    pub(crate) fn new(data: &SiteData<'a>) -> Self {
        let mnemonics_url =
            mnemonics::has_mnemonics(data).then(|| data.targets.url(MNEMONICS_PATH));
        Shared {
            kit: PageKit::new(data, mnemonics_url),
            practice: Practice::new(data),
        }
    }
}

/// The registry: every job of the build, the sitemap last.
pub(crate) fn jobs<'a>(data: &'a SiteData<'a>, shared: &'a Shared<'a>) -> Vec<Job<'a>> {
    let (kit, practice) = (&shared.kit, &shared.practice);
    let mut jobs = Vec::new();
    jobs.extend(section::jobs(data, kit));
    jobs.extend(note::jobs(data, kit));
    jobs.extend(practice::section_quiz::jobs(data, kit, practice));
    jobs.extend(practice::deck::jobs(data, kit, practice));
    jobs.extend(practice::quiz_index::jobs(data, kit, practice));
    jobs.extend(practice::flashcards_index::jobs(data, kit, practice));
    jobs.extend(practice::exam::jobs(data, kit, practice));
    jobs.extend(practice::exam_pool::jobs(practice));
    jobs.extend(mnemonics::jobs(data, kit));
    jobs.extend(plain::search(data, kit));
    jobs.extend(plain::not_found(data, kit));
    jobs.extend(search_index::jobs(data.search));
    jobs.push(sitemap::job(data, &jobs));
    jobs
}
