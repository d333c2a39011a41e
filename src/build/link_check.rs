//! `check`'s last step: every internal reference in the built HTML (links,
//! images, scripts, stylesheets, `srcset`) must resolve to an emitted file, and
//! every `#anchor` to an id on the target page. Runs on the outputs in memory.
//!
//! Links written in notes were already checked with their Markdown lines (stage 5);
//! this catches what templates, raw HTML and root-relative links produce. Problems
//! are reported at the note's line when the reference can be found in its source,
//! else at the output file.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use scraper::{Html, Selector};

use crate::build::outputs::{OutputBody, OutputFile};
use crate::content::model::SiteModel;
use crate::error::{Diagnostic, Diagnostics, Location};
use crate::markdown::links::percent_decode;

/// What one HTML output holds: its ids and the references it makes.
struct Scanned {
    ids: HashSet<String>,
    references: Vec<String>,
}

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
        for reference in &scanned[*page].references {
            if is_external(reference) {
                if is_web_link(reference) && !external.contains_key(reference) {
                    let location = locate(page, reference, base_path, &sources);
                    external.insert(reference.clone(), location);
                }
                continue;
            }
            let problem = match resolve(page, reference, base_path) {
                Err(why) => Some(why),
                Ok((target, _)) if !emitted.contains(target.as_str()) => {
                    Some(format!("no file {target} in the output"))
                }
                Ok((target, Some(anchor))) => scanned
                    .get(target.as_str())
                    .filter(|t| !t.ids.contains(&anchor))
                    .map(|_| format!("{target} has no element with id `{anchor}`")),
                Ok(_) => None,
            };
            if let Some(why) = problem {
                let location = locate(page, reference, base_path, &sources);
                diagnostics.push(
                    Diagnostic::error(Some(location), format!("broken reference `{reference}`: {why}"))
                        .with_help("fix the link in the note or template; internal URLs must point at pages the site emits"),
                );
            }
        }
    }
    diagnostics.sort();
    (diagnostics, external)
}

fn scan(html: &str) -> Scanned {
    static SELECTORS: std::sync::OnceLock<[(Selector, &str); 4]> = std::sync::OnceLock::new();
    let selectors = SELECTORS.get_or_init(|| {
        ["[href]", "[src]", "[srcset]", "[id]"].map(|css| {
            let selector = Selector::parse(css).expect("constant selector is valid");
            (selector, css.trim_matches(['[', ']']))
        })
    });
    let doc = Html::parse_document(html);
    let mut scanned = Scanned {
        ids: HashSet::new(),
        references: Vec::new(),
    };
    for (selector, attr) in selectors {
        for element in doc.select(selector) {
            let Some(value) = element.value().attr(attr) else {
                continue;
            };
            match *attr {
                "id" => drop(scanned.ids.insert(value.to_string())),
                "srcset" => scanned.references.extend(
                    value
                        .split(',')
                        .filter_map(|candidate| candidate.split_whitespace().next())
                        .map(str::to_string),
                ),
                // `<link rel=canonical>` and the like are absolute by design.
                _ if element.value().name() == "link" && value.contains("://") => {}
                _ => scanned.references.push(value.to_string()),
            }
        }
    }
    scanned
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
    let trailing = if path.ends_with('/') { "/" } else { "" };
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

/// The note line that wrote `reference`, if it can be found; else the output file.
fn locate(
    page: &str,
    reference: &str,
    base_path: &str,
    sources: &HashMap<String, &crate::source::SourceFile>,
) -> Location {
    let written_forms = [
        Some(reference.to_string()),
        reference
            .strip_prefix(base_path)
            .map(|rest| format!("/{rest}")),
    ];
    if let Some(file) = sources.get(page) {
        for form in written_forms.iter().flatten() {
            if let Some(offset) = file.text.find(form.as_str()) {
                return file.location(offset);
            }
        }
    }
    Location::file(format!("(output) {page}"))
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
    }

    #[test]
    fn scan_finds_ids_and_references() {
        let scanned = scan(
            "<h2 id=\"a\">A</h2><a href=\"/x/\">x</a><img src=\"i.png\" srcset=\"i1.png 1x, i2.png 2x\">\
             <link rel=\"canonical\" href=\"https://e.org/\">",
        );
        assert!(scanned.ids.contains("a"));
        assert_eq!(scanned.references, ["/x/", "i.png", "i1.png", "i2.png"]);
    }
}
