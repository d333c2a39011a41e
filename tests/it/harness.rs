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
        Built {
            out: self.root().join("public"),
            run,
            _dir: Rc::clone(&self.dir),
        }
    }
}

/// A built site on disk.
pub(crate) struct Built {
    pub(crate) out: PathBuf,
    pub(crate) run: CliRun,
    _dir: Rc<TempDir>,
}

impl Built {
    /// The parsed HTML served at `url` (a path like `/first-steps/alpha/`).
    #[track_caller]
    pub(crate) fn page(&self, url: &str) -> Html {
        let mut path = self.out.join(url.trim_start_matches('/'));
        if url.ends_with('/') || url.is_empty() {
            path = path.join("index.html");
        }
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

pub(crate) fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
    doc.select(&selector).collect()
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
