//! The search index's files (`search/*.js`, see docs/search-index.md): made by
//! the search stage, which keeps its own incremental state, and handed on as
//! they are.

use crate::pages::job::Job;
use crate::search::SearchIndex;

pub(crate) fn jobs(index: &SearchIndex) -> Vec<Job<'static>> {
    index
        .files
        .iter()
        .map(|file| Job::ready(file.path.as_str().into(), file.text.clone()))
        .collect()
}
