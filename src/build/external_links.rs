//! `check --external`: fetch every external web link once, a few at a time, with
//! a timeout, and report those that fail at the note line that wrote them.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::error::{Diagnostic, Diagnostics, Location};

/// Requests in flight at once: enough to hide latency, few enough to be polite.
const PARALLEL: usize = 8;
const TIMEOUT: Duration = Duration::from_secs(10);

/// Fetches every URL; returns an error for each that fails or answers 4xx/5xx.
pub(crate) fn fetch_all(links: &BTreeMap<String, Location>) -> Diagnostics {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .user_agent(concat!(
            "studysite/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into();
    let queue = Mutex::new(links.iter());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL.min(links.len()) {
            scope.spawn(|| loop {
                let next = queue.lock().expect("no thread panics holding it").next();
                let Some((url, location)) = next else { break };
                if let Err(why) = fetch(&agent, url) {
                    failures
                        .lock()
                        .expect("no thread panics holding it")
                        .push((url, location, why));
                }
            });
        }
    });
    let mut diagnostics = Diagnostics::default();
    for (url, location, why) in failures.into_inner().expect("threads joined") {
        diagnostics.push(
            Diagnostic::error(
                Some(location.clone()),
                format!("external link `{url}` failed: {why}"),
            )
            .with_help(
                "update or remove the link; if the site was only briefly down, check again later",
            ),
        );
    }
    diagnostics.sort();
    diagnostics
}

/// HEAD first (cheap); servers that refuse HEAD get a GET.
fn fetch(agent: &ureq::Agent, url: &str) -> Result<(), String> {
    let status = match agent.head(url).call() {
        Ok(response) if !matches!(response.status().as_u16(), 405 | 501) => response.status(),
        _ => agent.get(url).call().map_err(|e| e.to_string())?.status(),
    };
    if status.is_client_error() || status.is_server_error() {
        return Err(format!("HTTP {}", status.as_u16()));
    }
    Ok(())
}
