//! Test helpers: a site in a temp dir, the CLI run against it, and parsed output pages.
// Each test module uses a different subset of the helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use scraper::{Html, Selector};
use tempfile::TempDir;

/// The minimal config used by sites made with [`SiteTest::files`].
pub(crate) const DEFAULT_CONFIG: &str =
    "title = \"Test Site\"\nbase_url = \"https://example.org/\"\n";

/// A site in a temporary folder.
pub(crate) struct SiteTest {
    /// Shared with every [`Built`], so `SiteTest::fixture(…).build()` keeps its folder.
    dir: Rc<TempDir>,
}

/// A finished CLI run.
#[derive(Debug)]
pub(crate) struct CliRun {
    pub(crate) status: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl CliRun {
    /// Fails with the whole stderr unless it contains `needle`.
    #[track_caller]
    pub(crate) fn expect_stderr(&self, needle: &str) {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
    }

    /// Fails with the whole stdout unless it contains `needle`.
    #[track_caller]
    pub(crate) fn expect_stdout(&self, needle: &str) {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{}",
            self.stdout
        );
    }
}

impl SiteTest {
    /// Copies `tests/fixtures/<name>` into a temp dir.
    pub(crate) fn fixture(name: &str) -> SiteTest {
        let site = SiteTest::empty();
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&source, site.root());
        site
    }

    /// A site made of the given files; `site.toml` defaults to [`DEFAULT_CONFIG`].
    pub(crate) fn files(files: &[(&str, &str)]) -> SiteTest {
        let site = SiteTest::empty();
        if !files.iter().any(|(p, _)| *p == "site.toml") {
            site.write("site.toml", DEFAULT_CONFIG);
        }
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    pub(crate) fn empty() -> SiteTest {
        SiteTest {
            dir: Rc::new(tempfile::tempdir().expect("temp dir")),
        }
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The text of a file of the site.
    pub(crate) fn read_file(&self, path: &str) -> String {
        std::fs::read_to_string(self.root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Writes (or overwrites) a file, creating folders.
    pub(crate) fn write(&self, path: &str, contents: impl AsRef<[u8]>) {
        let target = self.root().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, contents).unwrap();
    }

    /// Runs `studysite ARGS` with the site root as working directory.
    pub(crate) fn cli(&self, args: &[&str]) -> CliRun {
        let output = Command::new(env!("CARGO_BIN_EXE_studysite"))
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("run studysite");
        CliRun {
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Builds into `public/` and expects success.
    #[track_caller]
    pub(crate) fn build(&self) -> Built {
        self.build_with(&[])
    }

    /// Builds with extra flags and expects success.
    #[track_caller]
    pub(crate) fn build_with(&self, extra: &[&str]) -> Built {
        let mut args = vec!["build"];
        args.extend(extra);
        let run = self.cli(&args);
        assert_eq!(
            run.status, 0,
            "build failed:\n{}\n{}",
            run.stdout, run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        let base_url = match extra.iter().position(|a| *a == "--base-url") {
            Some(i) => extra[i + 1].to_string(),
            None => self.configured_base_url(),
        };
        Built {
            out: self.root().join("public"),
            run,
            base_path: base_path(&base_url),
            _dir: Rc::clone(&self.dir),
        }
    }

    /// `base_url` from `site.toml`.
    fn configured_base_url(&self) -> String {
        let config: toml::Table = toml::from_str(&self.read_file("site.toml")).expect("site.toml");
        config["base_url"].as_str().expect("base_url").to_string()
    }
}

/// The path part of `base_url`, with slashes at both ends (`/` at a domain's root).
pub(crate) fn base_path(base_url: &str) -> String {
    let path = match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => base_url,
    };
    match path.trim_matches('/') {
        "" => "/".into(),
        inside => format!("/{inside}/"),
    }
}

/// `href` as written on the page at output path `page` (`a/c/index.html`),
/// as a URL from the domain's root under `base_path`: `../b/#x` → `/a/b/#x`.
/// Pages link relative to their own folder; tests compare these resolved
/// forms so their expectations read as site addresses. Fragment-only links
/// (the same at any depth), root-relative URLs and URLs with a scheme are
/// returned as written. Panics if `href` climbs above the domain's root.
pub(crate) fn from_root(page: &str, href: &str, base_path: &str) -> String {
    let scheme = href
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains(['/', '?', '#']));
    if scheme || href.starts_with(['#', '/']) {
        return href.to_string();
    }
    let split = href.find(['?', '#']).unwrap_or(href.len());
    let (path, rest) = href.split_at(split);
    let page_url = format!("{base_path}{page}");
    let mut folders: Vec<&str> = page_url.split('/').filter(|s| !s.is_empty()).collect();
    let own_file = folders.pop().unwrap_or_default();
    let mut parts: Vec<&str> = path.split('/').collect();
    // The last part names a file; `.` and `..` there name folders, and
    // nothing (`?query`) names the page itself.
    let file = match parts.pop().unwrap_or_default() {
        "" if path.is_empty() => own_file,
        "." => "",
        ".." => {
            parts.push("..");
            ""
        }
        name => name,
    };
    for part in parts {
        match part {
            "." => {}
            ".." => {
                folders
                    .pop()
                    .unwrap_or_else(|| panic!("{href} on {page} climbs above the root"));
            }
            name => folders.push(name),
        }
    }
    let folders: String = folders.iter().map(|f| format!("{f}/")).collect();
    format!("/{folders}{file}{rest}")
}

/// A built site on disk.
pub(crate) struct Built {
    pub(crate) out: PathBuf,
    pub(crate) run: CliRun,
    /// The path part of the `base_url` built for, like `/` or `/repo/`.
    pub(crate) base_path: String,
    _dir: Rc<TempDir>,
}

impl Built {
    /// The parsed HTML served at `url` (a path like `/first-steps/alpha/`).
    #[track_caller]
    pub(crate) fn page(&self, url: &str) -> Html {
        let path = self.out.join(output_path(url));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("no page {url} ({}): {e}", path.display()));
        Html::parse_document(&text)
    }

    /// Text of every element matching `css` on `url`.
    #[track_caller]
    pub(crate) fn texts(&self, url: &str, css: &str) -> Vec<String> {
        select(&self.page(url), css)
            .iter()
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    /// Value of `attr` on every element matching `css` on `url`.
    #[track_caller]
    pub(crate) fn attrs(&self, url: &str, css: &str, attr: &str) -> Vec<String> {
        select(&self.page(url), css)
            .iter()
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    /// `attr` (a URL: `href`, `src`, `action`) on every element matching `css`
    /// on `url`, resolved from the domain's root with [`from_root`].
    #[track_caller]
    pub(crate) fn links(&self, url: &str, css: &str, attr: &str) -> Vec<String> {
        let page = output_path(url);
        self.attrs(url, css, attr)
            .iter()
            .map(|href| from_root(&page, href, &self.base_path))
            .collect()
    }

    pub(crate) fn exists(&self, path: &str) -> bool {
        self.out.join(path).exists()
    }

    pub(crate) fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Every HTML file, as output paths.
    pub(crate) fn html_files(&self) -> Vec<String> {
        tree(&self.out)
            .into_keys()
            .filter(|p| p.ends_with(".html"))
            .collect()
    }
}

/// The output file of the page at `url`: `/a/b/` → `a/b/index.html`.
pub(crate) fn output_path(url: &str) -> String {
    let path = url.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

pub(crate) fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
    doc.select(&selector).collect()
}

/// A search index file's registered name and its JSON, unpacked: the file is
/// `__studysiteSearch("<name>","<base64 of zlib JSON>");` (docs/search-index.md).
#[track_caller]
pub(crate) fn search_file(text: &str) -> (String, serde_json::Value) {
    use base64::Engine;
    use std::io::Read;
    let inner = text
        .strip_prefix("__studysiteSearch(\"")
        .and_then(|t| t.strip_suffix("\");\n"))
        .expect("a self-registering search file");
    let (name, packed) = inner.split_once("\",\"").expect("name, then payload");
    let zlib = base64::engine::general_purpose::STANDARD
        .decode(packed)
        .expect("base64 payload");
    let mut json = String::new();
    flate2::read::ZlibDecoder::new(&zlib[..])
        .read_to_string(&mut json)
        .expect("zlib stream of UTF-8");
    let value = serde_json::from_str(&json).expect("valid JSON");
    (name.to_string(), value)
}

/// The JSON of every file of the search index in `out`, unpacked, as one text.
pub(crate) fn search_json(out: &Path) -> String {
    tree(&out.join("search"))
        .into_iter()
        .filter(|(path, _)| path.ends_with(".js"))
        .map(|(_, bytes)| {
            search_file(&String::from_utf8(bytes).unwrap())
                .1
                .to_string()
        })
        .collect()
}

/// Every file under `dir` with its bytes, by relative path.
pub(crate) fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir(dir) {
        let relative = entry
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        files.insert(relative, std::fs::read(&entry).unwrap());
    }
    files
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for file in walkdir(from) {
        let target = to.join(file.strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file, &target).unwrap();
    }
}

#[test]
fn hrefs_resolve_from_the_root_under_the_base_path() {
    let page = "a/c/index.html";
    for (href, base, root) in [
        ("../b/#x", "/", "/a/b/#x"),
        ("./", "/", "/a/c/"),
        ("../../", "/", "/"),
        ("../../index.html", "/", "/index.html"),
        ("d.png", "/", "/a/c/d.png"),
        ("../..", "/", "/"),
        ("?q=1", "/", "/a/c/index.html?q=1"),
        ("../../x/?from=a/c/", "/", "/x/?from=a/c/"),
        ("../b/", "/repo/", "/repo/a/b/"),
        ("../../../", "/repo/", "/"),
        ("#x", "/repo/", "#x"),
        ("/repo/b/", "/repo/", "/repo/b/"),
        ("https://x.org/a/", "/", "https://x.org/a/"),
        ("mailto:a@x.org", "/", "mailto:a@x.org"),
    ] {
        assert_eq!(from_root(page, href, base), root, "{href} under {base}");
    }
    let climbs = std::panic::catch_unwind(|| from_root(page, "../../../x/", "/"));
    assert!(climbs.is_err(), "climbing above the root is an error");
    assert_eq!(base_path("https://u.github.io/repo"), "/repo/");
    assert_eq!(base_path("file:///tmp/s/public/"), "/tmp/s/public/");
    assert_eq!(base_path("/"), "/");
}
