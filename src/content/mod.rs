//! Stage 3: `content/` → [`SiteModel`].
//!
//! 1. Walk `content/` (hidden entries skipped); Markdown files are notes, anything else an
//!    asset. Question and flashcard banks (`*.questions.csv`, `*.gift`, `*.cards.txt`) are
//!    both: a page each, rendered from their rows by the markdown stage, and a download.
//! 2. Every folder that holds notes, at any depth, is a section; `_index.md` is optional.
//! 3. Read notes in parallel; split and check front matter.
//! 4. Order pages and sections (`order`, else numeric prefix, else title), assign slugs and
//!    output paths, and reject duplicate slugs.

pub(crate) mod front_matter;
pub(crate) mod model;
mod read;
pub(crate) mod slug;

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{Event, Options, Parser};

use crate::error::{Diagnostic, Diagnostics, Error, Location, Result};
use crate::markdown::parser_options;
use crate::markdown::text::plain_text;
use crate::source::{slash_path, BankFormat, OutputPath};
use front_matter::KeyType;
use model::{Asset, Page, PageId, Section, SectionId, SiteModel};
pub(crate) use read::{read_note, read_notes, ReadNote};

/// The content folder's name inside the site root.
pub(crate) const CONTENT_DIR: &str = "content";
pub(crate) const INDEX_FILE: &str = "_index.md";

pub(crate) const PAGE_KEYS: &[(&str, KeyType)] = &[
    ("title", KeyType::String),
    ("order", KeyType::Integer),
    ("description", KeyType::String),
    ("draft", KeyType::Bool),
    ("tags", KeyType::StringList),
    ("quiz", KeyType::Bool),
];

pub(crate) const SECTION_KEYS: &[(&str, KeyType)] = &[
    ("title", KeyType::String),
    ("weight", KeyType::Integer),
    ("order", KeyType::Integer),
    ("description", KeyType::String),
];

/// Options that change what is loaded.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LoadOptions {
    pub(crate) drafts: bool,
}

/// Walks `root/content` into a [`SiteModel`]. Problems that still let the
/// build go on are pushed to `diagnostics`; the rest fail here.
pub(crate) fn load_content(
    root: &Path,
    options: LoadOptions,
    diagnostics: &mut Diagnostics,
) -> Result<SiteModel> {
    let listing = walk(root)?;
    let read = |relative: &str| Ok(read_note(root, relative)?.map(Arc::new));
    let notes = read_notes(&listing.notes, &read, diagnostics)?;
    Ok(assemble(&listing, &notes, options, diagnostics))
}

/// Steps 2 and 4: the model of the `notes` read from `listing`, in its order.
pub(crate) fn assemble(
    listing: &Listing,
    notes: &[Option<Arc<ReadNote>>],
    options: LoadOptions,
    diagnostics: &mut Diagnostics,
) -> SiteModel {
    let mut builder = ModelBuilder::default();
    builder.add_sections(&listing.notes, notes);
    builder.add_pages(notes, options);
    builder.order();
    builder.assign_paths(diagnostics);
    builder.add_assets(&listing.assets);
    builder.finish()
}

/// What the walk found, as `/`-separated paths relative to the site root.
#[derive(Debug)]
pub(crate) struct Listing {
    pub(crate) notes: Vec<String>,
    pub(crate) assets: Vec<String>,
}

/// Step 1: every note and asset under `root/content`; no notes at all is an error.
pub(crate) fn walk(root: &Path) -> Result<Listing> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(Diagnostic::error(
            Some(Location::file(CONTENT_DIR)),
            format!("no content/ folder in {}", root.display()),
        )
        .with_help("create content/ with one folder per exam section, or run `studysite init`")
        .into());
    }
    let mut listing = Listing {
        notes: Vec::new(),
        assets: Vec::new(),
    };
    let walker = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().map_or_else(|| content.clone(), Path::to_path_buf);
            Error::io(path, e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = relative_path(root, entry.path());
        if relative.ends_with(".md") {
            listing.notes.push(relative);
        } else {
            // A bank is a page and, for a note that links it as a download, still an asset.
            if BankFormat::of(&relative).is_some() {
                listing.notes.push(relative.clone());
            }
            listing.assets.push(relative);
        }
    }
    if listing.notes.is_empty() {
        return Err(Diagnostic::error(
            Some(Location::file(CONTENT_DIR)),
            "content/ holds no notes (no `.md` files)",
        )
        .with_help(
            "add a Markdown file such as content/01-basics/first-note.md, or run `studysite init`",
        )
        .into());
    }
    Ok(listing)
}

