//! Maps the model to views and renders every HTML output: pages (in parallel),
//! sections, home, 404 and the sitemap.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::model::{Page, PageId, Section, SectionId, SiteModel};
use crate::error::Result;
use crate::markdown::{LinkTargets, RenderedNote};
use crate::memo::{key_of, memoised, try_memoised, Memo};
use crate::quiz::QuizBank;
use crate::render::mnemonics::{has_mnemonics, render_mnemonics, MNEMONICS_PATH};
use crate::render::quiz_pages::{render_quiz_pages, Practice};
use crate::render::search_page::render_search_page;
use crate::render::views::{
    MetaView, NavSection, NavView, PageContext, PageLink, PageView, PlainContext, SectionContext,
    SectionSummary, SectionView, SiteValue, SiteView, SitemapContext,
};
use crate::render::HashingWriter;
use crate::render::{
    Renderer, TEMPLATE_404, TEMPLATE_INDEX, TEMPLATE_PAGE, TEMPLATE_SECTION, TEMPLATE_SITEMAP,
};

/// One rendered output, path relative to the output root.
#[derive(Debug, Clone)]
pub(crate) struct RenderedFile {
    pub(crate) path: String,
    /// Shared, so serve's memos hand the same bytes to every build that reuses them.
    pub(crate) body: Bytes,
}

/// What rendering needs: the model, its rendered notes and the config.
pub(crate) struct SiteInput<'a> {
    pub(crate) model: &'a SiteModel,
    /// Indexed by `PageId`.
    pub(crate) notes: &'a [Arc<RenderedNote>],
    /// Indexed by `SectionId`; `_index.md` bodies.
    pub(crate) section_notes: &'a [Arc<RenderedNote>],
    pub(crate) config: &'a SiteConfig,
    pub(crate) targets: &'a LinkTargets,
}

/// Takes each rendered file as soon as it is made (written to disk by `build`),
/// so the site's pages are never all in memory at once.
pub(crate) type Emit<'a> = dyn Fn(RenderedFile) -> Result<()> + Sync + 'a;

const WORDS_PER_MINUTE: usize = 200;

/// The practice pages of `bank` (section quizzes and decks, the quiz and
/// flashcard indexes, the exam and its pool); returns their paths for the sitemap.
/// With `pools` (serve), a section's pool file is reused while its questions are unchanged.
pub(crate) fn render_practice_pages(
    input: &SiteInput<'_>,
    bank: &QuizBank,
    kit: &PageKit<'_>,
    emit: &Emit<'_>,
    pools: Option<&Memo<(Bytes, String)>>,
) -> Result<Vec<String>> {
    let practice = Practice {
        input,
        kit,
        emit,
        pools,
    };
    render_quiz_pages(&practice, bank)
}

/// Every other HTML output: note pages (in parallel), sections, home,
/// mnemonics, search and 404.
pub(crate) fn render_pages(
    input: &SiteInput<'_>,
    kit: &PageKit<'_>,
    emit: &Emit<'_>,
) -> Result<()> {
    input
        .model
        .reading_order
        .par_iter()
        .enumerate()
        .try_for_each(|(position, &id)| emit(kit.note_page(input, position, id)?))?;
    input
        .model
        .sections
        .par_iter()
        .try_for_each(|section| emit(render_section(input, kit, section)?))?;
    if let Some(mnemonics) = render_mnemonics(input, kit)? {
        emit(mnemonics)?;
    }
    if input.config.search.enabled {
        emit(render_search_page(input, kit)?)?;
    }
    let (nav, nav_hash) = kit.nav(input, None, input.targets.url(""));
    let context = || PlainContext {
        site: &kit.site,
        nav,
    };
    emit(kit.render(
        TEMPLATE_404,
        || (nav_hash, 0),
        "404.html",
        "404.html",
        context,
    )?)
}

/// What every page shares: the renderer, serve's memo, the site view and the
/// sidebars, each with the hash of what it was made from.
pub(crate) struct PageKit<'a> {
    renderer: &'a Renderer,
    memo: Option<&'a Memo<Bytes>>,
    pub(crate) site: SiteValue,
    site_hash: u64,
    navs: NavSections,
}

