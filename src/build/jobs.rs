//! Runs the job list: in parallel, each output handed to the sink as soon as it
//! is made. With `serve`'s memo a job whose key is unchanged is not made again;
//! without one (a clean build) no key is computed. That is the only difference.
//!
//! Jobs that need other outputs' content hashes (the exam page, for its pool's
//! index) run after the others, in rounds, once those hashes are known.

use std::sync::Mutex;

use bytes::Bytes;
use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::cache::memo::Memo;
use crate::error::Result;
use crate::pages::job::{Body, Job, OutputHashes, Runner};
use crate::render::Renderer;
use crate::source::OutputPath;

/// Where each made output goes: its path and bytes.
pub(crate) type Emit<'a> = dyn Fn(String, Bytes) -> Result<()> + Sync + 'a;

pub(crate) fn run_jobs(
    jobs: Vec<Job<'_>>,
    renderer: &Renderer,
    memo: Option<&Memo<Body>>,
    emit: &Emit<'_>,
) -> Result<()> {
    let needed: FxHashSet<OutputPath> = jobs.iter().flat_map(|j| j.needs.clone()).collect();
    let (later, first): (Vec<_>, Vec<_>) = jobs.into_iter().partition(|j| !j.needs.is_empty());
    let hashes = Mutex::new(OutputHashes::default());
    let run = |job: Job<'_>, known: &OutputHashes| {
        let runner = Runner {
            renderer,
            memo,
            hashes: known,
        };
        let output = job.output.clone();
        let body = job.run(&runner)?;
        if needed.contains(&output) {
            let hash = body.content_hash().to_string();
            let mut hashes = hashes.lock().unwrap_or_else(|e| e.into_inner());
            hashes.insert(output.clone(), hash);
        }
        emit(output.to_string(), body.bytes)
    };
    // A task per job, as in `build::render_notes`: jobs differ in size.
    let run_all = |jobs: Vec<Job<'_>>, known: &OutputHashes| {
        let jobs = jobs.into_par_iter().with_max_len(1);
        jobs.try_for_each(|job| run(job, known))
    };
    let mut known = OutputHashes::default();
    run_all(first, &known)?;
    // Rounds: each runs the jobs whose needs are all made (the pool's index after
    // the pool's files, the exam page after the index).
    let mut waiting = later;
    while !waiting.is_empty() {
        known.extend(std::mem::take(
            &mut *hashes.lock().unwrap_or_else(|e| e.into_inner()),
        ));
        let (ready, rest): (Vec<_>, Vec<_>) = waiting
            .into_iter()
            .partition(|j| j.needs.iter().all(|n| known.contains_key(n)));
        // A need no job makes cannot be waited for: run the rest as they are.
        let (ready, rest) = match ready.is_empty() {
            true => (rest, Vec::new()),
            false => (ready, rest),
        };
        run_all(ready, &known)?;
        waiting = rest;
    }
    Ok(())
}
