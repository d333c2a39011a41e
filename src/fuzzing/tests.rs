//! Replays every input the fuzzers found (crashes, timeouts, memory blow-ups), kept
//! in `tests/fuzz_regressions/<target>/`, through the same entry points.

use std::path::{Path, PathBuf};

use super::*;

/// Each file of `tests/fuzz_regressions/<target>/`, as text.
fn inputs(target: &str) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable folder").path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("readable input");
            (path, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

#[test]
fn note_inputs_render() {
    let fuzzer = NoteFuzzer::default();
    for (_, text) in inputs("note") {
        fuzzer.note(&text);
    }
}

#[test]
fn front_matter_inputs_parse() {
    for (_, text) in inputs("front_matter") {
        front_matter(&text);
    }
}

#[test]
fn search_inputs_index() {
    for (_, text) in inputs("search") {
        search(&text);
    }
}

#[test]
fn output_links_inputs_check() {
    for (_, text) in inputs("output_links") {
        output_links(&text);
    }
}

#[test]
fn serve_path_inputs_stay_inside_the_site() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("inside.txt"), "inside").unwrap();
    std::fs::write(dir.path().join("secret.txt"), "outside the site").unwrap();
    for (path, text) in inputs("serve_path") {
        let (method, raw) = text.split_once(' ').unwrap_or(("GET", &text));
        let (status, body) = serve_request(site.clone(), method, raw);
        assert_ne!(body, b"outside the site", "{}", path.display());
        assert!(
            [200, 302, 400, 404, 405].contains(&status),
            "{}",
            path.display()
        );
    }
}
