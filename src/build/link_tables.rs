//! What links resolve against ([`Urls`]): each note's and file's output path by
//! source path, and the names `[[wikilinks]]` find. At 10,000 notes making the
//! tables is a tenth of a rebuild, and an edit seldom adds, removes or renames a
//! note, so `serve` keeps them while their [shape](shape_key) is unchanged and
//! only takes the notes' texts afresh.

use std::collections::HashMap;
use std::sync::Arc;

use crate::cache::BuildCache;
use crate::config::SiteConfig;
use crate::content::model::SiteModel;
use crate::content::INDEX_FILE;
use crate::hashing::{json_key, key_of, key_of_items};
use crate::markdown::wikilinks::{NoteText, WikiNames};
use crate::markdown::Urls;
use crate::source::{OutputPath, SourcePath};

/// The parts of [`Urls`] made from the site's shape.
#[derive(Debug, Clone)]
pub(crate) struct LinkTables {
    pages: Arc<HashMap<SourcePath, OutputPath>>,
    assets: Arc<HashMap<SourcePath, OutputPath>>,
    wiki: WikiNames,
}

/// The site's link targets, through `cache`'s kept tables when their shape is unchanged.
pub(crate) fn link_targets(
    model: &SiteModel,
    config: &SiteConfig,
    cache: Option<&BuildCache>,
) -> Urls {
    let tables = match cache {
        Some(cache) => {
            let make = || LinkTables::new(model);
            let kept = cache.link_tables.get_or_make("", shape_key(model), make);
            // The kept tables hold the texts of the build that made them.
            let wiki = kept.wiki.with_texts(note_texts(model).collect());
            LinkTables { wiki, ..kept }
        }
        None => LinkTables::new(model),
    };
    Urls {
        base_path: config.base_path(),
        pages: tables.pages,
        assets: tables.assets,
        folder_index: config.folder_urls_name_index(),
        wiki: tables.wiki,
    }
}

impl LinkTables {
    fn new(model: &SiteModel) -> Self {
        let mut pages: HashMap<SourcePath, OutputPath> = model
            .pages
            .iter()
            .map(|p| (p.file.path.clone(), p.path.clone()))
            .collect();
        for section in &model.sections {
            let index = SourcePath::from(format!("{}/{INDEX_FILE}", section.dir));
            pages.insert(index, section.path.clone());
        }
        let aliases = model.pages.iter().flat_map(|page| {
            aliases(&page.extra)
                .into_iter()
                .map(|alias| (alias, page.file.path.clone()))
        });
        let wiki = WikiNames::new(
            pages.keys(),
            model.assets.iter().map(|a| &a.source),
            aliases,
            note_texts(model),
        );
        let assets = model.assets.iter();
        LinkTables {
            assets: Arc::new(
                assets
                    .map(|a| (a.source.clone(), a.output.clone()))
                    .collect(),
            ),
            pages: Arc::new(pages),
            wiki,
        }
    }
}

/// A key of everything the tables are made of: each page's and section's
/// source and output paths, which sections have an index note, the aliases
/// and the files.
fn shape_key(model: &SiteModel) -> u64 {
    let pages = model.pages.iter().map(|page| {
        let aliases = page.extra.get("aliases").map(json_key);
        (&page.file.path, &page.path, aliases)
    });
    let sections = model.sections.iter().map(|s| {
        let index = s.index.as_ref().map(|file| &file.path);
        (&s.dir, &s.path, index)
    });
    let assets = model.assets.iter().map(|a| (&a.source, &a.output));
    key_of(&(
        key_of_items(&model.pages.len(), pages),
        key_of_items(&model.sections.len(), sections),
        key_of_items(&model.assets.len(), assets),
    ))
}

/// The notes' texts, pages then sections' index notes, for `![[Note]]`.
fn note_texts(model: &SiteModel) -> impl Iterator<Item = NoteText> + '_ {
    let page_texts = model.pages.iter().map(|page| NoteText {
        file: Arc::clone(&page.file),
        body_start: page.body_start,
    });
    let section_texts = model.sections.iter().filter_map(|section| {
        Some(NoteText {
            file: Arc::clone(section.index.as_ref()?),
            body_start: section.body_start,
        })
    });
    page_texts.chain(section_texts)
}

/// Obsidian's front-matter `aliases`: a list of names, or one name.
fn aliases(extra: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    match extra.get("aliases") {
        Some(serde_json::Value::String(alias)) => vec![alias.clone()],
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}
