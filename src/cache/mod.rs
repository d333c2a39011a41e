//! What `serve` keeps from one build to the next, in one place: a [`BuildCache`].
//!
//! Every part is keyed by what it was made from, so a rebuild reuses what an
//! edit did not touch and makes the rest; what a build did not ask for is
//! forgotten when it finishes, and a failed build forgets nothing. A clean
//! `build` has no cache, computes no key, and takes the same path.
//!
//! | part | kept by | key |
//! |---|---|---|
//! | notes as read (`sources`) | source path | modification time and length |
//! | rendered notes (`notes`) | source path | the text, and the [`fingerprint`] of what rendering reads |
//! | every output of the job list (`pages`) | output path | derived by the job (`pages::job`) |
//! | each page's questions and flashcards, generated questions (`quiz`) | source path, card | the note's key and place; the pool of subjects |
//! | search documents, term counts, scored index, shards (`search`) | page path, document | the documents' text |
//! | the highlight themes' CSS (`highlight`) | one | the two theme names |
//! | the compiled templates (`renderer`) | one | the config, the templates' text, the static files' hashes |
//! | the link tables (`link_tables`, [`build::link_tables`](crate::build::link_tables)) | one | every page's, section's and file's source and output path, and the aliases |
//! | the last good build's page kit (`kit`, for [`build::preview`](crate::build::preview)) | one | its pages' and sections' ids, checked before use |

pub(crate) mod memo;
pub(crate) mod quiz;
pub(crate) mod search;
pub(crate) mod sources;

use std::sync::Arc;

use crate::build::link_tables::LinkTables;
use crate::build::preview::KeptKit;
use crate::config::SiteConfig;
use crate::error::Result;
use crate::hashing::{json_key, key_of};
use crate::markdown::transclusion::embeds_key;
use crate::markdown::{render_note, MarkdownEnv, NoteSource, RenderedNote, Urls};
use crate::pages::job::Body;
use crate::render::{
    Renderer, PARTIAL_BLOCK_ANCHOR, PARTIAL_CALLOUT, PARTIAL_EMBED, PARTIAL_HEADING, PARTIAL_VIDEO,
};
use memo::{Memo, Rounds};
use quiz::QuizMemo;
use search::SearchCache;
use sources::SourceCache;

/// Everything a build can reuse from the last; owned by the caller across builds.
#[derive(Debug, Default)]
pub struct BuildCache {
    pub(crate) sources: SourceCache,
    pub(crate) notes: Memo<Arc<RenderedNote>>,
    pub(crate) pages: Memo<Body>,
    pub(crate) quiz: QuizMemo,
    pub(crate) search: SearchCache,
    pub(crate) highlight: Memo<String>,
    pub(crate) renderer: Memo<Arc<Renderer>>,
    /// What links resolve against while no note, file or alias comes or goes.
    pub(crate) link_tables: Memo<LinkTables>,
    pub(crate) kit: KeptKit,
}

/// How the last build used the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Notes taken from the cache.
    pub reused: usize,
    /// Notes rendered (new, edited, or everything after a fingerprint change).
    pub rendered: usize,
    /// Outputs of the job list made (notes, sections, search, 404, sitemap …); the others were reused.
    pub pages_rendered: usize,
    /// Search documents tokenised; the others' term counts came from the cache.
    pub search_tokenised: usize,
}

impl BuildCache {
    /// An empty cache: the first build with it makes everything.
    pub fn new() -> Self {
        BuildCache::default()
    }

    /// How the last build used the cache.
    pub fn last_stats(&self) -> CacheStats {
        let rendered = self.notes.made();
        CacheStats {
            reused: self.notes.len() - rendered,
            rendered,
            pages_rendered: self.pages.made(),
            search_tokenised: self.search.tokenised(),
        }
    }

    /// Starts a build's round.
    pub(crate) fn begin(&self) {
        self.rounds().iter().for_each(|memo| memo.begin());
        self.search.begin();
    }

    /// Ends a build that succeeded: every part keeps what it used.
    pub(crate) fn finish(&self) {
        self.rounds().iter().for_each(|memo| memo.finish());
    }

    fn rounds(&self) -> [&dyn Rounds; 8] {
        [
            &self.notes,
            &self.pages,
            &self.quiz.pages,
            &self.search.documents,
            &self.search.shards,
            &self.highlight,
            &self.renderer,
            &self.link_tables,
        ]
    }

    /// The rendering of `source`: kept while its text and `fingerprint` are unchanged.
    pub(crate) fn note(
        &self,
        source: &NoteSource<'_>,
        env: &MarkdownEnv<'_>,
        fingerprint: u64,
    ) -> Result<Arc<RenderedNote>> {
        let file = source.file;
        let key = key_of(&(
            fingerprint,
            file.text_key(),
            source.body_start,
            source.skip_first_h1,
            source.practice_questions,
            embeds_key(&env.targets.wiki, file),
        ));
        self.notes.try_get_or_make(&file.path, key, || {
            let mut note = render_note(source, env)?;
            note.source_key = key;
            Ok(Arc::new(note))
        })
    }
}

