//! Markdown in, fragment out: callouts through the plain test partials.

use scraper::{Html, Selector};

use crate::error::Severity;
use crate::markdown::callouts::{parse_marker, CalloutKind, Fold};
use crate::markdown::test_support::render;

fn select(html: &str, css: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    let selector = Selector::parse(css).unwrap();
    doc.select(&selector).map(|e| e.text().collect()).collect()
}

/// The 1-based line of a byte offset (the test notes have no front matter).
fn line_of(markdown: &str, offset: usize) -> u32 {
    crate::source::LineIndex::new(markdown).line(offset)
}

fn attrs(html: &str, css: &str, attr: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    let selector = Selector::parse(css).unwrap();
    doc.select(&selector)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

#[test]
fn kinds_parse_case_insensitively() {
    assert_eq!(CalloutKind::parse("tip"), Some(CalloutKind::Tip));
    assert_eq!(CalloutKind::parse("MneMonic"), Some(CalloutKind::Mnemonic));
    assert_eq!(CalloutKind::parse("QUIZ"), Some(CalloutKind::Quiz));
    assert_eq!(CalloutKind::parse("fancy"), None);
}

#[test]
fn markers_parse_fold_and_rest() {
    assert_eq!(
        parse_marker("[!TIP] Title"),
        Some(("TIP", Fold::Fixed, " Title"))
    );
    assert_eq!(parse_marker("[!tip]- x"), Some(("tip", Fold::Folded, " x")));
    assert_eq!(parse_marker("[!tip]+"), Some(("tip", Fold::Open, "")));
    assert_eq!(parse_marker("[!TIP no bracket"), None);
    assert_eq!(parse_marker("[!] empty"), None);
    assert_eq!(parse_marker("[!two words]"), None);
    assert_eq!(parse_marker("[TIP]"), None);
}

#[test]
fn every_kind_renders_through_the_partial() {
    for kind in [
        "NOTE",
        "TIP",
        "IMPORTANT",
        "WARNING",
        "CAUTION",
        "MNEMONIC",
        "QUIZ",
    ] {
        let note = render(&format!("> [!{kind}] Title\n> Body.\n"));
        let html = note.html.unpack();
        let class = format!("div.callout.callout-{}", kind.to_lowercase());
        assert_eq!(select(&html, &format!("{class} > p")).len(), 2, "{html}");
        assert!(select(&html, "blockquote").is_empty(), "{html}");
        assert_eq!(note.callouts.len(), 1);
        assert_eq!(note.callouts[0].kind.name(), kind);
    }
}

#[test]
fn title_and_body_are_split_at_the_first_line() {
    let markdown = "> [!TIP] Exam `tip` *here*\n> Body with [a link](other.md).\n";
    let note = render(markdown);
    let html = note.html.unpack();
    assert_eq!(select(&html, ".callout-title"), ["Tip: Exam tip here"]);
    assert_eq!(select(&html, ".callout-title code"), ["tip"]);
    assert_eq!(attrs(&html, ".callout p a", "href"), ["/base/sec/other/"]);
    let callout = &note.callouts[0];
    assert_eq!(callout.title, "Exam tip here");
    assert_eq!(callout.body_text, "Body with a link.");
    assert_eq!(line_of(markdown, callout.offset), 1);
}

#[test]
fn a_marker_split_by_the_parser_is_joined() {
    // `[` and `]` arrive as separate Text events; `!` too before a bracket.
    let note = render("> [!WARNING]+\n> Body.\n");
    let html = note.html.unpack();
    assert_eq!(attrs(&html, ".callout-warning", "data-fold"), ["open"]);
    assert_eq!(select(&html, ".callout-title"), ["Warning: "]);
}

#[test]
fn fold_markers_set_the_flags() {
    let note = render("> [!TIP]- Folded\n> a\n\n> [!TIP]+ Open\n> b\n\n> [!TIP] Fixed\n> c\n");
    assert_eq!(
        attrs(&note.html.unpack(), ".callout", "data-fold"),
        ["folded", "open", "fixed"]
    );
}

#[test]
fn markdown_inside_renders_normally() {
    let markdown = "> [!NOTE] Inside\n> Some _emphasis_.\n>\n> - one\n> - two\n>\n> ```rust\n> fn main() {}\n> ```\n>\n> > [!CAUTION] Nested\n> > Deep **bold**.\n";
    let note = render(markdown);
    let html = note.html.unpack();
    assert_eq!(select(&html, ".callout-note em"), ["emphasis"]);
    assert_eq!(select(&html, ".callout-note li"), ["one", "two"]);
    assert_eq!(
        select(&html, ".callout-note pre code.language-rust").len(),
        1
    );
    assert_eq!(
        select(&html, ".callout-note .callout-caution strong"),
        ["bold"]
    );
    let kinds: Vec<CalloutKind> = note.callouts.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [CalloutKind::Note, CalloutKind::Caution]);
    assert_eq!(line_of(markdown, note.callouts[1].offset), 11);
}

#[test]
fn non_callouts_stay_blockquotes() {
    let note = render("> [!NOTE]\n\n> [!TIP no bracket\n> text\n\n> plain\n\n> [!] x\n");
    assert_eq!(
        select(&note.html.unpack(), "blockquote").len(),
        4,
        "{}",
        note.html
    );
    assert!(select(&note.html.unpack(), ".callout").is_empty());
    assert!(note.callouts.is_empty());
    assert!(note.diagnostics.is_empty());
}

#[test]
fn a_callout_inside_a_plain_quote_is_found() {
    let note = render("> Quoted:\n>\n> > [!TIP] Inner\n> > body\n");
    assert_eq!(
        select(&note.html.unpack(), "blockquote .callout-tip").len(),
        1,
        "{}",
        note.html
    );
}

