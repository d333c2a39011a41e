//! The serve figures: the time from writing a note to its new HTML being served
//! by `studysite serve` (run in this process), and to the whole site being
//! rebuilt, medians of [`EDITS`] edits, with the rebuilds' stage times. Each
//! edit appends a marker paragraph to one note and fetches the note's URL each
//! time `serve` publishes a preview or a build until the marker is there.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use studysite::serve::{self, ServeEvent, ServeOptions};

pub(crate) const EDITS: usize = 20;

/// One site's figure.
#[derive(Serialize)]
pub(crate) struct ServeResult {
    pub(crate) site: String,
    pub(crate) first_build_ms: f64,
    pub(crate) median_ms: f64,
    pub(crate) min_ms: f64,
    pub(crate) max_ms: f64,
    /// Median time from the edit to the whole rebuild being served.
    pub(crate) rebuilt_median_ms: f64,
    /// Median time of each rebuild stage, in pipeline order.
    pub(crate) stages_ms: Vec<(String, f64)>,
}

/// Serves `root`, edits `note` [`EDITS`] times and times each edit until `url` shows it.
pub(crate) fn measure(
    site: &str,
    root: &Path,
    note: &Path,
    url: &str,
) -> Result<ServeResult, String> {
    let rebuilds = Arc::new(Mutex::new(Vec::<Vec<(&'static str, Duration)>>::new()));
    let recorder = Arc::clone(&rebuilds);
    let published = Arc::new(Published::default());
    let publisher = Arc::clone(&published);
    let started = Instant::now();
    let server = serve::start(ServeOptions {
        port: 0,
        on_event: Arc::new(move |event: &ServeEvent<'_>| match event {
            ServeEvent::Previewed { .. } => publisher.bump(false),
            ServeEvent::Rebuilt { report, .. } => {
                let mut stages: Vec<_> = report.timings.iter().map(|t| (t.stage, t.time)).collect();
                stages.push(("(whole rebuild)", report.elapsed));
                recorder.lock().expect("no panics while held").push(stages);
                publisher.bump(true);
            }
            _ => {}
        }),
        ..ServeOptions::new(root)
    })
    .map_err(|e| format!("serve {}: {e}", root.display()))?;
    let first_build = started.elapsed();
    let original = std::fs::read_to_string(note).map_err(|e| format!("{}: {e}", note.display()))?;
    let (mut times, mut rebuilt) = (Vec::with_capacity(EDITS), Vec::with_capacity(EDITS));
    for i in 0..EDITS {
        let marker = format!("bench-marker-{i}-{}", std::process::id());
        let builds = published.counts().1;
        let written = Instant::now();
        std::fs::write(note, format!("{original}\n\n{marker}\n"))
            .map_err(|e| format!("{}: {e}", note.display()))?;
        wait_for(server.address(), url, &marker, &published)?;
        times.push(written.elapsed());
        published.wait(|(_, now)| now > builds, Duration::from_secs(10));
        rebuilt.push(written.elapsed());
        // Let the watcher settle so that edits do not merge.
        std::thread::sleep(Duration::from_millis(100));
    }
    std::fs::write(note, original).map_err(|e| format!("{}: {e}", note.display()))?;
    times.sort();
    rebuilt.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let stages_ms = stage_medians(&rebuilds.lock().expect("no panics while held"));
    Ok(ServeResult {
        site: site.to_string(),
        first_build_ms: ms(first_build),
        median_ms: ms(times[EDITS / 2]),
        min_ms: ms(times[0]),
        max_ms: ms(times[EDITS - 1]),
        rebuilt_median_ms: ms(rebuilt[EDITS / 2]),
        stages_ms,
    })
}

/// Median of each stage over the rebuilds that have it, in the first rebuild's order.
fn stage_medians(rebuilds: &[Vec<(&'static str, Duration)>]) -> Vec<(String, f64)> {
    let Some(first) = rebuilds.first() else {
        return Vec::new();
    };
    first
        .iter()
        .map(|(stage, _)| {
            let mut times: Vec<Duration> = rebuilds
                .iter()
                .filter_map(|b| b.iter().find(|s| s.0 == *stage))
                .map(|s| s.1)
                .collect();
            times.sort();
            (
                stage.to_string(),
                times[times.len() / 2].as_secs_f64() * 1000.0,
            )
        })
        .collect()
}

/// Copies the repository's own site into `root` (so it is never edited) and
/// returns its first note and that note's URL.
pub(crate) fn shipped_site(root: &Path) -> Result<(PathBuf, String), String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in ["site.toml", "content", "templates", "static", "themes"] {
        let from = repo.join(entry);
        if from.exists() {
            copy(&from, &root.join(entry)).map_err(|e| format!("copying {entry}: {e}"))?;
        }
    }
    let note = root.join("content/01-cloud-concepts/01-benefits-of-the-cloud.md");
    Ok((note, "/cloud-concepts/benefits-of-the-cloud/".into()))
}

fn copy(from: &Path, to: &Path) -> std::io::Result<()> {
    if from.is_dir() {
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            copy(&entry.path(), &to.join(entry.file_name()))?;
        }
        return Ok(());
    }
    std::fs::create_dir_all(to.parent().expect("a file has a folder"))?;
    std::fs::copy(from, to).map(drop)
}

/// Counts what `serve` has published, previews and whole builds, for a
/// waiter to wake on.
#[derive(Default)]
struct Published {
    /// (previews and builds, builds)
    counts: Mutex<(u64, u64)>,
    changed: Condvar,
}

impl Published {
    fn bump(&self, whole: bool) {
        let mut counts = self.counts.lock().expect("no panics while held");
        counts.0 += 1;
        counts.1 += u64::from(whole);
        self.changed.notify_all();
    }

    fn counts(&self) -> (u64, u64) {
        *self.counts.lock().expect("no panics while held")
    }

    /// Waits until `done` holds for the counts, or `timeout` passes.
    fn wait(&self, done: impl Fn((u64, u64)) -> bool, timeout: Duration) -> (u64, u64) {
        let counts = self.counts.lock().expect("no panics while held");
        let (counts, _) = self
            .changed
            .wait_timeout_while(counts, timeout, |counts| !done(*counts))
            .expect("no panics while held");
        *counts
    }
}

/// Fetches `url` each time a build is published (and every 50 ms regardless)
/// until its HTML contains `marker` (10 s at most). Waking on the publication,
/// as a browser's live-reload does, rather than polling keeps the benchmark's
/// own requests from competing with the rebuild for the CPU.
fn wait_for(
    address: SocketAddr,
    url: &str,
    marker: &str,
    published: &Published,
) -> Result<(), String> {
    let started = Instant::now();
    let mut seen = published.counts().0;
    while started.elapsed() < Duration::from_secs(10) {
        if get(address, url).is_ok_and(|body| body.contains(marker)) {
            return Ok(());
        }
        let wait = Duration::from_millis(50);
        seen = published.wait(|(now, _)| now != seen, wait).0;
    }
    Err(format!("{url} never showed the edit"))
}

fn get(address: SocketAddr, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(address)?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut body = String::new();
    stream.read_to_string(&mut body)?;
    Ok(body)
}
