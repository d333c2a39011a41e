//! `check`'s last step: every internal reference in the built HTML (links,
//! images, scripts, stylesheets, `srcset`) must resolve to an emitted file, and
//! every `#anchor` to an id on the target page. Runs on the outputs in memory.
//!
//! Links written in notes were already checked with their Markdown lines (stage 5);
//! this catches what templates, raw HTML and root-relative links produce. Problems
//! are reported at the note's line when the reference can be found in its source,
//! else at the output file.

mod scan;

use std::collections::{BTreeMap, HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;

use crate::build::outputs::{OutputBody, OutputFile};
use crate::content::model::SiteModel;
use crate::error::{Diagnostic, Diagnostics, Location};
use crate::markdown::links::percent_decode;
use crate::source::SourceFile;
use scan::{scan, Scanned};

/// Checks every HTML output; returns the problems and the external web links
/// seen, each with where it was first found.
pub(crate) fn check_output_links(
    files: &[OutputFile],
    model: &SiteModel,
    base_path: &str,
) -> (Diagnostics, BTreeMap<String, Location>) {
    let scanned: HashMap<&str, Scanned> = files
        .par_iter()
        .filter_map(|file| match &file.body {
            OutputBody::Bytes(bytes) if file.path.ends_with(".html") => {
                Some((file.path.as_str(), scan(&String::from_utf8_lossy(bytes))))
            }
            _ => None,
        })
        .collect();
    let emitted: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let sources = source_files(model);
    let mut diagnostics = Diagnostics::default();
    let mut external = BTreeMap::new();
    let mut pages: Vec<&&str> = scanned.keys().collect();
    pages.sort();
    for page in pages {
        let mut problems = Vec::new();
        let mut new_external = Vec::new();
        for reference in &scanned[*page].references {
            if is_external(reference) {
                if is_web_link(reference) && !external.contains_key(reference) {
                    external.insert(reference.clone(), Location::file(""));
                    new_external.push(reference.as_str());
                }
                continue;
            }
            if let Some(why) = problem(page, reference, base_path, &scanned, &emitted) {
                problems.push((reference.as_str(), why));
            }
        }
        let wanted = new_external
            .iter()
            .copied()
            .chain(problems.iter().map(|(reference, _)| *reference));
        let locations = locate(page, wanted, base_path, sources.get(*page).copied());
        let mut locations = locations.into_iter();
        for (reference, location) in new_external.iter().zip(locations.by_ref()) {
            external.insert(reference.to_string(), location);
        }
        for ((reference, why), location) in problems.into_iter().zip(locations) {
            diagnostics.push(
                Diagnostic::error(Some(location), format!("broken reference `{reference}`: {why}"))
                    .with_help("fix the link in the note or template; internal URLs must point at pages the site emits"),
            );
        }
    }
    diagnostics.sort();
    (diagnostics, external)
}

/// What is wrong with an internal `reference` on `page`, if anything.
fn problem(
    page: &str,
    reference: &str,
    base_path: &str,
    scanned: &HashMap<&str, Scanned>,
    emitted: &HashSet<&str>,
) -> Option<String> {
    match resolve(page, reference, base_path) {
        Err(why) => Some(why),
        Ok((target, _)) if !emitted.contains(target.as_str()) => {
            Some(format!("no file {target} in the output"))
        }
        Ok((target, Some(anchor))) => scanned
            .get(target.as_str())
            .filter(|t| !t.ids.contains(&anchor))
            .map(|_| format!("{target} has no element with id `{anchor}`")),
        Ok(_) => None,
    }
}

/// For the fuzz target: scans one page and resolves each of its references.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn check_page_for_fuzzing(html: &str) {
    let page = "sec/note/index.html";
    let scanned = HashMap::from([(page, scan(html))]);
    let emitted = HashSet::from([page, "index.html"]);
    let file = SourceFile::new("content/sec/note.md", html.to_string());
    let references = &scanned[page].references;
    for reference in references {
        problem(page, reference, "/base/", &scanned, &emitted);
    }
    let located = locate(
        page,
        references.iter().map(String::as_str),
        "/base/",
        Some(&file),
    );
    assert_eq!(located.len(), references.len());
}

fn is_web_link(reference: &str) -> bool {
    reference.starts_with("http://") || reference.starts_with("https://")
}

fn is_external(reference: &str) -> bool {
    reference.contains("://")
        || reference.starts_with("//")
        || reference.starts_with("mailto:")
        || reference.starts_with("tel:")
        || reference.starts_with("data:")
        || reference.starts_with("javascript:")
}

/// Maps a reference on `page` to an output path and anchor.
fn resolve(
    page: &str,
    reference: &str,
    base_path: &str,
) -> Result<(String, Option<String>), String> {
    let (path, anchor) = match reference.split_once('#') {
        Some((path, anchor)) => (path, Some(percent_decode(anchor)).filter(|a| !a.is_empty())),
        None => (reference, None),
    };
    let path = percent_decode(path.split('?').next().unwrap_or_default());
    let joined = if path.is_empty() {
        page.to_string()
    } else if let Some(absolute) = path.strip_prefix('/') {
        let inside = format!("/{absolute}");
        match inside.strip_prefix(base_path) {
            Some(rest) => rest.to_string(),
            None => {
                return Err(format!(
                    "it points outside the site's base path {base_path}"
                ))
            }
        }
    } else {
        let dir = page.rsplit_once('/').map_or("", |(dir, _)| dir);
        normalise(&format!("{dir}/{path}"))
            .ok_or_else(|| "it climbs above the site root".to_string())?
    };
    let target = if joined.is_empty() || joined.ends_with('/') {
        format!("{joined}index.html")
    } else {
        joined
    };
    Ok((target, anchor))
}

fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    // A path back to the root is "" (its index.html), not "/".
    let trailing = if path.ends_with('/') && !parts.is_empty() {
        "/"
    } else {
        ""
    };
    Some(format!("{}{trailing}", parts.join("/")))
}

/// Output page → the note or section file it was rendered from.
fn source_files(model: &SiteModel) -> HashMap<String, &crate::source::SourceFile> {
    let pages = model
        .pages
        .iter()
        .map(|p| (format!("{}index.html", p.path), &*p.file));
    let sections = model.sections.iter().filter_map(|s| {
        s.index
            .as_ref()
            .map(|file| (format!("{}index.html", s.path), &**file))
    });
    pages.chain(sections).collect()
}

/// Where each of `references` (problems on `page`) was written: the note line
/// where it first appears, else the output file.
///
/// All of a page's references are looked for in one pass over its source (one
/// `find` per reference was quadratic: 5,000 distinct links on a page meant 5,000
/// scans of the note). The leftmost-longest match wins where two written forms
/// overlap; a form only ever found inside a longer one falls back to the output file.
fn locate<'r>(
    page: &str,
    references: impl Iterator<Item = &'r str>,
    base_path: &str,
    source: Option<&SourceFile>,
) -> Vec<Location> {
    let references: Vec<&str> = references.collect();
    // Pages link relative to their folder (`../../x/`); a note may have written
    // the same target from the root, with or without the base path.
    let forms: Vec<[Option<String>; 3]> = references
        .iter()
        .map(|reference| {
            let under_base = match reference.strip_prefix(base_path) {
                Some(rest) => Some(rest.to_string()),
                None => from_base(page, reference),
            };
            let with_base = under_base
                .as_ref()
                .filter(|_| !reference.starts_with('/'))
                .map(|rest| format!("{base_path}{rest}"));
            let root_relative = under_base.map(|rest| format!("/{rest}"));
            [Some(reference.to_string()), with_base, root_relative]
        })
        .collect();
    let first_offsets = source.map(|file| first_offsets(&file.text, &forms));
    let fallback = Location::file(format!("(output) {page}"));
    (0..references.len())
        .map(|i| {
            let offset = first_offsets.as_ref().and_then(|found| {
                forms[i]
                    .iter()
                    .flatten()
                    .find_map(|form| found.get(form.as_str()).copied())
            });
            match (offset, source) {
                (Some(offset), Some(file)) => file.location(offset),
                _ => fallback.clone(),
            }
        })
        .collect()
}

/// A relative `reference` on `page` as a path under the base path, keeping its
/// `?query` and `#fragment`: `../b/#x` on `a/c/index.html` → `a/b/#x`.
fn from_base(page: &str, reference: &str) -> Option<String> {
    if reference.starts_with(['/', '#', '?']) || reference.is_empty() || is_external(reference) {
        return None;
    }
    let split = reference.find(['?', '#']).unwrap_or(reference.len());
    let (path, rest) = reference.split_at(split);
    let dir = page.rsplit_once('/').map_or("", |(dir, _)| dir);
    Some(format!("{}{rest}", normalise(&format!("{dir}/{path}"))?))
}

/// The first offset in `text` of each form (an empty form is at 0), in one pass.
fn first_offsets<'f>(text: &str, forms: &'f [[Option<String>; 3]]) -> HashMap<&'f str, usize> {
    let mut patterns: Vec<&str> = forms
        .iter()
        .flatten()
        .flatten()
        .map(String::as_str)
        .collect();
    patterns.sort_unstable();
    patterns.dedup();
    let mut found: HashMap<&str, usize> = HashMap::new();
    if patterns.first() == Some(&"") {
        found.insert("", 0);
        patterns.remove(0);
    }
    let Ok(searcher) = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
    else {
        return found;
    };
    for hit in searcher.find_iter(text) {
        found
            .entry(patterns[hit.pattern().as_usize()])
            .or_insert(hit.start());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_to_output_paths() {
        let page = "sec/note/index.html";
        assert_eq!(
            resolve(page, "/repo/a/", "/repo/"),
            Ok(("a/index.html".into(), None))
        );
        assert_eq!(
            resolve(page, "../other/#x", "/"),
            Ok(("sec/other/index.html".into(), Some("x".into())))
        );
        assert_eq!(
            resolve(page, "#top", "/"),
            Ok((page.into(), Some("top".into())))
        );
        assert_eq!(
            resolve(page, "/css/a%20b.css?h=1", "/"),
            Ok(("css/a b.css".into(), None))
        );
        assert!(resolve(page, "/elsewhere/", "/repo/").is_err());
        assert!(resolve(page, "../../../../x", "/").is_err());
        assert_eq!(
            resolve("a/b/index.html", "../../", "/").unwrap().0,
            "index.html"
        );
    }

    #[test]
    fn references_are_located_at_their_first_written_form() {
        let file = SourceFile::new(
            "content/a.md",
            "x [a](#one) [b](/base/two/)\n[c](#one-more) [d](#one)\n".into(),
        );
        // `../two/` is how the page writes the note's `/base/two/`.
        let wanted = ["#one", "/base/two/", "#one-more", "#gone", "", "../two/"];
        let located: Vec<String> =
            locate("a/index.html", wanted.into_iter(), "/base/", Some(&file))
                .into_iter()
                .map(|l| format!("{}:{}:{:?}", l.path, l.line, l.column))
                .collect();
        assert_eq!(
            located,
            [
                "content/a.md:1:Some(7)",
                "content/a.md:1:Some(17)",
                "content/a.md:2:Some(5)",
                "(output) a/index.html:0:None",
                "content/a.md:1:Some(1)",
                "content/a.md:1:Some(17)",
            ]
        );
    }
}
