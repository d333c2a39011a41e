//! `exam/pool-<section>-<N>.json` (`exam/pool-<N>.json` for pages outside any
//! section): a section's share of the mock exam's pool, in files of
//! [`POOL_CHUNK`] questions, and `exam/pools.json`, their index. The whole pool
//! is tens of megabytes at 10,000 notes; `exam.js` draws an attempt's
//! questions from the counts in the index and fetches only the files that hold
//! them. An edit rewrites only its section's files (and the index).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use bytes::Bytes;
use serde::Serialize;

use crate::content::model::SectionId;
use crate::markdown::highlight::escape as escape_html;
use crate::pages::job::{Job, OutputHashes};
use crate::pages::joined::{Frame, Joined};
use crate::pages::practice::{Practice, EXAM_PATH};
use crate::pages::SiteData;
use crate::quiz::{QuestionSource, QuizQuestion};
use crate::render::relative::{relative_urls, ROOT_PAGE};
use crate::source::OutputPath;

/// The file is `{"questions":[…]}`, each question an [`ExamQuestion`].
/// What `exam.js` needs of a question, and nothing else. An HTML field that
/// is only its plain field escaped (a generated stem, most options) is left
/// out, and the reader escapes the plain one: it was a third of the file.
#[derive(Serialize)]
struct ExamQuestion<'a> {
    id: &'a str,
    source: QuestionSource,
    /// `file:line` of the note it came from.
    location: &'a str,
    section: &'a str,
    section_title: &'a str,
    /// Plain text: what `/progress/` compares to re-attach a reworded question.
    stem: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    stem_html: Option<Cow<'a, str>>,
    options: Vec<ExamOption<'a>>,
    correct: &'a [usize],
    multi: bool,
    explanation_html: Cow<'a, str>,
    page_title: &'a str,
    heading: Option<&'a str>,
    /// From the site's root (`aws/iam/#roles`), as are the links in the HTML:
    /// the pages that show a question resolve them against the root.
    url: &'a str,
}

#[derive(Serialize)]
struct ExamOption<'a> {
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<Cow<'a, str>>,
}

impl<'a> ExamQuestion<'a> {
    fn new(q: &'a QuizQuestion, base_path: &str) -> Self {
        let html = |html: &'a str| relative_urls(html, base_path, ROOT_PAGE);
        let unless_escaped =
            |field: &'a str, text: &str| (field != escape_html(text)).then(|| html(field));
        ExamQuestion {
            id: &q.id,
            source: q.source,
            location: &q.location,
            section: &q.section,
            section_title: &q.section_title,
            stem: &q.stem,
            stem_html: q
                .stem_html
                .as_deref()
                .and_then(|h| unless_escaped(h, &q.stem)),
            options: q
                .options
                .iter()
                .map(|o| ExamOption {
                    text: &o.text,
                    html: unless_escaped(&o.html, &o.text),
                })
                .collect(),
            correct: &q.correct,
            multi: q.multi,
            explanation_html: match q.explanation_html() {
                Cow::Borrowed(field) => html(field),
                made => made,
            },
            page_title: &q.page_title,
            heading: q.heading.as_deref(),
            url: q.url.strip_prefix(base_path).unwrap_or(&q.url),
        }
    }
}

/// Questions per pool file. The exam draws before it fetches, so an attempt
/// loads at most one file per question it asks, whatever the pool's size: 50
/// questions are about 40 KB of JSON at the benchmark's note length.
pub(crate) const POOL_CHUNK: usize = 50;

/// The index of the pool's files, which the exam and progress pages name by
/// its content hash: a large site's pool has thousands of files, too many to
/// list in a page.
pub(crate) const POOLS_PATH: &str = "exam/pools.json";

/// What `exam/pools.json` holds.
#[derive(Hash, Serialize)]
struct PoolIndex {
    /// Every pool file, each section's in turn, from the site's root with its
    /// content hash (`?h=`), so a redeploy never pairs the index with a stale file.
    pools: Vec<String>,
    /// Questions per file.
    chunk: usize,
    groups: Vec<PoolMap>,
}

/// One group's share of the pool: a top-level section's questions (or those
/// of pages outside any section), in files of [`POOL_CHUNK`] questions.
struct PoolGroup {
    id: Option<SectionId>,
    /// The key the group's questions carry as `section`, as `exam.js` groups them.
    section: Arc<str>,
    files: Vec<OutputPath>,
}

