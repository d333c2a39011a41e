//! Bad input: each case exits 1, names the file and line, never panics, and
//! leaves the previous public/ byte for byte as it was.

use crate::harness::{tree, CliRun, SiteTest};

const GOOD_NOTE: &str = "+++\ntitle = \"Good\"\n+++\n\n## Heading\n\nText.\n";

/// Builds a good site, applies `break_it`, builds again and returns the failed run.
#[track_caller]
fn failed_rebuild(break_it: impl FnOnce(&SiteTest)) -> CliRun {
    let site = SiteTest::files(&[("content/01-sec/good.md", GOOD_NOTE)]);
    site.build();
    let before = tree(&site.root().join("public"));
    break_it(&site);
    let run = site.cli(&["build"]);
    assert_eq!(
        run.status, 1,
        "expected exit 1:\n{}\n{}",
        run.stdout, run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        before == tree(&site.root().join("public")),
        "public/ changed after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".studysite-"))
        .collect();
    assert!(leftovers.is_empty(), "a failed build left {leftovers:?}");
    run
}

#[test]
fn malformed_toml_front_matter() {
    let run = failed_rebuild(|site| {
        site.write(
            "content/01-sec/bad.md",
            "+++\ntitle = \"Bad\"\norder = = 2\n+++\nBody\n",
        );
    });
    run.expect_stderr("error: invalid TOML front matter");
    run.expect_stderr("--> content/01-sec/bad.md:3:");
}

#[test]
fn malformed_yaml_front_matter() {
    let run = failed_rebuild(|site| {
        site.write(
            "content/01-sec/bad.md",
            "---\ntitle: Bad\ntags: [a, b\n---\nBody\n",
        );
    });
    run.expect_stderr("error: invalid YAML front matter");
    run.expect_stderr("--> content/01-sec/bad.md:");
}

#[test]
fn misspelt_front_matter_key_suggests_the_right_one() {
    let run = failed_rebuild(|site| {
        site.write("content/01-sec/bad.md", "+++\ntitel = \"Bad\"\n+++\nBody\n");
    });
    assert_eq!(
        run.stderr,
        "error: unknown front-matter key `titel`\n  --> content/01-sec/bad.md:2:1\n  |\n2 | titel = \"Bad\"\n  | ^\n\
         help: did you mean `title`? (keys that are not close to a known one are kept for templates in `extra`)\n\n\
         1 error; nothing was written.\n"
    );
}

#[test]
fn unknown_site_toml_key_lists_the_valid_keys() {
    let run = failed_rebuild(|site| {
        site.write(
            "site.toml",
            "title = \"T\"\nbase_url = \"/\"\ncolour = \"red\"\n",
        );
    });
    run.expect_stderr("error: unknown field `colour`, expected one of `title`, `base_url`");
    run.expect_stderr("--> site.toml:3:1");
}

#[test]
fn template_syntax_error_names_template_and_line() {
    let run = failed_rebuild(|site| {
        site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title ) }}\n{% endblock main %}\n");
    });
    run.expect_stderr("error: template error:");
    run.expect_stderr("--> templates/page.html:3:");
}

#[test]
fn template_with_undefined_variable_names_template_line_and_page() {
    let run = failed_rebuild(|site| {
        site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ page.no_such_field }}</p>\n{% endblock main %}\n");
    });
    run.expect_stderr("error: template error:");
    run.expect_stderr("--> templates/page.html:3:");
    run.expect_stderr("while rendering content/01-sec/good.md");
}

#[test]
fn non_utf8_markdown_file() {
    let run = failed_rebuild(|site| {
        site.write(
            "content/01-sec/latin1.md",
            b"Line one\nCaf\xe9 au lait\n".as_slice(),
        );
    });
    run.expect_stderr("error: not valid UTF-8");
    run.expect_stderr("--> content/01-sec/latin1.md:2");
}

#[test]
fn empty_content_folder() {
    let run = failed_rebuild(|site| {
        std::fs::remove_dir_all(site.root().join("content")).unwrap();
        std::fs::create_dir(site.root().join("content")).unwrap();
    });
    run.expect_stderr("error: content/ holds no notes");
    run.expect_stderr("help: add a Markdown file");
}

/// Two files with one slug (`privacy_policy.md` beside `privacy-policy.md`,
/// as in public notes repositories): both are built, the second at `-2`, with a
/// warning; `check` fails on it.
#[test]
fn two_pages_with_the_same_slug() {
    let site = SiteTest::files(&[
        ("content/01-sec/good.md", GOOD_NOTE),
        ("content/01-sec/02-good.md", "# Second\n\nOther text.\n"),
    ]);
    let built = site.build();
    built.run.expect_stderr(
        "warning: duplicate slug: `/sec/good/` is also the address of content/01-sec/02-good.md; this one is at `/sec/good-2/`",
    );
    built.run.expect_stderr("--> content/01-sec/good.md");
    assert_eq!(built.texts("/sec/good-2/", "h1"), ["Good"]);
    assert_eq!(built.texts("/sec/good/", "h1"), ["Second"]);
    let check = site.cli(&["check"]);
    assert_eq!(check.status, 1);
    check.expect_stderr("error: duplicate slug");
}

#[test]
fn a_note_at_the_address_of_a_generated_page() {
    let run = failed_rebuild(|site| {
        site.write("content/exam.md", GOOD_NOTE);
    });
    run.expect_stderr("error: two pages would be written to `exam/index.html`");
    run.expect_stderr("rename one of them");
}

#[test]
fn output_folder_of_the_users_own_files_is_refused() {
    let site = SiteTest::files(&[("content/a.md", GOOD_NOTE)]);
    site.write("mine/thesis.txt", "my own work");
    let run = site.cli(&["build", "-o", "mine"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    run.expect_stderr("refusing to replace mine");
    run.expect_stderr("--force");
    assert_eq!(
        std::fs::read_to_string(site.root().join("mine/thesis.txt")).unwrap(),
        "my own work"
    );
    assert!(!site.root().join("mine/index.html").exists());
    let forced = site.cli(&["build", "-o", "mine", "--force"]);
    assert_eq!(forced.status, 0, "{}", forced.stderr);
    assert!(site.root().join("mine/index.html").exists());
}

#[test]
fn broken_links_warn_in_build_and_fail_check() {
    let site = SiteTest::files(&[
        (
            "content/01-sec/a.md",
            "## Top\n\n[gone](missing.md) and [bad anchor](b.md#nowhere)\n",
        ),
        ("content/01-sec/b.md", "## Real heading\n"),
    ]);
    let built = site.build();
    assert!(
        built
            .run
            .stderr
            .contains("warning: broken link `missing.md`"),
        "{}",
        built.run.stderr
    );
    built.run.expect_stderr(
        "warning: broken anchor `b.md#nowhere`: content/01-sec/b.md has no heading `#nowhere`",
    );
    let check = site.cli(&["check"]);
    assert_eq!(check.status, 1);
    check.expect_stderr("error: broken link `missing.md`: no file content/01-sec/missing.md\n  --> content/01-sec/a.md:3:1");
    assert!(
        check
            .stderr
            .contains("help: headings there have ids like `#real-heading`"),
        "{}",
        check.stderr
    );
}

#[test]
fn missing_site_toml_and_usage_errors() {
    let site = SiteTest::empty();
    let run = site.cli(&["build"]);
    assert_eq!(run.status, 1);
    run.expect_stderr("error: no site.toml in");
    run.expect_stderr("studysite init");
    assert_eq!(site.cli(&["build", "--no-such-flag"]).status, 2);
}
