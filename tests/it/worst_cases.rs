//! Hostile inputs at two sizes, run through `studysite check` (every stage a build
//! runs, plus the output link checker): time must grow about linearly and peak
//! memory too.
//!
//! Time is the child's CPU time (user + system, from `wait4`), which other work on
//! the machine barely changes, unlike wall time; memory is its own high-water mark. Only ratios within one run are
//! asserted: with 4× the input a linear stage takes about 4× the work (the time and
//! memory of a run on an empty note are subtracted first), a quadratic one 16×.
//! The bound is 10×. Each case once took seconds to minutes, or gigabytes; the
//! numbers are in the commit that fixed it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use tempfile::TempDir;

/// How many times the larger input is bigger.
const SCALE: usize = 4;
/// Largest allowed growth of work (time or memory) for `SCALE`× the input.
const MAX_GROWTH: f64 = 10.0;
/// Runs of each site; the least time and memory count.
const ROUNDS: usize = 2;
/// Below this much work a run is all noise; the smaller run is counted as at least this.
const MIN_WORK: Duration = Duration::from_millis(40);
const MIN_MEMORY_KB: i64 = 8 * 1024;

/// One generated worst case: a note body for a size.
struct Case {
    name: &'static str,
    size: usize,
    note: fn(usize) -> String,
}

const CASES: &[Case] = &[
    Case {
        name: "nested blockquotes",
        size: 10_000,
        note: |n| format!("{} deep\n", ">".repeat(n)),
    },
    Case {
        name: "equal headings",
        size: 2_000,
        note: |n| "## Same\n\ntext\n\n".repeat(n),
    },
    Case {
        name: "quiz options",
        size: 3_000,
        note: |n| {
            let options: String = (0..n).map(|i| format!("> - [ ] option {i}\n")).collect();
            format!("> [!QUIZ] Which?\n> - [x] right\n{options}")
        },
    },
    Case {
        name: "unclosed divs",
        size: 60_000,
        note: |n| "<div>\n\n".repeat(n),
    },
    Case {
        name: "broken links on one line",
        size: 15_000,
        note: |n| (0..n).map(|i| format!("[a](#nope{i}) ")).collect(),
    },
    Case {
        name: "broken anchors into many headings",
        size: 2_000,
        note: |n| {
            (0..n)
                .map(|i| format!("## H{i}\n\n[x](#h{i}x)\n\n"))
                .collect()
        },
    },
    Case {
        name: "footnotes",
        size: 1_500,
        note: |n| {
            let refs: String = (0..n).map(|i| format!("Text[^{i}].\n\n")).collect();
            let defs: String = (0..n).map(|i| format!("[^{i}]: Foot {i}.\n")).collect();
            refs + &defs
        },
    },
    Case {
        name: "table rows",
        size: 4_000,
        note: |n| {
            let rows: String = (0..n).map(|i| format!("| {i} | *{i}* |\n")).collect();
            format!("| a | b |\n|---|---|\n{rows}")
        },
    },
    Case {
        name: "list items",
        size: 5_000,
        note: |n| (0..n).map(|i| format!("- item **{i}**\n")).collect(),
    },
    Case {
        name: "one long line",
        size: 40_000,
        note: |n| "word *em* ".repeat(n / 2),
    },
    Case {
        name: "highlighted code",
        size: 500,
        note: |n| {
            let code: String = (0..n)
                .map(|i| format!("fn f{i}() -> u32 {{ let x = {i}; x + 1 }}\n"))
                .collect();
            format!("```rust\n{code}```\n")
        },
    },
];

/// CPU time and peak resident memory (KB) of `check` on each site, the least of
/// [`ROUNDS`] runs; the sites take turns, so a burst of load elsewhere hits them alike.
fn measure(sites: [&Path; 3]) -> [(Duration, i64); 3] {
    let mut best = [(Duration::MAX, i64::MAX); 3];
    for _ in 0..ROUNDS {
        for (site, best) in sites.iter().zip(&mut best) {
            let (time, memory) = run_check(site);
            *best = (best.0.min(time), best.1.min(memory));
        }
    }
    best
}

