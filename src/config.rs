//! `site.toml`: the site's settings, parsed strictly so a typo never passes silently.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error, Location, Result};
use crate::source::SourceFile;

/// The config file's name inside the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// Everything in `site.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Site title, shown in the header and `<title>`.
    pub title: String,
    /// Absolute URL the site is served from; its path becomes every URL's prefix.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// One-line description for the home page and meta tags.
    #[serde(default)]
    pub description: String,
    /// BCP 47 language tag for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
    /// Theme folder name under `themes/`; `default` is built in.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The exam the site prepares for.
    #[serde(default)]
    pub exam: ExamConfig,
    /// Search settings.
    #[serde(default)]
    pub search: SearchConfig,
    /// Quiz generation settings.
    #[serde(default)]
    pub quiz: QuizConfig,
    /// Code highlighting themes.
    #[serde(default)]
    pub highlight: HighlightConfig,
    /// Free-form values for themes.
    #[serde(default)]
    pub extra: toml::Table,
}

/// `[exam]`: the mock exam's shape.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExamConfig {
    /// Exam name shown on the exam page.
    pub name: String,
    /// Questions drawn for one mock exam.
    pub questions: u32,
    /// Time limit in minutes.
    pub minutes: u32,
    /// Scaled score needed to pass.
    pub pass_score: u32,
    /// Top of the scaled score.
    pub max_score: u32,
    /// Bottom of the scaled score: what a blank paper scores (AWS scales 100–1000).
    pub min_score: u32,
}

impl Default for ExamConfig {
    fn default() -> Self {
        ExamConfig {
            name: String::new(),
            questions: 20,
            minutes: 30,
            pass_score: 700,
            max_score: 1000,
            min_score: 0,
        }
    }
}

/// `[search]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Build the search index.
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// `[quiz]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct QuizConfig {
    /// Generate questions from question headings.
    pub auto_generate: bool,
    /// Seed for generated questions, so builds are reproducible.
    pub seed: u64,
    /// Read practice-exam questions written as numbered lists with lettered
    /// options and an answer line as quiz questions.
    pub practice_exams: bool,
}

impl Default for QuizConfig {
    fn default() -> Self {
        QuizConfig {
            auto_generate: true,
            seed: 1,
            practice_exams: true,
        }
    }
}

/// `[highlight]`: syntect theme names for each colour scheme.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HighlightConfig {
    /// Theme for light mode.
    pub light: String,
    /// Theme for dark mode.
    pub dark: String,
}

impl Default for HighlightConfig {
    fn default() -> Self {
        HighlightConfig {
            light: "InspiredGitHub".into(),
            dark: "base16-ocean.dark".into(),
        }
    }
}

fn default_base_url() -> String {
    "/".into()
}

fn default_language() -> String {
    "en".into()
}

fn default_theme() -> String {
    "default".into()
}

impl SiteConfig {
    /// The path part of `base_url`, always starting and ending with `/`
    /// (`https://u.github.io/repo` → `/repo/`).
    pub fn base_path(&self) -> String {
        let url = self.base_url.trim();
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let path = if url.contains("://") {
            after_scheme.find('/').map_or("", |i| &after_scheme[i..])
        } else {
            after_scheme
        };
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            "/".into()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// Whether folder URLs must name their `index.html`: a site built for `file://`
    /// is opened from disk, where a folder URL shows a directory listing.
    pub fn folder_urls_name_index(&self) -> bool {
        self.base_url.trim_start().starts_with("file:")
    }

    /// `base_url` without a trailing slash, for absolute URLs (sitemap, canonical).
    pub fn absolute_root(&self) -> String {
        self.base_url.trim().trim_end_matches('/').to_string()
    }

    /// Whether `base_url` is an absolute web URL, which the sitemap, canonical
    /// links and robots.txt's `Sitemap:` line need (pages link relatively anyway).
    pub fn has_absolute_base(&self) -> bool {
        let root = self.absolute_root();
        root.starts_with("http://") || root.starts_with("https://")
    }
}

/// A site-relative URL as written into pages: `index.html` appended to folder URLs
/// when `name_index` (see [`SiteConfig::folder_urls_name_index`]).
pub(crate) fn folder_url(url: String, name_index: bool) -> String {
    if name_index && url.ends_with('/') {
        url + "index.html"
    } else {
        url
    }
}

/// Reads and validates `root/site.toml`.
pub fn load_config(root: &Path) -> Result<SiteConfig> {
    let path = root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::from(
            Diagnostic::error(
                Some(Location::file(CONFIG_FILE)),
                format!("no {CONFIG_FILE} in {}", root.display()),
            )
            .with_help("run `studysite init` to create a site, or pass the site folder with -r"),
        ),
        _ => Error::io(&path, e),
    })?;
    parse_config(&SourceFile::new(CONFIG_FILE, text))
}

/// Parses config text; errors point at the offending line.
pub(crate) fn parse_config(file: &SourceFile) -> Result<SiteConfig> {
    toml::from_str(&file.text).map_err(|e| {
        let location = match e.span() {
            Some(span) => file.location(span.start),
            None => Location::file(&*file.path),
        };
        let message = e.message().trim().to_string();
        let help = if message.starts_with("unknown field") {
            "remove the key or fix its spelling; the valid keys are listed above"
        } else {
            "fix the value; see the README's site.toml section for every key"
        };
        Error::from(Diagnostic::error(Some(location), message).with_help(help))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SiteConfig> {
        parse_config(&SourceFile::new(CONFIG_FILE, text.to_string()))
    }

    #[test]
    fn base_path_from_base_url() {
        let mut config = parse("title = \"t\"").unwrap();
        for (url, path) in [
            ("/", "/"),
            ("https://u.github.io/repo/", "/repo/"),
            ("https://u.github.io/repo", "/repo/"),
            ("https://example.com", "/"),
            ("/sub", "/sub/"),
        ] {
            config.base_url = url.into();
            assert_eq!(config.base_path(), path, "{url}");
        }
    }

    #[test]
    fn unknown_key_names_line_and_valid_keys() {
        let err = parse("title = \"t\"\ncolour = \"red\"\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("unknown field `colour`"), "{text}");
        assert!(text.contains("site.toml:2:1"), "{text}");
        assert!(text.contains("`base_url`"), "{text}");
    }
}
