//! The one integration-test binary: a module per feature.

mod build;
mod callouts;
mod check;
mod errors;
mod harness;
mod html_validity;
mod publish;
mod quiz;
mod search;
mod serve;
mod serve_abuse;
mod serve_cache;
mod shipped_site;
mod worst_cases;
