//! studysite: a static study-site generator.
//!
//! The pipeline, one stage per module, each taking values and returning a named
//! type (docs/architecture.md walks through it):
//!
//! 1. [`cli`]: argv → options; the only place that picks exit codes.
//! 2. [`config`]: `site.toml` → `SiteConfig`, strictly (unknown keys are errors).
//! 3. `content`: `content/` → `SiteModel` (sections, pages, assets, order, slugs).
//! 4. `markdown`: each note → `RenderedNote` (HTML, TOC, headings, links), in parallel.
//! 5. `links`: every relative link and `#anchor` checked against what exists.
//! 6. `quiz`: notes → `QuizBank` (QUIZ callouts, flashcards, generated questions).
//! 7. `search`: notes → `SearchIndex`, the client-side index (`search/*.js`).
//! 8. `pages`: everything above → the job list, one job per output, each
//!    rendered through `render` (the theme's Tera templates).
//! 9. [`build`]: runs the jobs into `public/`, swapped in atomically (or into memory).
//! 10. [`serve`]: file changes → a rebuilt in-memory site, served with live reload.
//!
//! Beside the stages: `cache`, what `serve` keeps between builds (a clean build
//! has none), and `hashing`, the content hashes and derived keys.

pub mod build;
mod cache;
pub mod cli;
pub mod config;
mod content;
pub mod error;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
mod hashing;
#[cfg(feature = "heap-stats")]
pub mod heap_stats;
pub mod init;
mod links;
mod markdown;
mod pages;
mod quiz;
mod render;
mod search;
pub mod serve;
mod source;

pub use build::{build, BuildOptions, BuildReport, BuiltSite, OutputTarget};
pub use error::{Error, Result};

/// Runs the build pipeline strictly without writing anything: every problem is an
/// error. With `fetch_external`, external web links are fetched too.
pub fn check(root: impl Into<std::path::PathBuf>, fetch_external: bool) -> Result<BuildReport> {
    let options = BuildOptions {
        target: OutputTarget::None,
        strict: true,
        fetch_external,
        ..BuildOptions::new(root)
    };
    build(&options).map(|(report, _)| report)
}
