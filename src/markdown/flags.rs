//! Smart punctuation turns `--` into an en dash, which is right for `pages
//! 3--5` and wrong for a command-line flag written in plain text
//! (`kafka-topics.sh --delete`): a learner copying the command gets `–delete`.
//! A `--` that starts a word (after a space, before a letter) stays as typed,
//! as GitHub shows it.

use pulldown_cmark::Event;

use crate::markdown::Spanned;

const EN_DASH: &str = "\u{2013}";

/// Whether `text` holds a `--` at all (most notes do not).
pub(crate) fn has_double_dash(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"--").is_some()
}

/// The events with each flag's `--` restored; `body` is the text the
/// events' ranges point into.
pub(crate) fn keep_flags<'a>(mut events: Vec<Spanned<'a>>, body: &str) -> Vec<Spanned<'a>> {
    if !has_double_dash(body) {
        return events;
    }
    for i in 1..events.len().saturating_sub(1) {
        let (Event::Text(dash), range) = &events[i] else {
            continue;
        };
        if &**dash != EN_DASH || body.get(range.clone()) != Some("--") {
            continue;
        }
        let after_space = match &events[i - 1].0 {
            Event::Text(before) => before.ends_with(char::is_whitespace),
            Event::Start(_) | Event::SoftBreak | Event::HardBreak => true,
            _ => false,
        };
        let before_word = matches!(
            &events[i + 1].0,
            Event::Text(after) if after.starts_with(|c: char| c.is_ascii_alphabetic())
        );
        if after_space && before_word {
            events[i].0 = Event::Text("--".into());
        }
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parser_options;
    use pulldown_cmark::Parser;

    fn text(markdown: &str) -> String {
        let events = Parser::new_ext(markdown, parser_options())
            .into_offset_iter()
            .collect();
        let events = keep_flags(events, markdown);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        html
    }

    #[test]
    fn flags_keep_their_dashes_and_ranges_get_an_en_dash() {
        assert_eq!(
            text("Run kafka-topics.sh --delete --topic t"),
            "<p>Run kafka-topics.sh --delete --topic t</p>\n"
        );
        assert_eq!(text("--help first"), "<p>--help first</p>\n");
        assert_eq!(
            text("pages 3--5, and -- so on --- done"),
            "<p>pages 3\u{2013}5, and \u{2013} so on \u{2014} done</p>\n"
        );
    }
}