/// Everything shared that a note's rendering can depend on: the config, the
/// partials the Markdown stage renders through (their keys cover what they
/// include and the static files' hashes when they call `asset()`), the base
/// path and the set of pages and assets links resolve to.
pub(crate) fn fingerprint(config: &SiteConfig, renderer: &Renderer, targets: &Urls) -> u64 {
    let partials = [
        PARTIAL_HEADING,
        PARTIAL_CALLOUT,
        PARTIAL_EMBED,
        PARTIAL_BLOCK_ANCHOR,
        PARTIAL_VIDEO,
    ]
    .map(|p| renderer.template_key(p));
    let mut pages: Vec<_> = targets.pages.iter().collect();
    let mut assets: Vec<_> = targets.assets.iter().collect();
    pages.sort_unstable();
    assets.sort_unstable();
    key_of(&(
        json_key(config),
        partials,
        &targets.base_path,
        pages,
        assets,
        targets.wiki.key(),
    ))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::config::parse_config;
    use crate::markdown::test_support::PlainPartials;
    use crate::source::SourceFile;

    fn targets(pages: &[(&str, &str)]) -> Urls {
        Urls {
            base_path: "/".into(),
            pages: Arc::new(pages.iter().map(|&(k, v)| (k.into(), v.into())).collect()),
            assets: Arc::default(),
            folder_index: false,
            wiki: Default::default(),
        }
    }

    fn render(cache: &BuildCache, path: &str, text: &str, fingerprint: u64) -> String {
        let file = Arc::new(SourceFile::new(path, text.to_string()));
        let targets = targets(&[]);
        let env = MarkdownEnv {
            partials: &PlainPartials,
            targets: &targets,
            compress: true,
        };
        let source = NoteSource {
            file: &file,
            body_start: 0,
            skip_first_h1: false,
            practice_questions: true,
        };
        cache
            .note(&source, &env, fingerprint)
            .expect("renders")
            .html
            .unpack()
    }

    fn stats(reused: usize, rendered: usize) -> CacheStats {
        CacheStats {
            reused,
            rendered,
            ..CacheStats::default()
        }
    }

    #[test]
    fn unchanged_notes_are_reused_and_edited_ones_rendered() {
        let cache = BuildCache::new();
        cache.begin();
        render(&cache, "content/a.md", "# A\n\nOne.\n", 1);
        render(&cache, "content/b.md", "# B\n\nTwo.\n", 1);
        cache.finish();
        assert_eq!(cache.last_stats(), stats(0, 2));
        cache.begin();
        let a = render(&cache, "content/a.md", "# A\n\nOne.\n", 1);
        let b = render(&cache, "content/b.md", "# B\n\nEdited.\n", 1);
        cache.finish();
        assert!(a.contains("One.") && b.contains("Edited."));
        assert_eq!(cache.last_stats(), stats(1, 1));
    }

    #[test]
    fn another_fingerprint_renders_again() {
        let cache = BuildCache::new();
        cache.begin();
        render(&cache, "content/a.md", "A\n", 1);
        cache.finish();
        cache.begin();
        render(&cache, "content/a.md", "A\n", 2);
        cache.finish();
        assert_eq!(cache.last_stats(), stats(0, 1));
    }

    #[test]
    fn deleted_notes_leave_the_cache_and_a_failed_build_keeps_it() {
        let cache = BuildCache::new();
        cache.begin();
        render(&cache, "content/a.md", "A\n", 1);
        render(&cache, "content/b.md", "B\n", 1);
        cache.finish();
        cache.begin();
        render(&cache, "content/a.md", "A\n", 1);
        cache.finish();
        assert_eq!(cache.notes.len(), 1);
        // A round that is never finished (a failed build) forgets nothing.
        cache.begin();
        cache.begin();
        render(&cache, "content/a.md", "A\n", 1);
        render(&cache, "content/b.md", "B\n", 1);
        assert_eq!(cache.notes.len(), 2);
    }

    #[test]
    fn the_fingerprint_follows_link_targets() {
        let config = parse_config(&SourceFile::new(
            "site.toml",
            "title = \"T\"\nbase_url = \"/\"\n".into(),
        ))
        .unwrap();
        let theme = crate::render::theme::ThemeFiles::load(std::path::Path::new("."), "default")
            .expect("the default theme");
        let renderer = Renderer::new(&theme, &config, BTreeMap::new()).expect("templates compile");
        let one = fingerprint(&config, &renderer, &targets(&[("content/a.md", "a/")]));
        let same = fingerprint(&config, &renderer, &targets(&[("content/a.md", "a/")]));
        let two = fingerprint(&config, &renderer, &targets(&[("content/a.md", "b/")]));
        assert_eq!(one, same);
        assert_ne!(one, two);
    }
}
