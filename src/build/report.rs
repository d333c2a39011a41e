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
    /// External URLs the output links to (collected by `check`, not fetched).
    pub external_links: BTreeSet<String>,
    /// Wall time per stage, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
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

    /// One line per stage: `  load content   12.3 ms`.
    pub fn timings_table(&self) -> String {
        self.timings
            .iter()
            .map(|(stage, time)| format!("  {stage:<16} {:>8.1} ms", time.as_secs_f64() * 1000.0))
            .collect::<Vec<_>>()
            .join("\n")
    }
}