fn relative_path(root: &Path, path: &Path) -> String {
    slash_path(path.strip_prefix(root).unwrap_or(path))
}

/// Ordering key: explicit `order`, else the name's numeric prefix, else the title
/// in natural order (`Chapter 2` before `Chapter 10`); numbered entries come
/// before unnumbered ones.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OrderKey(bool, i64, String);

impl OrderKey {
    fn new(order: Option<i64>, title: &str) -> Self {
        OrderKey(order.is_none(), order.unwrap_or(0), title.to_lowercase())
    }
}

impl Ord for OrderKey {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.0, self.1)
            .cmp(&(other.0, other.1))
            .then_with(|| natural_cmp(&self.2, &other.2))
    }
}

impl PartialOrd for OrderKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn without_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&c| c == b'0').count();
    &digits[zeros..]
}

/// Text as people sort it: runs of digits by their value, the rest byte by
/// byte (which is character order in UTF-8). Equal only when identical.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    let digits = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let (run_a, run_b) = (&a[..digits(a)], &b[..digits(b)]);
                let (va, vb) = (without_zeros(run_a), without_zeros(run_b));
                let order = va.len().cmp(&vb.len()).then(va.cmp(vb));
                // `1` before `01`: the same value, fewer zeros first.
                let order = order.then(run_a.len().cmp(&run_b.len()));
                if order != Ordering::Equal {
                    return order;
                }
                (a, b) = (&a[run_a.len()..], &b[run_b.len()..]);
            }
            (Some(x), Some(y)) if x != y => return x.cmp(y),
            _ => (a, b) = (&a[1..], &b[1..]),
        }
    }
}

#[derive(Default)]
struct ModelBuilder {
    model: SiteModel,
    section_by_dir: BTreeMap<String, SectionId>,
    order_keys: Vec<OrderKey>,
    section_keys: Vec<OrderKey>,
}

impl ModelBuilder {
    /// Creates the root section and one section per folder holding notes (with its ancestors).
    fn add_sections(&mut self, paths: &[String], notes: &[Option<Arc<ReadNote>>]) {
        let mut dirs: Vec<String> = vec![CONTENT_DIR.to_string()];
        for note in paths {
            let mut dir = parent_dir(note);
            while dir.len() > CONTENT_DIR.len() && !dirs.contains(&dir.to_string()) {
                dirs.push(dir.to_string());
                dir = parent_dir(dir);
            }
        }
        dirs.sort();
        let indexes: BTreeMap<&str, &Arc<ReadNote>> = paths
            .iter()
            .zip(notes)
            .filter_map(|(path, note)| Some((path.strip_suffix(INDEX_FILE)?, note.as_ref()?)))
            .collect();
        for dir in dirs {
            let index = indexes
                .get(format!("{dir}/").as_str())
                .map(|&n| Arc::clone(n));
            self.add_section(dir, index);
        }
    }

    fn add_section(&mut self, dir: String, index: Option<Arc<ReadNote>>) {
        let id = SectionId(self.model.sections.len());
        let name = dir.rsplit('/').next().unwrap_or(&dir).to_string();
        let (prefix, bare_name) = slug::split_numeric_prefix(&name);
        let (matter, body_start) = match &index {
            Some(note) => (note.matter.clone(), note.split.body_start),
            None => Default::default(),
        };
        let heading = index
            .as_ref()
            .and_then(|note| first_heading(&note.file.text[note.split.body_start..]));
        // The root's folder name (`content`) is no title: the build gives it the site's.
        let named = || match dir == CONTENT_DIR {
            true => String::new(),
            false => title_from_name(bare_name),
        };
        let (title, title_from_heading) = title_of(matter.string("title"), heading, named);
        let parent = (id.0 > 0).then(|| self.section_by_dir[parent_dir(&dir)]);
        if let Some(parent) = parent {
            self.model.sections[parent.0].subsections.push(id);
        }
        self.section_keys.push(OrderKey::new(
            matter.integer("order").or(prefix.map(|p| p as i64)),
            &title,
        ));
        self.section_by_dir.insert(dir.clone(), id);
        self.model.sections.push(Section {
            id,
            parent,
            dir,
            index: index.map(|note| Arc::clone(&note.file)),
            body_start,
            title_from_heading,
            description: matter.string("description").unwrap_or_default(),
            weight: matter.integer("weight"),
            extra: matter.extra,
            title,
            path: OutputPath::default(),
            pages: Vec::new(),
            subsections: Vec::new(),
        });
    }

