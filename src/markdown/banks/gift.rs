//! `*.gift`: Moodle's GIFT format. Questions are separated by blank lines; lines
//! starting with `//` are comments, `$CATEGORY:` lines are ignored.
//!
//! Read, telling the kinds apart in Moodle's order: multiple choice (any `~`;
//! `::title:: stem { =right ~wrong ~wrong }`, with several
//! `=` or `~%50%`-style weights for choose-all-that-apply, and text after the
//! block making a missing-word stem), and true/false (`{T}`, `{FALSE}`). Feedback
//! after `#` on a correct answer, or the general feedback after `####`, becomes
//! the explanation. `\:`, `\~`, `\=`, `\#`, `\{`, `\}`, `\\` and `\n` are escapes;
//! `[html]`, `[markdown]`, `[plain]` and `[moodle]` format markers are dropped.
//!
//! Not read, each skipped with a warning at its first line: short answer (only
//! `=` answers), matching (`->`), numerical (`{#…}`), essay (`{}`), and text with
//! no answer block (Moodle's descriptions).

use super::{Draft, Rows};

/// Why a question was not imported: a message and what to do.
struct Skip(String, &'static str);

const UNSUPPORTED_HELP: &str =
    "only multiple-choice and true/false GIFT questions become quiz questions; rewrite it as one, or remove it";

pub(super) fn read(rows: &mut Rows<'_>) {
    let (text, start) = rows.text();
    let mut block = String::new();
    let mut block_start: Option<usize> = None;
    let mut offset = start;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(rows, &mut block, &mut block_start);
        } else if trimmed.starts_with("//")
            || (block_start.is_none() && trimmed.starts_with("$CATEGORY:"))
        {
            continue;
        } else {
            block_start.get_or_insert(line_start + line.len() - line.trim_start().len());
            block.push_str(line);
        }
    }
    flush(rows, &mut block, &mut block_start);
}

fn flush(rows: &mut Rows<'_>, block: &mut String, start: &mut Option<usize>) {
    let Some(offset) = start.take() else {
        return;
    };
    match parse_question(block) {
        Ok(mut draft) => {
            draft.offset = offset;
            rows.question(draft);
        }
        Err(Skip(message, help)) => rows.warn(offset, message, help),
    }
    block.clear();
}

/// One question's text (comments removed) → its draft.
fn parse_question(block: &str) -> Result<Draft, Skip> {
    let mut rest = block.trim();
    if let Some(after) = rest.strip_prefix("::") {
        let end = find_unescaped(after, "::").ok_or_else(|| {
            Skip(
                "GIFT question's `::title` is not closed".into(),
                "close the title with `::`, or escape a literal colon as `\\:`",
            )
        })?;
        rest = after[end + 2..].trim_start();
    }
    rest = strip_format(rest);
    let Some(open) = find_unescaped(rest, "{") else {
        let help =
            "give the question an answer block `{ =right ~wrong }`, or make it a comment with `//`";
        return Err(Skip(
            "GIFT text has no answer block `{…}`; skipped".into(),
            help,
        ));
    };
    let close = find_unescaped(&rest[open + 1..], "}")
        .map(|end| open + 1 + end)
        .ok_or_else(|| {
            Skip(
                "GIFT question's `{` is not closed".into(),
                "close the answer block with `}`, or escape a literal brace as `\\{`",
            )
        })?;
    let before = to_markdown(rest[..open].trim());
    let after = to_markdown(rest[close + 1..].trim());
    let stem = match after.is_empty() {
        true => before,
        false => format!("{before} \\_\\_\\_ {after}"),
    };
    let (options, explanation) = read_answers(strip_format(rest[open + 1..close].trim()))?;
    Ok(Draft {
        offset: 0,
        stem,
        options,
        explanation,
    })
}

