//! The `/search/` page: a form whose results the theme's search.js fills in from
//! `?q=`, so a search can be linked and bookmarked. The page itself holds no
//! results; without JavaScript it says so.

use serde::Serialize;

use crate::render::pages::{PageKit, RenderedFile, SiteInput};
use crate::render::views::{NavView, SiteValue};
use crate::render::TEMPLATE_SEARCH;

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
    kit: &PageKit<'_>,
) -> crate::error::Result<RenderedFile> {
    let (nav, nav_hash) = kit.nav(input, None, input.targets.url(SEARCH_PATH));
    let context = || SearchPageContext {
        site: &kit.site,
        nav,
    };
    let output = format!("{SEARCH_PATH}index.html");
    kit.render(
        TEMPLATE_SEARCH,
        || (nav_hash, 0),
        &output,
        SEARCH_PATH,
        context,
    )
}
