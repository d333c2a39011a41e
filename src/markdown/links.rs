//! Pass 3: relative references → output URLs, each captured for checking.
//!
//! A note's output URL is one folder deeper than its file (`iam.md` →
//! `iam/`), so every relative reference is resolved from the note's *source*
//! folder: `.md` links to the target page's URL, anything else to the copied
//! asset. Raw HTML `src`/`href` attributes get the same treatment.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use pulldown_cmark::{CowStr, Event, LinkType, Tag};
use regex::Regex;

use crate::error::Location;
use crate::markdown::wikilinks::WikiNames;
use crate::markdown::{PassCtx, Spanned};
use crate::source::{OutputPath, SourcePath};

/// The site's URLs: what every output path is linked as, and where relative
/// references may point (source paths of pages and assets, mapped to their
/// output paths).
#[derive(Debug, Clone, Default)]
pub(crate) struct Urls {
    /// URL path prefix of the site, `/` or `/repo/`.
    pub(crate) base_path: String,
    /// `content/01-a/x.md` → `a/x/`; sections' `_index.md` → their folder.
    pub(crate) pages: Arc<HashMap<SourcePath, OutputPath>>,
    /// `content/01-a/img/x.png` → `a/img/x.png`.
    pub(crate) assets: Arc<HashMap<SourcePath, OutputPath>>,
    /// Folder URLs end in `index.html` (sites built for `file://`).
    pub(crate) folder_index: bool,
    /// What `[[wikilinks]]` can name.
    pub(crate) wiki: WikiNames,
}

/// What a captured reference points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkKind {
    /// Another note (or this one, for `#anchor` links): its source path.
    Page(SourcePath),
    /// A copied file.
    Asset,
    /// A relative reference to nothing that exists.
    Missing(String),
}

/// One relative reference found in a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkRef {
    pub(crate) kind: LinkKind,
    pub(crate) anchor: Option<String>,
    /// The reference as written.
    pub(crate) written: String,
    pub(crate) location: Location,
}

impl Urls {
    /// The URL of an output path.
    pub(crate) fn url(&self, output_path: &OutputPath) -> String {
        let url = format!("{}{}", self.base_path, encode_path(output_path));
        crate::config::folder_url(url, self.folder_index)
    }

    #[cfg(test)]
    pub(crate) fn for_tests() -> Self {
        Urls {
            base_path: "/base/".into(),
            pages: Arc::new(HashMap::from([
                ("content/sec/note.md".into(), "sec/note/".into()),
                ("content/sec/other.md".into(), "sec/other/".into()),
                ("content/two/_index.md".into(), "two/".into()),
            ])),
            assets: Arc::new(HashMap::from([(
                "content/sec/img/a b.png".into(),
                "sec/img/a b.png".into(),
            )])),
            folder_index: false,
            wiki: WikiNames::default(),
        }
    }
}

/// Runs the pass; returns the rewritten events and every captured reference.
pub(crate) fn rewrite_links<'a>(
    events: Vec<Spanned<'a>>,
    ctx: &mut PassCtx<'_>,
) -> (Vec<Spanned<'a>>, Vec<LinkRef>) {
    let mut found = Vec::new();
    let events = events
        .into_iter()
        .map(|(event, range)| {
            let mut resolve = |dest: &str| resolve(dest, range.start, ctx, &mut found);
            let event = match event {
                // Wikilinks name notes, not paths: `wikilinks` resolves them.
                Event::Start(
                    Tag::Link {
                        link_type: LinkType::WikiLink { .. },
                        ..
                    }
                    | Tag::Image {
                        link_type: LinkType::WikiLink { .. },
                        ..
                    },
                ) => event,
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => Event::Start(Tag::Link {
                    link_type,
                    dest_url: resolve(&dest_url).map_or(dest_url, CowStr::from),
                    title,
                    id,
                }),
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => Event::Start(Tag::Image {
                    link_type,
                    dest_url: resolve(&dest_url).map_or(dest_url, CowStr::from),
                    title,
                    id,
                }),
                Event::Html(html) => Event::Html(rewrite_html(html, &mut resolve)),
                Event::InlineHtml(html) => Event::InlineHtml(rewrite_html(html, &mut resolve)),
                other => other,
            };
            (event, range)
        })
        .collect();
    (events, found)
}

fn rewrite_html<'a>(
    html: CowStr<'a>,
    resolve: &mut impl FnMut(&str) -> Option<String>,
) -> CowStr<'a> {
    static ATTR: OnceLock<Regex> = OnceLock::new();
    let attr = ATTR.get_or_init(|| {
        Regex::new(r#"\b(src|href)\s*=\s*("([^"]*)"|'([^']*)')"#).expect("constant regex is valid")
    });
    if !attr.is_match(&html) {
        return html;
    }
    let rewritten = attr.replace_all(&html, |caps: &regex::Captures<'_>| {
        let value = caps.get(3).or(caps.get(4)).map_or("", |m| m.as_str());
        match resolve(value) {
            Some(url) => format!("{}=\"{}\"", &caps[1], url),
            None => caps[0].to_string(),
        }
    });
    CowStr::from(rewritten.into_owned())
}

