//! `manifest.webmanifest`: what a browser needs to install the site as an app
//! (name, start page, icon, colours). Its URLs are relative to itself, like the
//! site's, so the app installs wherever the site is hosted.

use bytes::Bytes;
use serde::Serialize;

use crate::pages::job::Job;
use crate::pages::SiteData;

pub(crate) const MANIFEST_PATH: &str = "manifest.webmanifest";

/// The theme's page background, light (the manifest has one colour; the pages'
/// `theme-color` meta tags give the dark one).
const BACKGROUND: &str = "#ffffff";

#[derive(Hash, Serialize)]
struct Manifest<'a> {
    name: &'a str,
    short_name: &'a str,
    description: &'a str,
    lang: &'a str,
    start_url: &'static str,
    scope: &'static str,
    display: &'static str,
    background_color: &'static str,
    theme_color: &'static str,
    icons: [Icon; 1],
}

#[derive(Hash, Serialize)]
struct Icon {
    src: &'static str,
    sizes: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
}

pub(crate) fn job<'a>(data: &'a SiteData<'a>) -> Job<'a> {
    let config = data.config;
    let manifest = Manifest {
        name: &config.title,
        short_name: &config.title,
        description: &config.description,
        lang: &config.language,
        start_url: "./",
        scope: "./",
        display: "standalone",
        background_color: BACKGROUND,
        theme_color: BACKGROUND,
        icons: [Icon {
            src: "favicon.svg",
            sizes: "any",
            kind: "image/svg+xml",
            purpose: "any",
        }],
    };
    Job::data(MANIFEST_PATH.into(), manifest, |manifest| {
        let json = serde_json::to_vec_pretty(manifest).expect("plain strings serialise");
        Bytes::from(json)
    })
}
