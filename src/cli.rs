//! The command line: parse flags into options, call one library entry point,
//! print its report or errors, and pick the exit code (0 ok, 1 user error, 2 usage).

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::build::{build, BuildOptions, BuildReport, OutputTarget};
use crate::error::{Error, Severity};
use crate::serve::{self, ServeEvent, ServeOptions};

/// A static study-site generator: notes in, a site with quizzes and search out.
#[derive(Debug, Parser)]
#[command(name = "studysite", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site in DIR with one section and a page showing every feature.
    Init(InitArgs),
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Build without writing; report every broken link, bad front matter or template error.
    Check(CheckArgs),
    /// Build into memory, serve on localhost, rebuild on every save and reload open pages.
    Serve(ServeArgs),
}

/// `studysite init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the site in (must be empty or missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// `studysite build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Site root (the folder with site.toml).
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder, relative to the current folder [default: ROOT/public].
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Base URL to build for, overriding site.toml (e.g. https://user.github.io/repo/).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Replace the output folder even if studysite did not create it.
    #[arg(long)]
    pub force: bool,
    /// Print the time each stage took.
    #[arg(long)]
    pub timings: bool,
}

/// `studysite check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Site root (the folder with site.toml).
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// Also fetch every external web link (10 s timeout each) and report failures.
    #[arg(long)]
    pub external: bool,
}

/// `studysite serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Site root (the folder with site.toml).
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on; 0 picks a free one.
    #[arg(short, long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; anything but loopback exposes the site to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Init(args) => crate::init::init(&args.dir).map(|created| {
            println!("Created a new site in {}", created.display());
            println!("Next: studysite build -r {}", created.display());
        }),
        Command::Build(args) => run_build(args),
        Command::Serve(args) => run_serve(args),
        Command::Check(args) => crate::check(&args.root, args.external).map(|report| {
            print_warnings(&report);
            println!("{}", report.summary("Checked"));
            if !args.external {
                print_external_links(&report);
            }
            println!("No problems found.");
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}", error_text(&error));
            ExitCode::from(1)
        }
    }
}

fn run_build(args: BuildArgs) -> crate::Result<()> {
    let output = args.output.unwrap_or_else(|| args.root.join("public"));
    let options = BuildOptions {
        target: OutputTarget::Disk(output.clone()),
        base_url: args.base_url,
        drafts: args.drafts,
        force: args.force,
        ..BuildOptions::new(&args.root)
    };
    let (report, _) = build(&options)?;
    print_warnings(&report);
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    println!("{} → {}", report.summary("Built"), output.display());
    if args.timings {
        println!("{}", report.timings_table());
    }
    Ok(())
}

fn run_serve(args: ServeArgs) -> crate::Result<()> {
    let options = ServeOptions {
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        on_event: Arc::new(print_serve_event),
        ..ServeOptions::new(&args.root)
    };
    let running = serve::start(options)?;
    if running.is_public() {
        eprintln!(
            "warning: listening on {}, reachable from other machines; use --bind 127.0.0.1 to keep it local",
            running.address()
        );
    }
    println!("Serving {} at {}", args.root.display(), running.url());
    println!("Watching for changes; press Ctrl+C to stop.");
    if args.open {
        open_browser(running.url());
    }
    running.wait();
    Ok(())
}

fn print_serve_event(event: &ServeEvent<'_>) {
    match event {
        ServeEvent::Rebuilt {
            changes,
            report,
            previewed,
            ..
        } => {
            let what = match changes {
                [one] => one.path.clone(),
                many => format!("{} files", many.len()),
            };
            // The edited page was served ahead: say when, since that is what the author sees.
            let preview = previewed.map_or_else(String::new, |p| {
                format!(" (its page served after {} ms)", p.as_millis())
            });
            println!(
                "Rebuilt after a change to {what} in {} ms{preview}",
                report.elapsed.as_millis()
            );
        }
        ServeEvent::Previewed { .. } => {}
        ServeEvent::Failed { error, .. } => {
            let text = match error {
                Error::Invalid(diagnostics) => diagnostics.render(),
                other => format!("error: {other}"),
            };
            eprintln!("{text}\n\nStill serving the last good build.");
        }
        ServeEvent::WatchFailed(error) => eprintln!("warning: {error}"),
    }
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(error) = std::process::Command::new(program).arg(url).spawn() {
        eprintln!("warning: cannot open a browser ({program}: {error}); open {url} yourself");
    }
}

fn print_external_links(report: &BuildReport) {
    if report.external_links.is_empty() {
        return;
    }
    println!(
        "{} external links (listed, not fetched; `check --external` fetches them):",
        report.external_links.len()
    );
    for url in &report.external_links {
        println!("  {url}");
    }
}

fn print_warnings(report: &BuildReport) {
    for warning in report
        .warnings
        .iter()
        .filter(|d| d.severity == Severity::Warning)
    {
        eprintln!("{}", warning.render());
    }
}

/// The text printed for an error: diagnostics as they render, anything else as `error: …`.
fn error_text(error: &Error) -> String {
    match error {
        Error::Invalid(diagnostics) => {
            let count = diagnostics.len();
            let plural = if count == 1 { "" } else { "s" };
            format!(
                "{}\n\n{count} error{plural}; nothing was written.",
                diagnostics.render()
            )
        }
        other => format!("error: {other}"),
    }
}
