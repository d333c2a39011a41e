//! Rendered notes → [`SearchDoc`]s: one per heading section of every page, plus one
//! per quiz question and mnemonic. A result links to the heading the text sits
//! under, so a long note is found at the right place rather than at its top.
//!
//! Documents keep the page's reading order (pages, then each page's sections in
//! source order, then its callouts), so a page's documents get neighbouring ids and
//! usually land in the same document shard.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use regex::Regex;
use serde::Serialize;

use crate::hashing::key_of;
use crate::markdown::callouts::CalloutKind;
use crate::markdown::{RenderedNote, TextSection};

/// Section text kept for snippets is cut here (at a word boundary); the whole
/// text is still indexed. About 120 words, four snippet windows: long sections
/// would otherwise dominate document shards (at 10,000 long notes, the packed
/// index is 56.9 MB with 720 bytes, 59.8 MB with 800).
pub(crate) const MAX_STORED_TEXT: usize = 720;

/// What a result is, shown as a badge. Serialised as its index in [`DocKind::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum DocKind {
    Note,
    Quiz,
    Mnemonic,
}

impl DocKind {
    /// In manifest order: a document's `kind` field is an index into this list.
    pub(crate) const ALL: [DocKind; 3] = [DocKind::Note, DocKind::Quiz, DocKind::Mnemonic];

    pub(crate) fn name(self) -> &'static str {
        match self {
            DocKind::Note => "note",
            DocKind::Quiz => "quiz",
            DocKind::Mnemonic => "mnemonic",
        }
    }

    pub(crate) fn code(self) -> usize {
        self as usize
    }
}

/// A page that documents point into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SearchPage {
    pub(crate) title: String,
    /// Output path relative to the site root (`security/iam/`); the browser adds the base path.
    pub(crate) path: String,
    /// Title of the page's top-level section (`Security`), empty at the root.
    pub(crate) section: String,
}

/// One searchable unit: a heading section, a quiz question or a mnemonic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SearchDoc<'a> {
    /// Index into the page table.
    pub(crate) page: usize,
    /// The heading (or question, or mnemonic phrase); empty for a page's intro text.
    pub(crate) heading: Cow<'a, str>,
    /// Heading id to link to; empty links to the page's top.
    pub(crate) anchor: Cow<'a, str>,
    /// The enclosing `##` heading of a deeper heading, shown before it (not indexed).
    pub(crate) parent: Cow<'a, str>,
    pub(crate) kind: DocKind,
    /// Plain text: indexed whole, stored up to [`MAX_STORED_TEXT`]. Borrowed from
    /// the note unless markers had to be removed: the notes' text is large.
    pub(crate) text: Cow<'a, str>,
}

impl SearchDoc<'_> {
    /// The same document, borrowing from this one.
    fn borrowed(&self, page: usize) -> SearchDoc<'_> {
        SearchDoc {
            page,
            heading: Cow::Borrowed(&self.heading),
            anchor: Cow::Borrowed(&self.anchor),
            parent: Cow::Borrowed(&self.parent),
            kind: self.kind,
            text: Cow::Borrowed(&self.text),
        }
    }

    pub(crate) fn into_owned(self) -> SearchDoc<'static> {
        SearchDoc {
            page: self.page,
            heading: Cow::Owned(self.heading.into_owned()),
            anchor: Cow::Owned(self.anchor.into_owned()),
            parent: Cow::Owned(self.parent.into_owned()),
            kind: self.kind,
            text: Cow::Owned(self.text.into_owned()),
        }
    }
}

/// One page's documents as `serve` keeps them across rebuilds, each with the
/// key its term counts are cached under.
#[derive(Debug)]
pub(crate) struct PageDocs {
    pub(crate) docs: Vec<SearchDoc<'static>>,
    pub(crate) keys: Vec<u64>,
}

/// One note to cut into documents, with what its documents need to know.
pub(crate) struct NoteInput<'a> {
    pub(crate) title: &'a str,
    pub(crate) path: &'a str,
    pub(crate) section: &'a str,
    pub(crate) note: &'a RenderedNote,
}

/// The page table and every document, in reading order; `texts` are each
/// note's section texts, in the order of `notes`.
pub(crate) fn collect_documents<'a>(
    notes: &[NoteInput<'a>],
    texts: &'a [Vec<TextSection>],
) -> (Vec<SearchPage>, Vec<SearchDoc<'a>>) {
    let docs = notes
        .iter()
        .zip(texts)
        .enumerate()
        .flat_map(|(page, (input, texts))| note_documents(page, input.note, texts))
        .collect();
    (search_pages(notes), docs)
}

