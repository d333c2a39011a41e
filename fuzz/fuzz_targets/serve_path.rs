//! Serve's request-path normalisation: whatever the path, only the site's files
//! are served, and never the file planted beside the site root.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

const SECRET: &[u8] = b"outside the site";

/// `<tmp>/site/inside.txt` is the site's one copied file; `<tmp>/secret.txt` is outside.
static ROOT: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("studysite-fuzz-{}", std::process::id()));
    let site = dir.join("site");
    std::fs::create_dir_all(&site).expect("temp dir is writable");
    std::fs::write(site.join("inside.txt"), b"inside").expect("temp dir is writable");
    std::fs::write(dir.join("secret.txt"), SECRET).expect("temp dir is writable");
    site
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (method, path) = text.split_once(' ').unwrap_or(("GET", text));
    let (status, body) = studysite::fuzzing::serve_request(ROOT.clone(), method, path);
    assert!(
        body != SECRET,
        "served a file outside the site for {path:?}"
    );
    assert!(
        [200, 302, 400, 404, 405].contains(&status),
        "status {status} for {path:?}"
    );
});
