//! Front matter: TOML between `+++` lines (Zola, Hugo) or YAML between `---`
//! lines (Obsidian, Jekyll), split off the body with its byte offsets kept.
//!
//! Both formats are read into one JSON-like map first, so the checks for known
//! keys, types and near-miss typos (`titel`) are written once.

use serde_json::{Map, Value};

use crate::error::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

/// The two front-matter syntaxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Toml,
    Yaml,
}

/// Where the front matter and the body sit in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Split {
    /// Byte range of the front matter's inner text (between the fences).
    matter: Option<(usize, usize)>,
    format: Option<Format>,
    /// Byte offset where the Markdown body starts.
    pub(crate) body_start: usize,
}

/// Finds the front matter, if the file starts with a `+++` or `---` fence.
pub(crate) fn split(text: &str) -> Split {
    let without_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - without_bom.len();
    for (fence, format) in [("+++", Format::Toml), ("---", Format::Yaml)] {
        let Some(rest) = without_bom.strip_prefix(fence) else {
            continue;
        };
        let Some(first_break) = line_break_len(rest) else {
            continue;
        };
        let inner_start = bom + fence.len() + first_break;
        if let Some((inner_end, body_start)) = find_closing_fence(text, inner_start, fence) {
            return Split {
                matter: Some((inner_start, inner_end)),
                format: Some(format),
                body_start,
            };
        }
    }
    Split {
        matter: None,
        format: None,
        body_start: bom,
    }
}

/// Length of the line break at the start of `s` (only whitespace may precede it).
fn line_break_len(s: &str) -> Option<usize> {
    let trimmed = s.trim_start_matches([' ', '\t']);
    let spaces = s.len() - trimmed.len();
    if trimmed.starts_with("\r\n") {
        Some(spaces + 2)
    } else if trimmed.starts_with('\n') {
        Some(spaces + 1)
    } else {
        None
    }
}

/// Finds a line consisting of `fence`; returns (end of inner text, start of body).
fn find_closing_fence(text: &str, from: usize, fence: &str) -> Option<(usize, usize)> {
    let mut line_start = from;
    while line_start <= text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end();
        if line == fence {
            let body_start = (line_end + 1).min(text.len());
            return Some((line_start, body_start));
        }
        if line_end == text.len() {
            return None;
        }
        line_start = line_end + 1;
    }
    None
}

/// A key the front matter may hold, and the type it must have.
#[derive(Debug, Clone, Copy)]
pub(crate) enum KeyType {
    String,
    Integer,
    Bool,
    StringList,
}

/// Parsed front matter: known keys checked and typed, the rest in `extra`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FrontMatter {
    pub(crate) known: Map<String, Value>,
    pub(crate) extra: Map<String, Value>,
}

impl FrontMatter {
    pub(crate) fn string(&self, key: &str) -> Option<String> {
        self.known
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    }

    pub(crate) fn integer(&self, key: &str) -> Option<i64> {
        self.known.get(key).and_then(Value::as_i64)
    }

    pub(crate) fn bool(&self, key: &str) -> Option<bool> {
        self.known.get(key).and_then(Value::as_bool)
    }

