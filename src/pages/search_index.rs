//! The search index's files (`search/*.js`, see docs/search-index.md): made by
//! the search stage, which keeps its own incremental state, and handed on as
//! they are.

use crate::pages::job::Job;
use crate::search::SearchIndex;

pub(crate) fn jobs(index: SearchIndex) -> Vec<Job<'static>> {
    let files = index.files.into_iter();
    files
        .map(|file| Job::ready(file.path.into(), file.text))
        .collect()
}