impl<'a> PageKit<'a> {
    /// Made once per build; with `memo` (serve), pages and sidebars are kept.
    pub(crate) fn new(
        input: &SiteInput<'_>,
        renderer: &'a Renderer,
        memo: Option<(&'a Memo<Bytes>, &Memo<tera::Value>)>,
    ) -> Self {
        let site_view = site_view(input);
        PageKit {
            renderer,
            memo: memo.map(|(pages, _)| pages),
            site: tera::Value::from_serializable(&site_view),
            site_hash: json_hash(&site_view),
            navs: NavSections::new(input, memo.map(|(_, navs)| navs)),
        }
    }

    /// The sidebar of a page under `section` (`None`: a generated page), with its hash.
    pub(crate) fn nav(
        &self,
        input: &SiteInput<'_>,
        section: Option<SectionId>,
        current_url: String,
    ) -> (NavView, u64) {
        let (sections, hash) = self
            .navs
            .for_top(section.and_then(|s| input.model.top_section(s)));
        let key = key_of(&(hash, &current_url));
        let nav = NavView {
            sections: sections.clone(),
            current_url,
        };
        (nav, key)
    }

    /// Renders the `context` made on demand through `template` into `output`
    /// (`name` is what errors blame). With serve's memo, the page is reused while
    /// the site view and `view_key` (the sidebar's hash and one of the rest of the
    /// context) are the same; what the memo's fingerprint covers (templates,
    /// config) empties it.
    pub(crate) fn render<C: Serialize>(
        &self,
        template: &str,
        view_key: impl FnOnce() -> (u64, u64),
        output: &str,
        name: &str,
        context: impl FnOnce() -> C,
    ) -> Result<RenderedFile> {
        let key = || {
            let template_key = self.renderer.template_key(template);
            key_of(&(self.site_hash, template_key, view_key()))
        };
        let render = || {
            self.renderer
                .render(template, &context(), Some(name))
                .map(Bytes::from)
        };
        let body = try_memoised(self.memo, output, key, render)?;
        Ok(RenderedFile {
            path: output.to_string(),
            body,
        })
    }
}

/// `sitemap.xml`: every section and page, then the practice pages and `/mnemonics/`.
/// With `memo` (serve), kept while the list of URLs is the same.
pub(crate) fn render_sitemap(
    input: &SiteInput<'_>,
    renderer: &Renderer,
    practice_paths: &[String],
    memo: Option<&Memo<Bytes>>,
) -> Result<RenderedFile> {
    let mut extra_paths: Vec<&str> = practice_paths.iter().map(String::as_str).collect();
    if has_mnemonics(input) {
        extra_paths.push(MNEMONICS_PATH);
    }
    let paths: Vec<&str> = sitemap_paths(input, &extra_paths).collect();
    let render = || {
        let context = sitemap(input, &paths);
        renderer
            .render(TEMPLATE_SITEMAP, &context, Some("sitemap.xml"))
            .map(Bytes::from)
    };
    let path = "sitemap.xml";
    let key = || {
        let template = renderer.template_key(TEMPLATE_SITEMAP);
        key_of(&(template, input.config.absolute_root(), &paths))
    };
    let body = try_memoised(memo, path, key, render)?;
    Ok(RenderedFile {
        path: path.into(),
        body,
    })
}

fn site_view(input: &SiteInput<'_>) -> SiteView {
    let config = input.config;
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        base_path: input.targets.base_path.clone(),
        base_url: config.absolute_root(),
        exam: config.exam.clone(),
        search: config.search.enabled,
        extra: config.extra.clone(),
        sections: input
            .model
            .root()
            .subsections
            .iter()
            .map(|&id| section_summary(input, id))
            .collect(),
        mnemonics_url: has_mnemonics(input).then(|| input.targets.url(MNEMONICS_PATH)),
    }
}

fn section_summary(input: &SiteInput<'_>, id: SectionId) -> SectionSummary {
    let section = input.model.section(id);
    SectionSummary {
        title: section.title.clone(),
        url: input.targets.url(&section.path),
        description: section.description.clone(),
        weight: section.weight,
        page_count: input.model.page_count(id),
    }
}

fn page_link(input: &SiteInput<'_>, page: &Page) -> PageLink {
    PageLink {
        title: page.title.clone(),
        url: input.targets.url(&page.path),
        description: page.description.clone(),
    }
}

