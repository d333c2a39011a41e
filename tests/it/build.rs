//! A full build of the `basic` fixture: structure, Markdown features, URLs and extra outputs.

use crate::harness::{from_root, output_path, select, tree, SiteTest};

#[test]
fn headings_get_github_ids_self_links_and_a_toc() {
    let built = SiteTest::fixture("basic").build();
    let url = "/first-steps/alpha/";
    let ids = built.attrs(url, ".content :is(h2, h3)", "id");
    assert_eq!(
        ids,
        [
            "what-is-alpha",
            "details--notes",
            "what-is-alpha-1",
            "my-id",
            "custom-anchor-target"
        ]
    );
    let anchors = built.attrs(url, ".content h2 a.heading-anchor", "href");
    assert_eq!(anchors[0], "#what-is-alpha");
    let toc = built.attrs(url, ".toc a", "href");
    assert_eq!(
        toc,
        [
            "#what-is-alpha",
            "#details--notes",
            "#what-is-alpha-1",
            "#my-id",
            "#custom-anchor-target"
        ]
    );
    assert_eq!(
        built.texts(url, ".toc > ol > li > ol a"),
        ["Details & Notes"]
    );
}

#[test]
fn relative_links_and_assets_resolve_from_the_source_file() {
    let built = SiteTest::fixture("basic").build();
    let hrefs = built.links("/first-steps/alpha/", ".content p a", "href");
    assert_eq!(
        hrefs,
        [
            "/first-steps/beta/",
            "/first-steps/beta/#beta-heading",
            "/more/",
            "/plain-notes/first-plain/",
            "#custom-anchor-target"
        ]
    );
    let srcs = built.links("/first-steps/alpha/", ".content img", "src");
    assert_eq!(
        srcs,
        ["/first-steps/img/logo.svg", "/first-steps/img/logo.svg"]
    );
    assert!(built.exists("first-steps/img/logo.svg"));
    assert_eq!(
        built.texts("/first-steps/alpha/", ".content details summary"),
        ["Folded"]
    );
}

#[test]
fn code_is_highlighted_with_classes_and_unknown_languages_stay_plain() {
    let built = SiteTest::fixture("basic").build();
    let page = built.page("/first-steps/alpha/");
    assert!(!select(&page, "pre code.language-python span[class^='hl-']").is_empty());
    assert!(select(&page, "pre [style]").is_empty(), "no inline styles");
    assert_eq!(
        built.texts("/first-steps/alpha/", "pre code.language-nosuchlanguage"),
        ["plain < text"]
    );
    let css = built.read("css/highlight.css");
    assert!(css.contains("prefers-color-scheme: dark") && css.contains(".hl-"));
}

#[test]
fn plain_notes_drafts_and_order() {
    let site = SiteTest::fixture("basic");
    let built = site.build();
    assert_eq!(
        built.texts("/plain-notes/first-plain/", "main h1"),
        ["First Plain Note"]
    );
    assert!(
        built
            .texts("/plain-notes/first-plain/", ".content h1")
            .is_empty(),
        "title heading not repeated"
    );
    assert_eq!(
        built.texts("/plain-notes/second-plain/", "main h1"),
        ["Second plain"]
    );
    assert!(!built.exists("first-steps/draft/index.html"));
    let sections = built.texts("/", ".section-card-title");
    assert_eq!(sections, ["First Steps", "More", "Plain notes"]);
    assert_eq!(
        built.texts("/first-steps/", ".page-list a"),
        ["Alpha Note", "Beta Note"]
    );
    let with_drafts = site.build_with(&["--drafts"]);
    assert!(with_drafts.exists("first-steps/draft/index.html"));
}

#[test]
fn pages_have_prev_next_breadcrumb_and_section_nav() {
    let built = SiteTest::fixture("basic").build();
    let url = "/first-steps/beta/";
    assert_eq!(
        built.links(url, ".prev-next a[rel=prev]", "href"),
        ["/first-steps/alpha/"]
    );
    assert_eq!(
        built.links(url, ".prev-next a[rel=next]", "href"),
        ["/more/gamma/"]
    );
    assert_eq!(
        built.texts(url, ".breadcrumb a"),
        ["Home", "First Steps", "Beta Note"]
    );
    // The sidebar lists every section but only the current section's pages.
    assert_eq!(
        built.texts(url, ".nav-sections:not(.nav-tools) > li > a"),
        ["First Steps", "More", "Plain notes"]
    );
    assert_eq!(
        built.texts(url, ".nav-pages li:not(.nav-practice) a"),
        ["Alpha Note", "Beta Note"]
    );
    // And the current section's practice pages (this fixture has flashcards only).
    assert_eq!(built.texts(url, ".nav-practice a"), ["Flashcards"]);
    assert_eq!(
        built.links(url, ".nav-pages a[aria-current=page]", "href"),
        [url]
    );
    assert_eq!(
        built.texts("/", ".section-weight"),
        ["Share of the exam: 60%", "Share of the exam: 40%"]
    );
}

