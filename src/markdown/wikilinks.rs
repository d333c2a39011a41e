//! Pass 4: Obsidian's `[[wikilinks]]` and `![[embeds]]` → ordinary links and images.
//!
//! pulldown-cmark parses the brackets (so code spans and blocks are left alone) and
//! hands over the target as written. Obsidian finds a target by its file name anywhere
//! in the vault, so this pass does too, through [`WikiNames`]:
//! - `[[Note]]`, `[[Note|text]]`, `[[folder/Note]]`, `[[Alias]]` (front matter
//!   `aliases`) → a link to the note; `[[Note#Heading]]` and `[[#Heading]]` add the
//!   heading's GitHub-style id, captured as a [`LinkRef`] so stage 5 checks it.
//! - Several notes of one name: one in the linking note's folder wins, else the one
//!   with the shortest path, as Obsidian picks; a tie there is a warning.
//! - `![[image.png]]`, `![[image.png|200]]`, `![[image.png|alt|200x100]]` → an image
//!   found in any folder (Obsidian keeps them in attachment folders); `![[file.pdf]]`
//!   → a link to it; `![[Note]]` and `![[Note#Heading]]` → that note's text, through
//!   [`transclusion`](crate::markdown::transclusion).
//! - A target that is nowhere is a warning, and the link's text stays as plain text.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use crate::error::{Diagnostic, Result};
use crate::hashing::key_of;
use crate::markdown::headings::github_slug;
use crate::markdown::links::{encode_path, LinkKind, LinkRef};
use crate::markdown::marks::drop_empty_paragraphs;
use crate::markdown::transclusion::{transclude, Embed};
use crate::markdown::{PassCtx, Spanned};
use crate::source::{SourceFile, SourcePath};

/// File extensions an embed shows as an image.
const IMAGE_EXTENSIONS: [&str; 9] = [
    "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "avif", "ico",
];

/// Every note and file a wikilink can name, by lowercased name (Obsidian matches
/// names case-insensitively), with each note's text; each list sorted by path.
#[derive(Debug, Clone, Default)]
pub(crate) struct WikiNames {
    /// What stays while no note, file or alias is added, removed or renamed:
    /// `serve` keeps it across edits of the notes' texts.
    names: Arc<NameTables>,
    /// Each note's text, for `![[Note]]` to show it, at its place in `names.texts`.
    texts: Vec<NoteText>,
}

#[derive(Debug, Default)]
struct NameTables {
    /// `iam` → every `…/IAM.md`.
    notes: HashMap<String, Vec<SourcePath>>,
    /// `diagram.png` → every `…/diagram.png`.
    files: HashMap<String, Vec<SourcePath>>,
    /// A front-matter alias → the notes that claim it.
    aliases: HashMap<String, Vec<SourcePath>>,
    /// Each text's place, by its note's source path.
    texts: HashMap<SourcePath, usize>,
    /// A key of every name above (not the texts), for serve's cache fingerprint.
    key: u64,
}

/// A note's source and where its body starts.
#[derive(Debug, Clone)]
pub(crate) struct NoteText {
    pub(crate) file: Arc<SourceFile>,
    pub(crate) body_start: usize,
}

