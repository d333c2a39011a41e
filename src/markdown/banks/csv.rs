//! `*.questions.csv`: one question a row.
//!
//! Columns, in this order when the file has no header row: `question`, `options`
//! (all in one column, separated by `|`; `\|` is a literal bar), `answer` (letters:
//! `B`, `B,E`, `B|E` or `BE`), then optionally `explanation` and `section`. A first row
//! whose first cell is `question`, or that names `options`, `answer` and one more
//! column in other words (`HTML of the question`), is a header: its names (any
//! case, any order) say which column is which. Lines starting with `#` are
//! comments; a first `# Title` line names the bank's page. Quoted cells may span
//! lines, as spreadsheets write them.
//!
//! The `section` column may name the folder's own section (or a folder above it),
//! by its name in any case and spacing (`Cloud Concepts` for `01-cloud-concepts`);
//! a row naming another section is kept in this folder's section, with a warning.

use ::csv::{ReaderBuilder, StringRecord};

use super::{each_record, Draft, Rows};
use crate::content::slug::slug_of;

/// The columns a header may name.
const COLUMNS: [&str; 5] = ["question", "options", "answer", "explanation", "section"];

/// Where each known column sits in a row.
#[derive(Debug, Clone, Copy)]
struct Layout {
    /// Index of each of [`COLUMNS`] in a row, when present.
    at: [Option<usize>; 5],
    /// Cells a row must have: the header's count, or 3 to 5 without one.
    width: (usize, usize),
}

impl Layout {
    const POSITIONAL: Layout = Layout {
        at: [Some(0), Some(1), Some(2), Some(3), Some(4)],
        width: (3, 5),
    };

    fn cell<'r>(&self, record: &'r StringRecord, column: usize) -> &'r str {
        self.at[column]
            .and_then(|i| record.get(i))
            .unwrap_or("")
            .trim()
    }
}

pub(super) fn read(rows: &mut Rows<'_>) {
    let mut reader = ReaderBuilder::new();
    reader.has_headers(false).flexible(true).comment(Some(b'#'));
    let sections = folder_slugs(&rows.file.path);
    let mut layout: Option<Layout> = None;
    each_record(rows, &reader, "row", |record, offset, rows| {
        if record.iter().all(|cell| cell.trim().is_empty()) {
            return;
        }
        let layout = match layout {
            Some(layout) => layout,
            None => {
                let first = header_layout(record, offset, rows);
                layout = Some(first.unwrap_or(Layout::POSITIONAL));
                if first.is_some() {
                    return;
                }
                Layout::POSITIONAL
            }
        };
        if let Some(draft) = read_row(record, &layout, offset, &sections, rows) {
            rows.question(draft);
        }
    });
}

/// The layout a header row gives, if `record` is one; unknown names are warned of.
///
/// A header is a first row whose first cell is `question`, or one whose cells
/// name three columns or more, `options` and `answer` among them, in other
/// exporters' words (`HTML of the question`, `Options, separated by |`).
fn header_layout(record: &StringRecord, offset: usize, rows: &mut Rows<'_>) -> Option<Layout> {
    let mut at = [None; 5];
    let mut unknown = Vec::new();
    for (index, name) in record.iter().enumerate() {
        let name = name.trim().to_lowercase();
        match column_named(&name).filter(|&column| at[column].is_none()) {
            Some(column) => at[column] = Some(index),
            None => unknown.push(name),
        }
    }
    let named = at.iter().flatten().count();
    let first = record.get(0).unwrap_or("").trim();
    let header = first.eq_ignore_ascii_case("question")
        || (named >= 3 && at[1].is_some() && at[2].is_some());
    if !header {
        return None;
    }
    for name in unknown {
        let message = format!("column `{name}` is not one studysite reads; its cells are ignored");
        let help = "name columns question, options, answer, explanation and section";
        rows.warn(offset, message, help);
    }
    if at[1].is_none() || at[2].is_none() {
        let help = "add the `options` and `answer` columns to the header";
        rows.warn(offset, "header lacks an `options` or `answer` column", help);
    }
    Some(Layout {
        at,
        width: (record.len(), record.len()),
    })
}

/// The column a header cell names: its exact name, else the first of
/// explanation, options, answer, section and question whose word it holds
/// (`HTML of the explanation to the answer` is the explanation).
fn column_named(name: &str) -> Option<usize> {
    if let Some(column) = COLUMNS.iter().position(|c| *c == name) {
        return Some(column);
    }
    const WORDS: [(&str, usize); 8] = [
        ("explanation", 3),
        ("feedback", 3),
        ("option", 1),
        ("choice", 1),
        ("answer", 2),
        ("correct", 2),
        ("section", 4),
        ("question", 0),
    ];
    WORDS
        .iter()
        .find(|(word, _)| name.contains(word))
        .map(|&(_, column)| column)
}

