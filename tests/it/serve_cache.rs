//! `build_cached`, as `serve` uses it: an edit re-renders only the notes it
//! changed (or every note when something shared changed), and every cached
//! rebuild equals a clean build byte for byte.

use std::collections::BTreeMap;
use std::path::Path;

use studysite::build::{build_cached, BuildCache, CacheStats, OutputBody};
use studysite::{build, BuildOptions, BuiltSite, OutputTarget};

use crate::harness::SiteTest;

/// A site with a home page, a section and one note.
fn cache_site() -> SiteTest {
    SiteTest::files(&[
        ("site.toml", "title = \"Cache Test\"\nbase_url = \"/\"\n"),
        (
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\n\nWelcome.\n",
        ),
        (
            "content/01-intro/_index.md",
            "+++\ntitle = \"Intro\"\n+++\n\nThe intro.\n",
        ),
        (
            "content/01-intro/01-alpha.md",
            "# Alpha\n\nFirst version.\n",
        ),
    ])
}

/// A clean in-memory build of the site's current tree.
pub(crate) fn clean_build(root: &Path) -> BuiltSite {
    let options = BuildOptions {
        target: OutputTarget::Memory,
        ..BuildOptions::new(root)
    };
    build(&options).expect("clean build").1
}

/// The paths of the files that differ (added, removed or changed) between two builds.
pub(crate) fn differences(a: &BuiltSite, b: &BuiltSite) -> Vec<String> {
    let index = |site: &BuiltSite| -> BTreeMap<String, OutputBody> {
        site.files
            .iter()
            .map(|f| (f.path.clone(), f.body.clone()))
            .collect()
    };
    let (a, b) = (index(a), index(b));
    let mut paths: Vec<String> = a.keys().chain(b.keys()).cloned().collect();
    paths.sort();
    paths.dedup();
    paths.retain(|p| a.get(p) != b.get(p));
    paths
}

/// The theme's heading partial with an extra class, to change every note's HTML.
pub(crate) fn heading_partial_with_class() -> String {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(
        theme.join("themes/default/templates/partials/heading_anchor.html"),
    )
    .unwrap();
    text.replacen(
        "class=\"heading-anchor\"",
        "class=\"heading-anchor edited\"",
        1,
    )
}

/// The theme's stylesheet with one more rule.
fn stylesheet_with_rule() -> String {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(theme.join("themes/default/static/css/style.css")).unwrap();
    text + "\n.edited { color: inherit; }\n"
}

/// The theme's section template with an extra class on its `<article>`.
fn section_template_with_class() -> String {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(theme.join("themes/default/templates/section.html")).unwrap();
    assert!(text.contains("<article"), "the template has an article");
    text.replacen("<article", "<article data-edited=\"1\"", 1)
}

#[test]
fn cached_rebuilds_render_only_edited_notes_and_equal_clean_builds() {
    // Pages rendered: the notes, the home and section pages, search, 404, the
    // sitemap, and the quiz, flashcard and exam pages.
    let site = cache_site();
    site.write(
        "content/01-intro/02-beta.md",
        "# Beta\n\nSee [alpha](01-alpha.md#alpha).\n\n> [!NOTE]\n> A callout.\n",
    );
    let options = BuildOptions {
        target: OutputTarget::Memory,
        ..BuildOptions::new(site.root())
    };
    let cache = BuildCache::new();
    let steps: [(&str, &dyn Fn(), CacheStats); 7] = [
        // base_url = "/" is not absolute: no sitemap, but the web app manifest;
        // the exam pool's index and the section's ids file for /progress/.
        (
            "first build",
            &|| {},
            CacheStats {
                reused: 0,
                rendered: 4,
                pages_rendered: 13,
                search_tokenised: 4,
            },
        ),
        (
            "edit a body",
            &|| site.write("content/01-intro/01-alpha.md", "# Alpha\n\nEdited.\n"),
            CacheStats {
                reused: 3,
                rendered: 1,
                pages_rendered: 1,
                search_tokenised: 1,
            },
        ),
        (
            "retitle a note",
            &|| site.write("content/01-intro/01-alpha.md", "# Alpha Two\n\nEdited.\n"),
            CacheStats {
                reused: 3,
                rendered: 1,
                pages_rendered: 3,
                search_tokenised: 1,
            },
        ),
        (
            "add a note (new link target)",
            &|| {
                site.write(
                    "content/01-intro/03-gamma.md",
                    "# Gamma\n\n[Beta](02-beta.md).\n",
                )
            },
            CacheStats {
                reused: 0,
                rendered: 5,
                pages_rendered: 11,
                search_tokenised: 1,
            },
        ),
        (
            "edit a partial",
            &|| {
                site.write(
                    "templates/partials/heading_anchor.html",
                    heading_partial_with_class(),
                )
            },
            // Every note renders again, but only the pages whose views changed
            // with it are made again.
            CacheStats {
                reused: 0,
                rendered: 5,
                pages_rendered: 5,
                search_tokenised: 0,
            },
        ),
        (
            "edit the stylesheet (its hash is in every page's link, not in notes)",
            &|| site.write("static/css/style.css", stylesheet_with_rule()),
            CacheStats {
                reused: 5,
                rendered: 0,
                pages_rendered: 11,
                search_tokenised: 0,
            },
        ),
        (
            "edit the section template (no note uses it)",
            &|| site.write("templates/section.html", section_template_with_class()),
            CacheStats {
                reused: 5,
                rendered: 0,
                pages_rendered: 1,
                search_tokenised: 0,
            },
        ),
    ];
    for (step, edit, stats) in steps {
        edit();
        let (_, cached) = build_cached(&options, &cache).expect(step);
        assert_eq!(cache.last_stats(), stats, "{step}");
        assert_eq!(
            differences(&cached, &clean_build(site.root())),
            Vec::<String>::new(),
            "{step}"
        );
    }
    // A failed build leaves the cache usable.
    site.write("content/01-intro/02-beta.md", "+++\ntitle = \"Beta\n+++\n");
    assert!(build_cached(&options, &cache).is_err());
    site.write("content/01-intro/02-beta.md", "# Beta\n\nBack.\n");
    let (_, cached) = build_cached(&options, &cache).unwrap();
    assert_eq!(
        cache.last_stats(),
        CacheStats {
            reused: 4,
            rendered: 1,
            pages_rendered: 1,
            search_tokenised: 1,
        }
    );
    assert_eq!(
        differences(&cached, &clean_build(site.root())),
        Vec::<String>::new()
    );
}
