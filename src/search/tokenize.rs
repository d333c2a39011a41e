//! Text → index terms. The rules are shared with the browser
//! (`themes/default/static/js/search-core.js` implements steps 1–3 identically;
//! step 4 never runs in the browser, see docs/search-index.md):
//!
//! 1. Normalise: lowercase, `’` → `'`, NFKD, drop combining marks (so `café` and
//!    `cafe` meet), NFC again (so Hangul syllables stay whole).
//! 2. Split into runs of CJK characters (Han, kana, Hangul) and the rest. The rest is
//!    cut at Unicode word boundaries (UAX #29); words are split again at `.`, `:` and
//!    `·` (which UAX #29 keeps inside `example.com`), and outer apostrophes trimmed.
//!    Each CJK run becomes overlapping character bigrams (`東京都` → `東京`, `京都`),
//!    a lone character stays a unigram: CJK has no spaces to split words at, and
//!    bigrams let any query of two or more characters match.
//! 3. Words in the language's stop list, and words over [`MAX_WORD_CHARS`], are dropped.
//! 4. The remaining *surface* word is stemmed with the language's Snowball stemmer
//!    (English: `scaling`, `scales` → `scale`; `policies` → `polici`) to give the
//!    *term* the postings belong to. Languages without a stemmer use the word itself.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Stems already computed, by normalised surface word.
pub(crate) type StemCache = rustc_hash::FxHashMap<String, String>;
/// Longer "words" are hashes, URLs or base64 and only bloat the index.
pub(crate) const MAX_WORD_CHARS: usize = 40;

/// English stop words: too common to help ranking, and a large share of all postings.
/// Shipped in the manifest so the browser drops the same words from queries.
pub(crate) const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "because",
    "been", "but", "by", "can", "could", "did", "do", "does", "each", "for", "from", "had", "has",
    "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "may",
    "more", "most", "no", "not", "of", "on", "only", "or", "other", "our", "over", "she", "should",
    "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "those", "to", "too", "up", "us", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "why", "will", "with", "would", "you", "your",
];

/// One word of a text: what was written (normalised) and the term it indexes under.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// The normalised word as written, which the browser looks queries up by.
    pub(crate) surface: String,
    /// The stem (or bigram, or the word itself) that postings are kept for.
    pub(crate) term: String,
}

/// Splits, normalises and stems text for one site language.
pub(crate) struct Tokenizer {
    stemmer: Option<Stemmer>,
    stop_words: &'static [&'static str],
}

impl Tokenizer {
    /// The tokenizer for a BCP 47 tag (`en`, `en-GB`, `de`); unknown languages get
    /// no stemmer and no stop words.
    pub(crate) fn for_language(tag: &str) -> Tokenizer {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_lowercase();
        Tokenizer {
            stemmer: stemmer_algorithm(&primary).map(Stemmer::create),
            stop_words: if primary == "en" {
                ENGLISH_STOP_WORDS
            } else {
                &[]
            },
        }
    }

    /// The stop words this tokenizer drops (shipped in the manifest).
    pub(crate) fn stop_words(&self) -> &'static [&'static str] {
        self.stop_words
    }

    /// The term of one word of [`for_each_word`], or `None` for a stop word.
    /// Stems are remembered in `cache`: words repeat (Zipf), and stemming every
    /// occurrence was a fifth of the index build.
    pub(crate) fn term(&self, word: Word<'_>, cache: &mut StemCache) -> Option<String> {
        match word {
            Word::Cjk(gram) => Some(gram.to_string()),
            Word::Plain(text) if self.is_stop_word(text) => None,
            Word::Plain(text) => Some(match cache.get(text) {
                Some(term) => term.clone(),
                None => {
                    let term = self.stem(text);
                    cache.insert(text.to_string(), term.clone());
                    term
                }
            }),
        }
    }

    /// Whether `word` (normalised) is dropped from documents and queries.
    fn is_stop_word(&self, word: &str) -> bool {
        self.stop_words.binary_search(&word).is_ok()
    }

    /// Every token of `text`, in order.
    #[cfg(test)]
    pub(crate) fn tokens(&self, text: &str) -> Vec<Token> {
        let mut tokens = Vec::new();
        let mut cache = StemCache::default();
        for_each_word(text, |word| {
            if let Some(term) = self.term(word, &mut cache) {
                let surface = word.text().to_string();
                tokens.push(Token { surface, term });
            }
        });
        tokens
    }

    /// The term for one normalised surface word.
    pub(crate) fn stem(&self, word: &str) -> String {
        match &self.stemmer {
            // Stemming runs after folding: Snowball stemmers take folded text well
            // (they strip suffixes), and folding after could make two terms for one word.
            Some(stemmer) if !word.chars().any(|c| c.is_ascii_digit()) => {
                stemmer.stem(word).into_owned()
            }
            _ => word.to_string(),
        }
    }
}