fn section_link(input: &SiteInput<'_>, section: &Section) -> PageLink {
    PageLink {
        title: section.title.clone(),
        url: input.targets.url(&section.path),
        description: section.description.clone(),
    }
}

/// The sidebar's section list for each top-level section, made once for all
/// its pages: at 10,000 notes it is two hundred links a page.
struct NavSections(HashMap<Option<SectionId>, (tera::Value, u64)>);

impl NavSections {
    /// With `memo` (serve), a list whose views are unchanged is not made into a
    /// template value again.
    fn new(input: &SiteInput<'_>, memo: Option<&Memo<tera::Value>>) -> Self {
        let tops = input.model.root().subsections.iter().map(|&id| Some(id));
        let tops: Vec<Option<SectionId>> = tops.chain([None]).collect();
        NavSections(
            tops.into_par_iter()
                .map(|top| {
                    let sections = nav_sections(input, top);
                    let hash = json_hash(&sections);
                    let value = || tera::Value::from_serializable(&sections);
                    let value = memoised(memo, &format!("{top:?}"), || hash, value);
                    (top, (value, hash))
                })
                .collect(),
        )
    }

    /// The list for pages of `section`, and its hash.
    fn for_section(&self, model: &SiteModel, section: SectionId) -> (&tera::Value, u64) {
        self.for_top(model.top_section(section))
    }

    /// The list for pages under the top-level section `top` (`None`: no section).
    fn for_top(&self, top: Option<SectionId>) -> (&tera::Value, u64) {
        let (sections, hash) = &self.0[&top];
        (sections, *hash)
    }
}

fn nav_sections(input: &SiteInput<'_>, current_top: Option<SectionId>) -> Vec<NavSection> {
    let model = input.model;
    model
        .root()
        .subsections
        .iter()
        .map(|&id| {
            let section = model.section(id);
            let is_current = Some(id) == current_top;
            let pages = if is_current {
                let mut ids = Vec::new();
                collect_pages(model, id, &mut ids);
                ids.into_iter()
                    .map(|p| page_link(input, model.page(p)))
                    .collect()
            } else {
                Vec::new()
            };
            NavSection {
                title: section.title.clone(),
                url: input.targets.url(&section.path),
                is_current,
                pages,
            }
        })
        .collect()
}

fn collect_pages(model: &SiteModel, id: SectionId, out: &mut Vec<PageId>) {
    let section = model.section(id);
    out.extend(&section.pages);
    for &child in &section.subsections {
        collect_pages(model, child, out);
    }
}

fn ancestors(input: &SiteInput<'_>, section: SectionId) -> Vec<PageLink> {
    input
        .model
        .section_chain(section)
        .into_iter()
        .map(|id| section_link(input, input.model.section(id)))
        .collect()
}

fn page_output(page: &Page) -> String {
    format!("{}index.html", page.path)
}

impl<'k> PageKit<'k> {
    /// The page of note `id`, at `position` in reading order.
    fn note_page<'a>(
        &self,
        input: &'a SiteInput<'a>,
        position: usize,
        id: PageId,
    ) -> Result<RenderedFile> {
        let model = input.model;
        let page = model.page(id);
        let neighbour = |i: Option<usize>| {
            i.and_then(|i| model.reading_order.get(i))
                .map(|&p| model.page(p))
        };
        let (previous, next) = (
            neighbour(position.checked_sub(1)),
            neighbour(Some(position + 1)),
        );
        let path = page_output(page);
        let (nav, nav_hash) = self.navs.for_section(model, page.section);
        // Everything the context is made of, but for what the memo's
        // fingerprint covers (config, link targets); the links are keyed by
        // what they are made of, so a kept page costs no copies.
        let view_key = || {
            let page_link = |p: &'a Page| (&p.title, &p.path, &p.description);
            let ancestors: Vec<_> = model
                .section_chain(page.section)
                .into_iter()
                .map(|s| model.section(s))
                .map(|s| (&s.title, &s.path, &s.description))
                .collect();
            let links = (previous.map(page_link), next.map(page_link), ancestors);
            let note = (input.notes[id.0].source_key, &page.path, &page.file.path);
            (nav_hash, key_of(&(note, links)))
        };
        let context = || {
            let url = input.targets.url(&page.path);
            let note = &input.notes[id.0];
            PageContext {
                site: &self.site,
                meta: meta_view(input, &page.title, &page.description, &page.path),
                nav: NavView {
                    sections: nav.clone(),
                    current_url: url.clone(),
                },
                page: PageView {
                    title: page.title.clone(),
                    description: page.description.clone(),
                    permalink: format!("{}/{}", input.config.absolute_root(), page.path),
                    url,
                    content: note.html.clone(),
                    toc: note.toc.clone(),
                    word_count: note.word_count,
                    reading_minutes: note.word_count.div_ceil(WORDS_PER_MINUTE).max(1),
                    tags: page.tags.clone(),
                    extra: page.extra.clone(),
                    source: page.file.path.clone(),
                },
                ancestors: ancestors(input, page.section),
                previous: previous.map(|p| page_link(input, p)),
                next: next.map(|p| page_link(input, p)),
            }
        };
        self.render(TEMPLATE_PAGE, view_key, &path, &page.file.path, context)
    }
}

