//! Releases and the workflows that use them: `--version`, the install step of the
//! Pages workflows run against a fake release on a local server (the very text
//! `init` writes, and this repository's step, which runs the same script), and
//! actionlint over every workflow.
//!
//! actionlint comes from `scripts/install-test-tools` (into `target/tools/venv/`);
//! without it the lint test says so and passes, unless `CI` is set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tempfile::TempDir;

use crate::harness::SiteTest;

const VERSION: &str = env!("CARGO_PKG_VERSION");
const SCRIPT: &str = include_str!("../../scripts/install-studysite.sh");

#[test]
fn version_flag_prints_the_package_version() {
    let run = SiteTest::empty().cli(&["--version"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim_end(), format!("studysite {VERSION}"));
}

/// Serves `files` (by URL path) on loopback until dropped; anything else is a 404.
struct FakeReleases {
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
    requested: Arc<Mutex<Vec<String>>>,
}

impl FakeReleases {
    fn serve(files: BTreeMap<String, Vec<u8>>) -> FakeReleases {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind"));
        let requested = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (server, requested) = (Arc::clone(&server), Arc::clone(&requested));
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let path = request.url().to_string();
                    requested.lock().unwrap().push(path.clone());
                    let response = match files.get(&path) {
                        Some(body) => tiny_http::Response::from_data(body.clone()),
                        None => tiny_http::Response::from_data(b"Not Found".to_vec())
                            .with_status_code(404),
                    };
                    let _ = request.respond(response);
                }
            })
        };
        FakeReleases {
            server,
            thread: Some(thread),
            requested,
        }
    }

    /// What the install step sets `STUDYSITE_DOWNLOAD_URL` to.
    fn url(&self) -> String {
        let port = self.server.server_addr().to_ip().unwrap().port();
        format!("http://127.0.0.1:{port}/releases/download")
    }

    fn requested(&self) -> Vec<String> {
        self.requested.lock().unwrap().clone()
    }
}