/// Resolves one reference; `None` leaves it as written (external, or not ours to touch).
fn resolve(
    dest: &str,
    offset: usize,
    ctx: &PassCtx<'_>,
    found: &mut Vec<LinkRef>,
) -> Option<String> {
    let targets = ctx.env.targets;
    if dest.is_empty() || has_scheme(dest) || dest.starts_with("//") {
        return None;
    }
    if let Some(rest) = dest.strip_prefix('/') {
        // Root-relative links are meant relative to the site, wherever it is hosted.
        return (!targets.base_path.eq("/") && !dest.starts_with(&targets.base_path))
            .then(|| format!("{}{rest}", targets.base_path));
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(percent_decode(anchor))),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    let source = &ctx.note.file.path;
    let mut record = |kind| {
        found.push(LinkRef {
            kind,
            anchor: anchor.clone(),
            written: dest.to_string(),
            location: ctx.location(offset),
        })
    };
    if path.is_empty() {
        record(LinkKind::Page(source.clone()));
        return None;
    }
    let decoded = percent_decode(path);
    let joined = join(source.rsplit_once('/').map_or("", |(dir, _)| dir), &decoded);
    let fragment = anchor
        .as_ref()
        .map(|a| format!("#{}", encode_path(a)))
        .unwrap_or_default();
    // From the note's folder, as on GitHub; else from the top of the notes, as
    // Obsidian's "absolute path in vault" links are written.
    let from_top = || join(source.split_once('/').map_or("", |(top, _)| top), &decoded);
    for candidate in [joined.clone(), from_top()].into_iter().flatten() {
        if let Some(output) = targets.pages.get(candidate.as_str()) {
            record(LinkKind::Page(candidate.as_str().into()));
            return Some(format!("{}{fragment}", targets.url(output)));
        }
        if let Some(output) = targets.assets.get(candidate.as_str()) {
            record(LinkKind::Asset);
            return Some(targets.url(output));
        }
    }
    record(LinkKind::Missing(
        joined.unwrap_or_else(|| path.to_string()),
    ));
    None
}

fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else {
        return false;
    };
    !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Joins a relative path onto a folder, resolving `.` and `..`; `None` if it climbs out.
fn join(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Decodes `%XX` escapes; invalid ones are kept as written.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes what may not stand in a URL path (spaces, quotes, non-ASCII stays as is).
pub(crate) fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            '%' => out.push_str("%25"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::render;

    #[test]
    fn md_links_become_urls_and_are_captured() {
        let note = render(
            "[o](other.md#what-is-x) [t](../two/_index.md) [s](#local) [w](https://x.y/a.md)\n",
        );
        let html = note.html.unpack();
        assert!(
            html.contains("href=\"/base/sec/other/#what-is-x\""),
            "{html}"
        );
        assert!(html.contains("href=\"/base/two/\""));
        assert!(html.contains("href=\"https://x.y/a.md\""));
        let kinds: Vec<_> = note
            .links
            .iter()
            .map(|l| (&l.kind, l.anchor.as_deref()))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    &LinkKind::Page("content/sec/other.md".into()),
                    Some("what-is-x")
                ),
                (&LinkKind::Page("content/two/_index.md".into()), None),
                (&LinkKind::Page("content/sec/note.md".into()), Some("local")),
            ]
        );
        assert_eq!(note.links[0].location.line, 1);
    }

    #[test]
    fn assets_resolve_from_the_source_folder() {
        let note = render("![a](img/a%20b.png)\n\n<img src=\"./img/a b.png\" alt=\"x\">\n");
        assert_eq!(
            note.html
                .unpack()
                .matches("src=\"/base/sec/img/a%20b.png\"")
                .count(),
            2,
            "{}",
            note.html
        );
    }

    #[test]
    fn missing_targets_are_captured_not_rewritten() {
        let note = render("\n[gone](nope.md) ![i](../../../../x.png)\n");
        assert!(note.html.unpack().contains("href=\"nope.md\""));
        assert_eq!(note.links.len(), 2);
        assert!(matches!(&note.links[0].kind, LinkKind::Missing(p) if p == "content/sec/nope.md"));
        assert_eq!(note.links[0].location.line, 2);
    }

    #[test]
    fn root_relative_links_get_the_base_path() {
        let note = render("[q](/quiz/)\n");
        assert!(
            note.html.unpack().contains("href=\"/base/quiz/\""),
            "{}",
            note.html
        );
    }
}
