//! `sitemap.xml`: the absolute URL of every listed page, in job order (sections,
//! notes in reading order, then the practice pages and `/mnemonics/`).

use crate::pages::job::Job;
use crate::pages::SiteData;
use crate::render::views::{SitemapContext, SitemapUrls};
use crate::render::TEMPLATE_SITEMAP;
use crate::source::OutputPath;

/// The sitemap of the `listed` outputs.
pub(crate) fn job<'a>(data: &'a SiteData<'a>, listed: Vec<OutputPath>) -> Job<'a> {
    let folders: Vec<String> = listed
        .iter()
        .map(|output| output.trim_end_matches("index.html").to_string())
        .collect();
    let view = move || SitemapContext {
        urls: SitemapUrls {
            root: data.config.absolute_root(),
            folders,
        },
    };
    let path = "sitemap.xml";
    Job::page(path.into(), TEMPLATE_SITEMAP, path, view).unlisted()
}
