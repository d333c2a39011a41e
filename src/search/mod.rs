//! Stage 7: rendered notes → the client-side search index (`search/*.js`).
//!
//! 1. [`documents::collect_documents`]: every heading section of every page, plus
//!    quiz questions and mnemonics, becomes a [`SearchDoc`] with a small integer id.
//! 2. [`tokenize::Tokenizer`]: Unicode words, case and diacritic folding, stop
//!    words, Snowball stemming for the site's `language`, CJK bigrams.
//! 3. [`index`]: per-document term counts; [`state::IndexState`]: postings with
//!    build-time BM25 scores (title and heading boosts included), kept by `serve`
//!    and updated for the documents an edit changed.
//! 4. [`shards::write_shards`]: prefix-range term shards, document shards and a
//!    manifest, each a self-registering `.js` file.
//!
//! The format is documented for the browser side in docs/search-index.md.

pub(crate) mod documents;
pub(crate) mod format;
pub(crate) mod index;
pub(crate) mod shards;
pub(crate) mod state;
pub(crate) mod tokenize;

use std::sync::Arc;

use crate::config::SiteConfig;
use crate::content::model::{SectionId, SiteModel};
use crate::markdown::{RenderedNote, TextSection};
use documents::{collect_documents, NoteInput};
use shards::{kind_names, write_shards, Fresh, IndexFile, Manifest, FORMAT_VERSION};
use state::build_index;
use tokenize::Tokenizer;

/// The built index: its files, the manifest last.
#[derive(Debug, Clone, Default)]
pub(crate) struct SearchIndex {
    pub(crate) files: Vec<IndexFile>,
}

/// Builds the index of every page (in reading order), then every section's
/// `_index.md`. `page_texts` are the pages' section texts by `PageId`,
/// unpacked by the caller (see [`RenderedNote::sections`]).
pub(crate) fn build_search_index(
    model: &SiteModel,
    notes: &[Arc<RenderedNote>],
    section_notes: &[Arc<RenderedNote>],
    mut page_texts: Vec<Vec<TextSection>>,
    config: &SiteConfig,
) -> SearchIndex {
    let inputs = note_inputs(model, notes, section_notes);
    let pages = model.reading_order.iter();
    let texts: Vec<Vec<TextSection>> = pages
        .map(|id| std::mem::take(&mut page_texts[id.0]))
        .chain(section_notes.iter().map(|note| note.sections.unpack()))
        .collect();
    build_from_notes(&inputs, &texts, &config.language)
}

/// Every page (in reading order), then every section's `_index.md`, with what
/// their documents need to know.
pub(crate) fn note_inputs<'a>(
    model: &'a SiteModel,
    notes: &'a [Arc<RenderedNote>],
    section_notes: &'a [Arc<RenderedNote>],
) -> Vec<NoteInput<'a>> {
    let top_title = |id: SectionId| {
        model
            .top_section(id)
            .map_or("", |top| model.section(top).title.as_str())
    };
    let pages = model.reading_order.iter().map(|&id| {
        let page = model.page(id);
        NoteInput {
            title: &page.title,
            path: &page.path,
            section: top_title(page.section),
            note: &notes[id.0],
        }
    });
    let sections = model.sections.iter().map(|section| NoteInput {
        title: &section.title,
        path: &section.path,
        section: top_title(section.id),
        note: &section_notes[section.id.0],
    });
    pages.chain(sections).collect()
}