    fn add_pages(&mut self, notes: &[Option<Arc<ReadNote>>], options: LoadOptions) {
        for note in notes.iter().flatten() {
            let ReadNote {
                file,
                split,
                matter,
                ..
            } = &**note;
            if file.path.ends_with(&format!("/{INDEX_FILE}")) {
                continue;
            }
            let draft = matter.bool("draft").unwrap_or(false);
            if draft && !options.drafts {
                continue;
            }
            let name = file.path.rsplit('/').next().unwrap_or_default();
            let bank = BankFormat::of(name);
            let stem = match bank {
                Some(format) => format.stem(name),
                None => name.strip_suffix(".md").unwrap_or_default(),
            };
            let (prefix, bare_stem) = slug::split_numeric_prefix(stem);
            // A CSV or card bank may open with a `# Title` comment line; GIFT has none.
            let heading = match bank {
                Some(BankFormat::Gift) => None,
                _ => first_heading(&file.text[split.body_start..]),
            };
            let (title, from_heading) = title_of(matter.string("title"), heading, || {
                title_from_name(bare_stem)
            });
            // A bank's `# Title` line is a comment, not a heading its page shows.
            let title_from_heading = from_heading && bank.is_none();
            let section = self.section_by_dir[parent_dir(&file.path)];
            let id = PageId(self.model.pages.len());
            self.order_keys.push(OrderKey::new(
                matter.integer("order").or(prefix.map(|p| p as i64)),
                &title,
            ));
            self.model.sections[section.0].pages.push(id);
            self.model.pages.push(Page {
                section,
                body_start: split.body_start,
                title,
                title_from_heading,
                description: matter.string("description").unwrap_or_default(),
                tags: matter.strings("tags"),
                quiz: matter.bool("quiz").unwrap_or(true),
                extra: matter.extra.clone(),
                path: slug::slug_of(bare_stem).into(),
                file: Arc::clone(file),
            });
        }
    }

    fn order(&mut self) {
        let page_keys = &self.order_keys;
        let section_keys = &self.section_keys;
        for section in &mut self.model.sections {
            section
                .pages
                .sort_by(|a, b| page_keys[a.0].cmp(&page_keys[b.0]));
            section
                .subsections
                .sort_by(|a, b| section_keys[a.0].cmp(&section_keys[b.0]));
        }
    }

    /// Gives each section and page its output folder. A second file whose slug
    /// is taken (`privacy_policy.md` beside `privacy-policy.md`) gets the next
    /// free `-2`, `-3` … folder, with a warning: notes from elsewhere build as
    /// they are, and `check` still fails on it.
    fn assign_paths(&mut self, diagnostics: &mut Diagnostics) {
        let mut claimed: BTreeMap<String, String> = BTreeMap::new();
        let mut claim = |path: String, source: &str, diagnostics: &mut Diagnostics| {
            let Some(first) = claimed.get(&path) else {
                claimed.insert(path.clone(), source.to_string());
                return path;
            };
            let base = path.trim_end_matches('/');
            let free = (2..)
                .map(|n| format!("{base}-{n}/"))
                .find(|p| !claimed.contains_key(p))
                .expect("some suffix is free");
            diagnostics.push(
                Diagnostic::warning(
                    Some(Location::file(source)),
                    format!("duplicate slug: `/{path}` is also the address of {first}; this one is at `/{free}`"),
                )
                .with_help("rename one of the files, or give one a different title and file name"),
            );
            claimed.insert(free.clone(), source.to_string());
            free
        };
        for i in 1..self.model.sections.len() {
            let section = &self.model.sections[i];
            let parent_path = &self.model.sections[section.parent.map_or(0, |p| p.0)].path;
            let name = section.dir.rsplit('/').next().unwrap_or_default();
            let path = format!("{parent_path}{}/", slug::slug_of(name));
            let path = claim(path, &section.dir, diagnostics);
            self.model.sections[i].path = path.into();
        }
        for i in 0..self.model.pages.len() {
            let page = &self.model.pages[i];
            let path = format!("{}{}/", self.model.sections[page.section.0].path, page.path);
            let path = claim(path, &page.file.path, diagnostics);
            self.model.pages[i].path = path.into();
        }
    }

