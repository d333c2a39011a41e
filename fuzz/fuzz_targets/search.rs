//! The search tokeniser and index builder.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

/// One worker, entered once per input: the stages' parallel loops then run on it
/// without waking other threads, which on a busy machine cost more than the work.
static POOL: LazyLock<rayon::ThreadPool> = LazyLock::new(|| {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool starts")
});

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        POOL.install(|| studysite::fuzzing::search(text));
    }
});
