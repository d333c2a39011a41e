//! The rebuild loop: one in-memory build per batch of changes, then swap the
//! site, bump the generation and tell the live-reload subscribers what changed.
//! A failed build keeps the last good site and sends the error instead.

use std::collections::BTreeSet;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use notify_debouncer_full::DebounceEventResult;

use crate::build::{
    build_cached, build_previewed, BuildCache, BuildOptions, BuildReport, BuiltSite,
};
use crate::build::{OutputBody, OutputFile};
use crate::error::{Error, Result};
use crate::hashing::content_hash;
use crate::source::is_note_path;

use super::reload::Message;
use super::state::{find, BuildFailure, ServeState};
use super::watch::{self, Change, ChangeKind, Watcher};
use super::{EventHandler, ServeEvent};

/// How often an idle loop checks whether the server is stopping.
const POLL: Duration = Duration::from_millis(100);
/// Above this many changed pages, every open page reloads.
const MAX_LISTED_PAGES: usize = 500;

/// A preview served during a rebuild.
struct Preview {
    /// The site served before it: the last good one, should the rebuild fail.
    before: Arc<BuiltSite>,
    /// From the start of the rebuild.
    elapsed: Duration,
}

pub(crate) struct RebuildLoop {
    pub(crate) state: Arc<ServeState>,
    pub(crate) build_options: BuildOptions,
    pub(crate) cache: BuildCache,
    pub(crate) on_event: EventHandler,
    pub(crate) watcher: Watcher,
}

