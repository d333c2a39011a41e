//! Typed views → HTML through Tera, for the `pages` stage.
//!
//! [`Renderer`] compiles the theme's templates once per build and registers the
//! URL functions; [`views`] are what templates receive.

pub(crate) mod relative;
pub(crate) mod theme;
pub(crate) mod views;

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Context, ErrorKind, Kwargs, State, Tera, TeraResult};

use crate::config::{folder_url, SiteConfig};
use crate::error::{Diagnostic, Error, Location, Result, SourceLine};
use crate::markdown::{BlockAnchorView, CalloutView, EmbedView, HeadingView, Partials, VideoView};
use crate::source::LineIndex;
use theme::{TemplateFile, ThemeFiles};

pub(crate) const TEMPLATE_INDEX: &str = "index.html";
pub(crate) const TEMPLATE_SECTION: &str = "section.html";
pub(crate) const TEMPLATE_PAGE: &str = "page.html";
pub(crate) const TEMPLATE_404: &str = "404.html";
pub(crate) const TEMPLATE_SITEMAP: &str = "sitemap.xml";
pub(crate) const TEMPLATE_MNEMONICS: &str = "mnemonics.html";
pub(crate) const TEMPLATE_QUIZ: &str = "quiz.html";
pub(crate) const TEMPLATE_QUIZ_INDEX: &str = "quiz_index.html";
pub(crate) const TEMPLATE_FLASHCARDS: &str = "flashcards.html";
pub(crate) const TEMPLATE_CRAM: &str = "cram.html";
pub(crate) const TEMPLATE_EXAM: &str = "exam.html";
pub(crate) const TEMPLATE_PROGRESS: &str = "progress.html";
pub(crate) const TEMPLATE_SEARCH: &str = "search.html";
pub(crate) const TEMPLATE_TAGS: &str = "tags.html";
pub(crate) const PARTIAL_HEADING: &str = "partials/heading_anchor.html";
pub(crate) const PARTIAL_CALLOUT: &str = "partials/callout.html";
pub(crate) const PARTIAL_EMBED: &str = "partials/embed.html";
pub(crate) const PARTIAL_BLOCK_ANCHOR: &str = "partials/block_anchor.html";
pub(crate) const PARTIAL_VIDEO: &str = "partials/video.html";

/// Compiled templates plus where each came from.
pub(crate) struct Renderer {
    tera: Tera,
    origins: BTreeMap<String, TemplateFile>,
    /// Each template's [dependency key](ThemeFiles::dependency_keys).
    keys: BTreeMap<String, u64>,
    /// Where the site's root-relative URLs start (`/`, `/repo/`).
    base_path: String,
}

/// `serve`'s cache holds one; Tera's templates are not shown.
impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("templates", &self.keys.keys())
            .field("base_path", &self.base_path)
            .finish_non_exhaustive()
    }
}

impl Renderer {
    /// Compiles every template; `static_hashes` maps static paths to content hashes
    /// for the `asset()` function's cache busting.
    pub(crate) fn new(
        theme: &ThemeFiles,
        config: &SiteConfig,
        static_hashes: BTreeMap<String, String>,
    ) -> Result<Renderer> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        let keys = theme.dependency_keys(&static_hashes);
        register_url_functions(&mut tera, config, static_hashes);
        let origins = theme.templates.clone();
        let sources = origins
            .iter()
            .map(|(name, file)| (name.as_str(), file.text.as_str()));
        tera.add_raw_templates(sources)
            .map_err(|e| template_error(&origins, e, None))?;
        Ok(Renderer {
            tera,
            origins,
            keys,
            base_path: config.base_path(),
        })
    }

    /// A hash of `template`, every template it uses and, when they call
    /// `asset()`, the static files' hashes: pages rendered with it are kept by
    /// `serve` while this is unchanged.
    pub(crate) fn template_key(&self, template: &str) -> u64 {
        self.keys.get(template).copied().unwrap_or_default()
    }

    /// The page at `output`: `template` rendered with `data`, its URLs made
    /// relative to the page's folder ([`relative`]).
    pub(crate) fn render_page(
        &self,
        template: &str,
        data: &impl Serialize,
        origin: &str,
        output: &str,
    ) -> Result<String> {
        let html = self.render(template, data, Some(origin))?;
        Ok(
            match relative::relative_urls(&html, &self.base_path, output) {
                std::borrow::Cow::Borrowed(_) => html,
                std::borrow::Cow::Owned(relative) => relative,
            },
        )
    }

    /// Renders `template` with `data`; `page` names the page for error messages.
    pub(crate) fn render(
        &self,
        template: &str,
        data: &impl Serialize,
        page: Option<&str>,
    ) -> Result<String> {
        let context =
            Context::from_serialize(data).map_err(|e| template_error(&self.origins, e, page))?;
        self.tera
            .render(template, &context)
            .map_err(|e| template_error(&self.origins, e, page))
    }
}

