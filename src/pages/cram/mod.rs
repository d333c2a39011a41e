//! Cram sheets: `/<section>/cram/`, one printable page per top-level section
//! with its mnemonics expanded, its tips, important points and warnings, and
//! each question heading with the first sentence of its answer, every item
//! linked to its note and heading ([`items`]); and `/cram/` for the whole site.
//!
//! `/cram/` holds every section's sheet while the site has at most
//! [`INLINE_LIMIT`] items; past that it links the section sheets instead, so
//! that it does not grow with the site. The notes outside any section have no
//! sheet of their own, so `/cram/` always holds theirs (as `/flashcards/`
//! holds their cards).

pub(crate) mod items;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use serde::{Serialize, Serializer};

use crate::content::model::SectionId;
use crate::hashing::key_of;
use crate::markdown::Callout;
use crate::pages::job::Job;
use crate::pages::kit::PageKit;
use crate::pages::mnemonics::NoteAt;
use crate::pages::paging::Paging;
use crate::pages::practice::Practice;
use crate::pages::SiteData;
use crate::quiz::Flashcard;
use crate::render::views::{NavView, PagerView, SiteValue};
use crate::render::TEMPLATE_CRAM;
use items::{count, group, is_cram_card, is_key_point, is_mnemonic, notes_by_section, CramGroup};

/// Output path of the site-wide sheet; a section's is `<section>/cram/`.
pub(crate) const CRAM_PATH: &str = "cram/";

/// The most items `/cram/` shows in full: about twenty printed pages.
pub(crate) const INLINE_LIMIT: usize = 400;
/// Items on one page of a section's sheet, which is paged past that so that
/// no page grows with its section.
const ITEMS_PER_PAGE: usize = 200;

/// A top-level section's sheet, as the section's practice links and a large
/// site's `/cram/` list it.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct CramSheet {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) items: usize,
    #[serde(skip)]
    pub(crate) id: SectionId,
}

/// The site's cram sheets, and the notes they are made of.
#[derive(Debug, Default)]
pub(crate) struct CramSheets<'a> {
    /// The top-level sections that have something to cram, in study order.
    pub(crate) sections: Vec<CramSheet>,
    /// Items of the notes outside any section.
    outside: usize,
    /// The notes with callouts to cram, grouped once for every sheet.
    notes: HashMap<SectionId, Vec<NoteAt<'a>>>,
}

impl<'a> CramSheets<'a> {
    /// Lists the sheets; `cards` gives a top-level section's flashcards.
    pub(crate) fn new<'c>(
        data: &SiteData<'a>,
        cards: impl Fn(Option<SectionId>) -> &'c [&'c Arc<Flashcard>],
    ) -> Self {
        let mut sheets = CramSheets {
            notes: notes_by_section(data),
            ..CramSheets::default()
        };
        sheets.outside = count(sheets.notes(None), cards(None));
        for &id in &data.model.root().subsections {
            let items = count(sheets.notes(Some(id)), cards(Some(id)));
            if items > 0 {
                let section = data.model.section(id);
                sheets.sections.push(CramSheet {
                    title: section.title.clone(),
                    url: data.targets.url(&section.path.join(CRAM_PATH)),
                    items,
                    id,
                });
            }
        }
        sheets
    }

    /// The notes to cram of top-level section `top` (`None`: outside any).
    fn notes(&self, top: Option<SectionId>) -> &[NoteAt<'a>] {
        let notes = self.notes.get(&top.unwrap_or(SectionId(0)));
        notes.map_or(&[], Vec::as_slice)
    }

    fn total(&self) -> usize {
        self.outside + self.sections.iter().map(|s| s.items).sum::<usize>()
    }

    /// The URL of `/cram/`, when the site has anything to cram.
    pub(crate) fn site_url(&self, data: &SiteData<'_>) -> Option<String> {
        (self.total() > 0).then(|| data.targets.url(&CRAM_PATH.into()))
    }
}

/// Context of `cram.html`.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct CramContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView<'a>,
    /// The section of a section's sheet; none on `/cram/`.
    pub(crate) section: Option<&'a CramSheet>,
    /// The sheets shown in full.
    pub(crate) groups: Vec<GroupOf<'a>>,
    /// On a large site's `/cram/`: the section sheets, linked instead.
    pub(crate) sheets: &'a [CramSheet],
    pub(crate) cram_url: String,
    pub(crate) inline_limit: usize,
    /// Set when a section's sheet takes more than one page.
    pub(crate) pager: Option<PagerView>,
}

/// A sheet per top-level section with items, then `/cram/`.
pub(crate) fn jobs<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    practice: &'a Practice<'a>,
) -> Vec<Job<'a>> {
    let crams = &practice.crams;
    let Some(cram_url) = crams.site_url(data) else {
        return Vec::new();
    };
    let mut jobs = Vec::new();
    for sheet in &crams.sections {
        let base = data.model.section(sheet.id).path.join(CRAM_PATH);
        let paging = Paging::new(base, sheet.items, ITEMS_PER_PAGE);
        let cram_url = cram_url.clone();
        let whole = Arc::new(WholeSheet::default());
        jobs.extend(paging.jobs(TEMPLATE_CRAM, data.targets, move |part| {
            let mut group = GroupOf::new(data, practice, Some(sheet.id));
            group.part = Some((part.range, Arc::clone(&whole)));
            CramContext {
                site: &kit.site,
                nav: kit.nav(Some(sheet.id), part.url),
                section: Some(sheet),
                groups: vec![group],
                sheets: &[],
                cram_url: cram_url.clone(),
                inline_limit: INLINE_LIMIT,
                pager: part.pager,
            }
        }));
    }
    jobs.push(site_job(data, kit, practice, cram_url));
    jobs
}

