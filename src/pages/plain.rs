//! Pages with no content of their own: `404.html`, and `/search/`, a form whose
//! results the theme's search.js fills in from `?q=` (so a search can be
//! linked and bookmarked; without JavaScript the page says so).

use crate::pages::job::Job;
use crate::pages::kit::PageKit;
use crate::pages::SiteData;
use crate::render::views::PlainContext;
use crate::render::{TEMPLATE_404, TEMPLATE_SEARCH};
use crate::source::OutputPath;

/// Output path of the search page, relative to the site root.
pub(crate) const SEARCH_PATH: &str = "search/";

pub(crate) fn not_found<'a>(data: &'a SiteData<'a>, kit: &'a PageKit) -> Vec<Job<'a>> {
    let view = move || PlainContext {
        site: &kit.site,
        nav: kit.nav(None, data.targets.url(&OutputPath::default())),
    };
    let job = Job::page("404.html".into(), TEMPLATE_404, "404.html", view);
    vec![job.unlisted()]
}

pub(crate) fn search<'a>(data: &'a SiteData<'a>, kit: &'a PageKit) -> Vec<Job<'a>> {
    if !data.config.search.enabled {
        return Vec::new();
    }
    let view = move || PlainContext {
        site: &kit.site,
        nav: kit.nav(None, data.targets.url(&SEARCH_PATH.into())),
    };
    let output = format!("{SEARCH_PATH}index.html").into();
    let job = Job::page(output, TEMPLATE_SEARCH, SEARCH_PATH, view);
    vec![job.unlisted()]
}