fn stemmer_algorithm(primary: &str) -> Option<Algorithm> {
    Some(match primary {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

/// Step 1: lowercase, fold diacritics, keep Hangul composed.
pub(crate) fn normalize(text: &str) -> String {
    // ASCII has nothing to fold but case (and no `’`).
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let lower = text.to_lowercase().replace('\u{2019}', "'");
    // Most note text has nothing to decompose or recompose; skip the expensive pass then.
    if lower.chars().all(is_unchanged_by_folding) {
        return lower;
    }
    lower
        .nfkd()
        .filter(|&c| !is_combining_mark(c))
        .nfc()
        .collect()
}

/// True when NFKD, mark removal and NFC leave `c` as it is whatever surrounds it:
/// ASCII, or a character with no compatibility decomposition that is neither a mark
/// nor a Hangul jamo (the only non-marks NFC composes with what precedes them).
fn is_unchanged_by_folding(c: char) -> bool {
    if c.is_ascii() {
        return true;
    }
    let jamo =
        matches!(c, '\u{1100}'..='\u{11FF}' | '\u{A960}'..='\u{A97F}' | '\u{D7B0}'..='\u{D7FF}');
    if jamo || is_combining_mark(c) {
        return false;
    }
    let mut parts = 0;
    let mut same = true;
    unicode_normalization::char::decompose_compatible(c, |d| {
        parts += 1;
        same &= d == c;
    });
    same && parts == 1
}

/// Han, kana and Hangul: scripts written without spaces between words.
/// (The browser uses the same ranges; see `CJK` in search-core.js.)
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{3130}'..='\u{318F}'
        | '\u{31F0}'..='\u{31FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// A word of a normalised text, before stop words and stemming (steps 1–2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Word<'a> {
    Plain(&'a str),
    /// A CJK bigram or lone character: its own term, never a stop word.
    Cjk(&'a str),
}

impl<'a> Word<'a> {
    /// The word as written (normalised): the surface the browser looks up.
    pub(crate) fn text(self) -> &'a str {
        match self {
            Word::Plain(text) | Word::Cjk(text) => text,
        }
    }
}

/// Steps 1–2: calls `visit` for every word of `text`, stop words included.
pub(crate) fn for_each_word(text: &str, mut visit: impl FnMut(Word<'_>)) {
    let text = normalize(text);
    if text.is_ascii() {
        // Most notes: no CJK, and word boundaries need no Unicode tables.
        ascii_words(&text, |word, splits| {
            if splits {
                ascii_parts(word, &mut visit);
            } else if word.len() <= MAX_WORD_CHARS {
                visit(Word::Plain(word));
            }
        });
        return;
    }
    let mut rest_start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !is_cjk(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, next)) = chars.peek() {
            if !is_cjk(next) {
                break;
            }
            end = i + next.len_utf8();
            chars.next();
        }
        plain_words(&text[rest_start..start], &mut visit);
        cjk_bigrams(&text[start..end], &mut visit);
        rest_start = end;
    }
    plain_words(&text[rest_start..], &mut visit);
}

fn plain_words(text: &str, visit: &mut impl FnMut(Word<'_>)) {
    for word in text.unicode_words() {
        plain_parts(word, visit);
    }
}

/// A UAX #29 word split again at `.`, `:` and `·`, outer apostrophes trimmed,
/// long parts dropped.
fn plain_parts(word: &str, visit: &mut impl FnMut(Word<'_>)) {
    for part in word.split(['.', ':', '\u{B7}']) {
        let part = part.trim_matches('\'');
        // Bytes bound characters: count them only when the bytes are over.
        let short = part.len() <= MAX_WORD_CHARS || part.chars().count() <= MAX_WORD_CHARS;
        if !part.is_empty() && short {
            visit(Word::Plain(part));
        }
    }
}

/// [`plain_parts`] for a word of [`ascii_words`], where `.`, `:` and `'` only
/// ever sit between two letters or digits: no part is empty or has an outer
/// apostrophe, and characters are bytes.
fn ascii_parts(word: &str, visit: &mut impl FnMut(Word<'_>)) {
    let mut start = 0;
    for (i, byte) in word.bytes().enumerate() {
        if byte == b'.' || byte == b':' {
            if i - start <= MAX_WORD_CHARS {
                visit(Word::Plain(&word[start..i]));
            }
            start = i + 1;
        }
    }
    if word.len() - start <= MAX_WORD_CHARS {
        visit(Word::Plain(&word[start..]));
    }
}

/// UAX #29 words of ASCII text, as `unicode_words` finds them: runs of letters,
/// digits and `_` (WB5, WB8–WB10, WB13a/b) that contain a letter or digit, joined
/// across one `.`, `:` or `'` between letters (WB6/WB7) and one `.`, `,`, `;`
/// or `'` between digits (WB11/WB12). Every other byte is a boundary.
/// `visit` also learns whether the word has a `.` or `:` to split it at.
fn ascii_words<'a>(text: &'a str, mut visit: impl FnMut(&'a str, bool)) {
    let bytes = text.as_bytes();
    let joins = |i: usize| {
        let (prev, b, next) = (bytes[i - 1], bytes[i], bytes[i + 1]);
        match b {
            b'.' | b'\'' if prev.is_ascii_digit() && next.is_ascii_digit() => true,
            b',' | b';' => prev.is_ascii_digit() && next.is_ascii_digit(),
            b'.' | b'\'' | b':' => prev.is_ascii_alphabetic() && next.is_ascii_alphabetic(),
            _ => false,
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        if !is_core(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        // One pass: whether the run has a letter or digit, and a `.` or `:`.
        let (mut alphanumeric, mut splits) = (bytes[i] != b'_', false);
        i += 1;
        while i < bytes.len() {
            let b = bytes[i];
            if is_core(b) {
                alphanumeric |= b != b'_';
            } else if i + 1 < bytes.len() && joins(i) {
                splits |= b == b'.' || b == b':';
            } else {
                break;
            }
            i += 1;
        }
        if alphanumeric {
            visit(&text[start..i], splits);
        }
    }
}

/// A letter, digit or `_`: what ASCII words are runs of.
fn is_core(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn cjk_bigrams(run: &str, visit: &mut impl FnMut(Word<'_>)) {
    let starts: Vec<usize> = run.char_indices().map(|(i, _)| i).collect();
    if starts.len() == 1 {
        visit(Word::Cjk(run));
        return;
    }
    // Each pair of neighbours is a slice from one character's start to the one after next.
    for i in 1..starts.len() {
        let end = starts.get(i + 1).copied().unwrap_or(run.len());
        visit(Word::Cjk(&run[starts[i - 1]..end]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surfaces(text: &str) -> Vec<String> {
        Tokenizer::for_language("xx")
            .tokens(text)
            .into_iter()
            .map(|t| t.surface)
            .collect()
    }

    fn terms(language: &str, text: &str) -> Vec<String> {
        Tokenizer::for_language(language)
            .tokens(text)
            .into_iter()
            .map(|t| t.term)
            .collect()
    }

    #[test]
    fn stop_list_is_sorted_for_binary_search() {
        assert!(ENGLISH_STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn words_are_split_at_unicode_boundaries_and_folded() {
        assert_eq!(
            surfaces("Amazon S3's Glacier-tier, at us-east-1; see example.com: Café NAÏVE"),
            [
                "amazon", "s3", "s", "glacier", "tier", "at", "us", "east", "1", "see", "example",
                "com", "cafe", "naive"
            ]
        );
        assert_eq!(
            surfaces("don’t ‘quote’ t2.micro"),
            ["don't", "quote", "t2", "micro"]
        );
    }

    #[test]
    fn english_stemming_joins_variants() {
        assert_eq!(
            terms("en", "scaling scale scales"),
            ["scale", "scale", "scale"]
        );
        assert_eq!(terms("en-GB", "policies policy"), ["polici", "polici"]);
        assert_eq!(terms("en", "the policy of a bucket"), ["polici", "bucket"]);
        assert_eq!(terms("en", "EC2 instances"), ["ec2", "instanc"]);
    }

    #[test]
    fn other_languages_stem_or_keep_words() {
        assert_eq!(terms("de", "Häuser"), ["haus"]);
        assert_eq!(terms("fr", "économiques"), ["econom"]);
        // No stemmer and no stop words for languages Snowball does not cover.
        assert_eq!(terms("pl", "the chmury"), ["the", "chmury"]);
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        assert_eq!(
            surfaces("東京都へ行く"),
            ["東京", "京都", "都へ", "へ行", "行く"]
        );
        assert_eq!(surfaces("AWSの料金 k"), ["aws", "の料", "料金", "k"]);
        assert_eq!(surfaces("한국어 검색"), ["한국", "국어", "검색"]);
        assert_eq!(surfaces("中"), ["中"]);
    }

    #[test]
    fn ascii_words_are_the_unicode_words() {
        let alphabet = b"abZ09_ .,;:'\"-\t\n\r!/";
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as usize
        };
        for _ in 0..50_000 {
            let len = next() % 14;
            let text: String = (0..len)
                .map(|_| alphabet[next() % alphabet.len()] as char)
                .collect();
            let mut fast = vec!["é"];
            ascii_words(&text, |word, splits| {
                assert_eq!(splits, word.contains(['.', ':']), "{word}");
                fast.push(word);
            });
            // A non-ASCII word first, so that this takes the Unicode tables' path.
            let full = format!("é {text}");
            let slow: Vec<&str> = full.unicode_words().collect();
            assert_eq!(fast, slow, "{text:?}");
            let mut fast_parts = vec!["é".to_string()];
            for word in &fast[1..] {
                ascii_parts(word, &mut |part| fast_parts.push(part.text().into()));
            }
            let mut slow_parts = Vec::new();
            plain_words(&full, &mut |part| slow_parts.push(part.text().to_string()));
            assert_eq!(fast_parts, slow_parts, "{text:?}");
        }
    }

    #[test]
    fn long_words_are_dropped() {
        let long = "x".repeat(MAX_WORD_CHARS + 1);
        assert_eq!(surfaces(&format!("short {long}")), ["short"]);
    }

    #[test]
    fn the_fast_path_folds_like_the_full_one() {
        let full = |t: &str| -> String {
            t.to_lowercase()
                .replace('\u{2019}', "'")
                .nfkd()
                .filter(|&c| !is_combining_mark(c))
                .nfc()
                .collect()
        };
        for text in [
            "Plain ASCII text, with (punctuation) & numbers 42.",
            "Smart “quotes” – dashes — and it’s fine…",
            "Résumé naïve café Ångström",
            "ﬁle ligature and ² superscript",
            "한국어 텍스트 and \u{1100}\u{1161} jamo",
            "日本語のテキスト 中文",
            "e\u{0301} combining accent",
        ] {
            assert_eq!(normalize(text), full(text), "{text}");
        }
    }
}
