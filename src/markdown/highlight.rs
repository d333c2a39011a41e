//! Code highlighting with syntect into CSS classes (`hl-…`), not inline styles,
//! so one stylesheet per colour scheme themes every block.
//!
//! The syntax set is two-face's (bat's), which adds TOML, TypeScript and others
//! syntect's bundle lacks. It is loaded once, lazily, on the first code block.

use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedLazyThemeSet;

use crate::error::Diagnostic;
use crate::markdown::{PassCtx, Spanned};

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// At most this much code per note is highlighted; blocks past it are shown as plain
/// text, with a warning. Highlighting is linear but heavy: about 1 s and 36 bytes of
/// HTML per byte of code, so a 4 MB block made a 150 MB page and took 7 s and
/// 800 MB to build, and ten 400 KB blocks the same.
pub(crate) const MAX_HIGHLIGHTED_BYTES: usize = 1 << 20;

/// Pass: replaces every code block's events with one highlighted HTML event.
pub(crate) fn highlight_code_blocks<'a>(
    events: Vec<Spanned<'a>>,
    ctx: &mut PassCtx<'_>,
) -> Vec<Spanned<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut block: Option<(String, String, std::ops::Range<usize>)> = None;
    let mut highlighted = 0;
    for (event, range) in events {
        match (event, &mut block) {
            (Event::Start(Tag::CodeBlock(kind)), None) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => fence_language(&info),
                    CodeBlockKind::Indented => String::new(),
                };
                block = Some((language, String::new(), range));
            }
            (Event::Text(text), Some((_, code, _))) => code.push_str(&text),
            (Event::End(TagEnd::CodeBlock), Some(_)) => {
                let (language, code, range) = block.take().expect("matched Some above");
                let highlight = highlighted + code.len() <= MAX_HIGHLIGHTED_BYTES;
                match (highlight, language.is_empty()) {
                    (true, false) => highlighted += code.len(),
                    (false, false) => warn_too_large(ctx, range.start, code.len()),
                    (_, true) => {}
                }
                let html = code_block_html(&code, &language, highlight);
                out.push((Event::Html(CowStr::from(html)), range));
            }
            (event, _) => out.push((event, range)),
        }
    }
    out
}

/// The language token of a fence's info string: ```` ```rust,ignore {.x} ```` → `rust`.
fn fence_language(info: &str) -> String {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or_default()
        .to_string()
}

fn warn_too_large(ctx: &mut PassCtx<'_>, offset: usize, len: usize) {
    ctx.diagnostics.push(
        Diagnostic::warning(
            Some(ctx.location(offset)),
            format!(
                "code block of {} KB is shown as plain text: at most {} KB of code per note is highlighted",
                len / 1024,
                MAX_HIGHLIGHTED_BYTES / 1024
            ),
        )
        .with_help("split the block, or link to the file instead of pasting it whole"),
    );
}

/// The semantic wrapper of a code block; everything visual is in the theme's CSS.
fn code_block_html(code: &str, language: &str, highlight_it: bool) -> String {
    let inner = match highlight_it {
        true => highlight(code, language),
        false => escape(code),
    };
    if language.is_empty() {
        format!("<pre class=\"code\"><code>{inner}</code></pre>\n")
    } else {
        let language = escape(language);
        format!("<pre class=\"code\" data-lang=\"{language}\"><code class=\"language-{language}\">{inner}</code></pre>\n")
    }
}

/// Highlights `code` as `language`; unknown languages come back as escaped plain text.
/// Returns the inner HTML of the `<code>` element.
pub(crate) fn highlight(code: &str, language: &str) -> String {
    if language.is_empty() {
        return escape(code);
    }
    let set = syntax_set();
    let Some(syntax) = set
        .find_syntax_by_token(language)
        .or_else(|| set.find_syntax_by_name(language))
    else {
        return escape(code);
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            // A grammar that fails on some input must not fail the build: show the code plain.
            return escape(code);
        }
    }
    generator.finalize()
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

