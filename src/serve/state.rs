//! What the watcher, the rebuild loop and the HTTP workers share: the current
//! site, the last build error, the generation counter and the live-reload hub.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use crate::build::{BuiltSite, OutputFile};
use crate::error::{Error, Severity};

use super::reload::Hub;

/// A failed rebuild, as the overlay and the terminal show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildFailure {
    /// The whole error, rendered as the terminal shows it.
    pub message: String,
    /// The first file the error points at, relative to the site root.
    pub file: Option<String>,
    /// Its 1-based line, when known.
    pub line: Option<u32>,
}

impl BuildFailure {
    /// Takes the message and the first error location out of a build error.
    pub fn from_error(error: &Error) -> Self {
        let (file, line) = match error {
            Error::Invalid(diagnostics) => diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .find_map(|d| d.location.as_ref())
                .map_or((None, None), |loc| {
                    (Some(loc.path.clone()), (loc.line > 0).then_some(loc.line))
                }),
            Error::Io { path, .. } => (Some(path.display().to_string()), None),
            _ => (None, None),
        };
        BuildFailure {
            message: error.to_string(),
            file,
            line,
        }
    }
}

/// Shared by every serve thread through an `Arc`; no global state.
#[derive(Debug)]
pub(crate) struct ServeState {
    /// The site root; `OutputBody::Copy` sources are relative to it.
    pub(crate) root: PathBuf,
    site: RwLock<Arc<BuiltSite>>,
    last_error: Mutex<Option<BuildFailure>>,
    generation: AtomicU64,
    /// Distinguishes server runs, so a page notices a restart.
    pub(crate) instance: String,
    pub(crate) hub: Hub,
    stopping: AtomicBool,
}

impl ServeState {
    pub(crate) fn new(root: PathBuf, site: BuiltSite, instance: String) -> Self {
        ServeState {
            root,
            site: RwLock::new(Arc::new(site)),
            last_error: Mutex::new(None),
            generation: AtomicU64::new(1),
            instance,
            hub: Hub::default(),
            stopping: AtomicBool::new(false),
        }
    }

    /// The site being served now; cheap, and stable for the whole request.
    pub(crate) fn site(&self) -> Arc<BuiltSite> {
        Arc::clone(&self.site.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Swaps in a new good build, clears the error and returns the new generation.
    pub(crate) fn publish(&self, site: BuiltSite) -> u64 {
        *self.site.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(site);
        self.set_error(None);
        self.generation.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Serves `site` again, the last good one, in place of a preview whose
    /// rebuild failed; pages loaded since see a new generation.
    pub(crate) fn restore(&self, site: Arc<BuiltSite>) {
        *self.site.write().unwrap_or_else(PoisonError::into_inner) = site;
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub(crate) fn last_error(&self) -> Option<BuildFailure> {
        self.last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Records (or clears) the error; returns the one it replaced.
    pub(crate) fn set_error(&self, failure: Option<BuildFailure>) -> Option<BuildFailure> {
        std::mem::replace(
            &mut *self
                .last_error
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
            failure,
        )
    }

    pub(crate) fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.hub.close();
    }

    pub(crate) fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }
}

/// Finds an output by its exact path (files are sorted by path).
pub(crate) fn find<'a>(site: &'a BuiltSite, path: &str) -> Option<&'a OutputFile> {
    site.files
        .binary_search_by(|f| f.path.as_str().cmp(path))
        .ok()
        .map(|i| &site.files[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Diagnostic, Location};

    #[test]
    fn failure_points_at_the_first_error() {
        let mut location = Location::file("templates/page.html");
        location.line = 7;
        let error = Error::from(Diagnostic::error(Some(location), "unclosed block"));
        let failure = BuildFailure::from_error(&error);
        assert_eq!(failure.file.as_deref(), Some("templates/page.html"));
        assert_eq!(failure.line, Some(7));
        assert!(failure.message.contains("unclosed block"));
    }

    #[test]
    fn publish_bumps_generation_and_clears_error() {
        let state = ServeState::new(PathBuf::from("."), BuiltSite::default(), "t".into());
        state.set_error(Some(BuildFailure {
            message: "x".into(),
            file: None,
            line: None,
        }));
        assert_eq!(state.publish(BuiltSite::default()), 2);
        assert_eq!(state.generation(), 2);
        assert!(state.last_error().is_none());
    }
}
