//! A job: one output file of the build, made from the site's data.
//!
//! Every page kind lists its jobs; the build runs the whole list through one
//! [`Runner`]. A job's key, under which `serve` keeps its output, is derived here
//! and nowhere else: for a page, from the template's key and the hash of the
//! view the template receives (views derive `Hash`); for a data file, from the
//! typed inputs it is made of. A clean build has no memo and computes no key.

use std::borrow::Cow;
use std::hash::Hash;
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::cache::memo::{try_memoised, try_updated, Memo};
use crate::error::Result;
use crate::hashing::{content_hash, key_of};
use crate::pages::joined::Pieces;
use crate::render::Renderer;
use crate::source::OutputPath;

/// Content hashes of outputs that other jobs asked for ([`Job::needs`]), by output path.
pub(crate) type OutputHashes = FxHashMap<OutputPath, String>;

type Make<'a> = Box<dyn FnOnce(&Runner<'_>) -> Result<Body> + Send + 'a>;

/// One output of the build.
pub(crate) struct Job<'a> {
    /// `security/iam/index.html`.
    pub(crate) output: OutputPath,
    /// Whether the sitemap lists it (the pages a reader lands on).
    pub(crate) listed: bool,
    /// Outputs whose content hashes this job's view needs; it runs after them.
    pub(crate) needs: Vec<OutputPath>,
    make: Make<'a>,
}

/// A made output, shared between builds by `serve`'s memo.
#[derive(Debug, Clone)]
pub(crate) struct Body {
    pub(crate) bytes: Bytes,
    /// Its content hash, computed once, when a job needs it.
    hash: Arc<OnceLock<String>>,
    /// Where each piece of a [`Job::joined`] file is, made only with a memo.
    pub(crate) pieces: Option<Arc<Pieces>>,
}

impl Body {
    pub(crate) fn new(bytes: Bytes) -> Self {
        Body {
            bytes,
            hash: Arc::default(),
            pieces: None,
        }
    }

    pub(crate) fn content_hash(&self) -> &str {
        self.hash.get_or_init(|| content_hash(&self.bytes))
    }
}

/// What a [`Job::updated`] file is made with besides its inputs.
pub(crate) struct Update {
    /// Whether `serve` keeps the file, so that what helps its next update is worth making.
    pub(crate) kept: bool,
    /// The file's last version, when `serve` kept one under another key.
    pub(crate) previous: Option<Body>,
}

/// What jobs are run with: the templates, `serve`'s memo of outputs, and the
/// content hashes of the outputs that later jobs need.
pub(crate) struct Runner<'r> {
    pub(crate) renderer: &'r Renderer,
    pub(crate) memo: Option<&'r Memo<Body>>,
    pub(crate) hashes: &'r OutputHashes,
}

impl<'a> Job<'a> {
    /// The page at `output`: `view()` rendered through `template`; `origin`
    /// is what errors blame (the note, or the page's path).
    pub(crate) fn page<V>(
        output: OutputPath,
        template: &'static str,
        origin: impl Into<Cow<'a, str>>,
        view: impl FnOnce() -> V + Send + 'a,
    ) -> Self
    where
        V: Serialize + Hash,
    {
        Job::page_after(output, Vec::new(), template, origin, move |_| view())
    }

    /// [`Job::page`] whose view reads the content hashes of the outputs it `needs`.
    pub(crate) fn page_after<V>(
        output: OutputPath,
        needs: Vec<OutputPath>,
        template: &'static str,
        origin: impl Into<Cow<'a, str>>,
        view: impl FnOnce(&OutputHashes) -> V + Send + 'a,
    ) -> Self
    where
        V: Serialize + Hash,
    {
        let name = output.clone();
        let origin = origin.into();
        let make = move |runner: &Runner<'_>| {
            let view = view(runner.hashes);
            let renderer = runner.renderer;
            let key = || key_of(&(template, renderer.template_key(template), &view));
            let render = || {
                renderer
                    .render_page(template, &view, &origin, &name)
                    .map(Bytes::from)
            };
            runner.made(&name, key, render)
        };
        Job {
            output,
            listed: true,
            needs,
            make: Box::new(make),
        }
    }

    /// A data file at `output`, made by `make` from `inputs`, whose hash is its key.
    pub(crate) fn data<I>(
        output: OutputPath,
        inputs: I,
        make: impl FnOnce(&I) -> Bytes + Send + 'a,
    ) -> Self
    where
        I: Hash + Send + 'a,
    {
        Job::updated(output, inputs, key_of, |inputs, _| Body::new(make(inputs)))
    }

    /// [`Job::data`] whose inputs read the content hashes of the outputs it
    /// `needs` (a file that names other files by their hashed URLs).
    pub(crate) fn data_after<I>(
        output: OutputPath,
        needs: Vec<OutputPath>,
        inputs: impl FnOnce(&OutputHashes) -> I + Send + 'a,
        make: impl FnOnce(&I) -> Bytes + Send + 'a,
    ) -> Self
    where
        I: Hash,
    {
        let name = output.clone();
        let make = move |runner: &Runner<'_>| {
            let inputs = inputs(runner.hashes);
            runner.made(&name, || key_of(&inputs), || Ok(make(&inputs)))
        };
        Job {
            output,
            listed: false,
            needs,
            make: Box::new(make),
        }
    }

    /// A data file at `output`, made by `make` from `inputs` under the key
    /// `key` gives them, and from its last version when `serve` kept one.
    pub(crate) fn updated<I>(
        output: OutputPath,
        inputs: I,
        key: impl FnOnce(&I) -> u64 + Send + 'a,
        make: impl FnOnce(&I, Update) -> Body + Send + 'a,
    ) -> Self
    where
        I: Send + 'a,
    {
        let name = output.clone();
        let make = move |runner: &Runner<'_>| {
            let kept = runner.memo.is_some();
            try_updated(
                runner.memo,
                &name,
                || key(&inputs),
                |previous| Ok(make(&inputs, Update { kept, previous })),
            )
        };
        Job {
            output,
            listed: false,
            needs: Vec::new(),
            make: Box::new(make),
        }
    }

    /// A file another stage already made (the search index keeps its own state).
    pub(crate) fn ready(output: OutputPath, bytes: Bytes) -> Self {
        Job {
            output,
            listed: false,
            needs: Vec::new(),
            make: Box::new(move |_| Ok(Body::new(bytes))),
        }
    }

    /// Left out of the sitemap (404, search results).
    pub(crate) fn unlisted(mut self) -> Self {
        self.listed = false;
        self
    }

    /// Makes the output, or takes it from the memo when its key is unchanged.
    pub(crate) fn run(self, runner: &Runner<'_>) -> Result<Body> {
        (self.make)(runner)
    }
}

impl Runner<'_> {
    fn made(
        &self,
        name: &str,
        key: impl FnOnce() -> u64,
        make: impl FnOnce() -> Result<Bytes>,
    ) -> Result<Body> {
        try_memoised(self.memo, name, key, || make().map(Body::new))
    }
}
