//! Rendered notes kept across builds, for `serve`: a note whose text is
//! unchanged, rendered with the same templates, base path, static hashes, config
//! and set of link targets, renders to the same [`RenderedNote`], so it is reused
//! instead of going through the Markdown passes again. A clean `build` never
//! uses this.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rustc_hash::FxHashMap;

use crate::pages::job::Body;

use crate::config::SiteConfig;
use crate::content::SourceCache;
use crate::error::Result;
use crate::hashing::key_of;
use crate::markdown::{render_note, LinkTargets, MarkdownEnv, NoteSource, RenderedNote};
use crate::memo::{Memo, Rounds};
use crate::quiz::QuizMemo;
use crate::render::{Renderer, PARTIAL_CALLOUT, PARTIAL_HEADING};
use crate::search::SearchCache;
use crate::source::SourceFile;

/// Rendered notes by source path, their pages, and the search index's
/// per-document counts; owned by the caller across builds.
#[derive(Debug, Default)]
pub struct NoteCache {
    inner: Mutex<Cached>,
    pub(crate) sources: SourceCache,
    /// Every output of the job list, by output path.
    pub(crate) pages: Memo<Body>,
    pub(crate) quiz: QuizMemo,
    pub(crate) search: SearchCache,
}

#[derive(Debug, Default)]
struct Cached {
    /// What every entry was rendered with; a different one empties the cache.
    fingerprint: u64,
    notes: FxHashMap<String, Entry>,
    last: CacheStats,
}

#[derive(Debug)]
struct Entry {
    /// The source it was rendered from: the very same one (the source cache
    /// hands unchanged notes on as they were) needs no hashing to be known.
    file: Arc<SourceFile>,
    key: u64,
    note: Arc<RenderedNote>,
    /// Reused by the current round.
    used: AtomicBool,
}

/// How the last build used the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Notes taken from the cache.
    pub reused: usize,
    /// Notes rendered (new, edited, or everything after a fingerprint change).
    pub rendered: usize,
    /// Pages rendered (notes, sections, search, 404, sitemap …); the others were reused.
    pub pages_rendered: usize,
    /// Search documents tokenised; the others' term counts came from the cache.
    pub search_tokenised: usize,
}

impl NoteCache {
    /// An empty cache: the first build with it renders every note.
    pub fn new() -> Self {
        NoteCache::default()
    }

    /// How the last finished build used the cache.
    pub fn last_stats(&self) -> CacheStats {
        CacheStats {
            pages_rendered: self.pages.made(),
            search_tokenised: self.search.tokenised(),
            ..self.lock().last
        }
    }

    /// Starts one build's use of the cache. Entries rendered under another
    /// fingerprint are dropped; the round holds the cache until it is finished
    /// (or dropped, when the build fails, leaving the cache as it was).
    pub(crate) fn begin(&self, fingerprint: u64) -> CacheRound<'_> {
        let mut cached = self.lock();
        if cached.fingerprint != fingerprint {
            cached.notes.clear();
            self.memos().iter().for_each(|memo| memo.clear());
            cached.fingerprint = fingerprint;
        }
        self.memos().iter().for_each(|memo| memo.begin());
        CacheRound {
            cached,
            fresh: Mutex::default(),
        }
    }

    /// Ends a build that succeeded: the memos keep what it used.
    pub(crate) fn finish(&self) {
        self.memos().iter().for_each(|memo| memo.finish());
    }

    /// Every memo the stages keep their results in.
    fn memos(&self) -> [&dyn Rounds; 4] {
        [
            &self.pages,
            &self.quiz.pages,
            &self.search.documents,
            &self.search.shards,
        ]
    }

    fn lock(&self) -> MutexGuard<'_, Cached> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One build's lookups: read in parallel, written back by [`CacheRound::finish`].
pub(crate) struct CacheRound<'a> {
    cached: MutexGuard<'a, Cached>,
    /// Notes rendered in this build, to be stored.
    fresh: Mutex<Vec<(String, Entry)>>,
}

