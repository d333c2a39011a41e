use std::process::ExitCode;

use clap::Parser;

// Pages render on every core at once; glibc's per-thread arenas fragmented the heap
// (10,000-note build: 2.39 GB peak with glibc, 2.06–2.10 GB with mimalloc).
#[cfg(not(feature = "heap-stats"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "heap-stats")]
#[global_allocator]
static ALLOCATOR: studysite::heap_stats::CountingAllocator<mimalloc::MiMalloc> =
    studysite::heap_stats::CountingAllocator(mimalloc::MiMalloc);

fn main() -> ExitCode {
    studysite::cli::run(studysite::cli::Cli::parse())
}