/// The options and explanation of an answer block's inside.
fn read_answers(body: &str) -> Result<(Vec<(String, bool)>, String), Skip> {
    let (body, general) = match find_unescaped(body, "####") {
        Some(at) => (body[..at].trim(), to_markdown(body[at + 4..].trim())),
        None => (body, String::new()),
    };
    let unsupported = |kind: &str| {
        Err(Skip(
            format!("GIFT {kind} question is not supported; skipped"),
            UNSUPPORTED_HELP,
        ))
    };
    if body.is_empty() {
        return unsupported("essay");
    }
    if body.starts_with('#') {
        return unsupported("numerical");
    }
    let head_end = find_unescaped(body, "#").unwrap_or(body.len());
    if let Some(truth) = truth_value(body[..head_end].trim()) {
        // `{T#feedback if wrong#feedback if right}`.
        let mut feedback = split_unescaped(&body[head_end..], '#').into_iter().skip(1);
        let wrong = feedback.next().unwrap_or_default();
        let right = feedback.next().unwrap_or_default();
        let explanation = [
            general,
            to_markdown(right.trim()),
            to_markdown(wrong.trim()),
        ]
        .into_iter()
        .find(|text| !text.is_empty())
        .unwrap_or_default();
        let options = vec![("True".into(), truth), ("False".into(), !truth)];
        return Ok((options, explanation));
    }
    // Moodle's order: a `~` makes multiple choice (whatever `->` an answer holds),
    // else `->` makes matching, else only `=` answers are short answer.
    let items = split_items(body)?;
    if items.iter().all(|(marker, _)| *marker == '=') {
        let matching = items
            .iter()
            .any(|(_, item)| find_unescaped(item, "->").is_some());
        return unsupported(if matching { "matching" } else { "short-answer" });
    }
    let mut options = Vec::with_capacity(items.len());
    let mut feedback = Vec::new();
    for (marker, item) in items {
        let (weight, item) = split_weight(item)?;
        let (text, note) = match find_unescaped(item, "#") {
            Some(at) => (&item[..at], to_markdown(item[at + 1..].trim())),
            None => (item, String::new()),
        };
        let correct = marker == '=' || weight > 0.0;
        if correct && !note.is_empty() {
            feedback.push(note);
        }
        options.push((to_markdown(text.trim()), correct));
    }
    let explanation = match general.is_empty() {
        true => feedback.join("\n\n"),
        false => general,
    };
    Ok((options, explanation))
}

fn truth_value(head: &str) -> Option<bool> {
    match head.to_ascii_uppercase().as_str() {
        "T" | "TRUE" => Some(true),
        "F" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `=a ~b#why ~%50%c` → `('=', "a ")`, `('~', "b#why ")`, `('~', "%50%c")`.
fn split_items(body: &str) -> Result<Vec<(char, &str)>, Skip> {
    let mut items: Vec<(char, usize)> = Vec::new();
    let mut escaped = false;
    for (at, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '=' | '~' => items.push((c, at)),
            _ => {}
        }
    }
    let first = items.first().map_or(body.len(), |&(_, at)| at);
    if !body[..first].trim().is_empty() {
        return Err(Skip(
            format!(
                "GIFT answer `{}` has no `=` or `~` before it",
                body[..first].trim()
            ),
            "start each answer with `=` (right) or `~` (wrong)",
        ));
    }
    let ends = items.iter().skip(1).map(|&(_, at)| at).chain([body.len()]);
    Ok(items
        .iter()
        .zip(ends)
        .map(|(&(marker, at), end)| (marker, &body[at + 1..end]))
        .collect())
}

/// `%50%text` → (50, `text`); no weight is 0.
fn split_weight(item: &str) -> Result<(f64, &str), Skip> {
    let item = item.trim_start();
    let Some(after) = item.strip_prefix('%') else {
        return Ok((0.0, item));
    };
    let weight = after
        .split_once('%')
        .and_then(|(number, rest)| Some((number.trim().parse::<f64>().ok()?, rest)));
    weight.ok_or_else(|| {
        Skip(
            format!("GIFT answer weight in `{}` is not `%number%`", item.trim()),
            "write weights as `~%50%answer` or `~%-100%answer`",
        )
    })
}

/// Drops a leading `[html]`-style format marker.
fn strip_format(text: &str) -> &str {
    for marker in ["[html]", "[markdown]", "[plain]", "[moodle]"] {
        if let Some(rest) = text.strip_prefix(marker) {
            return rest.trim_start();
        }
    }
    text
}

/// Byte index of the first `pattern` not preceded by a backslash escape.
fn find_unescaped(text: &str, pattern: &str) -> Option<usize> {
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if text[at..].starts_with(pattern) {
            return Some(at);
        }
    }
    None
}

