//! Edit-to-served time of `studysite serve`: the time from writing a note to
//! the new HTML being served, median of 20 edits.
//!
//! ```text
//! cargo run --release --example serve_bench                 # the shipped site (a copy)
//! cargo run --release --example serve_bench -- --notes 10000 # a synthetic corpus
//! cargo run --release --example serve_bench -- --timings     # plus per-stage rebuild times
//! ```
//!
//! The site is copied into a temp dir first, so the repository is never edited.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use studysite::serve::{self, ServeEvent, ServeOptions};

// The allocator `studysite serve` runs with, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EDITS: usize = 20;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let notes = args
        .iter()
        .position(|a| a == "--notes")
        .and_then(|i| args.get(i + 1))
        .map(|n| n.parse::<usize>().expect("--notes N"));
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    let (note, url) = match notes {
        Some(count) => synthetic_site(&root, count),
        None => shipped_site(&root),
    };
    let timings = args.iter().any(|a| a == "--timings");
    let stages = Arc::new(Mutex::new(Vec::<Vec<(&'static str, Duration)>>::new()));
    let recorder = Arc::clone(&stages);
    let started = Instant::now();
    let server = serve::start(ServeOptions {
        port: 0,
        on_event: Arc::new(move |event: &ServeEvent<'_>| {
            if let ServeEvent::Rebuilt { report, .. } = event {
                let mut all = recorder.lock().expect("timings");
                let mut stages: Vec<_> = report.timings.iter().map(|t| (t.stage, t.time)).collect();
                stages.push(("(whole build)", report.elapsed));
                all.push(stages);
            }
        }),
        ..ServeOptions::new(&root)
    })
    .expect("serve starts");
    println!(
        "site: {} ({} notes); first build and bind: {} ms",
        notes.map_or("shipped site".to_string(), |n| format!("synthetic, {n}")),
        count_notes(&root.join("content")),
        started.elapsed().as_millis()
    );
    let original = std::fs::read_to_string(&note).expect("note");
    let mut times = Vec::with_capacity(EDITS);
    for i in 0..EDITS {
        let marker = format!("bench-marker-{i}-{}", std::process::id());
        let written = Instant::now();
        std::fs::write(&note, format!("{original}\n\n{marker}\n")).expect("write note");
        wait_for(server.address(), &url, &marker);
        times.push(written.elapsed());
        // Let the watcher settle so edits do not merge.
        std::thread::sleep(Duration::from_millis(100));
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "edit to served, {EDITS} edits: median {:.1} ms, min {:.1} ms, max {:.1} ms",
        ms(times[EDITS / 2]),
        ms(times[0]),
        ms(times[EDITS - 1])
    );
    if timings {
        print_stage_medians(&stages.lock().expect("timings"));
    }
}

/// Median time of each build stage over the rebuilds.
fn print_stage_medians(builds: &[Vec<(&'static str, Duration)>]) {
    println!("rebuild stages, median of {} rebuilds:", builds.len());
    let Some(first) = builds.first() else { return };
    for (i, (stage, _)) in first.iter().enumerate() {
        let mut times: Vec<Duration> = builds
            .iter()
            .filter_map(|b| b.get(i))
            .map(|s| s.1)
            .collect();
        times.sort();
        println!(
            "  {stage:<16} {:>8.1} ms",
            times[times.len() / 2].as_secs_f64() * 1000.0
        );
    }
}

/// Copies the repository's site (config, content, site templates/static) and
/// picks its first note.
fn shipped_site(root: &Path) -> (PathBuf, String) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in ["site.toml", "content", "templates", "static", "themes"] {
        let from = repo.join(entry);
        if from.exists() {
            copy(&from, &root.join(entry));
        }
    }
    let note = root.join("content/01-cloud-concepts/01-benefits-of-the-cloud.md");
    (note, "/cloud-concepts/benefits-of-the-cloud/".into())
}

/// `count` notes in sections of 100, each with headings, a list, a table and code.
fn synthetic_site(root: &Path, count: usize) -> (PathBuf, String) {
    write(
        &root.join("site.toml"),
        "title = \"Bench\"\nbase_url = \"/\"\n",
    );
    for i in 0..count {
        let section = root.join(format!("content/s{:03}", i / 100));
        if i % 100 == 0 {
            write(
                &section.join("_index.md"),
                &format!("+++\ntitle = \"Section {}\"\n+++\n", i / 100),
            );
        }
        write(&section.join(format!("n{i:05}.md")), &note_text(i));
    }
    (root.join("content/s000/n00000.md"), "/s000/n00000/".into())
}

fn note_text(i: usize) -> String {
    format!(
        "# Note {i}\n\nIntro to topic {i} with **bold** and `code`.\n\n## Key points\n\n\
         - point one about service {i}\n- point two\n\n## Table\n\n| a | b |\n|---|---|\n| {i} | x |\n\n\
         ```rust\nfn f() -> u32 {{ {i} }}\n```\n\n## What is topic {i}?\n\nA managed service.\n"
    )
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        for entry in std::fs::read_dir(from).expect("read dir") {
            let entry = entry.expect("entry");
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(from, to).expect("copy");
    }
}

fn count_notes(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| {
                let path = e.path();
                if path.is_dir() {
                    count_notes(&path)
                } else {
                    usize::from(path.extension().is_some_and(|x| x == "md"))
                }
            })
            .sum()
    })
}

/// Polls `url` until its HTML contains `marker` (10 s at most).
fn wait_for(address: SocketAddr, url: &str, marker: &str) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if get(address, url).contains(marker) {
            return;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    panic!("{url} never showed the edit");
}

fn get(address: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut body = String::new();
    stream.read_to_string(&mut body).expect("response");
    body
}