impl RebuildLoop {
    /// Runs until the server stops. Batches that queued up during a build are
    /// merged into the next one, so a burst of saves ends in one more build.
    pub(crate) fn run(mut self, receiver: &Receiver<DebounceEventResult>) {
        while !self.state.is_stopping() {
            let first = match receiver.recv_timeout(POLL) {
                Ok(batch) => batch,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let batches: Vec<_> = std::iter::once(first).chain(receiver.try_iter()).collect();
            let changes = self.collect(batches);
            if changes.is_empty() {
                continue;
            }
            if let Err(error) = self.watcher.watch_new_dirs() {
                (self.on_event)(&ServeEvent::WatchFailed(&error));
            }
            self.rebuild(&changes);
        }
    }

    fn collect(&self, batches: Vec<DebounceEventResult>) -> Vec<Change> {
        let mut changes = BTreeSet::new();
        for batch in batches {
            match batch {
                Ok(events) => changes.extend(watch::changes(&events, &self.state.root)),
                Err(errors) => {
                    for error in errors {
                        let error = Error::Watch {
                            message: error.to_string(),
                        };
                        (self.on_event)(&ServeEvent::WatchFailed(&error));
                    }
                }
            }
        }
        changes.into_iter().collect()
    }

    fn rebuild(&self, changes: &[Change]) {
        // Edits of notes alone need no new listing of content/.
        let notes_only = changes
            .iter()
            .all(|c| c.kind == ChangeKind::Content && is_note_path(&c.path));
        let edited = notes_only.then(|| changes.iter().map(|c| c.path.clone()).collect());
        self.cache.sources.edited(edited);
        let (result, preview) = self.build(changes, notes_only);
        match result {
            Ok((report, site)) => {
                let old = self.state.site();
                let message = reload_message(&old, &site, changes);
                let had_error = self.state.last_error().is_some();
                let generation = self.state.publish(site);
                if had_error {
                    self.state.hub.broadcast(&Message::Ok { generation });
                }
                self.state.hub.broadcast(&message(generation));
                (self.on_event)(&ServeEvent::Rebuilt {
                    generation,
                    changes,
                    report: &report,
                    previewed: preview.map(|p| p.elapsed),
                });
            }
            Err(error) => {
                if let Some(preview) = preview {
                    self.state.restore(preview.before);
                }
                let failure = BuildFailure::from_error(&error);
                self.state.set_error(Some(failure.clone()));
                let generation = self.state.generation();
                self.state
                    .hub
                    .broadcast(&Message::error(generation, &failure));
                (self.on_event)(&ServeEvent::Failed {
                    changes,
                    error: &error,
                });
            }
        }
    }

    /// The build, which serves a preview of the edited pages on its way when
    /// only notes changed (a template or the config changes every page) and
    /// the last build did not fail (its overlay stays until a whole build is
    /// good). A panic in a stage, a studysite bug, becomes a failed build.
    fn build(
        &self,
        changes: &[Change],
        notes_only: bool,
    ) -> (Result<(BuildReport, BuiltSite)>, Option<Preview>) {
        let started = Instant::now();
        let preview = Mutex::new(None);
        let publish = |files| {
            let before = self.publish_preview(files, changes, started);
            let elapsed = started.elapsed();
            *preview.lock().unwrap_or_else(PoisonError::into_inner) =
                before.map(|before| Preview { before, elapsed });
        };
        let previewing = notes_only && self.state.last_error().is_none();
        let (options, cache) = (&self.build_options, &self.cache);
        let build = AssertUnwindSafe(|| match previewing {
            true => build_previewed(options, cache, &publish),
            false => build_cached(options, cache),
        });
        let result = std::panic::catch_unwind(build).unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(Error::Watch {
                message: format!("the build panicked (a studysite bug): {what}"),
            })
        });
        (
            result,
            preview.into_inner().unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// Serves a preview's pages in place of theirs and reloads them where they
    /// are open; returns the site served before, when anything changed.
    fn publish_preview(
        &self,
        files: Vec<OutputFile>,
        changes: &[Change],
        started: Instant,
    ) -> Option<Arc<BuiltSite>> {
        let old = self.state.site();
        let changed: Vec<OutputFile> = files
            .into_iter()
            .filter(|f| find(&old, &f.path).is_none_or(|o| !o.body.same_as(&f.body)))
            .collect();
        if changed.is_empty() {
            return None;
        }
        let pages: Vec<String> = changed
            .iter()
            .map(|f| page_url(&old.base_path, &f.path))
            .collect();
        let generation = self.state.publish(with_files(&old, changed));
        self.state.hub.broadcast(&Message::Reload {
            generation,
            pages: Some(pages.clone()),
        });
        (self.on_event)(&ServeEvent::Previewed {
            generation,
            changes,
            pages: &pages,
            elapsed: started.elapsed(),
        });
        Some(old)
    }
}

/// `site` with `files` in place of those at their paths (or added), still sorted.
fn with_files(site: &BuiltSite, files: Vec<OutputFile>) -> BuiltSite {
    let mut all = site.files.clone();
    for file in files {
        match all.binary_search_by(|f| f.path.cmp(&file.path)) {
            Ok(i) => all[i] = file,
            Err(i) => all.insert(i, file),
        }
    }
    BuiltSite {
        files: all,
        base_path: site.base_path.clone(),
    }
}

/// What open pages should do about a new build: swap stylesheets when only
/// CSS changed, else reload the pages whose output changed (all of them when a
/// shared asset changed).
fn reload_message(old: &BuiltSite, new: &BuiltSite, changes: &[Change]) -> impl Fn(u64) -> Message {
    let changed = changed_outputs(old, new, changes);
    let css_only = changes
        .iter()
        .all(|c| c.kind == ChangeKind::Static && c.path.ends_with(".css"));
    let hrefs: Vec<String> = new
        .files
        .iter()
        .filter(|f| f.path.ends_with(".css") && changed.contains(f.path.as_str()))
        .filter_map(|f| match &f.body {
            OutputBody::Bytes(bytes) => Some(format!(
                "{}{}?h={}",
                new.base_path,
                f.path,
                content_hash(bytes)
            )),
            OutputBody::Copy(_) => None,
        })
        .collect();
    // A static file, the config or an edited content asset may be used by any
    // page; generated data (search shards, sitemap) is loaded on demand.
    let copy_changed = new
        .files
        .iter()
        .any(|f| matches!(f.body, OutputBody::Copy(_)) && changed.contains(f.path.as_str()));
    let shared_asset = copy_changed
        || changes
            .iter()
            .any(|c| matches!(c.kind, ChangeKind::Static | ChangeKind::Config));
    let pages = (!shared_asset && changed.len() <= MAX_LISTED_PAGES).then(|| {
        changed
            .iter()
            .filter(|p| p.ends_with(".html"))
            .map(|p| page_url(&new.base_path, p))
            .collect::<Vec<_>>()
    });
    move |generation| {
        if css_only && !hrefs.is_empty() {
            Message::Css {
                generation,
                hrefs: hrefs.clone(),
            }
        } else {
            Message::Reload {
                generation,
                pages: pages.clone(),
            }
        }
    }
}

/// Output paths added, removed or changed, plus copies whose source was edited.
fn changed_outputs<'a>(
    old: &'a BuiltSite,
    new: &'a BuiltSite,
    changes: &[Change],
) -> BTreeSet<&'a str> {
    let edited: BTreeSet<&str> = changes.iter().map(|c| c.path.as_str()).collect();
    let mut changed = BTreeSet::new();
    let (mut a, mut b) = (old.files.iter().peekable(), new.files.iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(x), Some(y)) if x.path == y.path => {
                let copy_edited =
                    matches!(&y.body, OutputBody::Copy(src) if edited.contains(src.as_str()));
                if !x.body.same_as(&y.body) || copy_edited {
                    changed.insert(y.path.as_str());
                }
                a.next();
                b.next();
            }
            (Some(x), Some(y)) if x.path < y.path => {
                changed.insert(x.path.as_str());
                a.next();
            }
            (Some(x), None) => {
                changed.insert(x.path.as_str());
                a.next();
            }
            (_, Some(y)) => {
                changed.insert(y.path.as_str());
                b.next();
            }
        }
    }
    changed
}

