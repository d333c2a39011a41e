//! `/flashcards/<section>.anki.txt`: a deck's flashcards and its section's QUIZ
//! callouts as a file Anki imports in one step (File › Import), in Anki's text
//! format with file headers: tab-separated HTML fields, the deck
//! `<site title>::<section title>` and the Basic note type named in the file, the
//! section's slug as a tag, and a GUID column holding each card's id, so that
//! importing a newer file updates the cards instead of adding them again.
//!
//! Every field is quoted as CSV quotes (`"…"`, a quote doubled), so tabs and
//! newlines in code blocks arrive intact. A card's back ends with where it comes
//! from: a link to the note and heading when `base_url` is absolute, else the
//! note's title and its path on the site as text, since a relative link leads
//! nowhere inside Anki.
//!
//! A section of more than [`NOTES_PER_FILE`] cards and questions gets several
//! files, `<section>.anki.txt`, `<section>.2.anki.txt` …, each importing into the
//! same deck: one file grew with its section (29 MB a section at 10,000 long notes
//! in four sections), and GitHub refuses a file over 100 MB.
//!
//! The cards' HTML is assembled here rather than in a template: it is a data
//! export, with the small fixed markup a flashcard app shows (a paragraph, a
//! list of options, a link).

use std::fmt::Write;

use crate::content::model::SectionId;
use crate::hashing::key_of;
use crate::markdown::highlight::escape as escape_html;
use crate::pages::job::Job;
use crate::pages::joined::{Frame, Joined};
use crate::pages::kit::absolute_root;
use crate::pages::practice::{Practice, FLASHCARDS_PATH};
use crate::pages::SiteData;
use crate::quiz::{Flashcard, QuizQuestion};
use crate::source::OutputPath;

/// Most Anki notes in one file: about 2.6 MB of long notes' cards, and the size
/// of a large shared deck.
pub(crate) const NOTES_PER_FILE: usize = 2_000;

/// What every line of a deck's file is made with.
#[derive(Clone, Hash)]
struct DeckContext {
    /// The section's slug.
    tag: String,
    /// The site's absolute root URL, when it has one.
    root: Option<String>,
}

/// One line of the file: a card or a QUIZ callout, with its note's output path.
enum AnkiItem<'a> {
    Card(&'a Flashcard, &'a str),
    Question(&'a QuizQuestion, &'a str),
}

/// One Anki note: its GUID and its fields.
struct AnkiNote {
    guid: String,
    front: String,
    back: String,
}

/// The output path of file `part` (from 1) of `deck`.
pub(crate) fn anki_path(deck_slug: &str, part: usize) -> OutputPath {
    match part {
        1 => format!("{FLASHCARDS_PATH}{deck_slug}.anki.txt").into(),
        // Slugs hold no dot, so no section's first file is another's part.
        _ => format!("{FLASHCARDS_PATH}{deck_slug}.{part}.anki.txt").into(),
    }
}

/// How many files a deck of `notes` Anki notes takes.
pub(crate) fn file_count(notes: usize) -> usize {
    notes.div_ceil(NOTES_PER_FILE)
}

/// The files of each top-level section with flashcards or QUIZ callouts.
pub(crate) fn jobs<'a>(data: &'a SiteData<'a>, practice: &'a Practice<'a>) -> Vec<Job<'a>> {
    let mut jobs = Vec::new();
    for &id in &data.model.root().subsections {
        let section = data.model.section(id);
        let whole = deck(data, practice, id, &section.title);
        let mut items = whole.items.into_iter();
        for part in 1..=file_count(practice.anki_notes(id)) {
            let joined = Joined {
                frame: whole.frame.clone(),
                context: whole.context.clone(),
                items: items.by_ref().take(NOTES_PER_FILE).collect(),
            };
            let path = anki_path(section.slug(), part);
            jobs.push(Job::joined(path, joined, |deck, item| {
                line(deck, item).into_bytes()
            }));
        }
    }
    jobs
}

/// The deck's headers, then its cards, then its QUIZ callouts: each file has the
/// headers, and the notes in this order.
fn deck<'a>(
    data: &'a SiteData<'a>,
    practice: &'a Practice<'a>,
    id: SectionId,
    title: &str,
) -> Joined<AnkiItem<'a>, DeckContext> {
    let group = practice.group(Some(id));
    let path = |page| -> &str { &data.model.page(page).path };
    let cards = group.cards.iter().map(|c| {
        let path = path(c.page);
        (key_of(&(c.key, path)), AnkiItem::Card(c, path))
    });
    let questions = group.callout_questions().map(|q| {
        let path = path(q.page);
        (key_of(&(q.key, path)), AnkiItem::Question(q, path))
    });
    let deck = format!(
        "{}::{}",
        header_value(&data.config.title),
        header_value(title)
    );
    Joined {
        frame: Frame {
            head: format!(
                "#separator:tab\n#html:true\n#deck:{deck}\n#notetype:Basic\n\
                 #columns:GUID\tFront\tBack\tTags\n#guid column:1\n#tags column:4\n"
            ),
            separator: "",
            tail: "",
        },
        context: DeckContext {
            tag: tag(data.model.section(id).slug()),
            root: absolute_root(data.config),
        },
        items: cards.chain(questions).collect(),
    }
}

