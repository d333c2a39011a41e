//! studysite: a static study-site generator.
//!
//! The pipeline, one stage per module, each returning a named type:
//!
//! 1. [`cli`]: argv → options; the only place that picks exit codes.
//! 2. [`config`]: `site.toml` → `SiteConfig`, strictly (unknown keys are errors).
//! 3. `content`: `content/` → `SiteModel` (sections, pages, assets, order, slugs).
//! 4. `markdown`: each note → `RenderedNote` (HTML, TOC, headings, links), in parallel.
//! 5. `links`: every relative link and `#anchor` checked against what exists.
//!    `search`: notes → the client-side search index (`search/*.js`, docs/search-index.md).
//! 6. `render`: views → HTML through the theme's Tera templates.
//! 7. [`build`]: outputs → `public/`, swapped in atomically (or kept in memory).
//! 8. [`serve`]: file changes → a rebuilt in-memory site, served with live reload.

pub mod build;
pub mod cli;
pub mod config;
mod content;
pub mod error;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
pub mod init;
mod links;
mod markdown;
mod memo;
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
