//! Stage 9: the whole pipeline, one timed call per stage, then the job list run into the output.
//!
//! `build` writes to disk atomically, `check` runs the same pipeline strictly
//! with no output, and `serve` keeps the result in memory.

pub(crate) mod external_links;
mod jobs;
pub(crate) mod link_check;
pub(crate) mod link_tables;
pub(crate) mod offline;
pub(crate) mod outputs;
pub(crate) mod preview;
pub(crate) mod render;
pub(crate) mod report;
pub(crate) mod sink;
mod spill;
pub(crate) mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::cache;
use crate::cache::memo::try_memoised;
use crate::cache::sources::load_content_cached;
pub use crate::cache::{BuildCache, CacheStats};
use crate::config::{load_config, SiteConfig, CONFIG_FILE};
use crate::content::model::SiteModel;
use crate::content::{load_content, LoadOptions};
use crate::error::{Diagnostic, Diagnostics, Error, Location, Result};
use crate::hashing::{content_hash, json_key, key_of};
use crate::links::resolve_links;
use crate::markdown::highlight::{theme_css, theme_names};
use crate::markdown::{render_note, MarkdownEnv, NoteSource, RenderedNote, Urls};
use crate::pages;
use crate::render::theme::ThemeFiles;
use crate::render::Renderer;
pub use outputs::{OutputBody, OutputFile};
pub use preview::PreviewSink;
use render::Outputs;
pub use report::{BuildReport, StageTiming};
use sink::{Finished, Sink};
use spill::Spill;

/// Rendered notes, shared with serve's cache.
type Notes = Vec<Arc<RenderedNote>>;

/// Where a build's output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputTarget {
    /// Write to this folder, atomically.
    Disk(PathBuf),
    /// Keep in memory (serve).
    Memory,
    /// Discard (check).
    None,
}

/// Options for one build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holding site.toml and content/).
    pub root: PathBuf,
    /// Where the output goes.
    pub target: OutputTarget,
    /// Overrides `base_url` from site.toml.
    pub base_url: Option<String>,
    /// Include pages marked `draft = true`.
    pub drafts: bool,
    /// Replace an output folder studysite did not create.
    pub force: bool,
    /// Treat warnings (broken links …) as errors.
    pub strict: bool,
    /// With `strict`: fetch every external web link and report those that fail.
    pub fetch_external: bool,
}

impl BuildOptions {
    /// Defaults for building `root` into `root/public`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        BuildOptions {
            target: OutputTarget::Disk(root.join("public")),
            root,
            base_url: None,
            drafts: false,
            force: false,
            strict: false,
            fetch_external: false,
        }
    }
}

/// A complete build held in memory.
#[derive(Debug, Clone, Default)]
pub struct BuiltSite {
    /// Every output file, sorted by path.
    pub files: Vec<OutputFile>,
    /// URL path prefix the site was built for.
    pub base_path: String,
}

/// Builds the site; returns the report and, for [`OutputTarget::Memory`], the files.
pub fn build(options: &BuildOptions) -> Result<(BuildReport, BuiltSite)> {
    run(options, None, None)
}

/// [`build`], reusing what in `cache` is unchanged since the
/// last build with it (serve's rebuilds); the output is the same as `build`'s.
pub fn build_cached(
    options: &BuildOptions,
    cache: &BuildCache,
) -> Result<(BuildReport, BuiltSite)> {
    run(options, Some(cache), None)
}

/// [`build_cached`] that first hands `preview` the pages of the notes an
/// edit changed, made with the last build's sidebars (see `build/preview.rs`), unless
/// the site's pages came, went or moved.
pub fn build_previewed(
    options: &BuildOptions,
    cache: &BuildCache,
    preview: &PreviewSink<'_>,
) -> Result<(BuildReport, BuiltSite)> {
    run(options, Some(cache), Some(preview))
}

