//! Entry points for the fuzz targets in `fuzz/` (`cargo +nightly fuzz run …`).
//!
//! Compiled only with the `fuzzing` feature (and for tests, which replay every input
//! the fuzzers found from `tests/fuzz_regressions/<target>/`), so the library's
//! normal API stays as it is. Each entry point takes arbitrary text, runs one stage the way a build does,
//! and checks what must hold for any input (never a panic; nothing outside the
//! site served); the fuzzer's timeout and memory limit catch super-linear cost.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use crate::config::{parse_config, SiteConfig};
use crate::content::front_matter;
use crate::content::{PAGE_KEYS, SECTION_KEYS};
use crate::error::Diagnostics;
use crate::markdown::{render_note, MarkdownEnv, NoteSource, RenderedNote, Urls};
use crate::render::theme::ThemeFiles;
use crate::render::Renderer;
use crate::search::documents::NoteInput;
use crate::source::SourceFile;

/// The whole note pipeline with the default theme's partials, made once per fuzzer.
pub struct NoteFuzzer {
    renderer: Renderer,
    targets: Urls,
}

impl Default for NoteFuzzer {
    fn default() -> Self {
        let config_file = SourceFile::new(
            "site.toml",
            "title = \"Fuzz\"\nbase_url = \"https://example.org/base/\"\n".into(),
        );
        let config: SiteConfig = parse_config(&config_file).expect("constant config is valid");
        let theme = ThemeFiles::load(Path::new("/nonexistent"), "default")
            .expect("the embedded theme loads");
        let renderer =
            Renderer::new(&theme, &config, BTreeMap::new()).expect("the embedded theme compiles");
        let targets = Urls {
            base_path: "/base/".into(),
            pages: Arc::new(HashMap::from([
                ("content/sec/note.md".into(), "sec/note/".into()),
                ("content/sec/other.md".into(), "sec/other/".into()),
                ("content/sec/_index.md".into(), "sec/".into()),
            ])),
            assets: Arc::new(HashMap::from([(
                "content/sec/img/a.png".into(),
                "sec/img/a.png".into(),
            )])),
            folder_index: false,
            wiki: Default::default(),
        };
        NoteFuzzer { renderer, targets }
    }
}

impl NoteFuzzer {
    /// Front matter split and checked, Markdown with every pass, the note's own
    /// links resolved, and its search documents indexed: what `check` does to a note.
    pub fn note(&self, text: &str) {
        let file = Arc::new(SourceFile::new("content/sec/note.md", text.to_string()));
        let split = front_matter::split(&file.text);
        let mut diagnostics = Diagnostics::default();
        front_matter::parse(&file, &split, PAGE_KEYS, &mut diagnostics);
        let note = NoteSource {
            file: &file,
            body_start: split.body_start,
            skip_first_h1: true,
            practice_questions: true,
        };
        let env = MarkdownEnv {
            partials: &self.renderer,
            targets: &self.targets,
            compress: true,
        };
        // A template error is a legitimate outcome for some input; a panic is not.
        let Ok(rendered) = render_note(&note, &env) else {
            return;
        };
        let notes = rustc_hash::FxHashMap::from_iter([("content/sec/note.md", &rendered)]);
        crate::links::resolve_links(&notes);
        for diagnostic in rendered.diagnostics.iter() {
            diagnostic.render();
        }
        index_notes(&[&rendered]);
    }
}

/// Front matter of a page and of a section, both formats, keys checked.
pub fn front_matter(text: &str) {
    let file = SourceFile::new("content/sec/note.md", text.to_string());
    let split = front_matter::split(&file.text);
    assert!(split.body_start <= text.len() && text.is_char_boundary(split.body_start));
    for keys in [PAGE_KEYS, SECTION_KEYS] {
        let mut diagnostics = Diagnostics::default();
        front_matter::parse(&file, &split, keys, &mut diagnostics);
        for diagnostic in diagnostics.iter() {
            diagnostic.render();
        }
    }
}

/// The search tokeniser and index builder over a note whose `#` lines are headings.
pub fn search(text: &str) {
    let mut note = RenderedNote::default();
    let mut sections = Vec::new();
    let mut section = crate::markdown::TextSection::default();
    for line in text.lines() {
        match line.strip_prefix('#') {
            Some(title) => {
                sections.push(std::mem::take(&mut section));
                section.heading = Some(note.headings.len());
                note.headings.push(crate::markdown::Heading {
                    level: 2,
                    id: crate::markdown::headings::github_slug(title),
                    text: title.trim().to_string(),
                    offset: 0,
                });
            }
            None => {
                section.text.push_str(line);
                section.text.push(' ');
            }
        }
    }
    sections.push(section);
    note.sections = crate::markdown::packed::PackedTexts::new(&sections);
    index_notes(&[&note]);
}

fn index_notes(notes: &[&RenderedNote]) {
    let inputs: Vec<NoteInput<'_>> = notes
        .iter()
        .map(|note| NoteInput {
            title: "Fuzz",
            path: "sec/note/",
            section: "Sec",
            note,
        })
        .collect();
    let texts: Vec<_> = notes.iter().map(|note| note.sections.unpack()).collect();
    crate::search::build_from_notes(&inputs, &texts, "en");
}

/// `check`'s output link checker on one HTML page.
pub fn output_links(html: &str) {
    crate::build::link_check::check_page_for_fuzzing(html);
}

pub use crate::serve::fuzz_request as serve_request;

#[cfg(test)]
mod tests;
