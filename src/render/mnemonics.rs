//! The `/mnemonics/` page: every MNEMONIC callout of the site, grouped by top-level
//! section in study order, each linking back to the heading it sits under.
//!
//! Built from the notes' [`Callout`] records, so nothing is parsed again. A site
//! without mnemonics gets no page.

use serde::Serialize;

use crate::content::model::SectionId;
use crate::markdown::mnemonic::Mnemonic;
use crate::markdown::{Callout, RenderedNote};
use crate::render::pages::{json_hash, PageKit, RenderedFile, SiteInput};
use crate::render::views::{NavView, SiteValue};
use crate::render::TEMPLATE_MNEMONICS;

/// Output path of the page, relative to the site root.
pub(crate) const MNEMONICS_PATH: &str = "mnemonics/";

/// Context of `mnemonics.html`.
#[derive(Debug, Serialize)]
pub(crate) struct MnemonicsContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView,
    pub(crate) groups: Vec<MnemonicGroup<'a>>,
}

/// The mnemonics of one top-level section (or of the home page).
#[derive(Debug, Serialize)]
pub(crate) struct MnemonicGroup<'a> {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) entries: Vec<MnemonicEntry<'a>>,
}

/// One mnemonic and where it comes from.
#[derive(Debug, Serialize)]
pub(crate) struct MnemonicEntry<'a> {
    pub(crate) mnemonic: &'a Mnemonic,
    /// The note's title.
    pub(crate) page_title: String,
    /// The heading the mnemonic sits under, if any.
    pub(crate) heading: Option<String>,
    /// The note's URL with the heading's anchor.
    pub(crate) url: String,
}

/// True when any note or section index holds a mnemonic.
pub(crate) fn has_mnemonics(input: &SiteInput<'_>) -> bool {
    input
        .notes
        .iter()
        .chain(input.section_notes)
        .flat_map(|note| &note.callouts)
        .any(|callout| callout.mnemonic.is_some())
}

/// Renders `mnemonics/index.html`, or nothing when the site has no mnemonics.
pub(crate) fn render_mnemonics(
    input: &SiteInput<'_>,
    kit: &PageKit<'_>,
) -> crate::error::Result<Option<RenderedFile>> {
    let model = input.model;
    let tops = std::iter::once(SectionId(0)).chain(model.root().subsections.iter().copied());
    let groups: Vec<MnemonicGroup<'_>> = tops.filter_map(|top| group(input, top)).collect();
    if groups.is_empty() {
        return Ok(None);
    }
    let url = input.targets.url(MNEMONICS_PATH);
    let (nav, nav_hash) = kit.nav(input, None, url);
    let view_key = json_hash(&groups);
    let context = MnemonicsContext {
        site: kit.site,
        nav,
        groups,
    };
    let output = format!("{MNEMONICS_PATH}index.html");
    kit.render(
        TEMPLATE_MNEMONICS,
        &context,
        (nav_hash, view_key),
        &output,
        MNEMONICS_PATH,
    )
    .map(Some)
}

/// The mnemonics of `top`'s own index, then of its pages in study order.
/// For the root (`SectionId(0)`), only notes that sit directly in content/.
fn group<'a>(input: &SiteInput<'a>, top: SectionId) -> Option<MnemonicGroup<'a>> {
    let model = input.model;
    let section = model.section(top);
    let belongs = |id: SectionId| match top.0 {
        0 => id.0 == 0,
        _ => model.top_section(id) == Some(top),
    };
    let mut entries = Vec::new();
    for (index, note) in input.section_notes.iter().enumerate() {
        if belongs(SectionId(index)) {
            let title = model.section(SectionId(index)).title.clone();
            entries.extend(note_entries(
                input,
                note,
                &title,
                &model.section(SectionId(index)).path,
            ));
        }
    }
    for &id in &model.reading_order {
        let page = model.page(id);
        if belongs(page.section) {
            entries.extend(note_entries(
                input,
                &input.notes[id.0],
                &page.title,
                &page.path,
            ));
        }
    }
    (!entries.is_empty()).then(|| MnemonicGroup {
        title: section.title.clone(),
        url: input.targets.url(&section.path),
        entries,
    })
}

fn note_entries<'a>(
    input: &SiteInput<'a>,
    note: &'a RenderedNote,
    title: &str,
    path: &str,
) -> Vec<MnemonicEntry<'a>> {
    let page_url = input.targets.url(path);
    note.callouts
        .iter()
        .filter_map(|callout: &'a Callout| {
            let mnemonic = callout.mnemonic.as_ref()?;
            let heading = callout.heading.map(|i| &note.headings[i]);
            Some(MnemonicEntry {
                mnemonic,
                page_title: title.to_string(),
                heading: heading.map(|h| h.text.clone()),
                url: match heading {
                    Some(h) => format!("{page_url}#{}", h.id),
                    None => page_url.clone(),
                },
            })
        })
        .collect()
}
