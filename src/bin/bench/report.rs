//! What a benchmark run measured: `results.json` and the Markdown tables.
//!
//! `results.json` holds `builds` (one per corpus and tool), `ratios` (studysite
//! against each other tool on the same corpus) and `serve`.

use serde::Serialize;

use crate::serve::{self, ServeResult};
use crate::shape::{CorpusOptions, Shape, Words};
use crate::tools::{parse_timings, OutputSize, Run};

/// One tool's clean builds of one corpus.
#[derive(Debug, Serialize)]
pub(crate) struct BuildResult {
    pub(crate) shape: Shape,
    pub(crate) words: Words,
    pub(crate) notes: usize,
    pub(crate) tool: String,
    pub(crate) runs_ms: Vec<u128>,
    pub(crate) median_ms: u128,
    pub(crate) min_ms: u128,
    pub(crate) max_ms: u128,
    /// Median over the runs of each run's peak resident memory (`ru_maxrss`).
    pub(crate) peak_rss_mb: f64,
    /// Size of the last run's output.
    pub(crate) output_bytes: u64,
    pub(crate) output_files: u64,
    /// studysite only: median time per stage, from `--timings`, in pipeline order.
    pub(crate) stages_ms: Vec<(String, f64)>,
}

impl BuildResult {
    pub(crate) fn new(
        corpus: &CorpusOptions,
        tool: &str,
        runs: &[Run],
        output: OutputSize,
    ) -> BuildResult {
        let times: Vec<u128> = runs.iter().map(|r| r.wall.as_millis()).collect();
        let rss: Vec<u64> = runs.iter().map(|r| r.peak_rss_kb).collect();
        BuildResult {
            shape: corpus.shape,
            words: corpus.words,
            notes: corpus.notes,
            tool: tool.to_string(),
            median_ms: median(&times),
            min_ms: times.iter().copied().min().unwrap_or(0),
            max_ms: times.iter().copied().max().unwrap_or(0),
            runs_ms: times,
            peak_rss_mb: median(&rss) as f64 / 1024.0,
            output_bytes: output.bytes,
            output_files: output.files,
            stages_ms: stage_medians(runs),
        }
    }

    fn is_same_corpus(&self, other: &BuildResult) -> bool {
        (self.shape, self.words, self.notes) == (other.shape, other.words, other.notes)
    }

    fn corpus_label(&self) -> String {
        format!("{} {} {}", self.notes, self.shape, self.words)
    }
}

/// studysite against another tool on the same corpus: below 1, studysite is
/// faster or writes less.
#[derive(Debug, Serialize)]
pub(crate) struct Ratio {
    pub(crate) shape: Shape,
    pub(crate) words: Words,
    pub(crate) notes: usize,
    /// The tool studysite is compared with.
    pub(crate) tool: String,
    /// studysite's median build time over the tool's.
    pub(crate) time: f64,
    /// studysite's output bytes over the tool's.
    pub(crate) output_bytes: f64,
}

/// Everything one run measured, as written to `results.json`.
#[derive(Default, Serialize)]
pub(crate) struct Report {
    pub(crate) builds: Vec<BuildResult>,
    pub(crate) ratios: Vec<Ratio>,
    pub(crate) serve: Vec<ServeResult>,
}

