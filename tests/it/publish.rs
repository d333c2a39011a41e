//! Publishing: the shipped site works when hosted under a project subpath and at
//! the root. A tiny static server (loopback only) serves `public/` the way GitHub
//! Pages does, and a crawler follows every link, asset and anchor from the home page.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use scraper::{Html, Selector};

use crate::harness::{from_root, output_path};

/// Serves `dir` under `prefix` (e.g. `/studysite-demo/`) until the test ends.
fn serve_static(listener: TcpListener, dir: PathBuf, prefix: String) {
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (dir, prefix) = (dir.clone(), prefix.clone());
            std::thread::spawn(move || answer(stream, &dir, &prefix));
        }
    });
}

fn answer(mut stream: TcpStream, dir: &Path, prefix: &str) {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut request_line = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split(['?', '#'])
        .next()
        .unwrap()
        .to_string();
    let file = path
        .strip_prefix(prefix)
        .filter(|rest| !rest.split('/').any(|p| p == ".."))
        .map(|rest| dir.join(percent_decode(rest)))
        .map(|p| if p.is_dir() { p.join("index.html") } else { p })
        .filter(|p| p.is_file());
    let (status, body) = match file {
        Some(file) => ("200 OK", std::fs::read(file).unwrap()),
        None => (
            "404 Not Found",
            std::fs::read(dir.join("404.html")).unwrap_or_default(),
        ),
    };
    let head = format!(
        "HTTP/1.0 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&body)); // client may hang up
}

fn percent_decode(text: &str) -> String {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..(i + 3).min(text.len())], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// GET over HTTP/1.0; returns (status, body).
fn get(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let status = String::from_utf8_lossy(&response[9..12]).parse().unwrap();
    (status, response[split + 4..].to_vec())
}

/// Every URL a page or stylesheet refers to, with the page it was found on.
fn references(body: &[u8], is_css: bool) -> (Vec<String>, BTreeSet<String>) {
    let text = String::from_utf8_lossy(body);
    if is_css {
        let urls = text
            .split("url(")
            .skip(1)
            .filter_map(|rest| rest.split(')').next())
            .map(|u| u.trim_matches(['"', '\'', ' ']).to_string())
            .filter(|u| !u.starts_with("data:"))
            .collect();
        return (urls, BTreeSet::new());
    }
    let doc = Html::parse_document(&text);
    let mut urls = Vec::new();
    for (css, attr) in [("[href]", "href"), ("[src]", "src"), ("[srcset]", "srcset")] {
        let selector = Selector::parse(css).unwrap();
        for element in doc.select(&selector) {
            let value = element.value().attr(attr).unwrap();
            if attr == "srcset" {
                urls.extend(
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .map(str::to_string),
                );
            } else {
                urls.push(value.to_string());
            }
        }
    }
    let ids = doc
        .select(&Selector::parse("[id]").unwrap())
        .map(|e| e.value().attr("id").unwrap().to_string())
        .collect();
    (urls, ids)
}

/// Resolves `url` found on `page` to an absolute path on the server, or `None` if external.
fn resolve(page: &str, url: &str) -> Option<(String, Option<String>)> {
    if url.contains("://") || url.starts_with("mailto:") || url.starts_with("//") {
        return None;
    }
    let (path, anchor) = match url.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap();
    let absolute = if path.is_empty() {
        page.to_string()
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        from_root(&output_path(page), path, "/")
    };
    Some((absolute, anchor))
}

/// Crawls from `start`; returns broken references as `page → url (why)`.
fn crawl(port: u16, start: &str) -> (Vec<String>, usize) {
    let mut queue = VecDeque::from([start.to_string()]);
    let mut fetched: BTreeMap<String, (u16, BTreeSet<String>)> = BTreeMap::new();
    let mut anchors: Vec<(String, String, String)> = Vec::new();
    let mut problems = Vec::new();
    let mut found_on: BTreeMap<String, String> = BTreeMap::new();
    while let Some(path) = queue.pop_front() {
        if fetched.contains_key(&path) {
            continue;
        }
        let (status, body) = get(port, &path);
        let is_html = status == 200 && (path.ends_with('/') || path.ends_with(".html"));
        let is_css = path.ends_with(".css");
        let (urls, ids) = if is_html || is_css {
            references(&body, is_css)
        } else {
            (Vec::new(), BTreeSet::new())
        };
        if status != 200 {
            problems.push(format!(
                "{} → {path} ({status})",
                found_on.get(&path).map_or("start", String::as_str)
            ));
        }
        fetched.insert(path.clone(), (status, ids));
        for url in urls {
            let Some((target, anchor)) = resolve(&path, &url) else {
                continue;
            };
            if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
                anchors.push((path.clone(), target.clone(), anchor));
            }
            found_on
                .entry(target.clone())
                .or_insert_with(|| path.clone());
            if !fetched.contains_key(&target) {
                queue.push_back(target);
            }
        }
    }
    for (page, target, anchor) in anchors {
        let known = fetched
            .get(&target)
            .map(|(_, ids)| ids.contains(&percent_decode(&anchor)));
        if known == Some(false) {
            problems.push(format!("{page} → {target}#{anchor} (no such id)"));
        }
    }
    (problems, fetched.len())
}