/// Every document of `pages` (by page index), and each one's key.
pub(crate) fn borrow_documents(pages: &[Arc<PageDocs>]) -> (Vec<SearchDoc<'_>>, Vec<u64>) {
    // Sized up front: at 10,000 notes this is some 90,000 documents, rebuilt
    // on every edit in `serve`.
    let total = pages.iter().map(|p| p.docs.len()).sum();
    let (mut docs, mut keys) = (Vec::with_capacity(total), Vec::with_capacity(total));
    for (page, page_docs) in pages.iter().enumerate() {
        docs.extend(page_docs.docs.iter().map(|d| d.borrowed(page)));
        keys.extend_from_slice(&page_docs.keys);
    }
    (docs, keys)
}

pub(crate) fn search_pages(notes: &[NoteInput<'_>]) -> Vec<SearchPage> {
    notes.iter().map(search_page).collect()
}

pub(crate) fn search_page(input: &NoteInput<'_>) -> SearchPage {
    SearchPage {
        title: input.title.to_string(),
        path: input.path.to_string(),
        section: input.section.to_string(),
    }
}

/// One note's documents: its heading sections (whose texts are `texts`), then
/// its quizzes and mnemonics.
pub(crate) fn note_documents<'a>(
    page: usize,
    note: &'a RenderedNote,
    texts: &'a [TextSection],
) -> impl Iterator<Item = SearchDoc<'a>> {
    let heading = |index: Option<usize>| index.and_then(|i| note.headings.get(i));
    let sections = texts.iter().filter_map(move |section| {
        let heading = heading(section.heading);
        if heading.is_none() && section.text.trim().is_empty() {
            return None;
        }
        Some(SearchDoc {
            page,
            heading: heading.map_or(Cow::Borrowed(""), |h| Cow::Borrowed(&h.text)),
            anchor: heading.map_or(Cow::Borrowed(""), |h| Cow::Borrowed(&h.id)),
            parent: Cow::Borrowed(parent_heading(note, section.heading)),
            kind: DocKind::Note,
            text: without_markers(&section.text),
        })
    });
    let callouts = note.callouts.iter().filter_map(move |callout| {
        // Generated questions are not documents of their own: each restates the
        // first sentence under its `What is …?` heading, already indexed above.
        let kind = match callout.kind {
            CalloutKind::Mnemonic => DocKind::Mnemonic,
            CalloutKind::Quiz => DocKind::Quiz,
            _ => return None,
        };
        // A question is found by its words and its explanation; its wrong options
        // are not what it is about, so they are not indexed.
        let text = match (&callout.quiz, kind) {
            (Some(quiz), DocKind::Quiz) => without_markers(&quiz.explanation),
            (None, DocKind::Quiz) => return None,
            _ => without_markers(&callout.body_text),
        };
        let heading = heading(callout.heading);
        Some(SearchDoc {
            page,
            heading: Cow::Borrowed(&callout.title),
            anchor: heading.map_or(Cow::Borrowed(""), |h| Cow::Borrowed(&h.id)),
            parent: heading.map_or(Cow::Borrowed(""), |h| Cow::Borrowed(&h.text)),
            kind,
            text,
        })
    });
    sections.chain(callouts)
}

impl SearchDoc<'_> {
    /// The text a document shard keeps for snippets. A question keeps none: its
    /// explanation would give the answer away in the result list.
    pub(crate) fn snippet_text(&self) -> &str {
        match self.kind {
            DocKind::Quiz => "",
            DocKind::Note | DocKind::Mnemonic => stored_text(&self.text),
        }
    }
}

/// A document's key: everything its term counts depend on (the tokenizer's
/// language, the page title, the heading and the text) and everything else its
/// row in a document shard shows, so both can be kept by it.
pub(crate) fn doc_key(language: &str, page: &SearchPage, doc: &SearchDoc<'_>) -> u64 {
    let row = (
        &*doc.anchor,
        &*doc.parent,
        doc.kind.code(),
        &page.path,
        &page.section,
    );
    key_of(&(language, &page.title, &*doc.heading, &*doc.text, row))
}