fn run(
    options: &BuildOptions,
    cache: Option<&BuildCache>,
    preview: Option<&PreviewSink<'_>>,
) -> Result<(BuildReport, BuiltSite)> {
    let started = Instant::now();
    let mut timer = StageTimer::default();
    let mut diagnostics = Diagnostics::default();
    if let OutputTarget::Disk(output) = &options.target {
        write::ensure_replaceable(output, options.force)?;
    }
    if let Some(cache) = cache {
        cache.begin();
    }
    let site = prepare(options, cache, &mut timer)?;
    let config = &site.config;
    let mut model = timer.time("load content", || {
        load_model(options, config, cache, &mut diagnostics)
    })?;
    finish_stage(&mut diagnostics, options.strict)?;
    let mut targets = timer.time("link targets", || {
        link_tables::link_targets(&model, config, cache)
    });
    let large = spill::is_large(&model);
    let spill = match (cache, options.strict, &options.target) {
        (None, false, OutputTarget::Disk(output)) if large => {
            Some(Spill::in_dir(&output_parent(output))?)
        }
        _ => None,
    };
    let (notes, section_notes) = timer.time("render markdown", || {
        let notes = render_markdown(&site, &model, &targets, cache, large, spill.as_ref())?;
        spill.map_or(Ok(()), Spill::finish)?;
        Ok::<_, Error>(notes)
    })?;
    timer.time("check links", || {
        check_links(&model, &notes, &section_notes, &mut diagnostics);
    });
    finish_stage(&mut diagnostics, options.strict)?;
    if cache.is_none() && !options.strict {
        release_sources(&mut model, &mut targets);
    }
    let snapshot = cache.map(|_| preview::Snapshot::of(&model, &notes));
    if let (Some(cache), Some(now), Some(deliver)) = (cache, &snapshot, preview) {
        let data = pages::SiteData {
            model: &model,
            notes: &notes,
            section_notes: &section_notes,
            config,
            targets: &targets,
        };
        let pages = timer.time("preview", || {
            preview::preview_pages(&data, now, cache, &site.renderer)
        })?;
        if !pages.is_empty() {
            deliver(pages);
        }
    }
    let sink = output_sink(options)?;
    let emit = |path: String, bytes: bytes::Bytes| sink.emit(OutputFile::bytes(path, bytes));
    let outputs = Outputs {
        model: &model,
        notes,
        section_notes: &section_notes,
        config,
        targets: &targets,
        renderer: &site.renderer,
        cache,
        emit: &emit,
        large,
    };
    let kit = outputs.render(&mut timer)?;
    let finished = timer.time("write", || {
        finish_output(sink, site.statics, &model, config)
    })?;
    if let (Some(cache), Some(snapshot)) = (cache, snapshot) {
        cache.finish();
        cache.kit.keep(snapshot, kit);
    }
    let external_links = match options.strict {
        true => check_output(
            options,
            &finished.files,
            &model,
            config,
            &mut timer,
            &mut diagnostics,
        )?,
        false => BTreeSet::new(),
    };
    if let (OutputTarget::Disk(output), true) = (&options.target, options.strict) {
        // `check` wrote nothing while it checked; what passed goes out now.
        timer.time("write", || write_checked(options, output, &finished.files))?;
    }
    let report = BuildReport {
        pages: model.pages.len(),
        sections: model.sections.len(),
        files: finished.count,
        bytes: finished.bytes,
        warnings: diagnostics,
        notes: output_notes(config),
        external_links,
        timings: timer.stages,
        elapsed: started.elapsed(),
    };
    let built = match options.target {
        OutputTarget::Memory => BuiltSite {
            files: finished.files,
            base_path: config.base_path(),
        },
        _ => BuiltSite::default(),
    };
    Ok((report, built))
}

/// The base files (static files, robots.txt, 404 …) and the offline parts
/// list, made from everything written; then the sink's last step.
fn finish_output(
    sink: Sink,
    statics: BTreeMap<String, Vec<u8>>,
    model: &SiteModel,
    config: &SiteConfig,
) -> Result<Finished> {
    let sitemap_url = config
        .has_absolute_base()
        .then(|| format!("{}/sitemap.xml", config.absolute_root()));
    sink.emit_base(outputs::base_files(statics, model, sitemap_url.as_deref()))?;
    let written = sink.written();
    if !written.is_empty() {
        for file in offline::offline_files(&written, model) {
            sink.emit(file)?;
        }
    }
    sink.finish()
}

/// Where outputs go as they are made: for `build` straight into a staging
/// folder, so memory never holds the whole site; for `serve` and `check`, memory.
fn output_sink(options: &BuildOptions) -> Result<Sink> {
    match (&options.target, options.strict) {
        (OutputTarget::Disk(output), false) => Sink::staging(&options.root, output, options.force),
        _ => Ok(Sink::in_memory(&options.root)),
    }
}