// The child is reaped by `wait4` in `wait_with_usage`, not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run_check(site: &Path) -> (Duration, i64) {
    let child = Command::new(env!("CARGO_BIN_EXE_studysite"))
        .args(["check", "-r"])
        .arg(site)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let (status, cpu, peak_kb) = wait_with_usage(child.id());
    assert!(
        status == 0 || status == 1,
        "check exited with {status} on {}",
        site.display()
    );
    (cpu, peak_kb)
}

/// Waits for `pid`, returning its exit code, CPU time and peak resident memory (KB).
///
/// The CPU time comes from `wait4`. Its `ru_maxrss` cannot be used: Linux counts
/// the memory of the process that spawned the child (this test binary, with every
/// other test running in it) into the child's peak. So the child's own high-water
/// mark, `VmHWM` in `/proc/<pid>/status`, is read every few milliseconds until it
/// exits; the mark only rises, so only growth in the last few milliseconds is missed.
fn wait_with_usage(pid: u32) -> (i32, Duration, i64) {
    let mut peak_kb = 0;
    loop {
        if let Some(kb) = high_water_kb(pid) {
            peak_kb = kb;
        }
        let mut status = 0;
        // SAFETY: plain libc call with valid pointers; `pid` is our own unwaited child.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let waited = unsafe { libc::wait4(pid as i32, &mut status, libc::WNOHANG, &mut usage) };
        assert!(waited >= 0, "wait4 failed");
        if waited == pid as i32 {
            let code = match libc::WIFEXITED(status) {
                true => libc::WEXITSTATUS(status),
                false => -1,
            };
            let seconds =
                |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
            let cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
            return (code, cpu, peak_kb);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// `VmHWM` of a live process, in KB.
fn high_water_kb(pid: u32) -> Option<i64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn site_with(note: &str) -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("content/sec")).expect("content dir");
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"W\"\nbase_url = \"https://example.org/\"\n",
    )
    .expect("site.toml");
    std::fs::write(
        dir.path().join("content/sec/note.md"),
        format!("# Note\n\n{note}"),
    )
    .expect("note");
    dir
}

fn growth(small: f64, large: f64, floor: f64) -> f64 {
    large.max(0.0) / small.max(floor)
}

#[test]
fn every_stage_is_linear_on_generated_worst_cases() {
    let empty = site_with("");
    let mut report = Vec::new();
    let mut failed = false;
    for case in CASES {
        let small = site_with(&(case.note)(case.size));
        let large = site_with(&(case.note)(case.size * SCALE));
        let [(base_time, base_memory), (small_time, small_memory), (large_time, large_memory)] =
            measure([empty.path(), small.path(), large.path()]);
        let time = growth(
            small_time.saturating_sub(base_time).as_secs_f64(),
            large_time.saturating_sub(base_time).as_secs_f64(),
            MIN_WORK.as_secs_f64(),
        );
        let memory = growth(
            (small_memory - base_memory) as f64,
            (large_memory - base_memory) as f64,
            MIN_MEMORY_KB as f64,
        );
        failed |= time > MAX_GROWTH || memory > MAX_GROWTH;
        report.push(format!(
            "{:34} time {base_time:>9.2?} / {small_time:>9.2?} / {large_time:>9.2?} (×{time:.1}), \
             peak {base_memory} / {small_memory} / {large_memory} KB (×{memory:.1})",
            case.name
        ));
    }
    // Shown with `--nocapture`, and in the failure message below.
    eprintln!("{}", report.join("\n"));
    assert!(
        !failed,
        "work grew more than ×{MAX_GROWTH} for ×{SCALE} the input \
         (empty note / small / large):\n{}",
        report.join("\n")
    );
}
