//! Typed views that templates receive. Field names are the template API
//! (documented in the README's theme section), so renaming one breaks themes.
//!
//! Contexts derive `Hash`: a page's key is the hash of its context (see
//! `pages::job`), so every field is in the key by construction. Large shared
//! parts enter it as [`Keyed`] values, by the key of what they were made from.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::config::ExamConfig;
use crate::hashing::{json_key, Keyed};
use crate::markdown::packed::PackedHtml;
use crate::markdown::TocEntry;

/// `site` as a template value: converted once per build, then shared by every
/// page, with the key of the [`SiteView`] it was made from.
pub(crate) type SiteValue = Keyed<tera::Value>;

/// `site`: on every page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteView {
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) language: String,
    /// URL path prefix, `/` or `/repo/`.
    pub(crate) base_path: String,
    /// Absolute root URL without trailing slash, for canonical links.
    pub(crate) base_url: String,
    pub(crate) exam: ExamConfig,
    /// Whether the search box and `/search/` exist (`[search] enabled`).
    pub(crate) search: bool,
    pub(crate) extra: toml::Table,
    /// Top-level sections, in study order.
    pub(crate) sections: Vec<SectionSummary>,
    /// URL of the `/mnemonics/` page, when the site has any mnemonic.
    pub(crate) mnemonics_url: Option<String>,
    /// URL of the site-wide `/cram/` sheet, when the site has one.
    pub(crate) cram_url: Option<String>,
}

/// A section as listed in navigation and on the home page.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct SectionSummary {
    /// `security`: the `section` of quiz questions and progress records.
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) description: String,
    pub(crate) weight: Option<i64>,
    pub(crate) page_count: usize,
}

/// A tag and its page.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct TagLink {
    pub(crate) name: String,
    pub(crate) url: String,
}

/// A link to a page with its title.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct PageLink {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) description: String,
}

/// `nav`: the sidebar. The top-level sections (a window of them on a site with
/// many), and only the current section's pages (listing every page on every
/// page makes output grow with the square of the notes).
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct NavView<'a> {
    /// The top-level sections listed: shared by the pages of the current section.
    pub(crate) sections: &'a NavList,
    /// How many top-level sections come before and after those listed.
    pub(crate) sections_earlier: usize,
    pub(crate) sections_later: usize,
    /// URL of the page being rendered, to mark the current entry.
    pub(crate) current_url: Cow<'a, str>,
    /// The notes around this page, when its section is too big to list whole.
    pub(crate) window: Option<NavWindow<'a>>,
}

/// `nav.window`: a stretch of the current section's notes, and how many
/// come before and after it. It hashes as its links' keys, made once a build:
/// every note page of a big section hashes its window on every rebuild.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NavWindow<'a> {
    pub(crate) earlier: usize,
    pub(crate) pages: &'a [PageLink],
    pub(crate) later: usize,
    /// The key of each link in `pages`.
    #[serde(skip)]
    pub(crate) keys: &'a [u64],
}

impl Hash for NavWindow<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.earlier, self.keys, self.later).hash(state);
    }
}

/// The sidebar's sections for the pages under one top-level section. It hashes
/// as the key of its sections and becomes a template value on first use: a
/// cached rebuild renders few pages, and at 10,000 notes the list is long.
#[derive(Debug)]
pub(crate) struct NavList {
    sections: Vec<NavSection>,
    /// How many top-level sections come before and after `sections`.
    pub(crate) earlier: usize,
    pub(crate) later: usize,
    key: u64,
    value: OnceLock<tera::Value>,
}

impl NavList {
    pub(crate) fn new(sections: Vec<NavSection>, earlier: usize, later: usize) -> Self {
        NavList {
            key: json_key(&(&sections, earlier, later)),
            sections,
            earlier,
            later,
            value: OnceLock::new(),
        }
    }
}

impl Hash for NavList {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

impl Serialize for NavList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self
            .value
            .get_or_init(|| tera::Value::from_serializable(&self.sections));
        value.serialize(serializer)
    }
}

/// One sidebar section.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NavSection {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) is_current: bool,
    /// Filled only for the current section.
    pub(crate) pages: Vec<PageLink>,
    /// The current section's practice pages.
    pub(crate) practice: Option<PracticeLinks>,
}

/// `practice`: a top-level section's quiz, flashcard deck and cram sheet, where it has them.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct PracticeLinks {
    pub(crate) quiz_url: Option<String>,
    pub(crate) deck_url: Option<String>,
    pub(crate) cram_url: Option<String>,
}