/// An item's line: its tab-separated fields.
fn line(deck: &DeckContext, item: &AnkiItem<'_>) -> String {
    let root = deck.root.as_deref();
    let note = match *item {
        AnkiItem::Card(card, path) => card_note(card, path, root),
        AnkiItem::Question(question, path) => question_note(question, path, root),
    };
    let fields = [&note.guid, &note.front, &note.back, &deck.tag];
    // One buffer: a back is most of the line, and quoting each field and then
    // joining them copied it twice more.
    let mut line = String::with_capacity(fields.iter().map(|f| f.len() + 3).sum::<usize>() + 1);
    for (i, text) in fields.into_iter().enumerate() {
        if i > 0 {
            line.push('\t');
        }
        push_field(&mut line, text);
    }
    line.push('\n');
    line
}

fn card_note(card: &Flashcard, path: &str, root: Option<&str>) -> AnkiNote {
    let source = source_html(&card.page_title, path, Some(&card.anchor), root);
    AnkiNote {
        guid: card.id.clone(),
        front: escape_html(&card.front),
        back: format!("{}\n{source}", card.back_html),
    }
}

fn question_note(question: &QuizQuestion, path: &str, root: Option<&str>) -> AnkiNote {
    let items = |correct_only: bool| {
        let options = question.options.iter();
        let kept = options.filter(|o| o.correct || !correct_only);
        kept.fold(String::new(), |mut list, option| {
            write!(list, "<li>{}</li>", option.html).expect("writing to a String cannot fail");
            list
        })
    };
    let hint = match question.multi {
        true => "<p>Choose all that apply.</p>\n",
        false => "",
    };
    let anchor = question.anchor.as_deref();
    let source = source_html(&question.page_title, path, anchor, root);
    AnkiNote {
        guid: question.id.clone(),
        front: format!(
            "{}\n{hint}<ol type=\"A\">{}</ol>",
            question.stem_html(),
            items(false)
        ),
        back: format!(
            "<ul>{}</ul>\n{}\n{source}",
            items(true),
            question.explanation_html()
        ),
    }
}

/// Where a card comes from: a link when the site has an absolute root URL,
/// else the note's title and path as text.
fn source_html(title: &str, path: &str, anchor: Option<&str>, root: Option<&str>) -> String {
    let target = match anchor {
        Some(anchor) => format!("{path}#{anchor}"),
        None => path.to_string(),
    };
    let title = escape_html(title);
    match root {
        Some(root) => format!(
            "<p>From <a href=\"{}\">{title}</a></p>",
            escape_html(&format!("{root}/{target}"))
        ),
        None => format!("<p>From {title} ({})</p>", escape_html(&target)),
    }
}

/// A field as Anki's reader reads it back unchanged: quoted, quotes doubled.
fn push_field(line: &mut String, text: &str) {
    line.push('"');
    for (i, part) in text.split('"').enumerate() {
        if i > 0 {
            line.push_str("\"\"");
        }
        line.push_str(part);
    }
    line.push('"');
}

/// A header's value on one line; `::` would start a subdeck.
fn header_value(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    line.replace("::", ":")
}

/// An Anki tag: no spaces (they separate tags).
fn tag(slug: &str) -> String {
    slug.split_whitespace().collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_with_quotes_doubled() {
        let mut line = String::new();
        push_field(&mut line, "a\tb\n\"c\"");
        assert_eq!(line, "\"a\tb\n\"\"c\"\"\"");
    }

    #[test]
    fn header_values_stay_on_one_line_and_make_no_subdeck() {
        assert_eq!(
            header_value("AWS\tCloud::Practitioner\n"),
            "AWS Cloud:Practitioner"
        );
        assert_eq!(tag("cloud concepts"), "cloud-concepts");
    }

    #[test]
    fn sources_link_only_with_an_absolute_root() {
        let linked = source_html("S3 & co", "s3/", Some("what"), Some("https://x.io"));
        assert_eq!(
            linked,
            "<p>From <a href=\"https://x.io/s3/#what\">S3 &amp; co</a></p>"
        );
        let text = source_html("S3", "s3/", None, None);
        assert_eq!(text, "<p>From S3 (s3/)</p>");
    }
}
