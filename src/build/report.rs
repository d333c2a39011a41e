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
            "{verb} {} in {}, {} ({:.1} MB) in {} ms",
            counted(self.pages, "page"),
            counted(self.sections, "section"),
            counted(self.files, "file"),
            self.bytes as f64 / 1_000_000.0,
            self.elapsed.as_millis()
        )
    }

    /// One line per stage: `  load content       12.3 ms     41 MB resident`, and
    /// with `--features heap-stats` `, 30 MB live (peak 35 MB)`.
    pub fn timings_table(&self) -> String {
        self.timings
            .iter()
            .map(|t| {
                let ms = t.time.as_secs_f64() * 1000.0;
                let line = format!("  {:<16} {ms:>8.1} ms", t.stage);
                let line = match t.resident_bytes {
                    Some(bytes) => format!("{line} {:>6} MB resident", bytes / 1_000_000),
                    None => line,
                };
                match t.heap_bytes {
                    Some((live, peak)) => format!(
                        "{line}, {:>5} MB live (peak {} MB)",
                        live / 1_000_000,
                        peak / 1_000_000
                    ),
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
    /// With `--features heap-stats`: the live heap bytes when the stage ended, and
    /// the most there were during the stage.
    pub heap_bytes: Option<(u64, u64)>,
}

/// The live and peak heap bytes, when the counting allocator is built in.
#[cfg(feature = "heap-stats")]
pub(crate) fn heap_bytes() -> Option<(u64, u64)> {
    Some(crate::heap_stats::heap_bytes())
}

#[cfg(not(feature = "heap-stats"))]
pub(crate) fn heap_bytes() -> Option<(u64, u64)> {
    None
}

/// Starts counting a stage's own peak (a no-op without the counting allocator).
pub(crate) fn restart_heap_peak() {
    #[cfg(feature = "heap-stats")]
    crate::heap_stats::restart_peak();
}

/// The process's resident set size, from `/proc/self/statm` (pages × 4 KiB).
pub(crate) fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// `1 page`, `2 pages`.
fn counted(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        _ => format!("{count} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(resident: Option<u64>, heap: Option<(u64, u64)>) -> StageTiming {
        StageTiming {
            stage: "quiz bank",
            time: Duration::from_micros(1_500_000),
            resident_bytes: resident,
            heap_bytes: heap,
        }
    }

    #[test]
    fn a_stage_line_shows_the_live_heap_only_when_it_was_counted() {
        let report = |timings| BuildReport {
            timings,
            ..BuildReport::default()
        };
        let counted = report(vec![stage(
            Some(940_000_000),
            Some((791_000_000, 797_000_000)),
        )]);
        assert_eq!(
            counted.timings_table(),
            "  quiz bank          1500.0 ms    940 MB resident,   791 MB live (peak 797 MB)"
        );
        let uncounted = report(vec![stage(Some(940_000_000), None)]);
        assert_eq!(
            uncounted.timings_table(),
            "  quiz bank          1500.0 ms    940 MB resident"
        );
    }
}