/// The folder the output folder is in, where a clean build's scratch file goes.
fn output_parent(output: &Path) -> PathBuf {
    match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The model of the notes; the root section, when `content/_index.md` gives
/// it no title, is titled as the site.
fn load_model(
    options: &BuildOptions,
    config: &SiteConfig,
    cache: Option<&BuildCache>,
    diagnostics: &mut Diagnostics,
) -> Result<SiteModel> {
    let load = LoadOptions {
        drafts: options.drafts,
    };
    let mut model = match cache {
        Some(cache) => load_content_cached(&options.root, load, &cache.sources, diagnostics),
        None => load_content(&options.root, load, diagnostics),
    }?;
    let root = &mut model.sections[0];
    if root.title.is_empty() {
        root.title = config.title.clone();
    }
    Ok(model)
}

fn write_checked(options: &BuildOptions, output: &Path, files: &[OutputFile]) -> Result<()> {
    let sink = Sink::staging(&options.root, output, options.force)?;
    sink.emit_base(files.iter().cloned())?;
    sink.finish().map(|_| ())
}

/// What every page is rendered with: config, static files and templates.
struct Prepared {
    config: SiteConfig,
    statics: BTreeMap<String, Vec<u8>>,
    renderer: Arc<Renderer>,
}

/// Reads the config and theme; with `serve`'s cache, the highlight CSS and the
/// compiled templates are kept while what they are made from is unchanged.
fn prepare(
    options: &BuildOptions,
    cache: Option<&BuildCache>,
    timer: &mut StageTimer,
) -> Result<Prepared> {
    let config = timer.time("config", || load_site_config(options))?;
    let theme = timer.time("load theme", || {
        ThemeFiles::load(&options.root, &config.theme)
    })?;
    let highlight_css = timer.time("highlight css", || {
        let themes = || key_of(&(&config.highlight.light, &config.highlight.dark));
        try_memoised(cache.map(|c| &c.highlight), "", themes, || {
            highlight_css(&config)
        })
    })?;
    let statics = outputs::static_files(&theme, highlight_css);
    let static_hashes = hashes(&statics);
    let renderer = timer.time("templates", || {
        let inputs = || key_of(&(json_key(&config), &theme.templates, &static_hashes));
        try_memoised(cache.map(|c| &c.renderer), "", inputs, || {
            Renderer::new(&theme, &config, static_hashes.clone()).map(Arc::new)
        })
    })?;
    Ok(Prepared {
        config,
        statics,
        renderer,
    })
}

/// Renders every note, reusing `cache`'s unchanged notes when there is one
/// (serve), or spilling each as it is rendered when there is a `spill`; a
/// `large` site's that are not spilled are compressed.
fn render_markdown(
    site: &Prepared,
    model: &SiteModel,
    targets: &Urls,
    cache: Option<&BuildCache>,
    large: bool,
    spill: Option<&Spill>,
) -> Result<(Notes, Notes)> {
    let env = MarkdownEnv {
        partials: &*site.renderer,
        targets,
        // A spilled part leaves memory as soon as its note is rendered, so
        // compressing it would only shrink the scratch file (207 MB instead of
        // 397 at 10,000 long notes), for 8% of the build's CPU (perf).
        compress: large && spill.is_none(),
    };
    let Some(cache) = cache else {
        return render_notes(model, &site.config, &|source| {
            let mut note = render_note(source, &env)?;
            if let Some(spill) = spill {
                spill.note(&mut note)?;
            }
            Ok(Arc::new(note))
        });
    };
    let fingerprint = cache::fingerprint(&site.config, &site.renderer, targets);
    render_notes(model, &site.config, &|source| {
        cache.note(source, &env, fingerprint)
    })
}

/// The notes' source text goes once the Markdown stage has read it (106 MB at
/// 10,000 long notes): no later stage reads more than a file's path and line
/// index. `check` keeps it, to point at broken links in the output's sources,
/// and so does `serve`, whose cache keeps the files for its next build.
fn release_sources(model: &mut SiteModel, targets: &mut Urls) {
    targets.wiki.release_texts();
    for page in &mut model.pages {
        if let Some(file) = Arc::get_mut(&mut page.file) {
            file.release_text();
        }
    }
}

/// `check`'s output pass: every internal reference and anchor, and with
/// `--external` every web link. Returns the external links seen.
fn check_output(
    options: &BuildOptions,
    files: &[OutputFile],
    model: &SiteModel,
    config: &SiteConfig,
    timer: &mut StageTimer,
    diagnostics: &mut Diagnostics,
) -> Result<BTreeSet<String>> {
    let (problems, external) = timer.time("check output links", || {
        link_check::check_output_links(files, model, &config.base_path())
    });
    diagnostics.extend(problems);
    if options.fetch_external {
        let broken = timer.time("fetch external links", || {
            external_links::fetch_all(&external)
        });
        diagnostics.extend(broken);
    }
    finish_stage(diagnostics, options.strict)?;
    Ok(external.into_keys().collect())
}

/// Stops on errors (after escalating warnings when strict); warnings stay for the report.
fn finish_stage(diagnostics: &mut Diagnostics, strict: bool) -> Result<()> {
    if strict {
        diagnostics.escalate_warnings();
    }
    diagnostics.take_errors()
}

fn load_site_config(options: &BuildOptions) -> Result<SiteConfig> {
    let mut config = load_config(&options.root)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
    }
    Ok(config)
}