    pub(crate) fn strings(&self, key: &str) -> Vec<String> {
        match self.known.get(key) {
            Some(Value::String(words)) => words.split_whitespace().map(str::to_string).collect(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Parses and checks the front matter of `file` against `keys`.
/// Problems go to `diagnostics`; what could be read is returned regardless.
pub(crate) fn parse(
    file: &SourceFile,
    split: &Split,
    keys: &[(&str, KeyType)],
    diagnostics: &mut Diagnostics,
) -> FrontMatter {
    let (Some((start, end)), Some(format)) = (split.matter, split.format) else {
        return FrontMatter::default();
    };
    let inner = &file.text[start..end];
    let map = match format {
        Format::Toml => parse_toml(file, inner, start),
        Format::Yaml => parse_yaml(file, inner, start),
    };
    match map {
        Ok(map) => check_keys(file, start, map, keys, diagnostics),
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            FrontMatter::default()
        }
    }
}

fn parse_toml(
    file: &SourceFile,
    inner: &str,
    start: usize,
) -> Result<Map<String, Value>, Diagnostic> {
    let table: toml::Table = toml::from_str(inner).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        Diagnostic::error(
            Some(file.location(start + offset)),
            format!("invalid TOML front matter: {}", e.message().trim()),
        )
        .with_help(
            "TOML front matter sits between `+++` lines: `key = \"value\"`, strings in quotes",
        )
    })?;
    Ok(table
        .into_iter()
        .map(|(k, v)| (k, toml_to_json(v)))
        .collect())
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

fn parse_yaml(
    file: &SourceFile,
    inner: &str,
    start: usize,
) -> Result<Map<String, Value>, Diagnostic> {
    if inner.trim().is_empty() {
        return Ok(Map::new());
    }
    let invalid = |location, detail: String| {
        Diagnostic::error(
            Some(location),
            format!("invalid YAML front matter: {detail}"),
        )
        .with_help("YAML front matter sits between `---` lines: `key: value`, one per line")
    };
    if let Some(offset) = too_deep(inner) {
        return Err(invalid(
            file.location(start + offset),
            format!("`[` and `{{` nest deeper than {MAX_FLOW_DEPTH} levels"),
        ));
    }
    let value: Value = serde_norway::from_str(inner).map_err(|e| {
        let location = match e.location() {
            Some(l) => file.location(start + l.index()),
            None => file.location(start),
        };
        // serde_norway appends " at line X column Y" relative to the block; we show our own.
        let detail = e.to_string();
        let detail = detail
            .split(" at line ")
            .next()
            .unwrap_or(&detail)
            .to_string();
        invalid(location, detail)
    })?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err(invalid(
            file.location(start),
            "expected `key: value` pairs".into(),
        )),
    }
}

/// Deepest nesting of YAML flow collections (`[…]`, `{…}`) read. The YAML parser
/// is worse than quadratic in that depth before its own limit stops it: 25,000
/// `[` took 0.9 s, 100,000 took 53 s. Front matter needs a level or two.
const MAX_FLOW_DEPTH: usize = 64;

/// Offset of the bracket that opens one level too many, if any. Brackets inside
/// strings count too: over-counting only matters past dozens of unclosed ones.
fn too_deep(yaml: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (offset, byte) in yaml.bytes().enumerate() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(offset);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Sorts keys into known (type-checked) and extra; near-miss typos are errors.
fn check_keys(
    file: &SourceFile,
    start: usize,
    map: Map<String, Value>,
    keys: &[(&str, KeyType)],
    diagnostics: &mut Diagnostics,
) -> FrontMatter {
    let mut matter = FrontMatter::default();
    for (key, value) in map {
        let location = || key_location(file, start, &key);
        if let Some(&(_, expected)) = keys.iter().find(|(k, _)| *k == key) {
            if has_type(&value, expected) {
                matter.known.insert(key, value);
            } else {
                diagnostics.push(
                    Diagnostic::error(
                        Some(location()),
                        format!("front-matter key `{key}` must be {}", describe(expected)),
                    )
                    .with_help(format!("write it like {}", example(&key, expected))),
                );
            }
        } else if let Some(near) = nearest_key(&key, keys) {
            diagnostics.push(
                Diagnostic::error(Some(location()), format!("unknown front-matter key `{key}`"))
                    .with_help(format!(
                        "did you mean `{near}`? (keys that are not close to a known one are kept for templates in `extra`)"
                    )),
            );
        } else {
            matter.extra.insert(key, value);
        }
    }
    matter
}

fn has_type(value: &Value, expected: KeyType) -> bool {
    match expected {
        KeyType::String => value.is_string(),
        KeyType::Integer => value.is_i64(),
        KeyType::Bool => value.is_boolean(),
        // Jekyll also takes a space-separated string (`tags: aws storage`).
        KeyType::StringList => {
            value.is_string()
                || value
                    .as_array()
                    .is_some_and(|items| items.iter().all(Value::is_string))
        }
    }
}

fn describe(expected: KeyType) -> &'static str {
    match expected {
        KeyType::String => "a string",
        KeyType::Integer => "a whole number",
        KeyType::Bool => "true or false",
        KeyType::StringList => "a list of strings (or words in one string)",
    }
}

fn example(key: &str, expected: KeyType) -> String {
    match expected {
        KeyType::String => format!("`{key} = \"…\"`"),
        KeyType::Integer => format!("`{key} = 3`"),
        KeyType::Bool => format!("`{key} = true`"),
        KeyType::StringList => format!("`{key} = [\"a\", \"b\"]`"),
    }
}

/// A known key within a small edit distance of `key`: one edit for short keys, two for longer.
fn nearest_key<'k>(key: &str, keys: &[(&'k str, KeyType)]) -> Option<&'k str> {
    let lowered = key.to_lowercase();
    keys.iter()
        .map(|(known, _)| (edit_distance(&lowered, known), *known))
        .filter(|&(distance, known)| distance <= if known.len() <= 4 { 1 } else { 2 })
        .min()
        .map(|(_, known)| known)
}

