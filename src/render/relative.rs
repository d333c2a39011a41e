//! Relative URLs, so that one build works at a domain's root, under any
//! sub-path and opened from `file://`.
//!
//! Templates and notes write root-relative URLs (`/base/x/`); every page is
//! rewritten here so that each URL attribute's value starting with the base
//! path becomes relative to the page's own folder. URL attributes are the HTML
//! ones that hold a link (`href`, `src` …) and the `data-*` ones, where themes
//! hand URLs to their scripts; others (`aria-keyshortcuts="/"`, `title`, `alt`)
//! are text. Text, comments, scripts and styles are left alone.

use std::borrow::Cow;

use memchr::memchr;

/// Static hosts serve it at any missing URL, at any depth: its links stay
/// root-relative (correct wherever the site's `base_url` says it lives).
pub(crate) const NOT_FOUND_PAGE: &str = "404.html";

/// A page at the site's root: HTML made relative to it links from the root,
/// for data files whose HTML other pages show (they resolve it against the root).
pub(crate) const ROOT_PAGE: &str = "index.html";

/// `html` of the page at `output` (`aws/iam/index.html`) with every attribute
/// URL under `base_path` made relative to the page's folder.
pub(crate) fn relative_urls<'h>(html: &'h str, base_path: &str, output: &str) -> Cow<'h, str> {
    if output == NOT_FOUND_PAGE || !base_path.starts_with('/') {
        return Cow::Borrowed(html);
    }
    let folder: Vec<&str> = output.split('/').collect();
    let folder = &folder[..folder.len() - 1];
    let mut out = String::new();
    let mut copied = 0;
    for (eq, start, end) in attribute_values(html.as_bytes()) {
        let value = &html[start..end];
        let Some(target) = value.strip_prefix(base_path) else {
            continue;
        };
        if value.starts_with("//") {
            continue; // protocol-relative: another host
        }
        // Named last: few values start with the base path, and most of those are links.
        if !is_url_attribute(attribute_name(html.as_bytes(), eq)) {
            continue;
        }
        if out.capacity() == 0 {
            // Sized once: a long page's links would otherwise grow it many times.
            out.reserve(html.len() + html.len() / 8);
        }
        out.push_str(&html[copied..start]);
        push_relative(&mut out, folder, target);
        copied = end;
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// `target` (a path from the site root, maybe with `?query` or `#fragment`)
/// relative to the page in `folder`.
fn push_relative(out: &mut String, folder: &[&str], target: &str) {
    let split = target.find(['?', '#']).unwrap_or(target.len());
    let (path, rest) = target.split_at(split);
    let mut segments: Vec<&str> = path.split('/').collect();
    let file = segments.pop().unwrap_or_default();
    let shared = folder
        .iter()
        .zip(&segments)
        .take_while(|(a, b)| a == b)
        .count();
    let ups = folder.len() - shared;
    let downs = &segments[shared..];
    if ups == 0 && downs.is_empty() && file.is_empty() {
        // The page's own folder: a fragment stays on the page; else "./".
        out.push_str(if rest.starts_with('#') { "" } else { "./" });
        out.push_str(rest);
        return;
    }
    for _ in 0..ups {
        out.push_str("../");
    }
    for segment in downs {
        out.push_str(segment);
        out.push('/');
    }
    out.push_str(file);
    out.push_str(rest);
}

/// Every quoted attribute value in the tags of `html`, in order: where its
/// `=` is, and its byte range.
fn attribute_values(html: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut values = Vec::new();
    let mut at = 0;
    while let Some(offset) = memchr(b'<', &html[at..]) {
        let open = at + offset + 1;
        at = match html.get(open) {
            Some(b'!') if html[open..].starts_with(b"!--") => skip_past(html, open, b"-->"),
            Some(c) if c.is_ascii_alphabetic() => {
                let end = scan_tag(html, open, &mut values);
                match raw_text_end(html, open) {
                    Some(closing) => skip_past(html, end, closing),
                    None => end,
                }
            }
            _ => open,
        };
    }
    values
}

/// Scans one tag from its name to its `>`, collecting quoted values; returns
/// the position after the `>`.
fn scan_tag(html: &[u8], mut at: usize, values: &mut Vec<(usize, usize, usize)>) -> usize {
    while at < html.len() {
        match html[at] {
            b'>' => return at + 1,
            b'=' => {
                let eq = at;
                at += 1;
                while html.get(at).is_some_and(u8::is_ascii_whitespace) {
                    at += 1;
                }
                if let Some(&quote @ (b'"' | b'\'')) = html.get(at) {
                    let start = at + 1;
                    let end = memchr(quote, &html[start..]).map_or(html.len(), |i| start + i);
                    values.push((eq, start, end));
                    at = end + 1;
                }
            }
            _ => at += 1,
        }
    }
    html.len()
}

/// The name of the attribute whose `=` is at `eq`.
fn attribute_name(html: &[u8], eq: usize) -> &[u8] {
    let end = html[..eq]
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    let name_char = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':');
    let start = html[..end]
        .iter()
        .rposition(|c| !name_char(c))
        .map_or(0, |i| i + 1);
    &html[start..end]
}

