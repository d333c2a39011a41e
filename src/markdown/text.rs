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

/// `text` in an allocation of its own length. A string grown by pushing holds up
/// to twice its length, and a note's section texts are kept for the whole
/// build; `shrink_to_fit` is no help, as the allocator keeps a block shrunk by
/// less than half where it is.
pub(crate) fn fitted(text: String) -> String {
    match text.capacity() - text.len() > text.len() / 8 {
        true => text.as_str().to_owned(),
        false => text,
    }
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

#[cfg(test)]
mod tests {
    use super::fitted;

    #[test]
    fn a_string_with_much_spare_room_is_moved_to_one_of_its_length() {
        let mut grown = String::with_capacity(4096);
        grown.push_str("<p>a paragraph</p>");
        let fitted = fitted(grown);
        assert_eq!(fitted, "<p>a paragraph</p>");
        assert!(fitted.capacity() < 64, "capacity {}", fitted.capacity());
    }

    #[test]
    fn a_string_nearly_full_is_kept_as_it_is() {
        let mut full = String::with_capacity(100);
        full.push_str(&"x".repeat(95));
        let pointer = full.as_ptr();
        let kept = fitted(full);
        assert_eq!(kept.as_ptr(), pointer);
    }
}