#[test]
fn unknown_kind_warns_and_renders_as_note() {
    let note = render("Intro.\n\n> [!Fancy] Made up\n> body\n");
    assert_eq!(
        select(&note.html.unpack(), ".callout-note .callout-title"),
        ["Note: Made up"]
    );
    let diagnostics: Vec<_> = note.diagnostics.iter().collect();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].severity, Severity::Warning);
    assert_eq!(
        diagnostics[0].message,
        "unknown callout kind `[!Fancy]`, rendered as NOTE"
    );
    let location = diagnostics[0].location.as_ref().unwrap();
    assert_eq!((location.line, location.column), (3, Some(3)));
}

#[test]
fn callouts_know_their_heading() {
    let note = render("> [!NOTE] Before\n> a\n\n## First\n\n> [!TIP] Under\n> b\n\n### Second\n\n> [!QUIZ] Q?\n> - [x] yes\n");
    let headings: Vec<Option<&str>> = note
        .callouts
        .iter()
        .map(|c| c.heading.map(|i| note.headings[i].id.as_str()))
        .collect();
    assert_eq!(headings, [None, Some("first"), Some("second")]);
    assert_eq!(note.callouts[2].title, "Q?");
}

#[test]
fn mnemonic_pairs_words_with_bold_letters() {
    let note = render(
        "> [!MNEMONIC] Cool People Stay\n> - **C**ost optimisation\n> - **P**erformance\n> - **S**ecurity *checks*\n>\n> Three of five.\n",
    );
    assert!(note.diagnostics.is_empty(), "{:?}", note.diagnostics);
    let mnemonic = note.callouts[0].mnemonic.as_ref().unwrap();
    let pairs: Vec<(&str, &str, &str, &str)> = mnemonic
        .pairs
        .iter()
        .map(|p| {
            (
                p.word.as_str(),
                p.initial.as_str(),
                p.letter.as_str(),
                p.rest_html.as_str(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("Cool", "C", "C", "ost optimisation"),
            ("People", "P", "P", "erformance"),
            ("Stay", "S", "S", "ecurity <em>checks</em>"),
        ]
    );
    assert_eq!(mnemonic.pairs[2].item_text, "Security checks");
    assert_eq!(mnemonic.notes_html, "<p>Three of five.</p>\n");
    assert_eq!(
        (mnemonic.initials.as_str(), mnemonic.letters.as_str()),
        ("CPS", "CPS")
    );
}

#[test]
fn loose_mnemonic_items_and_lowercase_letters_match() {
    let note = render("> [!mnemonic] my dog\n> - **m**any\n>\n> - **D**ays\n");
    assert!(note.diagnostics.is_empty(), "{:?}", note.diagnostics);
    let mnemonic = note.callouts[0].mnemonic.as_ref().unwrap();
    assert_eq!(mnemonic.pairs[1].letter, "D");
    assert_eq!(mnemonic.pairs[1].rest_html, "ays");
}

#[test]
fn mnemonic_mismatch_warns_with_both_sequences() {
    let note = render(
        "# T\n\n> [!MNEMONIC] Oranges Sometimes Come\n> - **O**ps\n> - **C**ost\n> - Security\n",
    );
    let diagnostics: Vec<_> = note.diagnostics.iter().collect();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].severity, Severity::Warning);
    assert_eq!(
        diagnostics[0].message,
        "mnemonic initials `OSC` do not match the items' bold letters `OC?`"
    );
    assert_eq!(diagnostics[0].location.as_ref().unwrap().line, 3);
}

#[test]
fn mnemonic_with_fewer_items_pads_the_pairs() {
    let note = render("> [!MNEMONIC] A B C\n> - **A**lpha\n");
    let mnemonic = note.callouts[0].mnemonic.as_ref().unwrap();
    assert_eq!(mnemonic.pairs.len(), 3);
    assert_eq!(mnemonic.pairs[2].word, "C");
    assert_eq!(mnemonic.pairs[2].letter, "");
    assert_eq!(note.diagnostics.len(), 1);
}

#[test]
fn callouts_nested_too_deep_stay_blockquotes_with_a_warning() {
    use crate::markdown::callouts::MAX_CALLOUT_DEPTH;
    let levels = MAX_CALLOUT_DEPTH + 2;
    let markdown: String = (1..=levels)
        .map(|depth| format!("{} [!TIP] level {depth}\n", ">".repeat(depth)))
        .collect();
    let note = render(&markdown);
    assert_eq!(note.callouts.len(), MAX_CALLOUT_DEPTH);
    let messages: Vec<(u32, &str)> = note
        .diagnostics
        .iter()
        .map(|d| (d.location.as_ref().unwrap().line, d.message.as_str()))
        .collect();
    let too_deep = |line| {
        (
            line,
            "callout `[!TIP]` is nested more than 32 callouts deep; it is shown as a plain blockquote",
        )
    };
    assert_eq!(messages, [too_deep(33), too_deep(34)]);
    assert_eq!(
        select(&note.html.unpack(), "blockquote blockquote").len(),
        1
    );
}

#[test]
fn deeply_nested_plain_quotes_render_every_level() {
    let depth = 20_000;
    let note = render(&format!("{} deep\n", ">".repeat(depth)));
    let html = note.html.unpack();
    // Counted in the text: a DOM of 20,000 nested elements is what this avoids.
    assert_eq!(html.matches("<blockquote>").count(), depth);
    assert_eq!(html.matches("<p>deep</p>").count(), 1);
}
