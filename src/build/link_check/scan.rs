//! Reads what the link checker needs from one HTML page, its ids and references,
//! with html5ever's tokenizer alone.
//!
//! A tree builder (scraper's) is quadratic on deep nesting: each start tag walks the
//! stack of open elements for its scope checks, so 50,000 unclosed `<div>`s took
//! 13 s, and it holds the whole DOM (2 GB for 100,000 highlighted lines). Attributes
//! are all the checker reads, and the tokens carry them in one linear pass. The one
//! thing the tree builder did that matters here is switching the tokenizer to raw
//! text inside `<script>`, `<style>` and friends, which [`raw_kind`] does instead.

use std::cell::RefCell;
use std::collections::HashSet;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
};

/// What one HTML output holds: its ids and the references it makes, in document order.
#[derive(Debug, Default)]
pub(super) struct Scanned {
    pub(super) ids: HashSet<String>,
    pub(super) references: Vec<String>,
}

/// Tokenizes `html` and collects its ids and references.
pub(super) fn scan(html: &str) -> Scanned {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Sink::default(), Default::default());
    // The sink never asks to stop for a script, so one feed reads everything.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.scanned.take()
}

#[derive(Default)]
struct Sink {
    scanned: RefCell<Scanned>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind == TagKind::EndTag {
            return TokenSinkResult::Continue;
        }
        self.scanned.borrow_mut().add(&tag);
        raw_kind(&tag)
    }
}

impl Scanned {
    fn add(&mut self, tag: &Tag) {
        for attr in &tag.attrs {
            let value: &str = &attr.value;
            match &*attr.name.local {
                "id" => drop(self.ids.insert(value.to_string())),
                "srcset" => self.references.extend(
                    value
                        .split(',')
                        .filter_map(|candidate| candidate.split_whitespace().next())
                        .map(str::to_string),
                ),
                // `<link rel=canonical>` and the like are absolute by design.
                "href" if &*tag.name == "link" && value.contains("://") => {}
                "href" | "src" => self.references.push(value.to_string()),
                _ => {}
            }
        }
    }
}

/// The tokenizer state the tree builder would switch to after this start tag
/// (the HTML standard's "generic raw text / RCDATA element parsing algorithm").
fn raw_kind(tag: &Tag) -> TokenSinkResult<()> {
    match &*tag.name {
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        // `noscript` too: the tree builder runs with scripting on.
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => TokenSinkResult::Continue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids_and_references_in_document_order() {
        let scanned = scan(
            "<h2 id=\"a\">A</h2><a href=\"/x/\">x</a><img src=\"i.png\" srcset=\"i1.png 1x, i2.png 2x\">\
             <link rel=\"canonical\" href=\"https://e.org/\"><a id=b href=\"&amp;y\">",
        );
        assert_eq!(scanned.ids, HashSet::from(["a".into(), "b".into()]));
        assert_eq!(
            scanned.references,
            ["/x/", "i.png", "i1.png", "i2.png", "&y"]
        );
    }

    #[test]
    fn script_and_style_bodies_are_text() {
        let scanned = scan(
            "<script>let s = '<a href=\"/in-script\">';</script><style>a[href=\"/css\"]{}</style>\
             <textarea><a href=\"/in-textarea\"></textarea><a href=\"/after\">",
        );
        assert_eq!(scanned.references, ["/after"]);
    }

    #[test]
    fn deep_nesting_is_read_in_one_pass() {
        let html = format!("{}<a href=\"/deep\">", "<div>".repeat(200_000));
        assert_eq!(scan(&html).references, ["/deep"]);
    }
}