fn highlight_css(config: &SiteConfig) -> Result<String> {
    let highlight = &config.highlight;
    theme_css(&highlight.light, &highlight.dark).ok_or_else(|| {
        Diagnostic::error(
            Some(Location::file(CONFIG_FILE)),
            format!(
                "unknown highlight theme in [highlight]: `{}` / `{}`",
                highlight.light, highlight.dark
            ),
        )
        .with_help(format!("use one of: {}", theme_names().join(", ")))
        .into()
    })
}

fn hashes(statics: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    statics
        .iter()
        .map(|(path, bytes)| (path.clone(), content_hash(bytes)))
        .collect()
}

/// Renders every page and section body in parallel; per-note diagnostics stay on the notes.
fn render_notes(
    model: &SiteModel,
    config: &SiteConfig,
    render: &(dyn Fn(&NoteSource<'_>) -> Result<Arc<RenderedNote>> + Sync),
) -> Result<(Notes, Notes)> {
    let notes = model
        .pages
        .par_iter()
        // A task per note: by default rayon gives each of two threads a few long
        // runs of notes, and the last run kept one core busy alone for 0.5 s at
        // the end of a 10,000-note stage (perf).
        .with_max_len(1)
        .map(|page| {
            let source = NoteSource {
                file: &page.file,
                body_start: page.body_start,
                skip_first_h1: page.title_from_heading,
                practice_questions: page.quiz && config.quiz.practice_exams,
            };
            render(&source)
        })
        .collect::<Result<Vec<_>>>()?;
    let section_notes = model
        .sections
        .iter()
        .map(|section| match &section.index {
            Some(file) => render(&NoteSource {
                file,
                body_start: section.body_start,
                skip_first_h1: section.title_from_heading,
                practice_questions: config.quiz.practice_exams,
            }),
            None => Ok(Arc::default()),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((notes, section_notes))
}

fn check_links(
    model: &SiteModel,
    notes: &[Arc<RenderedNote>],
    section_notes: &[Arc<RenderedNote>],
    diagnostics: &mut Diagnostics,
) {
    let mut by_path: rustc_hash::FxHashMap<&str, &RenderedNote> = Default::default();
    for (page, note) in model.pages.iter().zip(notes) {
        by_path.insert(&page.file.path, note);
    }
    for (section, note) in model.sections.iter().zip(section_notes) {
        if let Some(file) = &section.index {
            by_path.insert(&file.path, note);
        }
    }
    for note in notes.iter().chain(section_notes) {
        diagnostics.extend(note.diagnostics.clone());
    }
    diagnostics.extend(resolve_links(&by_path));
}

/// Times each stage; logged at debug level and kept for `--timings`.
#[derive(Default)]
pub(crate) struct StageTimer {
    pub(crate) stages: Vec<StageTiming>,
}

impl StageTimer {
    pub(crate) fn time<T>(&mut self, stage: &'static str, work: impl FnOnce() -> T) -> T {
        report::restart_heap_peak();
        let started = Instant::now();
        let result = work();
        let elapsed = started.elapsed();
        log::debug!("{stage}: {:.1} ms", elapsed.as_secs_f64() * 1000.0);
        self.stages.push(StageTiming {
            stage,
            time: elapsed,
            resident_bytes: report::resident_bytes(),
            heap_bytes: report::heap_bytes(),
        });
        result
    }
}

/// Said once per build: why a site without an absolute `base_url` has no
/// sitemap or canonical links.
fn output_notes(config: &SiteConfig) -> Vec<String> {
    if config.has_absolute_base() {
        return Vec::new();
    }
    vec![format!(
        "base_url = \"{}\" is not an absolute URL, so the sitemap, canonical links and \
         robots.txt's Sitemap line are left out, and 404.html links from the domain's root; \
         pages link relatively and work anywhere. Set base_url = \"https://…/\" in site.toml \
         (or pass --base-url) for a published site.",
        config.base_url
    )]
}