/// Whether an attribute's value is a URL (HTML's link attributes, SVG's
/// `xlink:href`) or theme data that may hold one (`data-*`).
fn is_url_attribute(name: &[u8]) -> bool {
    const LINKS: [&[u8]; 8] = [
        b"href",
        b"src",
        b"action",
        b"formaction",
        b"poster",
        b"cite",
        b"data",
        b"xlink:href",
    ];
    LINKS.iter().any(|link| name.eq_ignore_ascii_case(link))
        || name
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"data-"))
}

/// `</script` or `</style` when the tag opening at `name` holds raw text.
fn raw_text_end(html: &[u8], name: usize) -> Option<&'static [u8]> {
    let tag = |t: &[u8]| {
        html.get(name..name + t.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(t))
            && html
                .get(name + t.len())
                .is_some_and(|c| !c.is_ascii_alphanumeric())
    };
    if tag(b"script") {
        Some(b"</script")
    } else if tag(b"style") {
        Some(b"</style")
    } else {
        None
    }
}

fn skip_past(html: &[u8], from: usize, needle: &[u8]) -> usize {
    memchr::memmem::find(&html[from..], needle).map_or(html.len(), |i| from + i + needle.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(html: &str, output: &str) -> String {
        relative_urls(html, "/", output).into_owned()
    }

    #[test]
    fn links_become_relative_to_the_page_folder() {
        let page = "aws/iam/index.html";
        assert_eq!(
            rel(r#"<a href="/">h</a>"#, page),
            r#"<a href="../../">h</a>"#
        );
        assert_eq!(
            rel(r##"<a href="/aws/ec2/#x">"##, page),
            r##"<a href="../ec2/#x">"##
        );
        assert_eq!(
            rel(r##"<a href="/aws/iam/#roles">"##, page),
            r##"<a href="#roles">"##
        );
        assert_eq!(rel(r#"<a href="/aws/iam/">"#, page), r#"<a href="./">"#);
        assert_eq!(
            rel(r#"<img src="/aws/img/a.png" alt="">"#, page),
            r#"<img src="../img/a.png" alt="">"#
        );
        assert_eq!(
            rel(r#"<link href='/css/s.css?h=1'>"#, page),
            r#"<link href='../../css/s.css?h=1'>"#
        );
        assert_eq!(
            rel(r#"<a href="/quiz/">"#, "index.html"),
            r#"<a href="quiz/">"#
        );
        assert_eq!(
            rel(r#"<html data-root="/">"#, "index.html"),
            r#"<html data-root="./">"#
        );
        assert_eq!(
            rel(
                r#"<form ACTION = "/search/"><svg><use xlink:href="/i.svg#a"/></svg>"#,
                page
            ),
            r#"<form ACTION = "../../search/"><svg><use xlink:href="../../i.svg#a"/></svg>"#
        );
        assert_eq!(
            rel(r#"<input aria-keyshortcuts="/" data-url='/aws/'>"#, page),
            r#"<input aria-keyshortcuts="/" data-url='../'>"#
        );
    }

    #[test]
    fn only_attribute_values_under_the_base_path_change() {
        let page = "a/index.html";
        for html in [
            r#"<a href="https://x.org/">"#,
            r#"<a href="//cdn.example/x.js">"#,
            r##"<a href="#top">"##,
            r#"<a href="../b/">"#,
            "<p>x=\"/not-a-tag\" and a='/text'</p>",
            "<!-- <a href=\"/c/\"> -->",
            "<!DOCTYPE html><!-- x -->",
            "<script>const u = \"/x/\"; if (a<b) s='/y/';</script>",
            "<style>a[href='/x/'] { color: red }</style>",
            "<code>&lt;a href=\"/x/\"&gt;</code>",
            r#"<input aria-keyshortcuts="/" placeholder="/x/" title='/y/' value="/z/">"#,
            r#"<img alt="/etc/hosts" src="https://x.org/a.png">"#,
        ] {
            assert_eq!(rel(html, page), html);
        }
        assert_eq!(
            rel(
                r#"<!DOCTYPE html><script src="/js/a.js"></script><a href="/b/">"#,
                page
            ),
            r#"<!DOCTYPE html><script src="../js/a.js"></script><a href="../b/">"#
        );
    }

    #[test]
    fn a_sub_path_base_and_the_not_found_page() {
        assert_eq!(
            relative_urls(r#"<a href="/repo/x/">"#, "/repo/", "y/index.html"),
            r#"<a href="../x/">"#
        );
        let html = r#"<a href="/repo/">"#;
        assert_eq!(relative_urls(html, "/repo/", NOT_FOUND_PAGE), html);
    }
}
