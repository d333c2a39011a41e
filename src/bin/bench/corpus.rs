//! A deterministic synthetic study corpus: the notes' titles and Markdown bodies,
//! format-neutral (`writers` puts them on disk for each tool).
//!
//! Notes read like real study notes: question headings answered in their first
//! sentence, paragraphs drawn from a few thousand invented words with Zipf-like
//! frequencies, lists, a table, fenced code in several languages, TIP, MNEMONIC
//! and QUIZ callouts, and relative links to other notes. A note is:
//!
//! 1. an opening paragraph;
//! 2. question headings (`## What is …?`), each with its answer, more paragraphs
//!    for long notes, and one list, table, code block, TIP or MNEMONIC, added
//!    until the note reaches its word count (see [`Words`]);
//! 3. two QUIZ callouts;
//! 4. a line linking the next note in its folder and a note in another folder.

use std::ops::Range;

use crate::shape::{CorpusOptions, Layout, Words};

/// Appends a formatted line to a `String`; unlike `writeln!`, there is no `Result`
/// to discard, since writing to a `String` cannot fail.
macro_rules! push_line {
    ($out:expr, $($arg:tt)*) => {{
        $out.push_str(&format!($($arg)*));
        $out.push('\n');
    }};
}

/// A small, fast, seedable PRNG (SplitMix64); the corpus only needs to be reproducible.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `range` (which must not be empty).
    fn within(&mut self, range: &Range<usize>) -> usize {
        range.start + self.below(range.len())
    }

    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Words as the corpus counts them: whitespace-separated runs holding a letter or
/// digit, so Markdown's `##`, `>`, `-` and `|` do not count but code does.
pub(crate) fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .count()
}

/// Invented words ranked by frequency; `zipf` picks rank r with weight 1/r.
pub(crate) struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "ri", "ten", "sor", "mi", "va", "del", "ur", "phe", "no", "bra", "cis", "tu",
    "gan", "el", "mor", "pi", "zan", "que", "do", "ral", "sen", "tri", "ox", "ly", "ber", "ca",
    "fen", "it", "ro", "sta",
];