/// A Tera error as a diagnostic at the template's file and line.
fn template_error(
    origins: &BTreeMap<String, TemplateFile>,
    error: tera::Error,
    page: Option<&str>,
) -> Error {
    let (location, message) = match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => (
            template_location(origins, report),
            report.message().to_string(),
        ),
        _ => (None, error_chain(&error)),
    };
    let help = match page {
        Some(page) => format!("fix the template; this happened while rendering {page}"),
        None => "fix the template syntax; see the Tera documentation for tags and filters".into(),
    };
    Diagnostic::error(location, format!("template error: {message}"))
        .with_help(help)
        .into()
}

fn template_location(
    origins: &BTreeMap<String, TemplateFile>,
    report: &tera::ReportError,
) -> Option<Location> {
    let file = origins.get(report.filename())?;
    let span = report.span();
    let lines = LineIndex::new(&file.text);
    let line = span.start_line as u32;
    let column = Some(span.start_col as u32 + 1);
    Some(Location {
        path: file.origin.clone(),
        line,
        column,
        source_line: Some(SourceLine::at_column(
            lines.line_text(&file.text, line),
            column,
        )),
    })
}

impl Partials for Renderer {
    fn heading(&self, view: &HeadingView) -> Result<String> {
        self.render(PARTIAL_HEADING, view, None)
    }

    fn callout(&self, view: &CalloutView<'_>) -> Result<String> {
        self.render(PARTIAL_CALLOUT, view, None)
    }

    fn embed(&self, view: &EmbedView) -> Result<String> {
        self.render(PARTIAL_EMBED, view, None)
    }

    fn block_anchor(&self, view: &BlockAnchorView<'_>) -> Result<String> {
        self.render(PARTIAL_BLOCK_ANCHOR, view, None)
    }

    fn video(&self, view: &VideoView) -> Result<String> {
        self.render(PARTIAL_VIDEO, view, None)
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}

/// `url(path="quiz/")` → `/base/quiz/`; `asset(path="css/style.css")` adds `?h=<hash>`.
fn register_url_functions(
    tera: &mut Tera,
    config: &SiteConfig,
    static_hashes: BTreeMap<String, String>,
) {
    let base = config.base_path();
    let name_index = config.folder_urls_name_index();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            Ok(folder_url(join_url(&base, path), name_index))
        },
    );
    let base = config.base_path();
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            let path = path.trim_start_matches('/');
            let hash = static_hashes.get(path).ok_or_else(|| {
                tera::Error::message(format!(
                    "asset(path=\"{path}\"): no such file in the theme's static/ folder"
                ))
            })?;
            Ok(format!("{}?h={hash}", join_url(&base, path)))
        },
    );
}

/// Joins a site-relative path onto the base path; absolute URLs pass through.
pub(crate) fn join_url(base: &str, path: &str) -> String {
    if path.contains("://") {
        return path.to_string();
    }
    format!("{base}{}", path.trim_start_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_join_base() {
        assert_eq!(join_url("/repo/", "/quiz/"), "/repo/quiz/");
        assert_eq!(join_url("/", "a/b/"), "/a/b/");
        assert_eq!(join_url("/", "https://x.y/"), "https://x.y/");
    }
}