/// Levenshtein distance; keys are a few characters, so the plain table is fine.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The line where `key` is set inside the front matter starting at byte `start`.
fn key_location(file: &SourceFile, start: usize, key: &str) -> crate::error::Location {
    let mut offset = start;
    for line in file.text[start..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let bare = trimmed.trim_start_matches(['"', '\'']);
        if let Some(rest) = bare.strip_prefix(key) {
            let after = rest.trim_start_matches(['"', '\'']).trim_start();
            if after.starts_with('=') || after.starts_with(':') {
                return file.location(offset + (line.len() - trimmed.len()));
            }
        }
        offset += line.len();
    }
    file.location(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &[(&str, KeyType)] = &[
        ("title", KeyType::String),
        ("order", KeyType::Integer),
        ("draft", KeyType::Bool),
        ("tags", KeyType::StringList),
    ];

    fn parse_text(text: &str) -> (FrontMatter, Diagnostics) {
        let file = SourceFile::new("content/a.md", text.to_string());
        let mut diagnostics = Diagnostics::default();
        let matter = parse(&file, &split(text), KEYS, &mut diagnostics);
        (matter, diagnostics)
    }

    #[test]
    fn splits_toml_and_yaml_and_none() {
        let toml = "+++\ntitle = \"A\"\n+++\nbody";
        assert_eq!(&toml[split(toml).body_start..], "body");
        let yaml = "---\r\ntitle: A\r\n---\r\nbody";
        assert_eq!(&yaml[split(yaml).body_start..], "body");
        let plain = "# Heading\n---\n";
        assert_eq!(split(plain).body_start, 0);
        let unclosed = "+++\ntitle = 1\n";
        assert_eq!(split(unclosed).body_start, 0);
    }

    #[test]
    fn known_keys_typed_and_unknown_kept() {
        let (matter, diagnostics) =
            parse_text("---\ntitle: IAM\norder: 2\ntags: [a, b]\naliases: [x]\n---\n");
        assert!(diagnostics.is_empty(), "{}", diagnostics.render());
        assert_eq!(matter.string("title").as_deref(), Some("IAM"));
        assert_eq!(matter.integer("order"), Some(2));
        assert_eq!(matter.strings("tags"), ["a", "b"]);
        assert!(matter.extra.contains_key("aliases"));
    }

    #[test]
    fn typo_is_an_error_with_suggestion_and_line() {
        let (_, diagnostics) = parse_text("+++\norder = 1\ntitel = \"x\"\n+++\n");
        let d = diagnostics.iter().next().unwrap();
        assert_eq!(d.message, "unknown front-matter key `titel`");
        assert_eq!(d.location.as_ref().unwrap().line, 3);
        assert!(d.help.as_ref().unwrap().contains("`title`"));
        let (_, diagnostics) = parse_text("---\noder: 1\n---\n");
        assert!(diagnostics
            .iter()
            .next()
            .unwrap()
            .help
            .as_ref()
            .unwrap()
            .contains("`order`"));
    }

    #[test]
    fn wrong_type_and_syntax_errors_have_lines() {
        let (_, diagnostics) = parse_text("+++\ntitle = \"x\"\norder = \"two\"\n+++\n");
        let d = diagnostics.iter().next().unwrap();
        assert_eq!(d.location.as_ref().unwrap().line, 3);
        let (_, diagnostics) = parse_text("+++\ntitle = \"x\"\norder = = 2\n+++\n");
        let d = diagnostics.iter().next().unwrap();
        assert!(d.message.starts_with("invalid TOML"), "{}", d.message);
        assert_eq!(d.location.as_ref().unwrap().line, 3);
        let (_, diagnostics) = parse_text("---\ntitle: x\n  bad: [\n---\n");
        let d = diagnostics.iter().next().unwrap();
        assert!(d.message.starts_with("invalid YAML"), "{}", d.message);
        assert!(d.location.as_ref().unwrap().line >= 2);
    }

    #[test]
    fn yaml_nested_too_deep_is_an_error_at_the_bracket() {
        let deep = format!("---\ntitle: x\ntags: {}\n---\n", "[".repeat(100_000));
        let (_, diagnostics) = parse_text(&deep);
        let d = diagnostics.iter().next().unwrap();
        assert_eq!(
            d.message,
            "invalid YAML front matter: `[` and `{` nest deeper than 64 levels"
        );
        let location = d.location.as_ref().unwrap();
        assert_eq!((location.line, location.column), (3, Some(7 + 64)));
        let shallow = format!("---\naliases: {}a{}\n---\n", "[".repeat(3), "]".repeat(3));
        assert!(parse_text(&shallow).1.is_empty());
    }

    #[test]
    fn distance() {
        assert_eq!(edit_distance("titel", "title"), 2);
        assert_eq!(edit_distance("oder", "order"), 1);
        assert_eq!(nearest_key("layout", KEYS), None);
        assert_eq!(nearest_key("tag", KEYS), Some("tags"));
    }
}
