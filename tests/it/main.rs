//! The one integration-test binary: a module per feature.

mod anki;
mod banks;
mod build;
mod callouts;
mod check;
mod cram;
mod errors;
mod foreign_notes;
mod harness;
mod html_validity;
mod large_sections;
mod obsidian;
mod practice_exams;
mod progress;
mod publish;
mod quiz;
mod quiz_quality;
mod release;
mod search;
mod serve;
mod serve_abuse;
mod serve_cache;
mod serve_cache_edits;
mod shipped_site;
mod sidebar;
mod worst_cases;
