//! The plain text of Markdown events, for what is read rather than shown:
//! quiz stems and options, mnemonic items, search text.

use pulldown_cmark::{Event, TagEnd};

/// The visible text of some events, with a space at line breaks and block ends.
pub(crate) fn plain_text<'e>(events: impl IntoIterator<Item = &'e Event<'e>>) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(end) if is_block_end(end) && !text.ends_with(' ') => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Whether `end` closes a block (a paragraph, item, cell …) rather than inline markup.
pub(crate) fn is_block_end(end: &TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}
