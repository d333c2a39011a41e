//! What a build did, for the one summary line and for `--timings`.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::error::Diagnostics;

/// The result of a successful build.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Note pages rendered.
    pub pages: usize,
    /// Sections, the home page included.
    pub sections: usize,
    /// Files written (or held in memory).
    pub files: usize,
    /// Total bytes of output.
    pub bytes: u64,
    /// Warnings that did not stop the build.
    pub warnings: Diagnostics,
    /// Things worth knowing about the output that are not problems.
    pub notes: Vec<String>,
    /// External URLs the output links to (collected by `check`, not fetched).
    pub external_links: BTreeSet<String>,
    /// Wall time per stage, in pipeline order.
    pub timings: Vec<StageTiming>,
    /// Wall time of the whole build.
    pub elapsed: Duration,
}

impl BuildReport {
    /// `Built 24 pages in 5 sections, 61 files (1.2 MB) in 84 ms`.
    pub fn summary(&self, verb: &str) -> String {
        format!(
            "{verb} {} pages in {} sections, {} files ({:.1} MB) in {} ms",
            self.pages,
            self.sections,
            self.files,
            self.bytes as f64 / 1_000_000.0,
            self.elapsed.as_millis()
        )
    }

    /// One line per stage: `  load content       12.3 ms     41 MB resident`.
    pub fn timings_table(&self) -> String {
        self.timings
            .iter()
            .map(|t| {
                let ms = t.time.as_secs_f64() * 1000.0;
                let line = format!("  {:<16} {ms:>8.1} ms", t.stage);
                match t.resident_bytes {
                    Some(bytes) => format!("{line} {:>6} MB resident", bytes / 1_000_000),
                    None => line,
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// One stage of a build: its wall time and the process's resident memory after it.
#[derive(Debug, Clone)]
pub struct StageTiming {
    /// Stage name, e.g. `render markdown`.
    pub stage: &'static str,
    /// Wall time.
    pub time: Duration,
    /// Resident set size when the stage ended (Linux only), to see which stage holds memory.
    pub resident_bytes: Option<u64>,
}

/// The process's resident set size, from `/proc/self/statm` (pages × 4 KiB).
pub(crate) fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}
