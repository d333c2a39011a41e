//! File watching: notify's debouncer (which stitches editors' rename-saves)
//! feeding [`classify`], a pure function deciding what a changed path means.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer, DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache,
};

use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};
use crate::source::slash_path;

/// What kind of source a changed path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// Anything under `content/`: notes, section indexes, assets, folders.
    Content,
    /// A template of the site or its theme.
    Template,
    /// A static file of the site or its theme.
    Static,
    /// `site.toml`.
    Config,
}

/// One changed source path, relative to the site root with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Change {
    /// What it is.
    pub kind: ChangeKind,
    /// Where it is.
    pub path: String,
}

/// The folders watched recursively, relative to the root (when they exist).
const WATCHED_DIRS: [&str; 4] = ["content", "templates", "static", "themes"];

/// What a change to `rel` (relative to the site root) means for the build, or
/// `None` for paths the build never reads: editors' temp, swap and backup
/// files, hidden files, and anything outside the watched folders.
pub fn classify(rel: &Path) -> Option<ChangeKind> {
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if parts.iter().any(|part| is_ignored_name(part)) {
        return None;
    }
    match parts.as_slice() {
        [file] if *file == CONFIG_FILE => Some(ChangeKind::Config),
        ["content", ..] => Some(ChangeKind::Content),
        ["templates", ..] | ["themes", _, "templates", ..] => Some(ChangeKind::Template),
        ["static", ..] | ["themes", _, "static", ..] => Some(ChangeKind::Static),
        // The theme folder itself (renamed or deleted) changes everything it held.
        ["themes", _] | ["themes"] => Some(ChangeKind::Template),
        _ => None,
    }
}

/// Editors' side files: Vim (`.swp`, `.swx`, `~`, `4913`), Emacs (`.#x`, `#x#`),
/// JetBrains safe-write, generic `*.tmp`; and hidden files.
fn is_ignored_name(name: &str) -> bool {
    const SUFFIXES: [&str; 7] = [
        ".swp",
        ".swx",
        ".swo",
        "~",
        ".tmp",
        "___jb_tmp___",
        "___jb_old___",
    ];
    name.starts_with('.')
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
        || SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// The changes a debounced batch carries; reads (opens) are not changes.
pub(crate) fn changes(events: &[DebouncedEvent], root: &Path) -> Vec<Change> {
    let mut found = BTreeSet::new();
    for event in events {
        if matches!(event.kind, EventKind::Access(_)) {
            continue;
        }
        for path in &event.paths {
            let rel = path.strip_prefix(root).unwrap_or(path);
            if let Some(kind) = classify(rel) {
                found.insert(Change {
                    kind,
                    path: slash_path(rel),
                });
            }
        }
    }
    found.into_iter().collect()
}

/// A running watcher; dropping it stops the events.
pub(crate) struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watched: BTreeSet<&'static str>,
}

impl Watcher {
    /// Watches the root (for site.toml and new folders) and every source folder.
    pub(crate) fn start(
        root: &Path,
        debounce: Duration,
        events: Sender<DebounceEventResult>,
    ) -> Result<Watcher> {
        // Checking often keeps the wait close to `debounce` (the default is a
        // quarter of it); an editor's rename-save arrives well within it.
        let tick = debounce / 5;
        let debouncer = new_debouncer(debounce, Some(tick), events).map_err(watch_error)?;
        let mut watcher = Watcher {
            debouncer,
            root: root.to_path_buf(),
            watched: BTreeSet::new(),
        };
        watcher
            .debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(watch_error)?;
        watcher.watch_new_dirs()?;
        Ok(watcher)
    }

    /// Starts watching source folders created since the last call (e.g. a new `templates/`).
    pub(crate) fn watch_new_dirs(&mut self) -> Result<()> {
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            if !self.watched.contains(dir) && path.is_dir() {
                self.debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(watch_error)?;
                self.watched.insert(dir);
            }
        }
        Ok(())
    }
}

fn watch_error(error: notify::Error) -> Error {
    Error::Watch {
        message: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> Option<ChangeKind> {
        classify(Path::new(path))
    }

    #[test]
    fn sources_are_classified() {
        assert_eq!(kind("site.toml"), Some(ChangeKind::Config));
        assert_eq!(kind("content/01-a/02-b.md"), Some(ChangeKind::Content));
        assert_eq!(kind("content/01-a"), Some(ChangeKind::Content));
        assert_eq!(kind("content/img/x.png"), Some(ChangeKind::Content));
        assert_eq!(kind("templates/page.html"), Some(ChangeKind::Template));
        assert_eq!(
            kind("themes/default/templates/partials/nav.html"),
            Some(ChangeKind::Template)
        );
        assert_eq!(kind("static/css/x.css"), Some(ChangeKind::Static));
        assert_eq!(kind("themes/dark/static/js/a.js"), Some(ChangeKind::Static));
    }

    #[test]
    fn editor_files_and_outsiders_are_ignored() {
        for path in [
            "content/.a.md.swp",
            "content/a.md.swp",
            "content/a.md.swx",
            "content/a.md~",
            "content/.#a.md",
            "content/#a.md#",
            "content/4913",
            "content/a.md.tmp",
            "content/a.md___jb_tmp___",
            "content/.hidden/a.md",
            "templates/.page.html.swp",
            "site.toml~",
            ".site.toml.swp",
            "public/index.html",
            "target/debug/x",
            "README.md",
            "themes/default/README.md",
            "../content/a.md",
        ] {
            assert_eq!(kind(path), None, "{path}");
        }
    }

    #[test]
    fn a_rename_save_yields_the_target_once() {
        use notify::event::{ModifyKind, RenameMode};
        let root = Path::new("/site");
        let rename = notify::Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
            .add_path(root.join("content/a.md.tmp"))
            .add_path(root.join("content/a.md"));
        let write = notify::Event::new(EventKind::Create(notify::event::CreateKind::File))
            .add_path(root.join("content/a.md.tmp"));
        let open = notify::Event::new(EventKind::Access(notify::event::AccessKind::Any))
            .add_path(root.join("content/b.md"));
        let events: Vec<DebouncedEvent> = [write, rename, open]
            .into_iter()
            .map(|e| DebouncedEvent::new(e, std::time::Instant::now()))
            .collect();
        assert_eq!(
            changes(&events, root),
            vec![Change {
                kind: ChangeKind::Content,
                path: "content/a.md".into()
            }]
        );
    }
}
