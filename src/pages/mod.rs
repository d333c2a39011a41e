//! Every output a build renders, as a list of [jobs](job::Job).
//!
//! Each page kind is a module with a `jobs` function: from the site's data
//! (model, rendered notes, quiz bank, search index) it lists its outputs, each
//! with a path and a function that makes its view. The functions below are the
//! registry, in the order the sitemap lists pages, one per input a list needs
//! beyond the notes: [`note_jobs`], [`practice_jobs`] (the quiz bank),
//! [`search_jobs`] (the search index) and [`last_jobs`] (the sitemap lists all
//! the pages before). How to add a kind is in docs/architecture.md.

pub(crate) mod cram;
pub(crate) mod job;
pub(crate) mod joined;
pub(crate) mod kit;
pub(crate) mod manifest;
pub(crate) mod mnemonics;
pub(crate) mod note;
pub(crate) mod paging;
pub(crate) mod plain;
pub(crate) mod practice;
pub(crate) mod search_index;
pub(crate) mod section;
pub(crate) mod sidebar;
pub(crate) mod sitemap;
pub(crate) mod tags;

use std::sync::Arc;

use crate::config::SiteConfig;
use crate::content::model::SiteModel;
use crate::markdown::{RenderedNote, Urls};
use crate::search::SearchIndex;
use crate::source::OutputPath;
use job::Job;
use kit::PageKit;
use practice::Practice;

/// What pages are made from.
pub(crate) struct SiteData<'a> {
    pub(crate) model: &'a SiteModel,
    /// Indexed by `PageId`.
    pub(crate) notes: &'a [Arc<RenderedNote>],
    /// Indexed by `SectionId`; `_index.md` bodies.
    pub(crate) section_notes: &'a [Arc<RenderedNote>],
    pub(crate) config: &'a SiteConfig,
    pub(crate) targets: &'a Urls,
}

/// The jobs made from the notes and the kit: section, note and tag pages. They
/// run beside the search index, which needs no page.
pub(crate) fn note_jobs<'a>(data: &'a SiteData<'a>, kit: &'a PageKit) -> Vec<Job<'a>> {
    let mut jobs = section::jobs(data, kit);
    jobs.extend(note::jobs(data, kit));
    jobs.extend(tags::jobs(data, kit));
    jobs
}

/// The outputs among `jobs` that the sitemap lists, in order.
pub(crate) fn listed(jobs: &[Job<'_>]) -> Vec<OutputPath> {
    let listed = jobs.iter().filter(|job| job.listed);
    listed.map(|job| job.output.clone()).collect()
}

/// The practice pages, made from the quiz bank.
pub(crate) fn practice_jobs<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    practice: &'a Practice<'a>,
) -> Vec<Job<'a>> {
    let mut jobs = practice::section_quiz::jobs(data, kit, practice);
    jobs.extend(practice::deck::jobs(data, kit, practice));
    jobs.extend(practice::anki::jobs(data, practice));
    jobs.extend(cram::jobs(data, kit, practice));
    jobs.extend(practice::quiz_index::jobs(data, kit, practice));
    jobs.extend(practice::flashcards_index::jobs(data, kit, practice));
    jobs.extend(practice::exam::jobs(data, kit, practice));
    jobs.extend(practice::exam_pool::jobs(data, practice));
    jobs.extend(practice::progress::jobs(data, kit, practice));
    jobs
}

/// The search index's files.
pub(crate) fn search_jobs(search: SearchIndex) -> Vec<Job<'static>> {
    search_index::jobs(search)
}

/// The last jobs: mnemonics, search, 404, and the sitemap of `listed_before`
/// (the pages of the jobs before) and these jobs' pages.
pub(crate) fn last_jobs<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    listed_before: Vec<OutputPath>,
) -> Vec<Job<'a>> {
    let mut jobs = mnemonics::jobs(data, kit);
    jobs.extend(plain::search(data, kit));
    jobs.extend(plain::not_found(data, kit));
    jobs.push(manifest::job(data));
    let mut listed = listed_before;
    listed.extend(self::listed(&jobs));
    if data.config.has_absolute_base() {
        jobs.push(sitemap::job(data, listed));
    }
    jobs
}