/// The sheet of top-level section `top` (`None`: the notes outside any),
/// made when the page is rendered. It hashes as what the sheet is made from:
/// the section's title and URL (which follow the base path and URL style, as
/// its notes' URLs do), each note's callouts key, title and path, and the
/// flashcards. A rebuild keys every sheet, and making them all to hash them
/// was a sixth of a rebuild at 10,000 notes.
pub(crate) struct GroupOf<'a> {
    data: &'a SiteData<'a>,
    practice: &'a Practice<'a>,
    top: Option<SectionId>,
    /// On a paged sheet: this page's items, and what its pages share.
    part: Option<(Range<usize>, Arc<WholeSheet<'a>>)>,
}

/// What the pages of a paged sheet share, each made once by the first page
/// that needs it: a key per item, in sheet order (a page hashes as its own
/// items' keys, so an edit re-renders only the pages whose items changed), and
/// the whole sheet.
#[derive(Default)]
pub(crate) struct WholeSheet<'a> {
    item_keys: OnceLock<Vec<u64>>,
    group: OnceLock<CramGroup<'a>>,
}

impl<'a> GroupOf<'a> {
    fn new(data: &'a SiteData<'a>, practice: &'a Practice<'a>, top: Option<SectionId>) -> Self {
        GroupOf {
            data,
            practice,
            top,
            part: None,
        }
    }

    fn make(&self) -> CramGroup<'a> {
        let cards = &self.practice.group(self.top).cards;
        group(
            self.data,
            self.top,
            self.practice.crams.notes(self.top),
            cards,
        )
    }
}

impl GroupOf<'_> {
    /// The key of what every page of the sheet shares: its section's title and URL.
    fn section_key(&self) -> u64 {
        let section = self.data.model.section(self.top.unwrap_or(SectionId(0)));
        key_of(&(&section.title, self.data.targets.url(&section.path)))
    }

    /// The key of what the whole sheet is made from.
    fn inputs_key(&self) -> u64 {
        key_of(&(self.section_key(), self.item_keys()))
    }

    /// A key per item of the sheet, in its order ([`CramGroup::part`]): a
    /// callout's is its note's callouts key, title, path and place among the
    /// note's callouts; a question's is its flashcard's.
    fn item_keys(&self) -> Vec<u64> {
        let notes = self.practice.crams.notes(self.top);
        let callouts = |keep: fn(&Callout) -> bool| {
            notes.iter().flat_map(move |&(_, note, title, path)| {
                let kept = note
                    .callouts
                    .iter()
                    .enumerate()
                    .filter(move |(_, c)| keep(c));
                kept.map(move |(i, _)| key_of(&(note.callouts_key, title, path, i)))
            })
        };
        let cards = self.practice.group(self.top).cards.iter();
        let questions = cards.filter(|c| is_cram_card(c)).map(|c| c.key);
        callouts(is_mnemonic)
            .chain(callouts(is_key_point))
            .chain(questions)
            .collect()
    }
}

impl Hash for GroupOf<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match &self.part {
            Some((range, whole)) => {
                let keys = whole.item_keys.get_or_init(|| self.item_keys());
                (self.section_key(), range, &keys[range.clone()]).hash(state);
            }
            None => self.inputs_key().hash(state),
        }
    }
}

impl Serialize for GroupOf<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.part {
            Some((range, whole)) => {
                let whole = whole.group.get_or_init(|| self.make());
                whole.part(range.clone()).serialize(serializer)
            }
            None => self.make().serialize(serializer),
        }
    }
}

impl std::fmt::Debug for GroupOf<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupOf").field("top", &self.top).finish()
    }
}

/// `/cram/`: every sheet in full on a small site, else links to them.
fn site_job<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    practice: &'a Practice<'a>,
    cram_url: String,
) -> Job<'a> {
    let crams = &practice.crams;
    let inline = crams.total() <= INLINE_LIMIT;
    let view = move || {
        let outside = (crams.outside > 0).then_some(None);
        let sections = crams.sections.iter().filter(|_| inline);
        let tops = outside
            .into_iter()
            .chain(sections.map(|sheet| Some(sheet.id)));
        let groups = tops.map(|top| GroupOf::new(data, practice, top)).collect();
        CramContext {
            site: &kit.site,
            nav: kit.nav(None, cram_url.clone()),
            section: None,
            groups,
            sheets: if inline { &[] } else { &crams.sections },
            cram_url,
            inline_limit: INLINE_LIMIT,
            pager: None,
        }
    };
    let output = format!("{CRAM_PATH}index.html").into();
    Job::page(output, TEMPLATE_CRAM, CRAM_PATH, view)
}
