//! The `/search/` page: a form whose results the theme's search.js fills in from
//! `?q=`, so a search can be linked and bookmarked. The page itself holds no
//! results; without JavaScript it says so.

use serde::Serialize;

use crate::render::pages::{nav_view, RenderedFile, SiteInput};
use crate::render::views::{NavView, SiteValue};
use crate::render::{Renderer, TEMPLATE_SEARCH};

/// Output path of the page, relative to the site root.
pub(crate) const SEARCH_PATH: &str = "search/";

/// Context of `search.html`.
#[derive(Debug, Serialize)]
pub(crate) struct SearchPageContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView,
}

/// Renders `search/index.html`.
pub(crate) fn render_search_page(
    input: &SiteInput<'_>,
    renderer: &Renderer,
    site: &SiteValue,
) -> crate::error::Result<RenderedFile> {
    let context = SearchPageContext {
        site,
        nav: nav_view(input, None, input.targets.url(SEARCH_PATH)),
    };
    Ok(RenderedFile {
        path: format!("{SEARCH_PATH}index.html"),
        body: renderer
            .render(TEMPLATE_SEARCH, &context, Some(SEARCH_PATH))?
            .into(),
    })
}
