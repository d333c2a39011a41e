//! `check`'s output link checker on one HTML page.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(html) = std::str::from_utf8(data) {
        studysite::fuzzing::output_links(html);
    }
});