impl WikiNames {
    /// Indexes notes (source paths ending `.md`), files, `(alias, note)` pairs, and
    /// the texts of the notes that exist.
    pub(crate) fn new<'a>(
        notes: impl Iterator<Item = &'a SourcePath>,
        files: impl Iterator<Item = &'a SourcePath>,
        aliases: impl Iterator<Item = (String, SourcePath)>,
        texts: impl Iterator<Item = NoteText>,
    ) -> Self {
        let notes = notes.filter_map(|path| {
            let name = file_name(path).strip_suffix(".md")?.to_lowercase();
            Some((name, path.clone()))
        });
        let files = files.map(|path| (file_name(path).to_lowercase(), path.clone()));
        let aliases = aliases.map(|(alias, path)| (alias.trim().to_lowercase(), path));
        let (notes, files, aliases) = (grouped(notes), grouped(files), grouped(aliases));
        let key = key_of(&(&notes, &files, &aliases));
        let texts: Vec<NoteText> = texts.collect();
        let places = texts.iter().enumerate();
        let names = NameTables {
            notes: notes.into_iter().collect(),
            files: files.into_iter().collect(),
            aliases: aliases.into_iter().collect(),
            texts: places.map(|(i, t)| (t.file.path.clone(), i)).collect(),
            key,
        };
        WikiNames {
            names: Arc::new(names),
            texts,
        }
    }

    /// These names with new `texts`, of the same notes in the same order.
    pub(crate) fn with_texts(&self, texts: Vec<NoteText>) -> Self {
        debug_assert_eq!(texts.len(), self.texts.len());
        WikiNames {
            names: Arc::clone(&self.names),
            texts,
        }
    }

    /// A key of every name (not the texts), for serve's cache fingerprint.
    pub(crate) fn key(&self) -> u64 {
        self.names.key
    }

    /// The note `![[name]]` in the note at `from` shows, as far as its name tells.
    pub(crate) fn embedded_note(&self, name: &str, from: &str) -> Option<&NoteText> {
        let bare = name.strip_suffix(".md").unwrap_or(name);
        let key = file_name(bare).to_lowercase();
        let names = &self.names;
        let path = match find(&names.notes, bare, &key, parent(from)) {
            Found::One(path) | Found::Tie(path, _) => path,
            Found::Nothing => match find(&names.aliases, "", &bare.to_lowercase(), parent(from)) {
                Found::One(path) | Found::Tie(path, _) => path,
                Found::Nothing => return None,
            },
        };
        self.text(&path)
    }

    /// The text of a note, when it exists (and was not released).
    pub(crate) fn text(&self, path: &str) -> Option<&NoteText> {
        self.names.texts.get(path).and_then(|&i| self.texts.get(i))
    }

    /// Lets the notes' texts go once no note will be rendered again.
    pub(crate) fn release_texts(&mut self) {
        self.texts = Vec::new();
    }
}

/// Groups `(name, path)` pairs by name, names and paths sorted (so keys are stable).
fn grouped(pairs: impl Iterator<Item = (String, SourcePath)>) -> BTreeMap<String, Vec<SourcePath>> {
    let mut map: BTreeMap<String, Vec<SourcePath>> = BTreeMap::new();
    for (name, path) in pairs {
        map.entry(name).or_default().push(path);
    }
    map.values_mut().for_each(|paths| paths.sort());
    map
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// What a name resolved to.
enum Found {
    One(SourcePath),
    /// Picked the first of several equally good candidates.
    Tie(SourcePath, usize),
    Nothing,
}

/// Finds `written` (`Note`, `folder/Note`, `img.png`) under `key` in `table`, for a
/// note in folder `from`.
fn find(table: &HashMap<String, Vec<SourcePath>>, written: &str, key: &str, from: &str) -> Found {
    let Some(candidates) = table.get(key) else {
        return Found::Nothing;
    };
    let wanted = strip_md(&format!("/{}", written.trim_start_matches('/')));
    let matching: Vec<&SourcePath> = candidates
        .iter()
        .filter(|path| !written.contains('/') || strip_md(path).ends_with(&wanted))
        .collect();
    if let Some(near) = matching.iter().find(|p| parent(p) == from) {
        return Found::One((*near).clone());
    }
    let depth = |p: &&SourcePath| p.matches('/').count();
    let Some(shallowest) = matching.iter().map(depth).min() else {
        return Found::Nothing;
    };
    let best: Vec<&&SourcePath> = matching.iter().filter(|p| depth(p) == shallowest).collect();
    match best.len() {
        1 => Found::One((*best[0]).clone()),
        n => Found::Tie((*best[0]).clone(), n),
    }
}

fn strip_md(path: &str) -> String {
    let lower = path.to_lowercase();
    lower.strip_suffix(".md").unwrap_or(&lower).to_string()
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Runs the pass; references it resolves are added to `links`.
pub(crate) fn resolve_wikilinks<'a>(
    events: Vec<Spanned<'a>>,
    ctx: &mut PassCtx<'_>,
    links: &mut Vec<LinkRef>,
) -> Result<Vec<Spanned<'a>>> {
    let is_wiki = |e: &Event<'_>| {
        matches!(
            e,
            Event::Start(
                Tag::Link {
                    link_type: LinkType::WikiLink { .. },
                    ..
                } | Tag::Image {
                    link_type: LinkType::WikiLink { .. },
                    ..
                }
            )
        )
    };
    if !events.iter().any(|(e, _)| is_wiki(e)) {
        return Ok(events);
    }
    let mut pass = WikiPass { ctx, links };
    let mut out = Vec::with_capacity(events.len());
    let mut events = events.into_iter();
    // The innermost open tag, so an embedded note's block can leave a paragraph.
    let mut open: Vec<TagEnd> = Vec::new();
    let mut split_paragraph = false;
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => {
                let dest = in_table(&dest_url);
                pass.link(dest, has_pothole, range, &mut events, &mut out);
            }
            Event::Start(Tag::Image {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => {
                let block = pass.embed(
                    in_table(&dest_url),
                    has_pothole,
                    range.clone(),
                    &mut events,
                    &mut out,
                )?;
                // A `<div>` may not stand in a `<p>`: close the paragraph around it
                // and reopen it after; the empty ones this leaves are dropped below.
                if block && open.last() == Some(&TagEnd::Paragraph) {
                    out.insert(
                        out.len() - 1,
                        (Event::End(TagEnd::Paragraph), range.clone()),
                    );
                    out.push((Event::Start(Tag::Paragraph), range));
                    split_paragraph = true;
                }
            }
            other => {
                match &other {
                    Event::Start(tag) => open.push(tag.to_end()),
                    Event::End(_) => {
                        open.pop();
                    }
                    _ => {}
                }
                out.push((other, range));
            }
        }
    }
    Ok(match split_paragraph {
        true => drop_empty_paragraphs(out),
        false => out,
    })
}

