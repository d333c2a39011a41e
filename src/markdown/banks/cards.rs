//! `*.cards.txt`: Anki's "Notes in Plain Text" export and Quizlet's export, one
//! card a line: the front, a separator, the back.
//!
//! Anki's file headers are honoured: `#separator:` (`tab`, `comma`, `semicolon`,
//! `pipe`, `colon`, `space` or a single character; tab without one), `#html:true`
//! (fields are HTML, kept as notes keep raw HTML; otherwise fields are plain text
//! and escaped), and `#tags column:`, `#guid column:`, `#notetype column:` and
//! `#deck column:` (those columns are left out of the card). Other `#` lines
//! (`#deck:`, `#notetype:`, a `# Title` naming the page) are comments. Fields
//! quoted with `"` may hold separators, doubled quotes and line breaks, as Anki
//! writes them. Of the remaining fields, the first is the front and the others,
//! joined by line breaks, the back.

use ::csv::{ReaderBuilder, StringRecord};

use super::{each_record, escape_lines, strip_tags, Rows};

/// What a file's `#key:value` headers say.
#[derive(Debug)]
struct Headers {
    separator: u8,
    html: bool,
    /// 0-based indices of the columns that are not card text.
    skipped: Vec<usize>,
}

pub(super) fn read(rows: &mut Rows<'_>) {
    let (text, start) = rows.text();
    let headers = read_headers(text, start, rows);
    let mut reader = ReaderBuilder::new();
    reader
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .delimiter(headers.separator);
    each_record(rows, &reader, "line", |record, offset, rows| {
        read_card(record, &headers, offset, rows);
    });
}

fn read_card(record: &StringRecord, headers: &Headers, offset: usize, rows: &mut Rows<'_>) {
    let fields: Vec<&str> = record
        .iter()
        .enumerate()
        .filter(|(i, _)| !headers.skipped.contains(i))
        .map(|(_, field)| field.trim())
        .collect();
    if fields.iter().all(|f| f.is_empty()) {
        return;
    }
    let separator = match headers.separator {
        b'\t' => "a tab".to_string(),
        other => format!("`{}`", char::from(other)),
    };
    let back: Vec<&str> = fields[1..]
        .iter()
        .copied()
        .filter(|f| !f.is_empty())
        .collect();
    if fields.len() < 2 || fields[0].is_empty() || back.is_empty() {
        let help = format!(
            "write the front, {separator}, then the back; set another separator with `#separator:comma`"
        );
        rows.warn(offset, "card needs a front and a back", &help);
        return;
    }
    let (front_html, front, back_html) = match headers.html {
        true => (
            fields[0].to_string(),
            strip_tags(fields[0]),
            back.join("<br>\n"),
        ),
        false => {
            let back = back.join("\n");
            (
                escape_lines(fields[0]),
                fields[0].split_whitespace().collect::<Vec<_>>().join(" "),
                escape_lines(&back),
            )
        }
    };
    rows.card(offset, front_html, front, back_html);
}

/// Reads the `#key:value` lines at the top of the file.
fn read_headers(text: &str, start: usize, rows: &mut Rows<'_>) -> Headers {
    let mut headers = Headers {
        separator: b'\t',
        html: false,
        skipped: Vec::new(),
    };
    let mut offset = start;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let Some(header) = line.trim_end().strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = header.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "separator" => match separator(value) {
                Some(byte) => headers.separator = byte,
                None => rows.warn(
                    line_start,
                    format!("separator `{value}` is not one character; tab is used"),
                    "write `#separator:tab`, `comma`, `semicolon`, `pipe`, `colon`, `space` or one character",
                ),
            },
            "html" => headers.html = value.eq_ignore_ascii_case("true"),
            "tags column" | "guid column" | "notetype column" | "deck column" => {
                match value.parse::<usize>() {
                    Ok(column) if column > 0 => headers.skipped.push(column - 1),
                    _ => rows.warn(
                        line_start,
                        format!("column number `{value}` is not a number from 1"),
                        "count columns from 1: `#tags column:3`",
                    ),
                }
            }
            _ => {}
        }
    }
    headers
}

fn separator(value: &str) -> Option<u8> {
    let byte = match value.to_ascii_lowercase().as_str() {
        "tab" => b'\t',
        "comma" => b',',
        "semicolon" => b';',
        "pipe" => b'|',
        "colon" => b':',
        "space" => b' ',
        _ if value.len() == 1 => value.as_bytes()[0],
        _ => return None,
    };
    Some(byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_by_name_or_character() {
        assert_eq!(separator("Tab"), Some(b'\t'));
        assert_eq!(separator("semicolon"), Some(b';'));
        assert_eq!(separator(";"), Some(b';'));
        assert_eq!(separator("é"), None);
        assert_eq!(separator("ab"), None);
    }
}