impl CacheRound<'_> {
    /// The cached rendering of `source` when its text is unchanged, else a new one.
    pub(crate) fn render(
        &self,
        source: &NoteSource<'_>,
        env: &MarkdownEnv<'_>,
    ) -> Result<Arc<RenderedNote>> {
        let path = &source.file.path;
        let entry = self.cached.notes.get(path);
        let key = match entry.filter(|e| Arc::ptr_eq(&e.file, source.file)) {
            Some(entry) => entry.key,
            None => note_key(source),
        };
        if let Some(entry) = entry.filter(|e| e.key == key) {
            entry.used.store(true, Ordering::Relaxed);
            return Ok(entry.note.clone());
        }
        let mut note = render_note(source, env)?;
        note.source_key = key;
        let note = Arc::new(note);
        let entry = Entry {
            file: Arc::clone(source.file),
            key,
            note: Arc::clone(&note),
            used: AtomicBool::new(false),
        };
        lock(&self.fresh).push((path.clone(), entry));
        Ok(note)
    }

    /// Keeps the notes this build used and drops the rest (deleted or renamed notes).
    pub(crate) fn finish(self) {
        let CacheRound { mut cached, fresh } = self;
        let fresh = fresh.into_inner().unwrap_or_else(PoisonError::into_inner);
        cached
            .notes
            .retain(|_, entry| entry.used.swap(false, Ordering::Relaxed));
        cached.last = CacheStats {
            reused: cached.notes.len(),
            rendered: fresh.len(),
            ..CacheStats::default() // the page and search counts are read from their caches
        };
        cached.notes.extend(fresh);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What one note's rendering depends on besides the shared fingerprint (the
/// body's start and the first heading's use follow from the text).
fn note_key(source: &NoteSource<'_>) -> u64 {
    key_of(&(&source.file.text, source.body_start, source.skip_first_h1))
}

/// Everything shared that a note's rendering can depend on: the config, the
/// partials the Markdown stage renders through (their keys cover what they
/// include and the static files' hashes when they call `asset()`), the base
/// path and the set of pages and assets links resolve to. Every memo is
/// emptied when it changes.
pub(crate) fn fingerprint(config: &SiteConfig, renderer: &Renderer, targets: &LinkTargets) -> u64 {
    let mut hasher = DefaultHasher::new();
    format!("{config:?}").hash(&mut hasher);
    for partial in [PARTIAL_HEADING, PARTIAL_CALLOUT] {
        renderer.template_key(partial).hash(&mut hasher);
    }
    targets.base_path.hash(&mut hasher);
    sorted(&targets.pages).hash(&mut hasher);
    sorted(&targets.assets).hash(&mut hasher);
    hasher.finish()
}

fn sorted(map: &HashMap<String, String>) -> BTreeMap<&str, &str> {
    map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_config;
    use crate::markdown::test_support::PlainPartials;

    fn targets(pages: &[(&str, &str)]) -> LinkTargets {
        LinkTargets {
            base_path: "/".into(),
            pages: pages
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            assets: HashMap::new(),
            folder_index: false,
        }
    }

    fn render(round: &CacheRound<'_>, path: &str, text: &str, targets: &LinkTargets) -> String {
        let file = Arc::new(SourceFile::new(path, text.to_string()));
        let env = MarkdownEnv {
            partials: &PlainPartials,
            targets,
        };
        let source = NoteSource {
            file: &file,
            body_start: 0,
            skip_first_h1: false,
        };
        round.render(&source, &env).expect("renders").html.clone()
    }

    #[test]
    fn unchanged_notes_are_reused_and_edited_ones_rendered() {
        let cache = NoteCache::new();
        let targets = targets(&[("content/a.md", "a/"), ("content/b.md", "b/")]);
        let round = cache.begin(1);
        render(&round, "content/a.md", "# A\n\nOne.\n", &targets);
        render(&round, "content/b.md", "# B\n\nTwo.\n", &targets);
        round.finish();
        assert_eq!(
            cache.last_stats(),
            CacheStats {
                reused: 0,
                rendered: 2,
                ..CacheStats::default()
            }
        );

        let round = cache.begin(1);
        let a = render(&round, "content/a.md", "# A\n\nOne.\n", &targets);
        let b = render(&round, "content/b.md", "# B\n\nEdited.\n", &targets);
        round.finish();
        assert!(a.contains("One."));
        assert!(b.contains("Edited."));
        assert_eq!(
            cache.last_stats(),
            CacheStats {
                reused: 1,
                rendered: 1,
                ..CacheStats::default()
            }
        );
    }

    #[test]
    fn another_fingerprint_renders_everything_again() {
        let cache = NoteCache::new();
        let targets = targets(&[]);
        let round = cache.begin(1);
        render(&round, "content/a.md", "A\n", &targets);
        round.finish();
        let round = cache.begin(2);
        render(&round, "content/a.md", "A\n", &targets);
        round.finish();
        assert_eq!(cache.last_stats().rendered, 1);
        assert_eq!(cache.last_stats().reused, 0);
    }

    #[test]
    fn deleted_notes_leave_the_cache_and_a_failed_build_keeps_it() {
        let cache = NoteCache::new();
        let targets = targets(&[]);
        let round = cache.begin(1);
        render(&round, "content/a.md", "A\n", &targets);
        render(&round, "content/b.md", "B\n", &targets);
        round.finish();
        let round = cache.begin(1);
        render(&round, "content/a.md", "A\n", &targets);
        round.finish();
        assert_eq!(cache.lock().notes.len(), 1);
        // A round dropped without finishing (a failed build) changes nothing.
        drop(cache.begin(1));
        assert_eq!(cache.lock().notes.len(), 1);
    }

    #[test]
    fn the_fingerprint_follows_link_targets() {
        let config = parse_config(&SourceFile::new(
            "site.toml",
            "title = \"T\"\nbase_url = \"/\"\n".into(),
        ))
        .unwrap();
        let hashes = BTreeMap::new();
        let theme = crate::render::theme::ThemeFiles::load(std::path::Path::new("."), "default")
            .expect("the default theme");
        let renderer = Renderer::new(&theme, &config, hashes.clone()).expect("templates compile");
        let one = fingerprint(&config, &renderer, &targets(&[("content/a.md", "a/")]));
        let same = fingerprint(&config, &renderer, &targets(&[("content/a.md", "a/")]));
        let two = fingerprint(&config, &renderer, &targets(&[("content/a.md", "b/")]));
        assert_eq!(one, same);
        assert_ne!(one, two);
    }
}