#[test]
fn base_url_with_a_subpath_links_relatively_to_pages_under_it() {
    let built =
        SiteTest::fixture("basic").build_with(&["--base-url", "https://user.github.io/repo/"]);
    let mut relative = 0;
    for file in built.html_files() {
        let page = built.page(&file);
        // Static hosts serve 404.html at any depth: only root-relative URLs work there.
        let not_found = file == "404.html";
        for (css, attr) in [("[href]", "href"), ("[src]", "src"), ("html", "data-root")] {
            for element in select(&page, css) {
                let value = element.value().attr(attr).unwrap();
                let internal = !value.contains("://") && !value.starts_with('#');
                if !internal {
                    continue;
                }
                assert_eq!(
                    value.starts_with('/'),
                    not_found,
                    "{file}: {attr}=\"{value}\""
                );
                let resolved = from_root(&file, value, &built.base_path);
                let Some(under) = resolved.strip_prefix("/repo/") else {
                    panic!("{file}: {attr}=\"{value}\" leaves the base path: {resolved}");
                };
                if attr == "data-root" {
                    assert_eq!(under, "", "{file} names the site's root");
                }
                let target = output_path(under.split(['?', '#']).next().unwrap());
                assert!(built.exists(&target), "{file}: {value} → no {target}");
                relative += usize::from(!not_found);
            }
        }
    }
    assert!(relative > 100, "only {relative} relative URLs");
    let sitemap = built.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://user.github.io/repo/first-steps/alpha/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn only_url_attributes_are_made_relative() {
    // At the domain's root every internal URL starts with `/`, and so does
    // the search box's keyboard shortcut, which is text.
    let built = SiteTest::fixture("basic").build();
    let nested = built
        .html_files()
        .into_iter()
        .find(|file| file.matches('/').count() >= 2)
        .expect("a page two folders down");
    let shortcut = built.attrs(&nested, "#site-search-input", "aria-keyshortcuts");
    assert_eq!(shortcut, ["/"], "{nested}");
    let root = built.attrs(&nested, "html", "data-root");
    assert_eq!(root, ["../../"], "{nested}");
}

#[test]
fn host_files_are_emitted() {
    let built = SiteTest::fixture("basic").build();
    for file in [
        "404.html",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "css/style.css",
        "css/highlight.css",
    ] {
        assert!(built.exists(file), "{file} missing");
    }
    assert_eq!(built.texts("/404.html", "main h1"), ["Page not found"]);
    assert!(built
        .read("robots.txt")
        .contains("Sitemap: https://example.org/sitemap.xml"));
    let sitemap = built.read("sitemap.xml");
    let doc = scraper::Html::parse_document(&sitemap);
    let locs: Vec<String> = select(&doc, "loc")
        .iter()
        .map(|l| {
            l.text()
                .collect::<String>()
                .replace("https://example.org", "")
        })
        .collect();
    let notes = [
        "/",
        "/first-steps/",
        "/more/",
        "/plain-notes/",
        "/first-steps/alpha/",
        "/first-steps/beta/",
        "/more/gamma/",
        "/plain-notes/first-plain/",
        "/plain-notes/second-plain/",
        // Alpha's front matter tag: the tag index and the tag's page.
        "/tags/",
        "/tags/greek/",
    ];
    for url in notes {
        assert!(locs.iter().any(|l| l == url), "{url} missing:\n{sitemap}");
    }
    assert!(!locs.iter().any(|l| l.contains("draft")), "{sitemap}");
    // One note has a question heading: its section gets a flashcard deck and a
    // cram sheet, and no quiz page, since the heading makes no multiple-choice
    // question.
    let practice = [
        "/quiz/",
        "/flashcards/",
        "/exam/",
        "/progress/",
        "/first-steps/flashcards/",
        "/first-steps/cram/",
        "/cram/",
    ];
    for url in practice {
        assert!(locs.iter().any(|l| l == url), "{url} missing:\n{sitemap}");
    }
    assert_eq!(locs.len(), notes.len() + practice.len(), "{sitemap}");
    assert_eq!(built.attrs("/", "html", "lang"), ["en-GB"]);
}

#[test]
fn sitemap_and_canonical_links_need_an_absolute_base_url() {
    let alpha = "/first-steps/alpha/";
    for base in ["/", "/repo/", "file:///srv/site/"] {
        let built = SiteTest::fixture("basic").build_with(&["--base-url", base]);
        assert!(!built.exists("sitemap.xml"), "{base}");
        let robots = built.read("robots.txt");
        assert!(!robots.contains("Sitemap"), "{base}: {robots}");
        assert!(built.attrs(alpha, "link[rel=canonical]", "href").is_empty());
        // The build says why, once.
        assert_eq!(
            built.run.stderr.matches("sitemap").count(),
            1,
            "{base}: {}",
            built.run.stderr
        );
    }
    let built = SiteTest::fixture("basic").build_with(&["--base-url", "http://localhost:8000/"]);
    assert!(built
        .read("sitemap.xml")
        .contains("<loc>http://localhost:8000/first-steps/alpha/</loc>"));
    assert!(built
        .read("robots.txt")
        .contains("Sitemap: http://localhost:8000/sitemap.xml"));
    assert_eq!(
        built.attrs(alpha, "link[rel=canonical]", "href"),
        ["http://localhost:8000/first-steps/alpha/"]
    );
    assert!(
        !built.run.stderr.contains("sitemap"),
        "{}",
        built.run.stderr
    );
}

