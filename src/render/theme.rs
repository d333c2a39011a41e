//! Theme files: the default theme embedded in the binary (so `init` and `build`
//! work anywhere), overridden file by file by the site's `themes/<name>/` and
//! then by its own `templates/` and `static/` folders.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::error::{Diagnostic, Error, Location, Result};
use crate::hashing::key_of;
use crate::source::slash_path;

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../themes/default/", $path)))),*]
    };
}

/// The default theme, as `(path inside the theme, bytes)`.
const DEFAULT_THEME: &[(&str, &[u8])] = embed!(
    "templates/base.html",
    "templates/index.html",
    "templates/section.html",
    "templates/page.html",
    "templates/404.html",
    "templates/mnemonics.html",
    "templates/quiz.html",
    "templates/quiz_index.html",
    "templates/flashcards.html",
    "templates/cram.html",
    "templates/exam.html",
    "templates/progress.html",
    "templates/partials/quiz_question.html",
    "templates/partials/scripts.html",
    "templates/search.html",
    "templates/tags.html",
    "templates/sitemap.xml",
    "templates/partials/heading_anchor.html",
    "templates/partials/callout.html",
    "templates/partials/embed.html",
    "templates/partials/block_anchor.html",
    "templates/partials/video.html",
    "templates/partials/mnemonic.html",
    "templates/partials/mnemonic_pairs.html",
    "templates/partials/nav.html",
    "templates/partials/toc.html",
    "templates/partials/page_list.html",
    "templates/partials/pager.html",
    "templates/partials/practice_links.html",
    "static/css/style.css",
    "static/css/print.css",
    "static/favicon.svg",
    "static/js/theme.js",
    "static/js/print.js",
    "static/js/quiz-logic.js",
    "static/js/leitner.js",
    "static/js/quiz-store.js",
    "static/js/exam-logic.js",
    "static/js/quiz.js",
    "static/js/flashcards.js",
    "static/js/flashcard-decks.js",
    "static/js/exam.js",
    "static/js/offline.js",
    "static/js/search.js",
    "static/js/search-core.js",
    "static/js/progress-store.js",
    "static/js/progress-chart.js",
    "static/js/progress.js",
    "static/js/home-progress.js",
);

/// One template and where it came from (for error messages).
#[derive(Debug, Clone, Hash)]
pub(crate) struct TemplateFile {
    /// Shown in errors: a path relative to the site root, or `(default theme) x.html`.
    pub(crate) origin: String,
    pub(crate) text: String,
}

/// Every template and static file the build will use.
#[derive(Debug, Clone, Default)]
pub(crate) struct ThemeFiles {
    /// By template name (`page.html`, `partials/nav.html`).
    pub(crate) templates: BTreeMap<String, TemplateFile>,
    /// By output path (`css/style.css`).
    pub(crate) statics: BTreeMap<String, Vec<u8>>,
}

impl ThemeFiles {
    /// The embedded default theme, then the theme folder, then the site's own overrides.
    pub(crate) fn load(root: &Path, theme: &str) -> Result<ThemeFiles> {
        let mut files = ThemeFiles::default();
        for (path, bytes) in DEFAULT_THEME {
            files.add(path, format!("(default theme) {path}"), bytes.to_vec())?;
        }
        let theme_dir = root.join("themes").join(theme);
        if theme_dir.is_dir() {
            files.add_dir(root, &theme_dir)?;
        } else if theme != "default" {
            return Err(Diagnostic::error(
                Some(Location::file(crate::config::CONFIG_FILE)),
                format!("theme `{theme}` not found: no folder themes/{theme}"),
            )
            .with_help("create the theme folder, or remove `theme` to use the default theme")
            .into());
        }
        files.add_dir(root, root)?;
        Ok(files)
    }

    /// Adds `dir/templates/**` and `dir/static/**`, less hidden files and tests.
    fn add_dir(&mut self, root: &Path, dir: &Path) -> Result<()> {
        for kind in ["templates", "static"] {
            let base = dir.join(kind);
            if !base.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::io(&base, e.into()))?;
                if !entry.file_type().is_file() || is_hidden(entry.path()) || is_test(entry.path())
                {
                    continue;
                }
                let inner = slash_path(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
                let origin = slash_path(entry.path().strip_prefix(root).unwrap_or(entry.path()));
                let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
                self.add(&inner, origin, bytes)?;
            }
        }
        Ok(())
    }

    fn add(&mut self, inner: &str, origin: String, bytes: Vec<u8>) -> Result<()> {
        if let Some(name) = inner.strip_prefix("templates/") {
            let text = String::from_utf8(bytes).map_err(|_| {
                Diagnostic::error(Some(Location::file(&origin)), "template is not valid UTF-8")
                    .with_help("save the template as UTF-8")
            })?;
            self.templates
                .insert(name.to_string(), TemplateFile { origin, text });
        } else if let Some(path) = inner.strip_prefix("static/") {
            self.statics.insert(path.to_string(), bytes);
        }
        Ok(())
    }
}