struct WikiPass<'p, 'c> {
    ctx: &'p mut PassCtx<'c>,
    links: &'p mut Vec<LinkRef>,
}

/// A wikilink's target resolved: the page or file, and the URL to link.
struct Target {
    kind: LinkKind,
    url: String,
    /// The heading id of a link to a note's heading.
    anchor: Option<String>,
}

impl WikiPass<'_, '_> {
    /// `[[…]]`: the link, or its text alone when the target is missing. Without a
    /// `|text`, `[[Note#Part]]` reads `Note > Part` and `[[#Part]]` `Part`, as in Obsidian.
    fn link<'a>(
        &mut self,
        dest: &str,
        has_pothole: bool,
        range: std::ops::Range<usize>,
        events: &mut impl Iterator<Item = Spanned<'a>>,
        out: &mut Vec<Spanned<'a>>,
    ) {
        let target = self.resolve(dest, range.start, false);
        if let Some(target) = &target {
            out.push((Event::Start(ordinary_link(&target.url)), range.clone()));
        }
        if !has_pothole && dest.contains('#') {
            let parts: Vec<&str> = dest.split('#').filter(|p| !p.trim().is_empty()).collect();
            out.push((Event::Text(parts.join(" > ").into()), range.clone()));
        }
        for (event, inner) in events.by_ref() {
            if matches!(event, Event::End(TagEnd::Link)) {
                if target.is_some() {
                    out.push((event, inner));
                }
                break;
            }
            if has_pothole || !dest.contains('#') {
                out.push((event, inner));
            }
        }
    }

    /// `![[…]]`: an image, a note's text, a link to a file, or the written text when
    /// missing. True when it is a note's text, a block.
    fn embed<'a>(
        &mut self,
        dest: &str,
        has_pothole: bool,
        range: std::ops::Range<usize>,
        events: &mut impl Iterator<Item = Spanned<'a>>,
        out: &mut Vec<Spanned<'a>>,
    ) -> Result<bool> {
        let mut text = String::new();
        for (event, _) in events.by_ref() {
            match event {
                Event::End(TagEnd::Image) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(&t),
                _ => {}
            }
        }
        let shown = if has_pothole { text.as_str() } else { dest };
        let Some(target) = self.resolve(dest, range.start, true) else {
            out.push((Event::Text(format!("![[{dest}]]").into()), range));
            return Ok(false);
        };
        if target.kind == LinkKind::Asset && is_image(dest) {
            let (alt, size) = image_options(has_pothole.then_some(shown), dest);
            out.push((
                Event::InlineHtml(image_html(&target.url, alt, size).into()),
                range,
            ));
            return Ok(false);
        }
        if let LinkKind::Page(page) = &target.kind {
            // A block's id is no title: `![[Note#^id]]` is titled `Note`.
            let title = dest
                .split('#')
                .filter(|p| !p.trim().is_empty() && !p.trim().starts_with('^'));
            let embed = Embed {
                target: page,
                anchor: target.anchor.as_deref(),
                title: title.collect::<Vec<_>>().join(" > "),
                url: &target.url,
                offset: range.start,
            };
            if let Some(html) = transclude(self.ctx, &embed)? {
                out.push((Event::Html(html.into()), range));
                return Ok(true);
            }
        }
        out.push((Event::Start(ordinary_link(&target.url)), range.clone()));
        out.push((Event::Text(shown.to_string().into()), range.clone()));
        out.push((Event::End(TagEnd::Link), range));
        Ok(false)
    }

    /// Finds `dest` (`Note`, `Note#Heading`, `#Heading`, `img.png`) and records it.
    fn resolve(&mut self, dest: &str, offset: usize, embed: bool) -> Option<Target> {
        let (name, heading) = match dest.split_once('#') {
            Some((name, heading)) => (name.trim(), Some(heading)),
            None => (dest.trim(), None),
        };
        // Obsidian writes links to headings with `:` and the like as spaces, so a
        // space at the end (even inside `**…**`) is not part of the heading.
        // `[[Note#Part#Sub]]` names a heading under a heading: its id is the last
        // one's; `[[Note#^id]]` names a block, whose anchor's id is `^id` as written.
        let anchor = heading
            .and_then(|h| h.rsplit('#').next())
            .map(|h| h.replace(['*', '`'], ""))
            .filter(|h| !h.trim().is_empty())
            .map(|h| match h.trim().starts_with('^') {
                true => h.trim().to_string(),
                false => github_slug(h.trim()),
            });
        let source = self.ctx.note.file.path.clone();
        let found = match name.is_empty() {
            true => Some((LinkKind::Page(source.clone()), None)),
            false => self.find(name, offset, embed),
        };
        let Some((kind, output)) = found else {
            self.warn_missing(dest, offset, embed);
            return None;
        };
        let targets = self.ctx.env.targets;
        let url = match (&kind, output) {
            (_, Some(url)) => url,
            (LinkKind::Page(page), None) => targets.pages.get(page).map(|o| targets.url(o))?,
            _ => return None,
        };
        let fragment = match (&kind, &anchor) {
            (LinkKind::Page(_), Some(anchor)) => format!("#{}", encode_path(anchor)),
            _ => String::new(),
        };
        // `[[#Part]]` stays on its page, unless its text is embedded in another.
        let url = match name.is_empty() && self.ctx.embeds.chain.is_empty() {
            true => fragment,
            false => format!("{url}{fragment}"),
        };
        self.links.push(LinkRef {
            kind: kind.clone(),
            anchor: anchor.clone().filter(|_| matches!(kind, LinkKind::Page(_))),
            written: format!("[[{dest}]]"),
            location: self.ctx.location(offset),
        });
        Some(Target { kind, url, anchor })
    }

    /// A named note or file, with the file's URL; warns when the name is ambiguous.
    fn find(
        &mut self,
        name: &str,
        offset: usize,
        embed: bool,
    ) -> Option<(LinkKind, Option<String>)> {
        let from = parent(&self.ctx.note.file.path).to_string();
        let bare = name.strip_suffix(".md").unwrap_or(name);
        let key = file_name(bare).to_lowercase();
        let targets = self.ctx.env.targets;
        let names = &targets.wiki.names;
        let alias = bare.trim().to_lowercase();
        let as_note = match find(&names.notes, bare, &key, &from) {
            Found::Nothing => find(&names.aliases, "", &alias, &from),
            found => found,
        };
        let (found, is_note) = match (as_note, embed || name.contains('.')) {
            (Found::Nothing, true) => {
                let key = file_name(name).to_lowercase();
                (find(&names.files, name, &key, &from), false)
            }
            (found, _) => (found, true),
        };
        let path = match found {
            Found::Nothing => return None,
            Found::One(path) => path,
            Found::Tie(path, count) => {
                self.warn_ambiguous(name, &path, count, offset);
                path
            }
        };
        match is_note {
            true => Some((LinkKind::Page(path), None)),
            false => {
                let output = targets.assets.get(&path)?;
                Some((LinkKind::Asset, Some(targets.url(output))))
            }
        }
    }

    fn warn_missing(&mut self, dest: &str, offset: usize, embed: bool) {
        let what = if embed { "embed" } else { "wikilink" };
        self.ctx.diagnostics.push(
            Diagnostic::warning(
                Some(self.ctx.location(offset)),
                format!("broken {what} `[[{dest}]]`: no note or file of that name"),
            )
            .with_help(
                "wikilinks name a note or file anywhere under content/ by its file name \
                 (or a note's front-matter `aliases`); check the spelling",
            ),
        );
    }

    fn warn_ambiguous(&mut self, name: &str, chosen: &str, count: usize, offset: usize) {
        self.ctx.diagnostics.push(
            Diagnostic::warning(
                Some(self.ctx.location(offset)),
                format!("ambiguous wikilink `[[{name}]]`: {count} files of that name are equally near; linked to {chosen}"),
            )
            .with_help("add the folder to the link, as in `[[folder/name]]`, or rename one of the files"),
        );
    }
}