/// One row's question, or a warning saying what is wrong with it.
fn read_row(
    record: &StringRecord,
    layout: &Layout,
    offset: usize,
    sections: &[String],
    rows: &mut Rows<'_>,
) -> Option<Draft> {
    let (min, max) = layout.width;
    if record.len() < min || record.len() > max {
        let expected = match min == max {
            true => format!("{min}, as the header has"),
            false => format!("{min} to {max}"),
        };
        let message = format!("row has {} columns; expected {expected}", record.len());
        let help = "quote cells that hold commas: \"a, b\"";
        rows.warn(offset, message, help);
        return None;
    }
    let options = split_options(layout.cell(record, 1));
    if options.iter().any(String::is_empty) {
        let help = "separate options with `|`, with text between each pair of bars";
        rows.warn(offset, "row has an empty option", help);
        return None;
    }
    let letters = match answer_letters(layout.cell(record, 2)) {
        Ok(letters) if letters.is_empty() => {
            let help = "give the correct option's letter in the answer column: `B`, or `B,E`";
            rows.warn(offset, "row has no answer", help);
            return None;
        }
        Ok(letters) => letters,
        Err(bad) => {
            let message = format!("answer `{bad}` is not an option letter");
            rows.warn(offset, message, "write answers as letters: `B`, or `B,E`");
            return None;
        }
    };
    if let Some(&late) = letters.iter().find(|&&l| l >= options.len()) {
        let letter = char::from(b'A' + late as u8);
        let message = format!(
            "answer {letter} has no option (the row has {})",
            options.len()
        );
        rows.warn(
            offset,
            message,
            "check the answer letters against the options",
        );
        return None;
    }
    let section = layout.cell(record, 4);
    if !section.is_empty() && !sections.contains(&slug_of(section)) {
        let message = format!("section `{section}` is not this folder's; the question stays here");
        let help = "move the row into a bank in that section's folder, or clear its section cell";
        rows.warn(offset, message, help);
    }
    Some(Draft {
        offset,
        stem: layout.cell(record, 0).to_string(),
        options: options
            .into_iter()
            .enumerate()
            .map(|(i, text)| (text, letters.contains(&i)))
            .collect(),
        explanation: layout.cell(record, 3).to_string(),
    })
}

/// `a | b \| c | d|` → `a`, `b | c`, `d` (a trailing bar is dropped).
fn split_options(cell: &str) -> Vec<String> {
    let mut options = vec![String::new()];
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                options.last_mut().expect("never empty").push('|');
                chars.next();
            }
            '|' => options.push(String::new()),
            _ => options.last_mut().expect("never empty").push(c),
        }
    }
    let mut options: Vec<String> = options.into_iter().map(|o| o.trim().to_string()).collect();
    if options.len() > 1 && options.last().is_some_and(String::is_empty) {
        options.pop();
    }
    options
}

/// `B`, `b, e`, `B;E`, `B|E` or `BE` → option indices; the first bad token otherwise.
fn answer_letters(cell: &str) -> Result<Vec<usize>, String> {
    let mut letters = Vec::new();
    for token in cell
        .split([',', ';', ' ', '&', '/', '|'])
        .filter(|t| !t.is_empty())
    {
        if !token.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(token.to_string());
        }
        for c in token.chars() {
            let index = usize::from(c.to_ascii_uppercase() as u8 - b'A');
            if !letters.contains(&index) {
                letters.push(index);
            }
        }
    }
    Ok(letters)
}

/// The slugs of the folders holding `path` under content/: the sections a
/// `section` cell may name.
fn folder_slugs(path: &str) -> Vec<String> {
    let mut folders: Vec<&str> = path.split('/').collect();
    folders.pop();
    folders.into_iter().skip(1).map(slug_of).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_split_on_unescaped_bars() {
        assert_eq!(split_options("a | b \\| c | d|"), ["a", "b | c", "d"]);
        assert_eq!(split_options("a||b"), ["a", "", "b"]);
    }

    #[test]
    fn answers_are_letters() {
        assert_eq!(answer_letters("B"), Ok(vec![1]));
        assert_eq!(answer_letters("b, e"), Ok(vec![1, 4]));
        assert_eq!(answer_letters("BE"), Ok(vec![1, 4]));
        assert_eq!(answer_letters("A|C"), Ok(vec![0, 2]));
        assert_eq!(answer_letters(""), Ok(vec![]));
        assert_eq!(answer_letters("2"), Err("2".into()));
        assert_eq!(
            column_named("html of the explanation to the answer"),
            Some(3)
        );
        assert_eq!(column_named("options, separated by |"), Some(1));
        assert_eq!(column_named("quiz title"), None);
        assert_eq!(folder_slugs("content/01-cloud/a.questions.csv"), ["cloud"]);
    }
}