impl Drop for FakeReleases {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// This machine's target triple, as the release archives name it.
fn target() -> String {
    let os = match std::env::consts::OS {
        "linux" => "unknown-linux-gnu",
        "macos" => "apple-darwin",
        other => panic!("no release archive for {other}"),
    };
    format!("{}-{os}", std::env::consts::ARCH)
}

fn archive_name() -> String {
    format!("studysite-{VERSION}-{}.tar.gz", target())
}

/// A real release archive holding a tiny `studysite` script, and its
/// `sha256sum` line.
fn fake_archive(work: &Path) -> (Vec<u8>, String) {
    let stage = work.join("stage");
    std::fs::create_dir_all(&stage).unwrap();
    let exe = stage.join("studysite");
    std::fs::write(&exe, "#!/bin/sh\necho \"studysite fake release\"\n").unwrap();
    make_executable(&exe);
    let archive = work.join(archive_name());
    let tar = Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(&stage)
        .arg("studysite")
        .status()
        .expect("run tar");
    assert!(tar.success());
    let sum = Command::new("sha256sum")
        .arg(archive_name())
        .current_dir(work)
        .output()
        .expect("run sha256sum");
    assert!(sum.status.success());
    (
        std::fs::read(&archive).unwrap(),
        String::from_utf8(sum.stdout).unwrap(),
    )
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// One run of an install step in a sandbox: its own HOME, bin folder, GITHUB_PATH
/// file, and a `cargo` first on PATH that only records how it was called.
struct Sandbox {
    dir: TempDir,
}

struct StepRun {
    output: Output,
    /// The `cargo` command lines the step ran.
    cargo_calls: Vec<String>,
    installed: PathBuf,
    github_path: String,
}

impl StepRun {
    fn status(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    fn log(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
            + &String::from_utf8_lossy(&self.output.stderr)
    }
}

impl Sandbox {
    fn new() -> Sandbox {
        let sandbox = Sandbox {
            dir: tempfile::tempdir().unwrap(),
        };
        let shims = sandbox.dir.path().join("shims");
        std::fs::create_dir_all(&shims).unwrap();
        let log = sandbox.dir.path().join("cargo-calls");
        let cargo = shims.join("cargo");
        std::fs::write(
            &cargo,
            format!("#!/bin/sh\necho \"$*\" >> '{}'\n", log.display()),
        )
        .unwrap();
        make_executable(&cargo);
        sandbox
    }

    /// Runs `run` as GitHub Actions runs a step's script (`bash -e`), with the
    /// step's `env`, from `cwd`, downloading from `releases`.
    fn run(
        &self,
        run: &str,
        env: &BTreeMap<String, String>,
        cwd: &Path,
        releases: &FakeReleases,
    ) -> StepRun {
        let root = self.dir.path();
        let script = root.join("step.sh");
        std::fs::write(&script, run).unwrap();
        let github_path = root.join("github-path");
        std::fs::write(&github_path, "").unwrap();
        let bin = root.join("bin");
        let path = format!(
            "{}:{}",
            root.join("shims").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let output = Command::new("bash")
            .arg("-e")
            .arg(&script)
            .envs(env)
            .env("PATH", path)
            .env("HOME", root.join("home"))
            .env("STUDYSITE_DOWNLOAD_URL", releases.url())
            .env("STUDYSITE_BIN_DIR", &bin)
            .env("GITHUB_PATH", &github_path)
            .current_dir(cwd)
            .output()
            .expect("run bash");
        let cargo_calls = std::fs::read_to_string(root.join("cargo-calls"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect();
        StepRun {
            output,
            cargo_calls,
            installed: bin.join("studysite"),
            github_path: std::fs::read_to_string(&github_path).unwrap(),
        }
    }
}

/// The "Install studysite" step of a workflow: its script and its `env`.
fn install_step(workflow: &str) -> (String, BTreeMap<String, String>) {
    let workflow: serde_norway::Value = serde_norway::from_str(workflow).expect("valid YAML");
    let step = workflow["jobs"]["build"]["steps"]
        .as_sequence()
        .expect("build steps")
        .iter()
        .find(|s| s["name"].as_str() == Some("Install studysite"))
        .expect("an Install studysite step");
    let env = step["env"]
        .as_mapping()
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let value = v.as_str().expect("string env values");
            (k.as_str().unwrap().to_string(), value.to_string())
        })
        .collect();
    (step["run"].as_str().expect("a run script").to_string(), env)
}

/// The install step of the workflow `studysite init` writes.
fn init_install_step() -> (String, BTreeMap<String, String>) {
    let site = SiteTest::empty();
    let run = site.cli(&["init", "notes"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    install_step(&site.read_file("notes/.github/workflows/pages.yml"))
}

/// The release folder of this version with the given files, by name.
fn release_files(files: &[(&str, Vec<u8>)]) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|(name, body)| {
            let path = format!("/releases/download/v{VERSION}/{name}");
            (path, body.clone())
        })
        .collect()
}

#[test]
fn init_workflow_carries_the_install_script_and_this_release() {
    let (run, env) = init_install_step();
    assert_eq!(
        run, SCRIPT,
        "the step runs scripts/install-studysite.sh verbatim"
    );
    assert_eq!(env["STUDYSITE_VERSION"], VERSION);
    assert_eq!(env["STUDYSITE_REPOSITORY"], env!("CARGO_PKG_REPOSITORY"));
    assert_eq!(studysite::init::REPOSITORY, env!("CARGO_PKG_REPOSITORY"));
    assert!(
        env!("CARGO_PKG_REPOSITORY").starts_with("https://github.com/"),
        "releases are GitHub releases"
    );
}

#[test]
fn install_step_installs_a_release_whose_checksum_matches() {
    let work = tempfile::tempdir().unwrap();
    let (archive, checksum) = fake_archive(work.path());
    let name = archive_name();
    let releases = FakeReleases::serve(release_files(&[
        (&name, archive),
        (&format!("{name}.sha256"), checksum.into_bytes()),
    ]));
    let (run, env) = init_install_step();
    let sandbox = Sandbox::new();
    let step = sandbox.run(&run, &env, work.path(), &releases);
    assert_eq!(step.status(), 0, "{}", step.log());
    assert!(step.cargo_calls.is_empty(), "{:?}", step.cargo_calls);
    let ran = Command::new(&step.installed).output().expect("run it");
    assert_eq!(
        String::from_utf8_lossy(&ran.stdout),
        "studysite fake release\n"
    );
    assert_eq!(
        step.github_path.trim(),
        step.installed.parent().unwrap().to_str().unwrap()
    );
    assert_eq!(
        releases.requested(),
        [
            format!("/releases/download/v{VERSION}/{name}"),
            format!("/releases/download/v{VERSION}/{name}.sha256"),
        ]
    );
}

#[test]
fn install_step_refuses_a_release_whose_checksum_differs() {
    let work = tempfile::tempdir().unwrap();
    let (archive, checksum) = fake_archive(work.path());
    let name = archive_name();
    // One hex digit changed.
    let first = if checksum.starts_with('0') { "1" } else { "0" };
    let tampered = format!("{first}{}", &checksum[1..]);
    let releases = FakeReleases::serve(release_files(&[
        (&name, archive),
        (&format!("{name}.sha256"), tampered.into_bytes()),
    ]));
    let (run, env) = init_install_step();
    let step = Sandbox::new().run(&run, &env, work.path(), &releases);
    assert_ne!(step.status(), 0, "{}", step.log());
    assert!(step.log().contains("SHA-256"), "{}", step.log());
    assert!(!step.installed.exists(), "nothing installed");
    assert!(step.cargo_calls.is_empty(), "no fallback either");
    assert_eq!(step.github_path, "");
}

#[test]
fn install_step_refuses_a_release_without_its_checksum() {
    let work = tempfile::tempdir().unwrap();
    let (archive, _) = fake_archive(work.path());
    let releases = FakeReleases::serve(release_files(&[(&archive_name(), archive)]));
    let (run, env) = init_install_step();
    let step = Sandbox::new().run(&run, &env, work.path(), &releases);
    assert_ne!(step.status(), 0, "{}", step.log());
    assert!(!step.installed.exists(), "nothing installed");
    assert!(step.cargo_calls.is_empty(), "no fallback either");
}

#[test]
fn install_step_builds_from_crates_io_when_the_version_has_no_release() {
    let work = tempfile::tempdir().unwrap();
    let releases = FakeReleases::serve(BTreeMap::new());
    let (run, env) = init_install_step();
    let step = Sandbox::new().run(&run, &env, work.path(), &releases);
    assert_eq!(step.status(), 0, "{}", step.log());
    assert_eq!(
        step.cargo_calls,
        [format!("install studysite --locked --version {VERSION}")]
    );
    assert!(!step.installed.exists());
    assert_eq!(
        releases.requested(),
        [format!("/releases/download/v{VERSION}/{}", archive_name())]
    );
}

#[test]
fn repository_pages_workflow_installs_the_release_of_cargo_toml_or_builds_this_source() {
    let workflow = include_str!("../../.github/workflows/pages.yml");
    let (run, env) = install_step(workflow);
    assert!(run.contains("scripts/install-studysite.sh"), "{run}");
    let releases = FakeReleases::serve(BTreeMap::new());
    let step = Sandbox::new().run(&run, &env, Path::new(env!("CARGO_MANIFEST_DIR")), &releases);
    assert_eq!(step.status(), 0, "{}", step.log());
    assert_eq!(step.cargo_calls, ["install --locked --path ."]);
    assert_eq!(
        releases.requested(),
        [format!("/releases/download/v{VERSION}/{}", archive_name())],
        "the version comes from Cargo.toml"
    );
}

#[test]
fn release_workflow_builds_every_archive_the_install_script_downloads() {
    let text = include_str!("../../.github/workflows/release.yml");
    let workflow: serde_norway::Value = serde_norway::from_str(text).expect("valid YAML");
    assert_eq!(workflow["on"]["push"]["tags"][0].as_str(), Some("v*"));
    let mut targets: Vec<&str> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("a build matrix")
        .iter()
        .map(|entry| entry["target"].as_str().unwrap())
        .collect();
    targets.sort_unstable();
    assert_eq!(
        targets,
        [
            "aarch64-apple-darwin",
            "aarch64-unknown-linux-gnu",
            "x86_64-apple-darwin",
            "x86_64-pc-windows-msvc",
            "x86_64-unknown-linux-gnu",
        ]
    );
    // The same archive and checksum names on both sides.
    assert!(text.contains("name=\"studysite-$VERSION-$TARGET\""));
    assert!(SCRIPT.contains("archive=\"studysite-$version-$arch-$os.$ext\""));
    assert!(text.contains(">\"$archive.sha256\""));
    assert!(SCRIPT.contains("\"$url.sha256\""));
    // Only the job that publishes may write.
    assert_eq!(
        workflow["permissions"]["contents"].as_str(),
        Some("read"),
        "read-only by default"
    );
    let jobs = workflow["jobs"].as_mapping().unwrap();
    for (name, job) in jobs {
        let writes = job["permissions"]["contents"].as_str() == Some("write");
        assert_eq!(writes, name.as_str() == Some("publish"), "{name:?}");
    }
}

/// actionlint from `scripts/install-test-tools`, `ACTIONLINT`, or PATH.
fn actionlint() -> Option<PathBuf> {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tools/venv/bin");
    let candidates = [
        std::env::var_os("ACTIONLINT").map(PathBuf::from),
        Some(tools.join("actionlint")),
        Some(PathBuf::from("actionlint")),
    ];
    let found = candidates.into_iter().flatten().find(|candidate| {
        Command::new(candidate)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        let why = "no actionlint (run scripts/install-test-tools)";
        assert!(
            std::env::var_os("CI").is_none(),
            "workflow linter missing on CI: {why}"
        );
        eprintln!("skipping the workflow lint: {why}");
    }
    found
}

#[test]
fn workflows_pass_actionlint() {
    let Some(actionlint) = actionlint() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(".github/workflows"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "{files:?}");
    let site = SiteTest::empty();
    assert_eq!(site.cli(&["init", "notes"]).status, 0);
    files.push(site.root().join("notes/.github/workflows/pages.yml"));
    // ShellCheck beside actionlint checks the `run:` scripts too.
    let tools = root.join("target/tools/venv/bin");
    let path = format!(
        "{}:{}",
        tools.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new(&actionlint)
        .arg("-no-color")
        .args(&files)
        .env("PATH", &path)
        .current_dir(root)
        .output()
        .expect("run actionlint");
    assert!(
        output.status.success(),
        "actionlint found problems in {files:?}:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // And the scripts the workflows and the tests run, on their own.
    let shellcheck = Command::new("shellcheck")
        .args([
            "scripts/install-studysite.sh",
            "scripts/install-test-tools",
            "scripts/test",
        ])
        .env("PATH", &path)
        .current_dir(root)
        .output();
    match shellcheck {
        Ok(output) => assert!(
            output.status.success(),
            "shellcheck:\n{}",
            String::from_utf8_lossy(&output.stdout)
        ),
        Err(_) => eprintln!("no shellcheck: the scripts themselves were not checked"),
    }
}