/// Obsidian escapes a wikilink's `|` inside a table row as `\|`; the parser splits
/// the link there and leaves the backslash on the target.
fn in_table(dest: &str) -> &str {
    dest.strip_suffix('\\').unwrap_or(dest)
}

fn ordinary_link(url: &str) -> Tag<'static> {
    Tag::Link {
        link_type: LinkType::Inline,
        dest_url: CowStr::from(url.to_string()),
        title: CowStr::Borrowed(""),
        id: CowStr::Borrowed(""),
    }
}

fn is_image(name: &str) -> bool {
    let name = name.split('#').next().unwrap_or(name);
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| IMAGE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// An image's size: `200` (width) or `200x100`.
type Size = (u32, Option<u32>);

/// Reads `alt|200x100`, `200` or `alt` after the pipe; the alt text defaults to the file's name.
fn image_options<'a>(pothole: Option<&'a str>, dest: &'a str) -> (&'a str, Option<Size>) {
    let Some(text) = pothole else {
        return (dest, None);
    };
    let (alt, last) = match text.rsplit_once('|') {
        Some((alt, last)) => (alt, last),
        None => ("", text),
    };
    match parse_size(last.trim()) {
        Some(size) if alt.is_empty() => (dest, Some(size)),
        Some(size) => (alt, Some(size)),
        None => (text, None),
    }
}

fn parse_size(text: &str) -> Option<Size> {
    let (width, height) = match text.split_once('x') {
        Some((w, h)) => (w, Some(h.parse().ok()?)),
        None => (text, None),
    };
    Some((width.parse().ok()?, height))
}

/// The `<img>` an embed becomes: what pulldown-cmark writes for an image, plus its size.
fn image_html(url: &str, alt: &str, size: Option<Size>) -> String {
    let mut html = String::from("<img src=\"");
    pulldown_cmark_escape::escape_href(&mut html, url).expect("writing to a String cannot fail");
    html.push_str("\" alt=\"");
    pulldown_cmark_escape::escape_html(&mut html, alt).expect("writing to a String cannot fail");
    html.push('"');
    if let Some((width, height)) = size {
        html.push_str(&format!(" width=\"{width}\""));
        if let Some(height) = height {
            html.push_str(&format!(" height=\"{height}\""));
        }
    }
    html.push_str(" />");
    html
}
