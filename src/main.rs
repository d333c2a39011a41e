use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    studysite::cli::run(studysite::cli::Cli::parse())
}
