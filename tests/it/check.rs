//! `check`: every broken link, anchor and image is reported with its source file
//! and line, and the exit code is 1; external links are listed, not fetched.

use crate::harness::SiteTest;

#[test]
fn broken_link_missing_anchor_and_missing_image_name_file_and_line() {
    let site = SiteTest::files(&[
        ("content/01-a/one.md", "## Start\n\nSee [two](two.md).\n\n[gone](three.md)\n\n[deep](two.md#nowhere)\n\n![diagram](img/none.png)\n"),
        ("content/01-a/two.md", "## Real\n"),
    ]);
    let run = site.cli(&["check"]);
    assert_eq!(run.status, 1, "{}", run.stdout);
    let locations: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("  --> "))
        .collect();
    assert_eq!(
        locations,
        [
            "  --> content/01-a/one.md:5:1",
            "  --> content/01-a/one.md:7:1",
            "  --> content/01-a/one.md:9:1"
        ]
    );
    run.expect_stderr("error: broken link `three.md`: no file content/01-a/three.md");
    run.expect_stderr("error: broken anchor `two.md#nowhere`");
    run.expect_stderr("error: broken link `img/none.png`: no file content/01-a/img/none.png");
    assert!(
        run.stderr.ends_with("3 errors; nothing was written.\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn raw_html_and_root_relative_references_are_checked_in_the_output() {
    let site = SiteTest::files(&[(
        "content/01-a/one.md",
        "## Start\n\nText.\n\n<img src=\"/missing.png\" alt=\"x\">\n\n[quiz](/no-such-page/)\n\n<a href=\"/a/one/#start\">ok</a>\n",
    )]);
    let run = site.cli(&["check"]);
    assert_eq!(run.status, 1, "{}", run.stdout);
    // Quoted as the page writes it (relative to its folder), located where the note wrote it.
    run.expect_stderr("error: broken reference `../../missing.png`: no file missing.png in the output\n  --> content/01-a/one.md:5:");
    run.expect_stderr("error: broken reference `../../no-such-page/`: no file no-such-page/index.html in the output\n  --> content/01-a/one.md:7:");
    // The link to the page's own heading (written `#start` on it) resolves.
    assert!(!run.stderr.contains("#start"), "{}", run.stderr);
    assert!(
        run.stderr.ends_with("2 errors; nothing was written.\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn template_references_are_reported_at_the_output_file() {
    let site = SiteTest::files(&[("content/01-a/one.md", "## Start\n")]);
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<a href=\"{{ url(path='gone/') }}\">x</a><a href=\"#nope\">y</a>{% endblock main %}",
    );
    let run = site.cli(&["check"]);
    assert_eq!(run.status, 1);
    run.expect_stderr("error: broken reference `/gone/`: no file gone/index.html in the output\n  --> (output) 404.html");
    run.expect_stderr("error: broken reference `#nope`: 404.html has no element with id `nope`");
}

#[test]
fn a_clean_site_checks_clean_and_lists_external_links() {
    let site = SiteTest::files(&[(
        "content/01-a/one.md",
        "## Start\n\n[AWS](https://aws.amazon.com/) and [docs](https://docs.aws.amazon.com/)\n",
    )]);
    let run = site.cli(&["check"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    run.expect_stdout("2 external links (listed, not fetched; `check --external` fetches them):\n  https://aws.amazon.com/\n  https://docs.aws.amazon.com/\n");
    assert!(run.stdout.ends_with("No problems found.\n"));
    assert!(!site.root().join("public").exists(), "check writes nothing");
}

/// A loopback server answering 200 on `/ok` and 404 elsewhere, for `requests` requests.
fn tiny_server(requests: usize) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests).flatten() {
            let mut line = String::new();
            let mut reader = BufReader::new(&stream);
            reader.read_line(&mut line).unwrap_or_default();
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let status = if line.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let mut stream = &stream;
            // The client may already have hung up after a HEAD; nothing to do about it.
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    port
}

#[test]
fn check_external_fetches_links_and_reports_failures_at_their_line() {
    let port = tiny_server(8);
    let note = format!(
        "## Links\n\n[fine](http://127.0.0.1:{port}/ok)\n\n[gone](http://127.0.0.1:{port}/gone)\n"
    );
    let site = SiteTest::files(&[("content/01-a/one.md", note.as_str())]);
    let listed = site.cli(&["check"]);
    assert_eq!(listed.status, 0, "{}", listed.stderr);
    assert!(
        listed
            .stdout
            .contains("2 external links (listed, not fetched"),
        "{}",
        listed.stdout
    );
    let fetched = site.cli(&["check", "--external"]);
    assert_eq!(fetched.status, 1, "{}", fetched.stdout);
    assert!(
        fetched.stderr.starts_with(&format!(
            "error: external link `http://127.0.0.1:{port}/gone` failed: HTTP 404\n  --> content/01-a/one.md:5:"
        )),
        "{}",
        fetched.stderr
    );
    assert!(!fetched.stderr.contains("/ok`"), "{}", fetched.stderr);
}

/// Notes written for GitHub open with `# Title` and a table of contents whose
/// first link is to that title: the page shows the title with GitHub's id, and
/// a later heading of the same text gets the next id, as on GitHub.
#[test]
fn the_title_heading_keeps_its_github_id() {
    let site = SiteTest::files(&[
        (
            "content/01-a/s3.md",
            "# Amazon S3\n\n- [Amazon S3](#amazon-s3)\n- [Again](#amazon-s3-1)\n\n## Amazon S3\n\nObjects.\n",
        ),
        ("content/01-a/other.md", "# Other\n\nSee [S3](s3.md#amazon-s3).\n"),
    ]);
    let run = site.cli(&["check"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let built = site.build();
    assert_eq!(built.attrs("/a/s3/", "h1", "id"), ["amazon-s3"]);
    assert_eq!(built.texts("/a/s3/", "h1#amazon-s3"), ["Amazon S3"]);
    assert_eq!(built.attrs("/a/s3/", ".content h2", "id"), ["amazon-s3-1"]);
    // A title set in front matter leaves the first heading in the body, as before.
    let site = SiteTest::files(&[(
        "content/01-a/s3.md",
        "+++\ntitle = \"Storage\"\n+++\n# Amazon S3\n\nObjects.\n",
    )]);
    let built = site.build();
    assert!(built.attrs("/a/s3/", "header h1", "id").is_empty());
    assert_eq!(built.attrs("/a/s3/", ".content h1", "id"), ["amazon-s3"]);
}