/// Steps 1–4 for notes already paired with their page data.
/// `texts` are each note's section texts, in the order of `inputs`.
pub(crate) fn build_from_notes(
    inputs: &[NoteInput<'_>],
    texts: &[Vec<TextSection>],
    language: &str,
) -> SearchIndex {
    let tokenizer = Tokenizer::for_language(language);
    let (pages, docs) = collect_documents(inputs, texts);
    let state = build_index(&pages, &docs, &tokenizer);
    let files = write_shards(
        &state,
        &pages,
        &docs,
        manifest(&tokenizer, language, docs.len()),
        &Fresh,
    );
    log::debug!("search index: {} files", files.len());
    SearchIndex { files }
}

/// The manifest before its shard lists are filled in.
pub(crate) fn manifest(tokenizer: &Tokenizer, language: &str, docs: usize) -> Manifest {
    Manifest {
        version: FORMAT_VERSION,
        language: language.to_string(),
        stop: tokenizer
            .stop_words()
            .iter()
            .map(|w| w.to_string())
            .collect(),
        kinds: kind_names(),
        docs: docs as u32,
        terms: Default::default(),
        documents: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::documents::{DocKind, SearchDoc, SearchPage};
    use super::shards::{kind_names, write_shards, Manifest, FORMAT_VERSION};
    use super::state::build_index;
    use super::tokenize::Tokenizer;

    /// Writes the fixture the JS tests check the browser's word handling against:
    /// for every word of tests/fixtures/search-words/words.txt that is one token, its
    /// term (expected.json), and an index with one document per term, whose anchor
    /// is the term (index/). The JS finds each word's document and compares anchors.
    ///
    /// The committed copy must match; `STUDYSITE_BLESS=1 cargo test --lib search`
    /// rewrites it after an intended change.
    #[test]
    fn js_agreement_fixture_is_current() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search-words");
        let words = std::fs::read_to_string(dir.join("words.txt")).expect("word list");
        let tokenizer = Tokenizer::for_language("en");
        let mut expected = BTreeMap::new();
        let mut families: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for word in words.lines().filter(|w| !w.is_empty()) {
            if let [token] = tokenizer.tokens(word).as_slice() {
                expected.insert(word.to_string(), token.term.clone());
                families
                    .entry(token.term.clone())
                    .or_default()
                    .push(word.to_string());
            }
        }
        assert!(expected.len() >= 500, "only {} words", expected.len());
        let pages = [SearchPage {
            title: String::new(),
            path: "words/".into(),
            section: String::new(),
        }];
        let docs: Vec<SearchDoc> = families
            .iter()
            .map(|(term, words)| SearchDoc {
                page: 0,
                heading: "".into(),
                anchor: term.clone().into(),
                parent: "".into(),
                kind: DocKind::Note,
                text: words.join(" ").into(),
            })
            .collect();
        let index = build_index(&pages, &docs, &tokenizer);
        let manifest = Manifest {
            version: FORMAT_VERSION,
            language: "en".into(),
            stop: Vec::new(),
            kinds: kind_names(),
            docs: docs.len() as u32,
            terms: Default::default(),
            documents: Default::default(),
        };
        let mut files: BTreeMap<String, String> =
            write_shards(&index, &pages, &docs, manifest, &super::shards::Fresh)
                .into_iter()
                .map(|f| {
                    (
                        f.path.replace("search/", "index/"),
                        String::from_utf8(f.text.to_vec()).unwrap(),
                    )
                })
                .collect();
        let json = serde_json::to_string_pretty(&expected).expect("map of strings");
        files.insert("expected.json".into(), json + "\n");
        let bless = std::env::var_os("STUDYSITE_BLESS").is_some();
        if bless {
            let _ = std::fs::remove_dir_all(dir.join("index")); // absent on first bless
            std::fs::create_dir_all(dir.join("index")).expect("create fixture dir");
        }
        for (path, text) in &files {
            if bless {
                std::fs::write(dir.join(path), text).expect("write fixture");
            }
            let committed = std::fs::read_to_string(dir.join(path)).unwrap_or_default();
            assert!(
                &committed == text,
                "tests/fixtures/search-words/{path} is stale; run STUDYSITE_BLESS=1 cargo test --lib search"
            );
        }
        let on_disk = std::fs::read_dir(dir.join("index"))
            .expect("index dir")
            .count();
        assert_eq!(
            on_disk + 1,
            files.len(),
            "stale files in the fixture's index/"
        );
    }
}
