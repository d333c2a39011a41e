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
//! The cards' HTML is assembled here rather than in a template: it is a data
//! export, with the small fixed markup a flashcard app shows (a paragraph, a
//! list of options, a link).

use std::fmt::Write;

use bytes::Bytes;

use crate::content::model::SectionId;
use crate::markdown::highlight::escape as escape_html;
use crate::pages::job::Job;
use crate::pages::kit::absolute_root;
use crate::pages::practice::{Practice, FLASHCARDS_PATH};
use crate::pages::SiteData;
use crate::quiz::{Flashcard, QuestionSource, QuizQuestion};
use crate::source::OutputPath;

/// What one deck's file is made of; its hash is the file's key.
#[derive(Hash)]
struct AnkiDeck<'a> {
    /// `Site title::Section title`.
    deck: String,
    /// The section's slug.
    tag: String,
    /// The site's absolute root URL, when it has one.
    root: Option<String>,
    /// Each card with its note's output path.
    cards: Vec<(&'a Flashcard, &'a str)>,
    questions: Vec<(&'a QuizQuestion, &'a str)>,
}

/// One Anki note: its GUID and its fields.
struct AnkiNote {
    guid: String,
    front: String,
    back: String,
}

/// The output path of `deck`'s file.
pub(crate) fn anki_path(deck_slug: &str) -> OutputPath {
    format!("{FLASHCARDS_PATH}{deck_slug}.anki.txt").into()
}

/// A file per top-level section with flashcards or QUIZ callouts.
pub(crate) fn jobs<'a>(data: &'a SiteData<'a>, practice: &'a Practice<'a>) -> Vec<Job<'a>> {
    data.model
        .root()
        .subsections
        .iter()
        .filter(|&&id| practice.has_anki_file(id))
        .map(|&id| {
            let section = data.model.section(id);
            let inputs = deck_inputs(data, practice, id, &section.title);
            Job::data(anki_path(section.slug()), inputs, |deck| {
                Bytes::from(anki_text(deck))
            })
        })
        .collect()
}

fn deck_inputs<'a>(
    data: &'a SiteData<'a>,
    practice: &'a Practice<'a>,
    id: SectionId,
    title: &str,
) -> AnkiDeck<'a> {
    let group = practice.group(Some(id));
    let path = |page| -> &str { &data.model.page(page).path };
    let callouts = group
        .questions
        .iter()
        .filter(|q| q.source == QuestionSource::Callout);
    AnkiDeck {
        deck: format!(
            "{}::{}",
            header_value(&data.config.title),
            header_value(title)
        ),
        tag: tag(data.model.section(id).slug()),
        root: absolute_root(data.config),
        cards: group.cards.iter().map(|c| (&***c, path(c.page))).collect(),
        questions: callouts.map(|q| (&***q, path(q.page))).collect(),
    }
}

/// The file: headers, then one line per note.
fn anki_text(deck: &AnkiDeck<'_>) -> String {
    let mut text = format!(
        "#separator:tab\n#html:true\n#deck:{}\n#notetype:Basic\n\
         #columns:GUID\tFront\tBack\tTags\n#guid column:1\n#tags column:4\n",
        deck.deck
    );
    let root = deck.root.as_deref();
    let cards = deck.cards.iter().map(|&(c, path)| card_note(c, path, root));
    let questions = deck
        .questions
        .iter()
        .map(|&(q, path)| question_note(q, path, root));
    for note in cards.chain(questions) {
        let fields = [&note.guid, &note.front, &note.back, &deck.tag];
        let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
        text.push_str(&line.join("\t"));
        text.push('\n');
    }
    text
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
            question.stem_html,
            items(false)
        ),
        back: format!(
            "<ul>{}</ul>\n{}\n{source}",
            items(true),
            question.explanation_html
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
fn field(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
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
        assert_eq!(field("a\tb\n\"c\""), "\"a\tb\n\"\"c\"\"\"");
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
