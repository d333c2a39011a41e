//! Front matter split and parsed (TOML and YAML), keys checked, errors rendered.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        studysite::fuzzing::front_matter(text);
    }
});
