//! Callouts and mnemonics on the `callouts` fixture: every kind, folding, nested
//! Markdown, non-callouts, an unknown kind, a wrong mnemonic and the `/mnemonics/` page.

use crate::harness::{select, Built, SiteTest};

const KINDS: &str = "/kinds/all-kinds/";
const PILLARS: &str = "/memory/pillars/";

fn built() -> Built {
    SiteTest::fixture("callouts").build()
}

#[test]
fn every_kind_has_its_class_and_an_accessible_label() {
    let site = built();
    let kinds = [
        ("note", "Note: ", "Note"),
        ("tip", "Tip: ", "Exam tip"),
        ("important", "Important: ", "Read this"),
        ("warning", "Warning: ", "Careful"),
        ("caution", "Caution: ", "Danger"),
        ("quiz", "Quiz: ", "Which storage class is for archives?"),
    ];
    for (kind, label, title) in kinds {
        let callout = format!("main div.callout.callout-{kind}[role=note]");
        let hidden = site.texts(
            KINDS,
            &format!("{callout} > .callout-title > .visually-hidden"),
        );
        let titles = site.texts(
            KINDS,
            &format!("{callout} > .callout-title > .callout-title-text"),
        );
        let icons = site.attrs(
            KINDS,
            &format!("{callout} > .callout-title > .callout-icon"),
            "aria-hidden",
        );
        assert!(!titles.is_empty(), "no {callout}");
        assert_eq!(titles[0], title, "{kind}");
        assert_eq!(icons[0], "true", "{kind}");
        // With a title the kind is a hidden prefix; without one it is the visible title plus a hidden colon.
        let expected = if title == "Note" {
            ":"
        } else {
            label.trim_end()
        };
        assert_eq!(hidden[0], expected, "{kind}");
    }
    assert_eq!(
        site.texts(KINDS, "main .callout-tip .callout-title-text"),
        ["Exam tip", "Mixed case kind", "Folded tip"]
    );
    assert_eq!(
        site.texts(KINDS, "main .callout-tip .callout-body strong"),
        ["two minutes’"]
    );
    assert!(site
        .texts(KINDS, "main .callout-title")
        .iter()
        .all(|t| !t.contains("[!")));
}

#[test]
fn fold_markers_render_details() {
    let site = built();
    assert_eq!(
        site.texts(
            KINDS,
            "main details.callout-tip.callout-foldable:not([open]) > summary .callout-title-text"
        ),
        ["Folded tip"]
    );
    assert_eq!(
        site.texts(
            KINDS,
            "main details.callout-tip:not([open]) > .callout-body"
        ),
        ["Hidden until opened."]
    );
    assert_eq!(
        site.texts(
            KINDS,
            "main details.callout-warning[open] > summary.callout-title .visually-hidden"
        ),
        ["Warning:"]
    );
    assert_eq!(site.texts(KINDS, "main details.callout").len(), 2);
    // The mnemonic marked `[!mnemonic]-` folds too.
    assert_eq!(
        site.texts(
            "/memory/advisor/",
            "main details.callout-mnemonic:not([open]) > summary .callout-title-text"
        ),
        ["Cool People Stay Fairly Sane"]
    );
}

#[test]
fn markdown_inside_callouts_renders_normally() {
    let site = built();
    let body = "main .callout-note:has(em) > .callout-body";
    assert_eq!(
        site.texts(KINDS, "main .callout-note .callout-title-text em"),
        ["inside"]
    );
    assert_eq!(
        site.links(KINDS, &format!("{body} > p a"), "href"),
        ["/memory/pillars/#pillars"]
    );
    assert_eq!(
        site.texts(KINDS, &format!("{body} > p code")),
        ["inline code"]
    );
    assert_eq!(
        site.texts(KINDS, &format!("{body} > ul > li")),
        ["first item", "second item"]
    );
    assert_eq!(
        site.texts(KINDS, &format!("{body} > pre code.language-rust"))
            .len(),
        1
    );
    assert_eq!(
        site.texts(
            KINDS,
            &format!("{body} > div.callout-caution .callout-title-text")
        ),
        ["Nested callout"]
    );
}

#[test]
fn broken_markers_and_empty_callouts_stay_blockquotes() {
    let site = built();
    assert_eq!(
        site.texts(KINDS, "main blockquote"),
        [
            "[!NOTE]",
            "[!TIP without a closing bracket\nstays a quote.",
            "A plain quote."
        ]
    );
}

#[test]
fn unknown_kind_warns_with_file_and_line_and_renders_as_note() {
    let site = built();
    assert!(
        site.run.stderr.contains(
            "warning: unknown callout kind `[!FANCY]`, rendered as NOTE\n  --> content/01-kinds/01-all-kinds.md:63:3\n   |\n63 | > [!FANCY] Made-up kind\n   |   ^\nhelp: use one of: NOTE, TIP, IMPORTANT, WARNING, CAUTION, MNEMONIC, QUIZ, ABSTRACT, SUCCESS, QUESTION, FAILURE, DANGER, BUG, EXAMPLE, QUOTE\n"
        ),
        "{}",
        site.run.stderr
    );
    let last_note = site
        .texts(KINDS, "main .callout-note .callout-title-text")
        .pop();
    assert_eq!(last_note.as_deref(), Some("Made-up kind"));
}

