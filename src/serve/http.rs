//! Answers one request from the in-memory site: a pure function of the method,
//! the raw request path and the shared state, so it is tested without sockets.
//!
//! Paths are decoded once, segment by segment; a segment that decodes to `.`,
//! `..`, or contains `/`, `\` or NUL is refused with 400, so nothing outside the
//! built site can be named. Only files recorded in the build are ever served.

use std::path::Path;

use bytes::Bytes;

use crate::build::{BuiltSite, OutputBody};

use super::reload;
use super::state::{find, ServeState};

/// A response, before it is written to its connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    /// For redirects.
    pub(crate) location: Option<String>,
    /// The full body; a reply to HEAD sends only its length.
    pub(crate) body: Bytes,
}

impl Reply {
    pub(crate) fn text(status: u16, text: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            location: None,
            body: format!("{text}\n").into(),
        }
    }

    fn redirect(location: String) -> Reply {
        Reply {
            location: Some(location),
            ..Reply::text(302, "moved")
        }
    }
}

/// Answers `method raw_path` from the current site.
pub(crate) fn respond(method: &str, raw_path: &str, state: &ServeState) -> Reply {
    if method != "GET" && method != "HEAD" {
        return Reply::text(405, "method not allowed: only GET and HEAD");
    }
    let (path, query) = split_query(raw_path);
    if path == reload::SCRIPT_URL {
        return Reply {
            status: 200,
            content_type: content_type("js"),
            location: None,
            body: Bytes::from_static(reload::LIVERELOAD_JS.as_bytes()),
        };
    }
    let request = match decode_path(path) {
        Ok(request) => request,
        Err(message) => return Reply::text(400, message),
    };
    let site = state.site();
    // The page's folder, counted in `../` back to the server's root, where the
    // live-reload script is: pages link it relatively, like everything else.
    let page = Page {
        state,
        depth: path.matches('/').count().saturating_sub(1),
    };
    let Some(rel) = strip_base(&request.segments, &site.base_path) else {
        if request.segments.is_empty() && site.base_path != "/" {
            return Reply::redirect(site.base_path.clone());
        }
        return not_found(&site, &page);
    };
    let wanted = if request.dir || rel.is_empty() {
        join(&rel, "index.html")
    } else {
        rel.clone()
    };
    if let Some(reply) = serve_file(&site, &wanted, 200, &page) {
        return reply;
    }
    if !request.dir && find(&site, &join(&rel, "index.html")).is_some() {
        return Reply::redirect(format!("{path}/{query}"));
    }
    not_found(&site, &page)
}

/// Where a reply goes: the server's state and the requested page's depth.
struct Page<'s> {
    state: &'s ServeState,
    depth: usize,
}

fn not_found(site: &BuiltSite, page: &Page<'_>) -> Reply {
    serve_file(site, "404.html", 404, page).unwrap_or_else(|| Reply::text(404, "not found"))
}

fn serve_file(site: &BuiltSite, path: &str, status: u16, page: &Page<'_>) -> Option<Reply> {
    let state = page.state;
    let file = find(site, path)?;
    let body = match &file.body {
        OutputBody::Bytes(bytes) => bytes.clone(),
        OutputBody::Copy(source) => read_inside(&state.root, source)?.into(),
    };
    let extension = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    let body = if extension == "html" {
        reload::inject_script(&body, page.depth, state.generation(), &state.instance).into()
    } else {
        body
    };
    Some(Reply {
        status,
        content_type: content_type(extension),
        location: None,
        body,
    })
}

/// Reads `root/source` unless it resolves (through symlinks) outside the root.
fn read_inside(root: &Path, source: &str) -> Option<Vec<u8>> {
    let root = root.canonicalize().ok()?;
    let file = root.join(source).canonicalize().ok()?;
    if !file.starts_with(&root) {
        log::warn!("refusing to serve {source}: it resolves outside the site");
        return None;
    }
    std::fs::read(file).ok()
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn split_query(raw: &str) -> (&str, &str) {
    let raw = raw.split_once('#').map_or(raw, |(path, _)| path);
    match raw.find('?') {
        Some(i) => raw.split_at(i),
        None => (raw, ""),
    }
}

/// A decoded request path: its segments, and whether it ended in `/`.
#[derive(Debug, PartialEq, Eq)]
struct RequestPath {
    segments: Vec<String>,
    dir: bool,
}

fn decode_path(path: &str) -> Result<RequestPath, &'static str> {
    if !path.starts_with('/') {
        return Err("bad request: the path must start with /");
    }
    if path.contains('\\') {
        return Err("bad request: backslash in path");
    }
    let mut segments = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let segment = percent_decode(raw).ok_or("bad request: malformed escape in path")?;
        if segment == "." || segment == ".." {
            return Err("bad request: dot segment in path");
        }
        if segment.contains(['/', '\\', '\0']) {
            return Err("bad request: forbidden character in path");
        }
        segments.push(segment);
    }
    Ok(RequestPath {
        segments,
        dir: path.ends_with('/'),
    })
}

/// Decodes `%XX` escapes once; `None` for a malformed escape or invalid UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The path inside the site, or `None` when the request is outside the base path.
fn strip_base(segments: &[String], base_path: &str) -> Option<String> {
    let mut rest = segments.iter();
    for base in base_path.split('/').filter(|s| !s.is_empty()) {
        if rest.next().map(String::as_str) != Some(base) {
            return None;
        }
    }
    Some(rest.map(String::as_str).collect::<Vec<_>>().join("/"))
}

/// Content-Type by file extension.
pub(crate) fn content_type(extension: &str) -> &'static str {
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests;