#[test]
fn site_templates_override_the_theme_file_by_file() {
    let site = SiteTest::fixture("basic");
    site.write(
        "templates/partials/heading_anchor.html",
        "<h{{ level }} id=\"{{ id }}\" class=\"custom-heading\">{{ html | safe }}</h{{ level }}>",
    );
    site.write("static/css/extra.css", "body { color: red; }");
    let built = site.build();
    assert_eq!(
        built.texts("/first-steps/beta/", "h2.custom-heading"),
        ["Beta heading"]
    );
    assert!(built.exists("css/extra.css"));
    assert_eq!(
        built.texts("/first-steps/beta/", "main h1"),
        ["Beta Note"],
        "other templates still the theme's"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let site = SiteTest::fixture("basic");
    site.build();
    let first = tree(&site.root().join("public"));
    site.build();
    let second = tree(&site.root().join("public"));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    assert!(first == second, "outputs differ between builds");
}

#[test]
fn init_scaffolds_a_site_that_builds_and_checks_clean() {
    let site = SiteTest::empty();
    let run = site.cli(&["init", "new-site"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let root = site.root().join("new-site");
    let check = site.cli(&["check", "-r", root.to_str().unwrap()]);
    assert_eq!(check.status, 0, "{}\n{}", check.stdout, check.stderr);
    let build = site.cli(&["build", "-r", root.to_str().unwrap()]);
    assert_eq!(build.status, 0, "{}", build.stderr);
    assert!(root
        .join("public/getting-started/every-feature/index.html")
        .exists());
    let again = site.cli(&["init", "new-site"]);
    assert_eq!(again.status, 1, "init refuses a non-empty folder");
}

#[test]
fn pages_describe_themselves_to_search_engines_and_link_previews() {
    let built =
        SiteTest::fixture("basic").build_with(&["--base-url", "https://user.github.io/repo/"]);
    let url = "/first-steps/alpha/";
    let meta = |css: &str| built.attrs(url, css, "content");
    assert_eq!(meta("meta[name=description]"), ["The alpha note."]);
    assert_eq!(meta("meta[property='og:title']"), ["Alpha Note"]);
    assert_eq!(meta("meta[property='og:description']"), ["The alpha note."]);
    assert_eq!(
        built.attrs(url, "link[rel=canonical]", "href"),
        ["https://user.github.io/repo/first-steps/alpha/"]
    );
    // A page without a description falls back to the site's.
    assert_eq!(
        built.attrs("/first-steps/beta/", "meta[name=description]", "content"),
        ["A small site for tests."]
    );
    assert_eq!(built.attrs("/", "html", "lang"), ["en-GB"]);
}

#[test]
fn a_site_built_for_file_urls_links_folders_to_their_index_html() {
    let site = SiteTest::fixture("basic");
    let base = format!("file://{}/public/", site.root().display());
    let built = site.build_with(&["--base-url", &base]);
    let prefix = format!("{}/public/", site.root().display());
    let mut folder_links = 0;
    for file in built.html_files() {
        for href in built.attrs(&file, "a[href]", "href") {
            let internal = !href.contains("://") && !href.starts_with('#');
            if !internal {
                continue;
            }
            let resolved = from_root(&file, &href, &built.base_path);
            let path = resolved.split(['#', '?']).next().unwrap();
            let Some(inside) = path.strip_prefix(&prefix) else {
                panic!("{file}: {href} leaves the output folder: {resolved}");
            };
            assert!(
                !path.ends_with('/'),
                "{file}: {href} opens a folder listing from file://"
            );
            assert!(built.exists(inside), "{file}: {href} → no {inside}");
            folder_links += usize::from(path.ends_with("/index.html"));
        }
    }
    assert!(folder_links > 20, "only {folder_links} folder links");
}

#[test]
fn an_index_notes_heading_titles_its_section_and_the_root_defaults_to_the_site() {
    let built = SiteTest::files(&[
        ("content/_index.md", "# My AZ-900 Notes\n\nStart here.\n"),
        (
            "content/01-s/_index.md",
            "# Cloud Concepts\n\nThe basics.\n",
        ),
        ("content/01-s/a.md", "# A\n\nText.\n"),
    ])
    .build();
    assert_eq!(built.texts("/", "main h1"), ["My AZ-900 Notes"]);
    assert_eq!(built.texts("/s/", "main h1"), ["Cloud Concepts"]);
    assert_eq!(built.texts("/s/", ".content p"), ["The basics."]);
    let sections = built.texts("/s/a/", "#sidebar .nav-sections > li > a");
    assert_eq!(sections, ["Cloud Concepts"]);
    let built = SiteTest::files(&[("content/01-s/a.md", "# A\n\nText.\n")]).build();
    assert_eq!(built.texts("/", "main h1"), ["Test Site"]);
}
