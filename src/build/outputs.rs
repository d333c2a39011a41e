//! Every file a build emits, in memory, before it is written or served.

use std::collections::BTreeMap;

use bytes::Bytes;

use crate::content::model::SiteModel;
use crate::render::theme::ThemeFiles;

/// A file's content: bytes in memory, or a source file to copy (content assets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputBody {
    /// Generated or theme bytes (shared: cloning one is cheap).
    Bytes(Bytes),
    /// Path relative to the site root, copied as it is.
    Copy(String),
}

/// One output file; `path` is relative to the output root, `/`-separated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative output path, e.g. `security/iam/index.html`.
    pub path: String,
    /// The content.
    pub body: OutputBody,
}

impl OutputBody {
    /// Equal content; bytes shared by two builds (a memo hit) compare without a scan.
    pub fn same_as(&self, other: &OutputBody) -> bool {
        match (self, other) {
            (OutputBody::Bytes(a), OutputBody::Bytes(b)) => {
                (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
            }
            _ => self == other,
        }
    }
}

impl OutputFile {
    pub(crate) fn bytes(path: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        OutputFile {
            path: path.into(),
            body: OutputBody::Bytes(bytes.into()),
        }
    }
}

/// Output path of the generated highlight stylesheet.
pub(crate) const HIGHLIGHT_CSS: &str = "css/highlight.css";

/// Static files of the theme plus the generated highlight CSS, by output path.
pub(crate) fn static_files(theme: &ThemeFiles, highlight_css: String) -> BTreeMap<String, Vec<u8>> {
    let mut files = theme.statics.clone();
    files.insert(HIGHLIGHT_CSS.into(), highlight_css.into_bytes());
    files
}

/// The files besides the rendered ones, lowest precedence first: the host files
/// (robots.txt, .nojekyll), content assets, then theme and site statics.
/// robots.txt names the sitemap only when there is one (an absolute `base_url`).
pub(crate) fn base_files(
    statics: BTreeMap<String, Vec<u8>>,
    model: &SiteModel,
    sitemap_url: Option<&str>,
) -> Vec<OutputFile> {
    let sitemap_line = sitemap_url.map_or(String::new(), |url| format!("Sitemap: {url}\n"));
    let mut files = vec![
        OutputFile::bytes(
            "robots.txt",
            format!("User-agent: *\nAllow: /\n{sitemap_line}"),
        ),
        // GitHub Pages runs Jekyll unless told not to, which hides files starting with `_`.
        OutputFile::bytes(".nojekyll", ""),
    ];
    files.extend(model.assets.iter().map(|asset| OutputFile {
        path: asset.output.to_string(),
        body: OutputBody::Copy(asset.source.to_string()),
    }));
    files.extend(
        statics
            .into_iter()
            .map(|(path, bytes)| OutputFile::bytes(path, bytes)),
    );
    files
}