fn median<T: Copy + Ord + Default>(values: &[T]) -> T {
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

/// The median of each `--timings` stage over the runs, in the first run's order.
fn stage_medians(runs: &[Run]) -> Vec<(String, f64)> {
    let timings: Vec<Vec<(String, f64)>> = runs.iter().map(|r| parse_timings(&r.stdout)).collect();
    let Some(first) = timings.first() else {
        return Vec::new();
    };
    first
        .iter()
        .map(|(stage, _)| {
            let micros: Vec<u64> = timings
                .iter()
                .flat_map(|run| run.iter().filter(|(s, _)| s == stage))
                .map(|(_, ms)| (ms * 1000.0) as u64)
                .collect();
            (stage.clone(), median(&micros) as f64 / 1000.0)
        })
        .collect()
}

/// studysite against every other tool, for each corpus both built.
pub(crate) fn ratios(builds: &[BuildResult]) -> Vec<Ratio> {
    let mut ratios = Vec::new();
    for ours in builds.iter().filter(|b| b.tool == "studysite") {
        for other in builds
            .iter()
            .filter(|b| b.tool != "studysite" && b.is_same_corpus(ours))
        {
            ratios.push(Ratio {
                shape: ours.shape,
                words: ours.words,
                notes: ours.notes,
                tool: other.tool.clone(),
                time: ours.median_ms as f64 / other.median_ms.max(1) as f64,
                output_bytes: ours.output_bytes as f64 / other.output_bytes.max(1) as f64,
            });
        }
    }
    ratios
}

/// Prints every table of the report.
pub(crate) fn print(report: &Report) {
    print_builds(&report.builds, &report.ratios);
    print_stages(&report.builds);
    print_growth(&report.builds);
    print_serve(&report.serve);
}

fn print_builds(builds: &[BuildResult], ratios: &[Ratio]) {
    if builds.is_empty() {
        return;
    }
    println!("\n| shape | words | notes | tool | median | min | max | peak RSS | output | files | studysite/tool time | studysite/tool output |");
    println!("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for b in builds {
        let ratio = ratios.iter().find(|r| {
            r.tool == b.tool && (r.shape, r.words, r.notes) == (b.shape, b.words, b.notes)
        });
        let (time, output) = ratio.map_or((String::new(), String::new()), |r| {
            (format!("{:.2}×", r.time), format!("{:.2}×", r.output_bytes))
        });
        println!(
            "| {} | {} | {} | {} | {} ms | {} ms | {} ms | {:.0} MB | {:.1} MB | {} | {time} | {output} |",
            b.shape,
            b.words,
            b.notes,
            b.tool,
            b.median_ms,
            b.min_ms,
            b.max_ms,
            b.peak_rss_mb,
            b.output_bytes as f64 / 1_000_000.0,
            b.output_files,
        );
    }
}

/// studysite's stages as rows, one column per corpus.
fn print_stages(builds: &[BuildResult]) {
    let ours: Vec<&BuildResult> = builds.iter().filter(|b| b.tool == "studysite").collect();
    let Some(first) = ours.first() else {
        return;
    };
    let labels: Vec<String> = ours.iter().map(|b| b.corpus_label()).collect();
    println!("\n| studysite stage (median ms) | {} |", labels.join(" | "));
    println!("|---|{}", "---:|".repeat(ours.len()));
    for (stage, _) in &first.stages_ms {
        let cells: Vec<String> = ours
            .iter()
            .map(|b| {
                let ms = b.stages_ms.iter().find(|(s, _)| s == stage);
                ms.map_or(String::new(), |(_, ms)| format!("{ms:.1}"))
            })
            .collect();
        println!("| {stage} | {} |", cells.join(" | "));
    }
}

/// How studysite's time grows from the smallest corpus to the largest of each shape.
fn print_growth(builds: &[BuildResult]) {
    let ours: Vec<&BuildResult> = builds.iter().filter(|b| b.tool == "studysite").collect();
    let mut kinds: Vec<(Shape, Words)> = ours.iter().map(|b| (b.shape, b.words)).collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let sizes = || ours.iter().filter(|b| (b.shape, b.words) == kind);
        let (Some(small), Some(large)) = (
            sizes().min_by_key(|b| b.notes),
            sizes().max_by_key(|b| b.notes),
        ) else {
            continue;
        };
        if small.notes < large.notes {
            println!(
                "\nstudysite {} {}: {}/{} notes time ratio {:.1}",
                kind.0,
                kind.1,
                large.notes,
                small.notes,
                large.median_ms as f64 / small.median_ms.max(1) as f64
            );
        }
    }
}

fn print_serve(results: &[ServeResult]) {
    if results.is_empty() {
        return;
    }
    println!(
        "\n| serve: edit to served | median | min | max | whole site rebuilt (median) | first build |\n|---|---:|---:|---:|---:|---:|"
    );
    for r in results {
        println!(
            "| {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {:.0} ms |",
            r.site, r.median_ms, r.min_ms, r.max_ms, r.rebuilt_median_ms, r.first_build_ms
        );
    }
    for r in results {
        println!(
            "\nserve rebuild stages, {} (median of {} rebuilds, ms):",
            r.site,
            serve::EDITS
        );
        for (stage, ms) in &r.stages_ms {
            println!("  {stage:<20} {ms:>9.1}");
        }
    }
}