/// `page`: one note.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct PageView<'a> {
    pub(crate) title: &'a str,
    /// The title heading's id, when the title came from the note's `# …`.
    pub(crate) title_id: Option<&'a str>,
    /// The number of questions of a practice-exam page (one made of practice
    /// questions), which links to a timed exam of them; zero otherwise.
    pub(crate) practice_exam: usize,
    pub(crate) description: &'a str,
    pub(crate) url: &'a str,
    /// From the site's root, without the base path: `aws/iam/`.
    pub(crate) path: &'a str,
    pub(crate) permalink: String,
    /// The note's HTML, keyed by the note's rendering key.
    pub(crate) content: Keyed<&'a PackedHtml>,
    pub(crate) toc: &'a [TocEntry],
    pub(crate) word_count: usize,
    pub(crate) reading_minutes: usize,
    pub(crate) tags: Vec<TagLink>,
    pub(crate) extra: &'a Map<String, Value>,
    /// Source path, e.g. `content/01-a/iam.md`.
    pub(crate) source: &'a str,
}

/// `section`: a section page or the home page.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct SectionView<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    pub(crate) url: String,
    pub(crate) permalink: String,
    pub(crate) weight: Option<i64>,
    /// The `_index.md` body's HTML, keyed by its rendering key.
    pub(crate) content: Keyed<&'a PackedHtml>,
    pub(crate) pages: Vec<PageLink>,
    pub(crate) subsections: Vec<SectionSummary>,
    pub(crate) extra: &'a Map<String, Value>,
}

/// `pager`: the links between the parts of a list, on a page of a list that
/// has more than one part (unset otherwise).
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct PagerView {
    /// This part's number, from 1.
    pub(crate) number: usize,
    /// How many parts the list has.
    pub(crate) count: usize,
    /// The place of this part's first and last item in the whole list, from 1.
    pub(crate) first_item: usize,
    pub(crate) last_item: usize,
    /// How many items the whole list has.
    pub(crate) total_items: usize,
    pub(crate) previous: Option<String>,
    pub(crate) next: Option<String>,
    /// The first part, the last, and those around this one, in order.
    pub(crate) links: Vec<PagerLink>,
}

/// A link to one part.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct PagerLink {
    pub(crate) number: usize,
    pub(crate) url: String,
    pub(crate) is_current: bool,
    /// Whether parts are left out between the link before and this one.
    pub(crate) gap_before: bool,
}

/// `meta`: what `<head>` says about a page to search engines and link previews.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct MetaView<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    /// Absolute URL of the page; empty when `base_url` is not absolute.
    pub(crate) canonical: String,
}

/// Context of `page.html`.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct PageContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) meta: MetaView<'a>,
    pub(crate) nav: NavView<'a>,
    pub(crate) page: PageView<'a>,
    /// Section chain from the top, for the breadcrumb.
    pub(crate) ancestors: &'a [PageLink],
    pub(crate) previous: Option<&'a PageLink>,
    pub(crate) next: Option<&'a PageLink>,
    /// The section's practice pages.
    pub(crate) practice: Option<&'a PracticeLinks>,
}

/// Context of `section.html` and `index.html`.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct SectionContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) meta: MetaView<'a>,
    pub(crate) nav: NavView<'a>,
    pub(crate) section: SectionView<'a>,
    /// Set when the section's notes take more than one page.
    pub(crate) pager: Option<PagerView>,
    pub(crate) ancestors: &'a [PageLink],
    /// The section's practice pages.
    pub(crate) practice: Option<&'a PracticeLinks>,
}

/// Context of `404.html`, `search.html` and other pages without content of their own.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct PlainContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView<'a>,
}

/// Context of `sitemap.xml`.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct SitemapContext {
    /// Absolute URLs of every page and section.
    pub(crate) urls: SitemapUrls,
}

/// Absolute URLs, written out only when the sitemap is rendered: it is keyed
/// by the root and the paths.
#[derive(Debug, Hash)]
pub(crate) struct SitemapUrls {
    pub(crate) root: String,
    pub(crate) folders: Vec<String>,
}

impl Serialize for SitemapUrls {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let root = &self.root;
        serializer.collect_seq(self.folders.iter().map(|path| format!("{root}/{path}")))
    }
}
