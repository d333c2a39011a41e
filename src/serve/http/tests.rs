use super::*;
use crate::build::OutputFile;

fn state(base_path: &str) -> ServeState {
    let site = BuiltSite {
        files: vec![
            OutputFile::bytes("404.html", "<body>missing</body>"),
            OutputFile::bytes("a/b/index.html", "<body>b</body>"),
            OutputFile::bytes("css/style.css", "p{}"),
            OutputFile::bytes("data.json", "{}"),
            OutputFile::bytes("index.html", "<body>home</body>"),
            OutputFile::bytes("sp ace/index.html", "<body>space</body>"),
        ],
        base_path: base_path.into(),
    };
    ServeState::new(PathBuf::from("/nonexistent"), site, "test".into())
}

use std::path::PathBuf;

fn get(state: &ServeState, path: &str) -> Reply {
    respond("GET", path, state)
}

fn body(reply: &Reply) -> String {
    String::from_utf8(reply.body.to_vec()).unwrap()
}

#[test]
fn pages_folders_and_redirects() {
    let state = state("/");
    let home = get(&state, "/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert!(body(&home).starts_with("<body>home<script src=\"__studysite/livereload.js\""));
    let page = get(&state, "/a/b/");
    assert_eq!(page.status, 200);
    assert!(body(&page).contains("<script src=\"../../__studysite/livereload.js\""));
    assert_eq!(get(&state, "/a/b/index.html").status, 200);
    assert_eq!(get(&state, "/a//b/?x=1#f").status, 200);
    assert_eq!(get(&state, "/sp%20ace/").status, 200);
    let redirect = get(&state, "/a/b?x=1");
    assert_eq!(redirect.status, 302);
    assert_eq!(redirect.location.as_deref(), Some("/a/b/?x=1"));
}

#[test]
fn missing_paths_get_the_site_404_page() {
    let state = state("/");
    for path in ["/nope", "/a/", "/a/b/c.html", "/%252e%252e/x"] {
        let reply = get(&state, path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(body(&reply).contains("missing"), "{path}");
    }
}

#[test]
fn only_get_and_head() {
    let state = state("/");
    assert_eq!(respond("HEAD", "/", &state).status, 200);
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "get"] {
        assert_eq!(respond(method, "/", &state).status, 405, "{method}");
    }
}

#[test]
fn traversal_is_refused() {
    let state = state("/");
    for path in [
        "/../Cargo.toml",
        "/a/../../etc/passwd",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/a/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/..%2fCargo.toml",
        "/..%5cCargo.toml",
        "/a\\..\\..\\Cargo.toml",
        "/%00",
        "/index.html%00.css",
        "/%zz",
        "/%c0%ae%c0%ae/x",
        "//etc/passwd",
        "*",
        "http://example.com/",
    ] {
        let reply = get(&state, path);
        assert!(
            matches!(reply.status, 400 | 404),
            "{path}: {}",
            reply.status
        );
        assert!(!body(&reply).contains("[package]"), "{path}");
    }
}

#[test]
fn base_path_is_stripped() {
    let state = state("/repo/");
    assert_eq!(get(&state, "/repo/").status, 200);
    assert_eq!(get(&state, "/repo/a/b/").status, 200);
    assert_eq!(get(&state, "/a/b/").status, 404);
    let root = get(&state, "/");
    assert_eq!(root.status, 302);
    assert_eq!(root.location.as_deref(), Some("/repo/"));
}

#[test]
fn content_types_by_extension() {
    let state = state("/");
    assert_eq!(
        get(&state, "/css/style.css").content_type,
        "text/css; charset=utf-8"
    );
    assert_eq!(get(&state, "/data.json").content_type, "application/json");
    assert_eq!(body(&get(&state, "/css/style.css")), "p{}");
    let script = get(&state, "/__studysite/livereload.js");
    assert_eq!(script.status, 200);
    assert_eq!(script.content_type, "text/javascript; charset=utf-8");
    for (ext, expected) in [
        ("svg", "image/svg+xml"),
        ("PNG", "image/png"),
        ("woff2", "font/woff2"),
        ("wasm", "application/wasm"),
        ("xml", "application/xml"),
        ("mjs", "text/javascript; charset=utf-8"),
        ("unknown", "application/octet-stream"),
    ] {
        assert_eq!(content_type(ext), expected, "{ext}");
    }
}

#[test]
fn copies_stay_inside_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("content/pic.png"), b"png").unwrap();
    std::fs::write(dir.path().join("secret.txt"), b"secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("content/link.png"))
        .unwrap();
    let site = BuiltSite {
        files: vec![
            OutputFile {
                path: "link.png".into(),
                body: OutputBody::Copy("content/link.png".into()),
            },
            OutputFile {
                path: "pic.png".into(),
                body: OutputBody::Copy("content/pic.png".into()),
            },
        ],
        base_path: "/".into(),
    };
    let state = ServeState::new(root, site, "t".into());
    assert_eq!(body(&get(&state, "/pic.png")), "png");
    #[cfg(unix)]
    assert_eq!(get(&state, "/link.png").status, 404);
}