/// Builds the site at `root` for `prefix` on a free port, serves it and crawls it.
/// The output folder lives as long as the returned `TempDir`.
fn build_serve_and_crawl_site(
    root: &Path,
    prefix: &str,
) -> (Vec<String>, usize, u16, tempfile::TempDir) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let base_url = format!("http://127.0.0.1:{port}{prefix}");
    let status = Command::new(env!("CARGO_BIN_EXE_studysite"))
        .arg("build")
        .arg("-r")
        .arg(root)
        .arg("-o")
        .arg(&public)
        .args(["--base-url", &base_url])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    serve_static(listener, public, prefix.to_string());
    let (problems, count) = crawl(port, prefix);
    (problems, count, port, out)
}

/// What the theme's JavaScript fetches rather than links: the search index manifest
/// and every shard it names (each a self-registering `.js` file under `search/`).
fn fetch_script_data(port: u16, prefix: &str) -> Vec<String> {
    let manifest = format!("{prefix}search/index.js");
    let (status, body) = get(port, &manifest);
    assert_eq!(status, 200, "{manifest}");
    // Shards are `t<i>` and `d<i>`, counted by the manifest, fetched with their
    // set's version (docs/search-index.md).
    let (name, manifest) = crate::harness::search_file(&String::from_utf8_lossy(&body));
    assert_eq!(name, "index");
    let (terms, docs) = (&manifest["terms"], &manifest["documents"]);
    let digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
    let doc_count = (docs["first"].as_str().unwrap().chars())
        .filter(|c| digits.find(*c).unwrap() < 32)
        .count();
    let shards: BTreeSet<String> = (0..terms["keys"].as_array().unwrap().len())
        .map(|i| format!("t{i}.js?v={}", terms["hash"].as_str().unwrap()))
        .chain((0..doc_count).map(|i| format!("d{i}.js?v={}", docs["hash"].as_str().unwrap())))
        .collect();
    assert!(
        shards.len() > 2,
        "the manifest names its shards: {shards:?}"
    );
    shards
        .iter()
        .map(|name| format!("{prefix}search/{name}"))
        .filter(|url| get(port, url).0 != 200)
        .collect()
}

/// Links inside the exam's question pool (fetched by `exam.js`, not crawled):
/// each must be served and its anchor present. Returns the broken ones.
fn check_exam_links(port: u16, prefix: &str) -> Vec<String> {
    let (status, body) = get(port, &format!("{prefix}exam/"));
    assert_eq!(status, 200);
    let doc = Html::parse_document(&String::from_utf8_lossy(&body));
    let json: String = doc
        .select(&Selector::parse("script#exam-data").unwrap())
        .next()
        .expect("exam data")
        .text()
        .collect();
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
    // exam.js resolves the pool URLs, and the links in them, against the root
    // the page names in <html data-root>.
    let root = doc
        .select(&Selector::parse("html[data-root]").unwrap())
        .next()
        .and_then(|html| html.value().attr("data-root"))
        .expect("data-root");
    assert_eq!(from_root("exam/index.html", root, prefix), prefix);
    let from_site_root = |url: &str| {
        assert!(!url.starts_with('/') && !url.contains("://"), "{url}");
        from_root("index.html", url, prefix)
    };
    let index_url = from_site_root(data["pools"].as_str().expect("the pool's index"));
    let (status, index) = get(port, &index_url);
    assert_eq!(status, 200, "{index_url}");
    let index: serde_json::Value = serde_json::from_slice(&index).unwrap();
    let mut questions = Vec::new();
    for pool_url in index["pools"].as_array().expect("pools") {
        let pool_url = from_site_root(pool_url.as_str().unwrap());
        let (status, pool) = get(port, &pool_url);
        assert_eq!(status, 200, "{pool_url}");
        let pool: serde_json::Value = serde_json::from_slice(&pool).unwrap();
        questions.extend(pool["questions"].as_array().unwrap().iter().cloned());
    }
    let urls: BTreeSet<String> = questions
        .iter()
        .map(|q| from_site_root(q["url"].as_str().unwrap()))
        .collect();
    assert!(urls.len() > 20, "{} question links", urls.len());
    let mut pages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut broken = Vec::new();
    for url in urls.iter().map(String::as_str) {
        let (path, anchor) = url.split_once('#').unwrap_or((url, ""));
        if !path.starts_with(prefix) {
            broken.push(format!("{url} (outside {prefix})"));
            continue;
        }
        let ids = pages.entry(path.to_string()).or_insert_with(|| {
            let (status, body) = get(port, path);
            if status != 200 {
                return BTreeSet::new();
            }
            references(&body, false).1
        });
        if ids.is_empty() || (!anchor.is_empty() && !ids.contains(anchor)) {
            broken.push(url.to_string());
        }
    }
    broken
}

