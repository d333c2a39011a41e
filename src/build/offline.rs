//! The offline app's files, made last from the list of everything written:
//! `offline.json` (every file by group, with sizes, for "Save for offline")
//! and `sw.js`, the service worker, whose cache is named by the build's
//! version, a hash of every file's content. A deploy that changes any file
//! changes `sw.js`, so browsers install the new worker, which deletes the old
//! cache: a learner never gets a mix of two builds.
//!
//! Only builds written to disk have them: `serve` and `check` hold the site in
//! memory, and the worker is never registered under `serve`.

use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;
use serde::Serialize;

use crate::build::outputs::OutputFile;
use crate::build::sink::Written;
use crate::content::model::SiteModel;

const WORKER: &str = include_str!("../../themes/default/offline/worker.js");
pub(crate) const WORKER_PATH: &str = "sw.js";
pub(crate) const LIST_PATH: &str = "offline.json";

/// Files no learner needs offline.
const LEFT_OUT: &[&str] = &[".nojekyll", "robots.txt", "sitemap.xml"];

#[derive(Serialize)]
struct OfflineList<'a> {
    version: String,
    groups: Vec<Group<'a>>,
}

/// Files saved together: the app shell, a section's notes, the practice
/// pages, the search index.
#[derive(Serialize)]
struct Group<'a> {
    id: &'a str,
    title: &'a str,
    bytes: u64,
    /// URLs from the site's root (`aws/iam/`, `css/style.css`).
    files: Vec<String>,
}

/// `offline.json` and `sw.js` for the files `written`.
pub(crate) fn offline_files(written: &[Written], model: &SiteModel) -> [OutputFile; 2] {
    let version = format!(
        "{:016x}",
        FxBuildHasher.hash_one(
            written
                .iter()
                .map(|w| (&w.path, w.hash))
                .collect::<Vec<_>>()
        )
    );
    let list = OfflineList {
        groups: groups(written, model),
        version: version.clone(),
    };
    let json = serde_json::to_string(&list).expect("plain strings serialise");
    let worker = format!("const VERSION = \"{version}\";\n{WORKER}");
    [
        OutputFile::bytes(LIST_PATH, json),
        OutputFile::bytes(WORKER_PATH, worker),
    ]
}

fn groups<'a>(written: &[Written], model: &'a SiteModel) -> Vec<Group<'a>> {
    let sections: Vec<(&str, &str)> = model
        .sections
        .iter()
        .filter(|s| !s.path.is_empty() && s.path.matches('/').count() == 1)
        .map(|s| (&*s.path, s.title.as_str()))
        .collect();
    let mut groups = vec![
        group("site", "Home page, styles and scripts"),
        group("practice", "Quizzes, flashcards, mock exam and other pages"),
        group("search", "Search index"),
    ];
    groups.extend(sections.iter().map(|(path, title)| group(path, title)));
    for file in written
        .iter()
        .filter(|w| !LEFT_OUT.contains(&w.path.as_str()))
    {
        let index = group_of(&file.path, &sections);
        let group = &mut groups[index];
        group.bytes += file.len;
        group.files.push(url_of(&file.path));
    }
    groups.retain(|g| !g.files.is_empty());
    groups
}

fn group<'a>(id: &'a str, title: &'a str) -> Group<'a> {
    Group {
        id,
        title,
        bytes: 0,
        files: Vec::new(),
    }
}

/// The index into [`groups`]' list: 0 site, 1 practice, 2 search, then sections.
fn group_of(path: &str, sections: &[(&str, &str)]) -> usize {
    let Some((first, _)) = path.split_once('/') else {
        return 0; // the home page, 404.html, the manifest, the favicon
    };
    let folder = &path[..first.len() + 1];
    match first {
        "css" | "js" => 0,
        "search" => 2,
        _ => sections
            .iter()
            .position(|(section, _)| *section == folder)
            .map_or(1, |i| i + 3),
    }
}

/// The URL a page is asked for by (its folder), or the file's path.
fn url_of(path: &str) -> String {
    path.strip_suffix("index.html").unwrap_or(path).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_fall_into_their_groups() {
        let sections = [("aws/", "AWS"), ("gcp/", "GCP")];
        assert_eq!(group_of("index.html", &sections), 0);
        assert_eq!(group_of("css/style.css", &sections), 0);
        assert_eq!(group_of("quiz/index.html", &sections), 1);
        assert_eq!(group_of("search/d0.js", &sections), 2);
        assert_eq!(group_of("aws/iam/index.html", &sections), 3);
        assert_eq!(group_of("gcp/img/x.png", &sections), 4);
        assert_eq!(url_of("aws/iam/index.html"), "aws/iam/");
        assert_eq!(url_of("index.html"), "");
        assert_eq!(url_of("css/style.css"), "css/style.css");
    }
}