/// The groups with questions in plan order, then pages outside any section.
fn pool_groups(practice: &Practice<'_>) -> Vec<PoolGroup> {
    let sections = practice.sections.iter();
    let named = sections.map(|s| (Some(s.id), format!("pool-{}", s.section)));
    named
        .chain([(None, "pool".to_string())])
        .filter_map(|(id, name)| {
            let questions = &practice.group(id).questions;
            let first = questions.first()?;
            let files = (1..=questions.len().div_ceil(POOL_CHUNK))
                .map(|part| OutputPath::from(format!("{EXAM_PATH}{name}-{part}.json")))
                .collect();
            Some(PoolGroup {
                id,
                section: Arc::clone(&first.section),
                files,
            })
        })
        .collect()
}

/// Every pool file's path.
fn pool_paths(groups: &[PoolGroup]) -> Vec<OutputPath> {
    groups
        .iter()
        .flat_map(|g| g.files.iter().cloned())
        .collect()
}

/// The pool files' URLs from the site's root, with their content hashes.
fn pool_urls(paths: &[OutputPath], hashes: &OutputHashes) -> Vec<String> {
    paths
        .iter()
        .map(|path| format!("{path}?h={}", hashes[path]))
        .collect()
}

/// Where `exam.js` finds a group's questions without fetching the others: the
/// group's question count, its first file's place among the pool URLs, and the
/// range of each practice-exam page's questions (`?from=` makes an exam of them).
#[derive(Debug, Hash, Serialize)]
struct PoolMap {
    section: Arc<str>,
    questions: usize,
    first_file: usize,
    pages: BTreeMap<String, [usize; 2]>,
}

/// The map of every group, in the order of [`pool_paths`].
fn pool_maps(data: &SiteData<'_>, practice: &Practice<'_>, groups: &[PoolGroup]) -> Vec<PoolMap> {
    let mut first_file = 0;
    groups
        .iter()
        .map(|group| {
            let questions = &practice.group(group.id).questions;
            let mut pages: BTreeMap<String, [usize; 2]> = BTreeMap::new();
            let practice_exams = questions
                .iter()
                .enumerate()
                .filter(|(_, q)| data.notes[q.page.0].practice_questions > 0);
            for (index, question) in practice_exams {
                // The page's path, as its "timed exam" link names it in `?from=`.
                let page = data.model.page(question.page).path.to_string();
                pages.entry(page).or_insert([index, index])[1] = index + 1;
            }
            let map = PoolMap {
                section: Arc::clone(&group.section),
                questions: questions.len(),
                first_file,
                pages,
            };
            first_file += group.files.len();
            map
        })
        .collect()
}

/// The pool's files and their index.
pub(crate) fn jobs<'a>(data: &'a SiteData<'a>, practice: &'a Practice<'a>) -> Vec<Job<'a>> {
    let base_path = data.targets.base_path.as_str();
    let groups = pool_groups(practice);
    let paths = pool_paths(&groups);
    let maps = pool_maps(data, practice, &groups);
    let index = Job::data_after(
        POOLS_PATH.into(),
        paths.clone(),
        move |hashes| PoolIndex {
            pools: pool_urls(&paths, hashes),
            chunk: POOL_CHUNK,
            groups: maps,
        },
        |index| Bytes::from(serde_json::to_vec(index).expect("plain values serialise")),
    );
    let mut jobs = Vec::new();
    for group in groups {
        let questions = practice.group(group.id).questions.chunks(POOL_CHUNK);
        for (path, questions) in group.files.into_iter().zip(questions) {
            let joined = Joined {
                // As serde writes `ExamPool`.
                frame: Frame {
                    head: r#"{"questions":["#.into(),
                    separator: ",",
                    tail: "]}",
                },
                context: base_path,
                items: questions.iter().map(|q| (q.key, q)).collect(),
            };
            jobs.push(Job::joined(path, joined, |base_path, question| {
                let question = ExamQuestion::new(question, base_path);
                serde_json::to_vec(&question).expect("quiz data serialises: plain structs")
            }));
        }
    }
    jobs.push(index);
    jobs
}
