//! Notes written for other tools build as they are: Jekyll and Hugo front
//! matter keys that mean nothing here are kept without a warning, and
//! kramdown's `<details markdown=1>` renders the Markdown inside it.

use crate::harness::{select, SiteTest};

#[test]
fn jekyll_and_hugo_front_matter_builds_without_warnings() {
    let site = SiteTest::files(&[
        (
            "content/sec/jekyll.md",
            "---\nlayout: post\ntitle: Jekyll page\nnav_order: 3\nparent: Storage\nhas_children: false\n\
             permalink: /storage/s3/\ndate: 2021-03-04 10:00:00 +0000\ncategories: [aws, storage]\n\
             tags: aws storage\n---\nBody.\n",
        ),
        (
            "content/sec/hugo.md",
            "+++\ntitle = \"Hugo page\"\ndate = 2023-01-02T10:00:00Z\nweight = 10\nslug = \"hugo-s3\"\n\
             aliases = [\"/old/\"]\nsummary = \"A summary\"\ntype = \"docs\"\n[menu.main]\nparent = \"Storage\"\n+++\nBody.\n",
        ),
    ]);
    let check = site.cli(&["check"]);
    assert_eq!(check.status, 0, "{}", check.stderr);
    assert!(!check.stderr.contains("warning"), "{}", check.stderr);
    let built = site.build();
    assert_eq!(built.texts("/sec/jekyll/", "h1"), ["Jekyll page"]);
    // Jekyll's space-separated tags are tags.
    assert_eq!(
        built.texts("/sec/jekyll/", ".note-meta .tag"),
        ["#aws", "#storage"]
    );
    assert_eq!(built.texts("/sec/hugo/", "h1"), ["Hugo page"]);
}

#[test]
fn details_marked_markdown_render_the_markdown_inside() {
    let site = SiteTest::files(&[
        (
            "content/sec/note.md",
            "# Note\n\n<details markdown=1><summary markdown='span'>More</summary>\n  Some **bold** and a [link](other.md#part).\n</details>\n\n\
             <details><summary>Plain</summary>\n  Stays **as written**.\n</details>\n",
        ),
        ("content/sec/other.md", "# Other\n\n## Part\n"),
    ]);
    let check = site.cli(&["check"]);
    assert_eq!(check.status, 0, "{}", check.stderr);
    let built = site.build();
    let page = built.page("/sec/note/");
    let details = select(&page, "details");
    assert_eq!(details.len(), 2);
    assert!(
        details[0].value().attr("markdown").is_none(),
        "not an HTML attribute"
    );
    assert_eq!(built.texts("/sec/note/", "details strong"), ["bold"]);
    // The link went through the link pass: rewritten to the page's URL.
    assert_eq!(
        built.links("/sec/note/", "details a", "href"),
        ["/sec/other/#part"]
    );
    assert!(built.texts("/sec/note/", "details")[1].contains("Stays **as written**."));
    // A link inside that points nowhere is reported at its line.
    site.write(
        "content/sec/note.md",
        "# Note\n\n<details markdown=\"1\">\n<summary>More</summary>\n  A [gone](gone.md) link.\n</details>\n",
    );
    let check = site.cli(&["check"]);
    assert_eq!(check.status, 1);
    check.expect_stderr("content/sec/note.md:5");
}

/// A link written from the top of the notes (Obsidian's "absolute path in
/// vault" format) resolves when it does not from the note's own folder.
#[test]
fn links_from_the_top_of_the_notes_resolve() {
    let site = SiteTest::files(&[
        ("content/tools/linux/cron.md", "# Cron\n\nSee [processes](computers/processes.md#jobs) and ![chart](pics/chart.png).\n"),
        ("content/computers/processes.md", "# Processes\n\n## Jobs\n"),
        ("content/pics/chart.png", "png"),
    ]);
    let check = site.cli(&["check"]);
    assert_eq!(check.status, 0, "{}", check.stderr);
    let built = site.build();
    assert_eq!(
        built.links("/tools/linux/cron/", ".content a[href*=processes]", "href"),
        ["/computers/processes/#jobs"]
    );
    assert_eq!(
        built.links("/tools/linux/cron/", ".content img", "src"),
        ["/pics/chart.png"]
    );
}