    fn add_assets(&mut self, assets: &[String]) {
        self.model.assets = assets
            .iter()
            .map(|source| Asset {
                source: source.clone().into(),
                output: asset_output_path(source).into(),
            })
            .collect();
    }

    fn finish(mut self) -> SiteModel {
        let mut order = Vec::with_capacity(self.model.pages.len());
        push_reading_order(&self.model, SectionId(0), &mut order);
        self.model.reading_order = order;
        self.model
    }
}

fn push_reading_order(model: &SiteModel, id: SectionId, order: &mut Vec<PageId>) {
    let section = model.section(id);
    order.extend(&section.pages);
    for &child in &section.subsections {
        push_reading_order(model, child, order);
    }
}

/// `content/01-a/img/x.png` → `a/img/x.png`: folders slugged like sections, file name kept.
pub(crate) fn asset_output_path(source: &str) -> String {
    let inner = source.strip_prefix("content/").unwrap_or(source);
    let mut parts: Vec<String> = inner.split('/').map(str::to_string).collect();
    let file = parts.pop().unwrap_or_default();
    parts.iter_mut().for_each(|p| *p = slug::slug_of(p));
    parts.push(file);
    parts.join("/")
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The title from the front matter, else the first `# heading`, else `named`;
/// and whether it is the heading's.
fn title_of(
    given: Option<String>,
    heading: Option<String>,
    named: impl FnOnce() -> String,
) -> (String, bool) {
    match (given, heading) {
        (Some(title), _) => (title, false),
        (None, Some(heading)) => (heading, true),
        (None, None) => (named(), false),
    }
}

/// `ec2-pricing_notes` → `Ec2 pricing notes`.
fn title_from_name(name: &str) -> String {
    // A name with spaces is written for people: `Chapter 1 - Overview` stays.
    if name.contains(' ') {
        return name.trim().to_string();
    }
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
}

/// The text of the body's first `# heading`, if the body opens with one.
pub(crate) fn first_heading(body: &str) -> Option<String> {
    let line = body.lines().find(|l| !l.trim().is_empty())?;
    line.strip_prefix("# ")?;
    // As the heading reads: `# [[Cloud]]` is titled `Cloud`, `# **S3** basics`
    // `S3 basics`. Quotes stay as typed, as in a `title` the front matter gives.
    let options = parser_options().difference(Options::ENABLE_SMART_PUNCTUATION);
    let events: Vec<Event<'_>> = Parser::new_ext(line, options).collect();
    let text = plain_text(&events);
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_paths_follow_section_slugs() {
        assert_eq!(
            asset_output_path("content/01-cloud/img/a b.png"),
            "cloud/img/a b.png"
        );
        assert_eq!(asset_output_path("content/logo.svg"), "logo.svg");
    }

    #[test]
    fn titles_sort_in_natural_order() {
        let mut titles = [
            "chapter 10 - tls",
            "chapter 2 - malware",
            "chapter 1 - overview",
            "chapter 02",
            "chapter 2",
            "appendix",
            "chapter 1a",
        ];
        titles.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            titles,
            [
                "appendix",
                "chapter 1 - overview",
                "chapter 1a",
                "chapter 2",
                "chapter 2 - malware",
                "chapter 02",
                "chapter 10 - tls",
            ]
        );
    }

    #[test]
    fn titles() {
        assert_eq!(title_from_name("ec2-pricing_notes"), "Ec2 pricing notes");
        assert_eq!(
            title_from_name("Chapter 1 - Overview"),
            "Chapter 1 - Overview"
        );
        assert_eq!(
            first_heading("\n# IAM basics #\ntext"),
            Some("IAM basics".into())
        );
        assert_eq!(first_heading("text\n# Later"), None);
        for (heading, title) in [
            ("# [[Cloud]]", "Cloud"),
            ("# [[Cloud computing|Cloud]] basics", "Cloud basics"),
            ("# **S3** and `EBS`", "S3 and EBS"),
            ("# AT&amp;T's \\#1 plan", "AT&T's #1 plan"),
            ("# 1. Intro", "1. Intro"),
        ] {
            assert_eq!(first_heading(heading).as_deref(), Some(title), "{heading}");
        }
    }
}