fn build_serve_and_crawl(prefix: &str) {
    let (problems, count, port, _out) =
        build_serve_and_crawl_site(Path::new(env!("CARGO_MANIFEST_DIR")), prefix);
    let missing = fetch_script_data(port, prefix);
    assert!(missing.is_empty(), "search shards not served: {missing:?}");
    let broken = check_exam_links(port, prefix);
    assert!(broken.is_empty(), "exam questions link nowhere: {broken:?}");
    assert!(
        problems.is_empty(),
        "{} broken references:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(count > 30, "crawled only {count} URLs");
    let (status, _) = get(port, "/elsewhere/");
    assert_eq!(status, 404, "nothing outside the prefix is served");
}

#[test]
fn shipped_site_works_under_a_project_subpath() {
    build_serve_and_crawl("/studysite-demo/");
}

#[test]
fn shipped_site_works_at_the_root() {
    build_serve_and_crawl("/");
}

#[test]
fn the_crawler_reports_missing_pages_and_anchors() {
    let site = crate::harness::SiteTest::files(&[
        ("content/a.md", "## Here\n\n<a href=\"/nowhere/\">gone</a> <a href=\"/a/#not-here\">bad</a> <a href=\"#here\">ok</a>\n"),
    ]);
    let (problems, _, _, _out) = build_serve_and_crawl_site(site.root(), "/demo/");
    assert_eq!(
        problems,
        [
            "/demo/a/ → /demo/nowhere/ (404)",
            "/demo/a/ → /demo/a/#not-here (no such id)"
        ]
    );
}

#[test]
fn pages_workflow_builds_with_the_pages_url_and_uploads_the_output() {
    let text = include_str!("../../.github/workflows/pages.yml");
    let workflow: serde_norway::Value = serde_norway::from_str(text).expect("valid YAML");
    let steps = workflow["jobs"]["build"]["steps"]
        .as_sequence()
        .expect("build steps");
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    for action in [
        "actions/checkout@",
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
    ] {
        assert!(
            uses.iter().any(|u| u.starts_with(action)),
            "missing {action}: {uses:?}"
        );
    }
    let build = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .find(|r| r.contains(" build"))
        .expect("a build step");
    assert!(
        build.contains("--base-url \"${{ steps.pages.outputs.base_url }}/\""),
        "{build}"
    );
    assert!(build.contains("-o public"), "{build}");
    assert_uploads_public(steps);
    let deploy = workflow["jobs"]["deploy"]["steps"].as_sequence().unwrap();
    assert!(deploy.iter().any(|s| s["uses"]
        .as_str()
        .is_some_and(|u| u.starts_with("actions/deploy-pages@"))));
    assert_eq!(workflow["on"]["push"]["branches"][0].as_str(), Some("main"));
}

/// The workflow uploads the build's output folder as the Pages artifact.
#[track_caller]
fn assert_uploads_public(steps: &[serde_norway::Value]) {
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact"))
        })
        .expect("an upload-pages-artifact step");
    assert_eq!(
        upload["with"]["path"].as_str(),
        Some("public"),
        "artifact path is the output folder"
    );
}

#[test]
fn init_writes_a_pages_workflow_pinned_to_this_release() {
    let site = crate::harness::SiteTest::empty();
    assert_eq!(site.cli(&["init", "notes"]).status, 0);
    let text =
        std::fs::read_to_string(site.root().join("notes/.github/workflows/pages.yml")).unwrap();
    let workflow: serde_norway::Value = serde_norway::from_str(&text).expect("valid YAML");
    let steps = workflow["jobs"]["build"]["steps"].as_sequence().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    // The install step itself is tested in release.rs.
    assert!(
        steps
            .iter()
            .any(|s| s["name"].as_str() == Some("Install studysite")),
        "{runs:?}"
    );
    assert!(runs.contains(
        &"studysite build --base-url \"${{ steps.pages.outputs.base_url }}/\" -o public"
    ));
    assert_uploads_public(steps);
    assert!(!text.contains("__"), "every placeholder filled:\n{text}");
}