/// A hash of a view's JSON form (taken before it becomes a template value, whose
/// maps do not keep an order).
pub(crate) fn json_hash(value: &impl Serialize) -> u64 {
    let mut writer = HashingWriter::new(std::io::sink());
    serde_json::to_writer(&mut writer, value).expect("views serialise");
    writer.hasher.value()
}

fn render_section(
    input: &SiteInput<'_>,
    kit: &PageKit<'_>,
    section: &Section,
) -> Result<RenderedFile> {
    let url = input.targets.url(&section.path);
    let is_home = section.id.0 == 0;
    let (nav, nav_hash) = kit.nav(input, (!is_home).then_some(section.id), url.clone());
    let context = SectionContext {
        site: &kit.site,
        meta: meta_view(input, &section.title, &section.description, &section.path),
        nav,
        section: SectionView {
            title: section.title.clone(),
            description: section.description.clone(),
            permalink: format!("{}/{}", input.config.absolute_root(), section.path),
            url,
            weight: section.weight,
            content: input.section_notes[section.id.0].html.clone(),
            pages: section
                .pages
                .iter()
                .map(|&p| page_link(input, input.model.page(p)))
                .collect(),
            subsections: section
                .subsections
                .iter()
                .map(|&s| section_summary(input, s))
                .collect(),
            extra: section.extra.clone(),
        },
        ancestors: if is_home {
            Vec::new()
        } else {
            ancestors(input, section.id)
        },
    };
    let template = if is_home {
        TEMPLATE_INDEX
    } else {
        TEMPLATE_SECTION
    };
    let name = section
        .index
        .as_ref()
        .map_or(section.dir.as_str(), |f| f.path.as_str());
    let output = format!("{}index.html", section.path);
    let view_key = (
        nav_hash,
        json_hash(&(&context.meta, &context.section, &context.ancestors)),
    );
    kit.render(template, || view_key, &output, name, || context)
}

/// A page's meta tags: its title, its description (else the site's) and, when
/// the base URL is absolute, its canonical URL.
fn meta_view(input: &SiteInput<'_>, title: &str, description: &str, path: &str) -> MetaView {
    let root = input.config.absolute_root();
    let is_absolute = root.starts_with("http://") || root.starts_with("https://");
    MetaView {
        title: title.to_string(),
        description: if description.is_empty() {
            &input.config.description
        } else {
            description
        }
        .to_string(),
        canonical: if is_absolute {
            format!("{root}/{path}")
        } else {
            String::new()
        },
    }
}

/// Every section and page, then `extra_paths` (generated pages such as
/// `mnemonics/`), as output paths.
fn sitemap_paths<'a>(
    input: &'a SiteInput<'_>,
    extra_paths: &'a [&'a str],
) -> impl Iterator<Item = &'a str> {
    let sections = input.model.sections.iter().map(|s| s.path.as_str());
    let pages = input
        .model
        .reading_order
        .iter()
        .map(|&p| input.model.page(p).path.as_str());
    sections.chain(pages).chain(extra_paths.iter().copied())
}

fn sitemap(input: &SiteInput<'_>, paths: &[&str]) -> SitemapContext {
    let root = input.config.absolute_root();
    SitemapContext {
        urls: paths.iter().map(|path| format!("{root}/{path}")).collect(),
    }
}