/// `a/b/index.html` → `/base/a/b/`; other files keep their name.
fn page_url(base_path: &str, path: &str) -> String {
    let dir = path.strip_suffix("index.html").unwrap_or(path);
    format!("{base_path}{dir}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::OutputFile;

    fn site(files: &[(&str, &str)]) -> BuiltSite {
        BuiltSite {
            files: files
                .iter()
                .map(|(p, b)| OutputFile::bytes(*p, b.as_bytes().to_vec()))
                .collect(),
            base_path: "/b/".into(),
        }
    }

    fn change(kind: ChangeKind, path: &str) -> Change {
        Change {
            kind,
            path: path.into(),
        }
    }

    #[test]
    fn a_note_edit_lists_the_changed_and_removed_pages() {
        let old = site(&[
            ("a/index.html", "1"),
            ("b/index.html", "1"),
            ("index.html", "1"),
        ]);
        let new = site(&[
            ("a/index.html", "2"),
            ("c/index.html", "1"),
            ("index.html", "1"),
        ]);
        let message = reload_message(&old, &new, &[change(ChangeKind::Content, "content/a.md")]);
        assert_eq!(
            message(7),
            Message::Reload {
                generation: 7,
                pages: Some(vec!["/b/a/".into(), "/b/b/".into(), "/b/c/".into()])
            }
        );
    }

    #[test]
    fn a_preview_replaces_and_adds_files_in_path_order() {
        let old = site(&[("a/index.html", "1"), ("c/index.html", "1")]);
        let new = with_files(
            &old,
            vec![
                OutputFile::bytes("c/index.html", b"2".to_vec()),
                OutputFile::bytes("b/index.html", b"1".to_vec()),
            ],
        );
        let files: Vec<(&str, &OutputBody)> = new
            .files
            .iter()
            .map(|f| (f.path.as_str(), &f.body))
            .collect();
        let bytes = |b: &str| OutputBody::Bytes(b.as_bytes().to_vec().into());
        assert_eq!(
            files,
            [
                ("a/index.html", &bytes("1")),
                ("b/index.html", &bytes("1")),
                ("c/index.html", &bytes("2")),
            ]
        );
        assert_eq!(new.base_path, old.base_path);
    }

    #[test]
    fn a_css_edit_swaps_stylesheets() {
        let old = site(&[("css/s.css", "a{}"), ("index.html", "h1")]);
        let new = site(&[("css/s.css", "b{}"), ("index.html", "h2")]);
        let message = reload_message(
            &old,
            &new,
            &[change(ChangeKind::Static, "static/css/s.css")],
        );
        let href = format!("/b/css/s.css?h={}", content_hash(b"b{}"));
        assert_eq!(
            message(2),
            Message::Css {
                generation: 2,
                hrefs: vec![href]
            }
        );
    }

    #[test]
    fn a_script_edit_reloads_every_page() {
        let old = site(&[("js/t.js", "1"), ("index.html", "h1")]);
        let new = site(&[("js/t.js", "2"), ("index.html", "h2")]);
        let message = reload_message(&old, &new, &[change(ChangeKind::Static, "static/js/t.js")]);
        assert_eq!(
            message(2),
            Message::Reload {
                generation: 2,
                pages: None
            }
        );
    }
}
