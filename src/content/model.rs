//! The site model: sections, pages and assets with their ids, order, slugs
//! and output paths. No Markdown is rendered here.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::source::{OutputPath, SourceFile, SourcePath};

/// Index of a section in [`SiteModel::sections`]; 0 is the content root (home).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SectionId(pub(crate) usize);

/// Index of a page in [`SiteModel::pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct PageId(pub(crate) usize);

/// A folder of notes (an exam domain), or the content root.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub(crate) id: SectionId,
    pub(crate) parent: Option<SectionId>,
    /// Source folder relative to the site root, e.g. `content/01-cloud-concepts`.
    pub(crate) dir: String,
    /// `_index.md`, when the folder has one.
    pub(crate) index: Option<Arc<SourceFile>>,
    /// Where the `_index.md` body starts.
    pub(crate) body_start: usize,
    pub(crate) title: String,
    /// The title is the `_index.md`'s first `# heading`, which its page then leaves out.
    pub(crate) title_from_heading: bool,
    pub(crate) description: String,
    /// Share of the exam in percent, from `weight`.
    pub(crate) weight: Option<i64>,
    pub(crate) extra: Map<String, Value>,
    /// Output folder relative to the site root URL, `` for home, `cloud-concepts/` otherwise.
    pub(crate) path: OutputPath,
    pub(crate) pages: Vec<PageId>,
    pub(crate) subsections: Vec<SectionId>,
}

impl Section {
    /// `cloud-concepts`: the key of a top-level section's questions, exam
    /// results and the learner's progress in the browser.
    pub(crate) fn slug(&self) -> &str {
        self.path.trim_end_matches('/')
    }
}

/// One note.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub(crate) section: SectionId,
    pub(crate) file: Arc<SourceFile>,
    pub(crate) body_start: usize,
    pub(crate) title: String,
    /// True when the title came from the body's first `# heading`, which is then not repeated.
    pub(crate) title_from_heading: bool,
    pub(crate) description: String,
    pub(crate) tags: Vec<String>,
    pub(crate) extra: Map<String, Value>,
    /// Output folder relative to the site root URL, e.g. `cloud-concepts/iam/`.
    pub(crate) path: OutputPath,
    /// Front matter `quiz` (default true); false keeps the page out of quizzes and flashcards.
    pub(crate) quiz: bool,
}

/// A non-Markdown file inside content/, copied as it is.
#[derive(Debug, Clone)]
pub(crate) struct Asset {
    /// Source path relative to the site root, e.g. `content/01-x/img/a.png`.
    pub(crate) source: SourcePath,
    /// Output path relative to the output root, e.g. `x/img/a.png`.
    pub(crate) output: OutputPath,
}

/// Everything `content/` holds, ordered and addressed.
#[derive(Debug, Clone, Default)]
pub(crate) struct SiteModel {
    pub(crate) sections: Vec<Section>,
    pub(crate) pages: Vec<Page>,
    pub(crate) assets: Vec<Asset>,
    /// Every page in study order: sections depth-first, pages by their order.
    pub(crate) reading_order: Vec<PageId>,
}

impl SiteModel {
    pub(crate) fn section(&self, id: SectionId) -> &Section {
        &self.sections[id.0]
    }

    pub(crate) fn page(&self, id: PageId) -> &Page {
        &self.pages[id.0]
    }

    pub(crate) fn root(&self) -> &Section {
        &self.sections[0]
    }

    /// Ancestors of a section from the top-level one down, the root excluded.
    pub(crate) fn section_chain(&self, id: SectionId) -> Vec<SectionId> {
        let mut chain = Vec::new();
        let mut current = Some(id);
        while let Some(section) = current.filter(|s| s.0 != 0) {
            chain.push(section);
            current = self.section(section).parent;
        }
        chain.reverse();
        chain
    }

    /// The top-level section a section belongs to (itself when top-level).
    pub(crate) fn top_section(&self, id: SectionId) -> Option<SectionId> {
        self.section_chain(id).first().copied()
    }

    /// Page count of a section including its subsections.
    pub(crate) fn page_count(&self, id: SectionId) -> usize {
        let section = self.section(id);
        section.pages.len()
            + section
                .subsections
                .iter()
                .map(|&s| self.page_count(s))
                .sum::<usize>()
    }
}