impl Vocabulary {
    pub(crate) fn new(size: usize, rng: &mut Rng) -> Self {
        let mut words = Vec::with_capacity(size);
        let mut seen = std::collections::HashSet::new();
        while words.len() < size {
            let syllables = 1 + rng.below(3) + usize::from(words.len() > 500);
            let word: String = (0..syllables)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect();
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=size)
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    pub(crate) fn zipf<'a>(&'a self, rng: &mut Rng) -> &'a str {
        let target = rng.unit() * self.cumulative.last().copied().unwrap_or(1.0);
        let index = self.cumulative.partition_point(|&c| c < target);
        &self.words[index.min(self.words.len() - 1)]
    }

    /// A word with a capital letter, as a term or a title word.
    fn subject(&self, rng: &mut Rng) -> String {
        capitalised(self.zipf(rng))
    }

    fn sentence(&self, rng: &mut Rng, words: usize) -> String {
        let mut text = String::new();
        for i in 0..words {
            let word = self.zipf(rng);
            if i == 0 {
                text.push_str(&capitalised(word));
            } else {
                text.push(' ');
                text.push_str(word);
            }
        }
        text.push('.');
        text
    }

    fn paragraph(&self, rng: &mut Rng, prose: &Prose) -> String {
        let sentences = rng.within(&prose.sentences);
        (0..sentences)
            .map(|_| {
                let words = rng.within(&prose.sentence_words);
                self.sentence(rng, words)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
        .collect()
}

/// How a [`Words`] setting sizes a note.
struct Prose {
    /// The note's word count is drawn from here; headings are added until it is reached.
    target: Range<usize>,
    /// Paragraphs under each question heading, its answer included.
    paragraphs: usize,
    sentences: Range<usize>,
    sentence_words: Range<usize>,
}

impl Prose {
    fn of(words: Words) -> Prose {
        match words {
            // Today's paragraphs (2–5 sentences of 8–19 words), three under each heading.
            // A heading adds at most about 320 words, so notes stay under about 1,900.
            Words::Long => Prose {
                target: 1200..1500,
                paragraphs: 3,
                sentences: 2..6,
                sentence_words: 8..20,
            },
            // One paragraph of 2–3 short sentences under each heading: a heading adds
            // at most about 75 words, so a note stops below 200 + 75 words.
            Words::Short => Prose {
                target: 150..200,
                paragraphs: 1,
                sentences: 2..4,
                sentence_words: 8..14,
            },
        }
    }
}

/// One generated note, format-neutral.
pub(crate) struct Note {
    pub(crate) title: String,
    pub(crate) body: String,
}

const CODE: &[(&str, &str)] = &[
    ("rust", "fn main() {\n    let total: u32 = (1..=10).sum();\n    println!(\"{total}\");\n}\n"),
    ("python", "def handler(event, context):\n    return {\"status\": 200, \"body\": event.get(\"name\")}\n"),
    ("yaml", "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration:\n        Status: Enabled\n"),
    ("json", "{\n  \"Effect\": \"Deny\",\n  \"Action\": \"s3:DeleteObject\",\n  \"Resource\": \"*\"\n}\n"),
    ("bash", "aws s3 cp report.csv s3://my-bucket/reports/ --storage-class GLACIER\n"),
];

/// Generates every note of the corpus, in note order.
pub(crate) fn generate(options: &CorpusOptions, layout: &Layout) -> Vec<Note> {
    let mut rng = Rng::new(options.seed);
    let vocabulary = Vocabulary::new(6000, &mut rng);
    let mut writer = NoteWriter {
        vocabulary: &vocabulary,
        prose: Prose::of(options.words),
        layout,
        notes: options.notes,
        rng,
    };
    (0..options.notes).map(|n| writer.note(n)).collect()
}

/// Writes notes one after another from one random stream.
struct NoteWriter<'a> {
    vocabulary: &'a Vocabulary,
    prose: Prose,
    layout: &'a Layout,
    notes: usize,
    rng: Rng,
}

impl NoteWriter<'_> {
    fn note(&mut self, n: usize) -> Note {
        let rng = &mut self.rng;
        let title = format!(
            "{} {} {n}",
            self.vocabulary.subject(rng),
            self.vocabulary.subject(rng)
        );
        let target = rng.within(&self.prose.target);
        let mut body = format!("{}\n\n", self.vocabulary.paragraph(rng, &self.prose));
        // The closing quizzes and links count towards the target too.
        let ending = self.quizzes() + &self.links(n);
        let mut words = word_count(&body) + word_count(&ending);
        let mut headings = 0;
        while words < target {
            let section = self.question_section(n + headings);
            words += word_count(&section);
            body.push_str(&section);
            headings += 1;
        }
        body.push_str(&ending);
        Note { title, body }
    }

    /// A question heading, its answer and paragraphs, and one element chosen by `kind`.
    fn question_section(&mut self, kind: usize) -> String {
        let (vocabulary, rng) = (self.vocabulary, &mut self.rng);
        let term = format!("{} {}", vocabulary.subject(rng), vocabulary.subject(rng));
        let answer = vocabulary.paragraph(rng, &self.prose).to_lowercase();
        let mut text = format!("## What is {term}?\n\n{term} is {answer}\n\n");
        for _ in 1..self.prose.paragraphs {
            push_line!(text, "{}\n", vocabulary.paragraph(rng, &self.prose));
        }
        text.push_str(&self.element(kind % 5));
        text
    }

    /// A list, a table, a code block, a TIP or a MNEMONIC.
    fn element(&mut self, kind: usize) -> String {
        let (vocabulary, rng) = (self.vocabulary, &mut self.rng);
        let mut text = String::new();
        match kind {
            0 => {
                for _ in 0..4 {
                    let (item, about) = (vocabulary.subject(rng), vocabulary.sentence(rng, 6));
                    push_line!(text, "- **{item}** {about}");
                }
            }
            1 => {
                push_line!(text, "| Option | Use | Cost |\n|---|---|---|");
                for _ in 0..3 {
                    let (option, used) = (vocabulary.subject(rng), vocabulary.sentence(rng, 4));
                    push_line!(text, "| {option} | {used} | {} |", rng.below(100));
                }
            }
            2 => {
                let (lang, code) = CODE[rng.below(CODE.len())];
                push_line!(text, "```{lang}\n{code}```");
            }
            3 => push_line!(
                text,
                "> [!TIP] Exam tip\n> {}",
                vocabulary.sentence(rng, 12)
            ),
            _ => {
                let items: Vec<String> = (0..4).map(|_| vocabulary.subject(rng)).collect();
                let phrase: Vec<String> = items
                    .iter()
                    .map(|i| format!("{}{}", &i[..1], vocabulary.zipf(rng)))
                    .collect();
                push_line!(text, "> [!MNEMONIC] {}", phrase.join(" "));
                for item in &items {
                    push_line!(text, "> - **{}**{}", &item[..1], &item[1..]);
                }
            }
        }
        text.push('\n');
        text
    }

    fn quizzes(&mut self) -> String {
        let (vocabulary, rng) = (self.vocabulary, &mut self.rng);
        let mut text = String::new();
        for q in 0..2 {
            let question = vocabulary.sentence(rng, 9);
            push_line!(text, "> [!QUIZ] {}?", question.trim_end_matches('.'));
            let correct = rng.below(4);
            for o in 0..4 {
                let mark = if o == correct { 'x' } else { ' ' };
                push_line!(text, "> - [{mark}] {} {o}{q}", vocabulary.subject(rng));
            }
            push_line!(text, ">\n> {}\n", vocabulary.sentence(rng, 14));
        }
        text
    }

    /// Links to the next note in the same folder and to a note a folder's length further on.
    fn links(&self, n: usize) -> String {
        let folder = &self.layout.folders[self.layout.folder_of(n)].notes;
        let same = folder.start + (n - folder.start + 1) % folder.len();
        let other = (n + folder.len()) % self.notes;
        format!(
            "See also [the next note]({}) and [a related note]({}).\n",
            self.layout.relative_link(n, same),
            self.layout.relative_link(n, other)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shape::Shape;

    fn corpus(shape: Shape, words: Words, notes: usize) -> Vec<Note> {
        let options = CorpusOptions {
            shape,
            words,
            notes,
            seed: 42,
        };
        generate(&options, &Layout::new(&options))
    }

    #[test]
    fn long_notes_have_at_least_1200_words() {
        let counts: Vec<usize> = corpus(Shape::Many, Words::Long, 300)
            .iter()
            .map(|note| word_count(&note.body))
            .collect();
        let (min, max) = (counts.iter().min(), counts.iter().max());
        assert!(min >= Some(&1200) && max <= Some(&2000), "{min:?}..{max:?}");
    }

    #[test]
    fn short_notes_have_150_to_300_words() {
        let counts: Vec<usize> = corpus(Shape::Few, Words::Short, 300)
            .iter()
            .map(|note| word_count(&note.body))
            .collect();
        let (min, max) = (counts.iter().min(), counts.iter().max());
        assert!(min >= Some(&150) && max <= Some(&300), "{min:?}..{max:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_corpus() {
        let texts = |notes: &[Note]| -> Vec<String> {
            notes
                .iter()
                .map(|note| format!("{}\n{}", note.title, note.body))
                .collect()
        };
        let first = corpus(Shape::Nested, Words::Short, 200);
        assert_eq!(
            texts(&first),
            texts(&corpus(Shape::Nested, Words::Short, 200))
        );
        let other = CorpusOptions {
            shape: Shape::Nested,
            words: Words::Short,
            notes: 200,
            seed: 7,
        };
        let reseeded = generate(&other, &Layout::new(&other));
        assert_ne!(texts(&first), texts(&reseeded));
    }

    #[test]
    fn notes_have_questions_callouts_and_links() {
        let note = &corpus(Shape::Few, Words::Short, 100)[0];
        assert!(note.body.contains("\n## What is "), "{}", note.body);
        assert_eq!(note.body.matches("> [!QUIZ] ").count(), 2);
        assert!(
            note.body.contains("[the next note](00002-note-1.md)"),
            "{}",
            note.body
        );
    }
}