/// Section text keeps callout markers (`[!MNEMONIC]`, `[!TIP]-`) as written; they
/// are syntax, not words, and would show in snippets.
fn without_markers(text: &str) -> Cow<'_, str> {
    static MARKER: OnceLock<Regex> = OnceLock::new();
    let marker = MARKER.get_or_init(|| Regex::new(r"\[![A-Za-z]+\][-+]?\s*").expect("valid regex"));
    marker.replace_all(text.trim(), "")
}

/// The text of the nearest shallower heading above heading `index`, when that is
/// deeper than `#`: for `### What is S3 Glacier?`, `## What are the S3 storage classes?`.
fn parent_heading(note: &RenderedNote, index: Option<usize>) -> &str {
    let Some(index) = index else {
        return "";
    };
    let level = note.headings[index].level;
    note.headings[..index]
        .iter()
        .rev()
        .find(|h| h.level < level)
        .filter(|h| h.level > 1)
        .map_or("", |h| h.text.as_str())
}

/// `text` cut to at most [`MAX_STORED_TEXT`] bytes at a word boundary.
pub(crate) fn stored_text(text: &str) -> &str {
    if text.len() <= MAX_STORED_TEXT {
        return text;
    }
    let mut end = MAX_STORED_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind(char::is_whitespace) {
        Some(space) if space > MAX_STORED_TEXT / 2 => &text[..space],
        _ => &text[..end],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::render;

    #[test]
    fn sections_and_callouts_become_documents() {
        let note = render(
            "Intro words.\n\n## Storage classes\n\nGlacier is cold.\n\n\
             > [!MNEMONIC] Some People Go Deep\n> Standard, IA, Glacier, Deep Archive\n\n\
             ## Empty\n\n### Child\n\nText.\n",
        );
        let texts = [note.sections.unpack()];
        let input = NoteInput {
            title: "S3",
            path: "tech/s3/",
            section: "Technology",
            note: &note,
        };
        let (pages, docs) = collect_documents(&[input], &texts);
        assert_eq!(pages[0].path, "tech/s3/");
        let summary: Vec<(&str, &str, DocKind)> = docs
            .iter()
            .map(|d| (&*d.heading, &*d.anchor, d.kind))
            .collect();
        assert_eq!(
            summary,
            [
                ("", "", DocKind::Note),
                ("Storage classes", "storage-classes", DocKind::Note),
                ("Empty", "empty", DocKind::Note),
                ("Child", "child", DocKind::Note),
                ("Some People Go Deep", "storage-classes", DocKind::Mnemonic),
            ]
        );
        assert_eq!(docs[0].text, "Intro words.");
        assert_eq!(docs[3].parent, "Empty");
        assert!(!docs[1].text.contains("[!"), "{:?}", docs[1].text);
        assert_eq!(docs[1].parent, "");
        assert!(docs[4].text.contains("Deep Archive"), "{:?}", docs[4]);
    }

    #[test]
    fn a_question_is_indexed_by_its_explanation_and_shows_no_snippet() {
        let note = render(
            "## WAF\n\nWAF filters requests.\n\n> [!QUIZ] Which service filters requests?\n\
             > - [x] AWS WAF\n> - [ ] Amazon Polly\n>\n> WAF rules match requests.\n",
        );
        let texts = [note.sections.unpack()];
        let input = NoteInput {
            title: "WAF",
            path: "security/waf/",
            section: "Security",
            note: &note,
        };
        let (_, docs) = collect_documents(&[input], &texts);
        let quiz = docs.iter().find(|d| d.kind == DocKind::Quiz).unwrap();
        assert_eq!(quiz.heading, "Which service filters requests?");
        assert_eq!(quiz.text, "WAF rules match requests.");
        assert_eq!(quiz.snippet_text(), "");
        let section = docs.iter().find(|d| d.heading == "WAF").unwrap();
        assert!(!section.text.contains("Polly"), "{:?}", section.text);
        assert_eq!(section.snippet_text(), "WAF filters requests.");
    }

    #[test]
    fn stored_text_is_cut_at_a_word() {
        let text = "word ".repeat(MAX_STORED_TEXT);
        let stored = stored_text(&text);
        assert!(stored.len() <= MAX_STORED_TEXT);
        assert!(stored.ends_with("word"));
        assert_eq!(stored_text("short"), "short");
    }
}