const MISMATCH: &str = "mnemonic initials `OSCPR` do not match the items' bold letters `OSCRP`\n  --> content/02-memory/01-pillars.md:16:3\n   |\n16 | > [!MNEMONIC] Oranges Sometimes Come Poorly Ripened\n   |   ^\nhelp: give the phrase one word per list item, in order, and start each item with its letter in bold: `- **S**ecurity`\n";

#[test]
fn wrong_mnemonic_warns_in_build_and_fails_check() {
    let site = SiteTest::fixture("callouts");
    let built = site.build();
    assert!(
        built.run.stderr.contains(&format!("warning: {MISMATCH}")),
        "{}",
        built.run.stderr
    );
    let check = site.cli(&["check"]);
    assert_eq!(check.status, 1, "{}", check.stderr);
    assert!(
        check.stderr.contains(&format!("error: {MISMATCH}")),
        "{}",
        check.stderr
    );
}

#[test]
fn a_correct_site_checks_clean() {
    let site = SiteTest::files(&[(
        "content/a.md",
        "# A\n\n> [!MNEMONIC] Cool People\n> - **C**ost\n> - **P**erformance\n\n> [!tip]+ Fine\n> body\n",
    )]);
    let check = site.cli(&["check"]);
    assert_eq!(check.status, 0, "{}", check.stderr);
    assert!(!check.stderr.contains("warning"), "{}", check.stderr);
}

#[test]
fn mnemonics_line_words_up_with_items_behind_a_reveal() {
    let site = built();
    let first = "main .callout-mnemonic:first-of-type";
    let doc = site.page(PILLARS);
    let reveals = select(
        &doc,
        "main .callout-mnemonic details.mnemonic-reveal:not([open]) > summary",
    );
    assert_eq!(reveals.len(), 2);
    let initials = site.texts(PILLARS, &format!("{first} .mnemonic-word > b"));
    let words = site.texts(PILLARS, &format!("{first} .mnemonic-word"));
    let letters = site.texts(PILLARS, &format!("{first} .mnemonic-item > b"));
    let items = site.texts(PILLARS, &format!("{first} .mnemonic-item"));
    assert_eq!(initials.concat(), "OSCPR");
    assert_eq!(letters.concat(), "OSCPR");
    assert_eq!(words, ["Oranges", "Sometimes", "Come", "Poorly", "Ripened"]);
    assert_eq!(items[3], "Performance efficiency");
    assert_eq!(
        site.texts(
            PILLARS,
            &format!("{first} .mnemonic-pairs .visually-hidden")
        )[0],
        "stands for"
    );
    assert_eq!(
        site.texts("/memory/advisor/", "main .callout-mnemonic .mnemonic-notes"),
        ["Five categories of checks."]
    );
}

#[test]
fn mnemonics_page_lists_every_mnemonic_by_section_with_working_links() {
    let site = built();
    assert_eq!(
        site.texts("/mnemonics/", "main .mnemonic-group > h2"),
        ["Memory"]
    );
    let phrases = site.texts("/mnemonics/", "main .mnemonic-entry .callout-title-text");
    assert_eq!(
        phrases,
        [
            "Oranges Sometimes Come Poorly Ripened",
            "Oranges Sometimes Come Poorly Ripened",
            "Cool People Stay Fairly Sane"
        ]
    );
    let links = site.links(
        "/mnemonics/",
        "main .mnemonic-entry .mnemonic-source a",
        "href",
    );
    assert_eq!(
        links,
        [
            "/memory/pillars/#pillars",
            "/memory/pillars/#wrong-order",
            "/memory/advisor/"
        ]
    );
    for link in &links {
        let (page, anchor) = link.split_once('#').unwrap_or((link, ""));
        let doc = site.page(page);
        if !anchor.is_empty() {
            assert_eq!(
                select(&doc, &format!("[id=\"{anchor}\"]")).len(),
                1,
                "{link}"
            );
        }
    }
    assert_eq!(
        site.texts("/mnemonics/", "main .mnemonic-entry .mnemonic-pairs > li")
            .len(),
        15
    );
    assert!(site
        .read("sitemap.xml")
        .contains("https://example.org/mnemonics/"));
    assert_eq!(
        site.links(KINDS, ".sidebar .nav-tools a", "href"),
        ["/mnemonics/", "/cram/"]
    );
    assert_eq!(
        site.links("/mnemonics/", ".sidebar .nav-tools a[aria-current]", "href"),
        ["/mnemonics/"]
    );
}

#[test]
fn a_site_without_mnemonics_has_no_mnemonics_page() {
    let site = SiteTest::files(&[("content/a.md", "# A\n\n> [!TIP] x\n> y\n")]).build();
    assert!(!site.exists("mnemonics/index.html"));
    // The tip makes a cram sheet, which is all the sidebar's tools list.
    assert_eq!(site.texts("/a/", ".sidebar .nav-tools a"), ["Cram sheet"]);
}