impl ThemeFiles {
    /// For each template, a hash of its text and of every template it reaches
    /// through `extends`, `include` and `import` (and of `static_hashes` when
    /// any of them calls `asset()`): what a page rendered with it depends on, so
    /// `serve` re-renders only the pages a template or static edit touches. A
    /// tag naming a template by anything but a literal makes the template
    /// depend on all of them.
    pub(crate) fn dependency_keys(
        &self,
        static_hashes: &BTreeMap<String, String>,
    ) -> BTreeMap<String, u64> {
        static TAG: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"\{%-?\s*(?:extends|include|import)\b([^%]*)%\}").expect("valid")
        });
        static LITERAL: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r#""([^"]+)"|'([^']+)'"#).expect("valid"));
        let all: Vec<&str> = self.templates.keys().map(String::as_str).collect();
        let direct: BTreeMap<&str, Vec<&str>> = self
            .templates
            .iter()
            .map(|(name, file)| {
                let mut uses = Vec::new();
                for tag in TAG.captures_iter(&file.text) {
                    let args = tag.get(1).map_or("", |m| m.as_str());
                    let names: Vec<&str> = LITERAL
                        .captures_iter(args)
                        .filter_map(|c| c.get(1).or(c.get(2)).map(|m| m.as_str()))
                        .collect();
                    match names.is_empty() {
                        true => uses.extend(&all),
                        false => uses.extend(names),
                    }
                }
                (name.as_str(), uses)
            })
            .collect();
        self.templates
            .keys()
            .map(|name| {
                let mut reached = BTreeSet::from([name.as_str()]);
                let mut queue = vec![name.as_str()];
                while let Some(next) = queue.pop() {
                    for &used in direct.get(next).into_iter().flatten() {
                        if reached.insert(used) {
                            queue.push(used);
                        }
                    }
                }
                let texts: Vec<(&str, Option<&str>)> = reached
                    .iter()
                    .map(|&t| (t, self.templates.get(t).map(|f| f.text.as_str())))
                    .collect();
                let uses_assets = texts
                    .iter()
                    .any(|(_, t)| t.is_some_and(|t| t.contains("asset(")));
                let statics = uses_assets.then_some(static_hashes);
                (name.clone(), key_of(&(texts, statics)))
            })
            .collect()
    }
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// A test that lives beside what it tests, named `*.test.*` (the theme's
/// `js/quiz-logic.test.mjs`): never part of a site, so never copied to it.
fn is_test(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().contains(".test."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(templates: &[(&str, &str)]) -> ThemeFiles {
        let templates = templates
            .iter()
            .map(|(name, text)| {
                let file = TemplateFile {
                    origin: name.to_string(),
                    text: text.to_string(),
                };
                (name.to_string(), file)
            })
            .collect();
        ThemeFiles {
            templates,
            statics: BTreeMap::new(),
        }
    }

    #[test]
    fn a_template_key_follows_what_it_extends_and_includes_and_nothing_else() {
        let files = [
            ("base.html", "<main>{% block main %}{% endblock %}</main>"),
            ("page.html", "{% extends \"base.html\" %}{% block main %}{% include 'partials/toc.html' %}{% endblock %}"),
            ("quiz.html", "{% extends \"base.html\" %}"),
            ("partials/toc.html", "<nav></nav>"),
        ];
        let statics = BTreeMap::new();
        let before = theme(&files).dependency_keys(&statics);
        let mut edited = files;
        edited[3].1 = "<nav class=\"toc\"></nav>";
        let after = theme(&edited).dependency_keys(&statics);
        assert_ne!(
            before["page.html"], after["page.html"],
            "page.html includes the partial"
        );
        assert_eq!(before["quiz.html"], after["quiz.html"]);
        assert_eq!(before["base.html"], after["base.html"]);
        edited[0].1 = "<main class=\"x\">{% block main %}{% endblock %}</main>";
        let based = theme(&edited).dependency_keys(&statics);
        assert_ne!(
            after["quiz.html"], based["quiz.html"],
            "quiz.html extends base.html"
        );
    }
}
