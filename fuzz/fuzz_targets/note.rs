//! The whole note pipeline: front matter, Markdown, callouts, quizzes, mnemonics,
//! headings, links and the note's search documents.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use studysite::fuzzing::NoteFuzzer;

static FUZZER: LazyLock<NoteFuzzer> = LazyLock::new(NoteFuzzer::default);

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        FUZZER.note(text);
    }
});