/// Names of the bundled highlight themes, for `[highlight]` in site.toml.
pub(crate) fn theme_names() -> Vec<&'static str> {
    EmbeddedLazyThemeSet::theme_names()
        .iter()
        .map(|n| n.as_name())
        .collect()
}

/// The stylesheet for both schemes: light rules plain, dark rules scoped to the
/// dark preference (unless the reader picked light) and to an explicit dark choice.
/// Returns `None` when a theme name is unknown.
pub(crate) fn theme_css(light: &str, dark: &str) -> Option<String> {
    let themes = two_face::theme::extra();
    let find = |name: &str| {
        EmbeddedLazyThemeSet::theme_names()
            .iter()
            .find(|n| n.as_name() == name)
            .map(|n| themes.get(*n).clone())
    };
    let light_css = css_for_theme_with_class_style(&find(light)?, CLASS_STYLE).ok()?;
    let dark_css = css_for_theme_with_class_style(&find(dark)?, CLASS_STYLE).ok()?;
    Some(format!(
        "/* {light} */\n{}\n/* {dark}, by preference */\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n/* {dark}, by choice */\n{}\n",
        scope_rules(&light_css, ":root:not([data-theme=\"dark\"])"),
        scope_rules(&dark_css, ":root:not([data-theme=\"light\"])"),
        scope_rules(&dark_css, ":root[data-theme=\"dark\"]"),
    ))
}

/// Prefixes every selector of syntect's flat CSS (no nesting, no at-rules) with `scope`.
fn scope_rules(css: &str, scope: &str) -> String {
    let without_comments = strip_comments(css);
    let mut out = String::new();
    for rule in without_comments.split('}') {
        let Some((selectors, body)) = rule.split_once('{') else {
            continue;
        };
        let scoped: Vec<String> = selectors
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("{scope} {s}"))
            .collect();
        if !scoped.is_empty() {
            out.push_str(&format!("{} {{{}}}\n", scoped.join(", "), body.trim_end()));
        }
    }
    out
}

fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes_unknown_is_plain() {
        let html = highlight("fn main() {}\n", "rust");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert_eq!(highlight("a < b\n", "no-such-lang"), "a &lt; b\n");
        assert!(highlight("[a]\nb = 1\n", "toml").contains("hl-"));
    }

    #[test]
    fn a_block_over_the_limit_is_plain_text_with_a_warning() {
        let line = "fn f() -> u32 { 1 }\n";
        let code = line.repeat(MAX_HIGHLIGHTED_BYTES / line.len() + 1);
        let note = crate::markdown::test_support::render(&format!("intro\n\n```rust\n{code}```\n"));
        assert!(!note.html.unpack().contains("class=\"hl-"));
        assert!(note
            .html
            .unpack()
            .contains("<code class=\"language-rust\">fn f() -&gt; u32"));
        let warnings: Vec<String> = note.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].starts_with("warning: code block of 1024 KB is shown as plain text")
                && warnings[0].contains("content/sec/note.md:3:1"),
            "{}",
            warnings[0]
        );
        let small = crate::markdown::test_support::render(&format!("```rust\n{line}```\n"));
        assert!(small.html.unpack().contains("class=\"hl-") && small.diagnostics.is_empty());
        let half = line.repeat(MAX_HIGHLIGHTED_BYTES / line.len() / 2);
        // Plain Text is quick to highlight, and counts against the budget like any language.
        let block = format!("```txt\n{half}```\n\n");
        let three = crate::markdown::test_support::render(&block.repeat(3));
        let lines: Vec<u32> = three
            .diagnostics
            .iter()
            .map(|d| d.location.as_ref().unwrap().line)
            .collect();
        let third_block_line = 2 * (half.lines().count() as u32 + 3) + 1;
        assert_eq!(lines, [third_block_line]);
    }

    #[test]
    fn css_is_scoped_per_scheme() {
        let css = theme_css("InspiredGitHub", "base16-ocean.dark").unwrap();
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(css.contains(":root[data-theme=\"dark\"] .hl-"));
        assert!(theme_css("nope", "base16-ocean.dark").is_none());
    }
}