fn split_unescaped(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(at) = find_unescaped(rest, &separator.to_string()) {
        parts.push(&rest[..at]);
        rest = &rest[at + separator.len_utf8()..];
    }
    parts.push(rest);
    parts
}

/// GIFT text as Markdown. GIFT's escapes (`\:`, `\~`, `\=`, `\#`, `\{`, `\}`,
/// `\\`) are Markdown's too, and stay, so that an option `\#` is a `#`, not an
/// empty heading; only `\n` becomes a line break.
fn to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::banks::inline;

    /// The question's stem, options and explanation as a reader sees them.
    fn parsed(block: &str) -> (String, Vec<(String, bool)>, String) {
        let draft = parse_question(block).unwrap_or_else(|Skip(m, _)| panic!("{m}"));
        let text = |markdown: &str| inline(markdown).0;
        let options = draft.options.iter().map(|(o, c)| (text(o), *c)).collect();
        (text(&draft.stem), options, text(&draft.explanation))
    }

    fn skipped(block: &str) -> String {
        match parse_question(block) {
            Err(Skip(message, _)) => message,
            Ok(draft) => panic!("read {draft:?}"),
        }
    }

    #[test]
    fn multiple_choice_with_title_escapes_and_feedback() {
        let (stem, options, explanation) =
            parsed("::Q1:: Which is 1\\:1 \\{x\\}? {\n=right#Because.\n~wrong \\= no\n}");
        assert_eq!(stem, "Which is 1:1 {x}?");
        assert_eq!(
            options,
            [("right".into(), true), ("wrong = no".into(), false)]
        );
        assert_eq!(explanation, "Because.");
    }

    #[test]
    fn weights_true_false_and_missing_word() {
        let (_, options, _) = parsed("Pick two {~%50%a ~%50%b ~%-100%c}");
        let correct: Vec<bool> = options.iter().map(|o| o.1).collect();
        assert_eq!(correct, [true, true, false]);
        let (stem, options, explanation) = parsed("The sky is green.{F#No!#Right.####General}");
        assert_eq!(stem, "The sky is green.");
        assert_eq!(options, [("True".into(), false), ("False".into(), true)]);
        assert_eq!(explanation, "General");
        assert_eq!(parsed("A {=b ~c} d").0, "A ___ d");
        let (_, options, _) = parsed("Which is not special? {~\\# ~\\= =\\\\}");
        let texts: Vec<&str> = options.iter().map(|o| o.0.as_str()).collect();
        assert_eq!(texts, ["#", "=", "\\"]);
    }

    #[test]
    fn unsupported_kinds_are_named() {
        assert!(skipped("Two plus two {=four =4}").contains("short-answer"));
        assert!(skipped("Match {=a -> b =c -> d}").contains("matching"));
        assert_eq!(
            parsed("Steps {~a -> b =c -> d}").1[1],
            ("c -> d".into(), true)
        );
        assert!(skipped("Pi {#3.14:0.01}").contains("numerical"));
        assert!(skipped("Write {}").contains("essay"));
        assert!(skipped("Just text").contains("no answer block"));
        assert!(skipped("Open {=a ~b").contains("not closed"));
    }
}
