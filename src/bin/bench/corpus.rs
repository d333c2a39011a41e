//! A deterministic synthetic study corpus, written three ways from the same text:
//! our layout, a Hugo site and an mdBook book.
//!
//! Notes read like real study notes: question headings answered in their first
//! sentence, paragraphs drawn from a few thousand invented words with Zipf-like
//! frequencies, lists, a table, fenced code in several languages, TIP, MNEMONIC
//! and QUIZ callouts, and relative links to other notes.

use std::fs;
use std::path::{Path, PathBuf};

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

    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
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

    fn sentence(&self, rng: &mut Rng, words: usize) -> String {
        let mut text = String::new();
        for i in 0..words {
            let word = self.zipf(rng);
            if i == 0 {
                let mut chars = word.chars();
                text.extend(chars.next().map(|c| c.to_ascii_uppercase()));
                text.push_str(chars.as_str());
            } else {
                text.push(' ');
                text.push_str(word);
            }
        }
        text.push('.');
        text
    }

    fn paragraph(&self, rng: &mut Rng) -> String {
        let sentences = 2 + rng.below(4);
        (0..sentences)
            .map(|_| {
                let words = 8 + rng.below(12);
                self.sentence(rng, words)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One generated note, format-neutral.
pub(crate) struct Note {
    pub(crate) section: usize,
    pub(crate) title: String,
    pub(crate) body: String,
}

/// Corpus shape.
pub(crate) struct Shape {
    pub(crate) notes: usize,
    pub(crate) sections: usize,
    pub(crate) seed: u64,
}

const CODE: &[(&str, &str)] = &[
    ("rust", "fn main() {\n    let total: u32 = (1..=10).sum();\n    println!(\"{total}\");\n}\n"),
    ("python", "def handler(event, context):\n    return {\"status\": 200, \"body\": event.get(\"name\")}\n"),
    ("yaml", "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration:\n        Status: Enabled\n"),
    ("json", "{\n  \"Effect\": \"Deny\",\n  \"Action\": \"s3:DeleteObject\",\n  \"Resource\": \"*\"\n}\n"),
    ("bash", "aws s3 cp report.csv s3://my-bucket/reports/ --storage-class GLACIER\n"),
];

/// Generates every note of the corpus.
pub(crate) fn generate(shape: &Shape) -> Vec<Note> {
    let mut rng = Rng::new(shape.seed);
    let vocabulary = Vocabulary::new(6000, &mut rng);
    let per_section = shape.notes.div_ceil(shape.sections);
    (0..shape.notes)
        .map(|n| {
            let section = n / per_section;
            let subject = |rng: &mut Rng| {
                let word = vocabulary.zipf(rng);
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|c| c.to_ascii_uppercase())
                    .into_iter()
                    .chain(chars)
                    .collect::<String>()
            };
            let title = format!("{} {} {n}", subject(&mut rng), subject(&mut rng));
            let body = note_body(n, shape, per_section, &vocabulary, &mut rng, subject);
            Note {
                section,
                title,
                body,
            }
        })
        .collect()
}

fn note_body(
    n: usize,
    shape: &Shape,
    per_section: usize,
    vocabulary: &Vocabulary,
    rng: &mut Rng,
    subject: impl Fn(&mut Rng) -> String,
) -> String {
    let mut body = String::new();
    push_line!(body, "{}\n", vocabulary.paragraph(rng));
    for h in 0..4 + rng.below(3) {
        let term = format!("{} {}", subject(rng), subject(rng));
        push_line!(
            body,
            "## What is {term}?\n\n{term} is {}\n",
            vocabulary.paragraph(rng).to_lowercase()
        );
        push_line!(body, "{}\n", vocabulary.paragraph(rng));
        match (n + h) % 5 {
            0 => {
                for _ in 0..4 {
                    push_line!(
                        body,
                        "- **{}** {}",
                        subject(rng),
                        vocabulary.sentence(rng, 6)
                    );
                }
                body.push('\n');
            }
            1 => {
                push_line!(body, "| Option | Use | Cost |\n|---|---|---|");
                for _ in 0..3 {
                    push_line!(
                        body,
                        "| {} | {} | {} |",
                        subject(rng),
                        vocabulary.sentence(rng, 4),
                        rng.below(100)
                    );
                }
                body.push('\n');
            }
            2 => {
                let (lang, code) = CODE[rng.below(CODE.len())];
                push_line!(body, "```{lang}\n{code}```\n");
            }
            3 => {
                push_line!(
                    body,
                    "> [!TIP] Exam tip\n> {}\n",
                    vocabulary.sentence(rng, 12)
                );
            }
            _ => {
                let items: Vec<String> = (0..4).map(|_| subject(rng)).collect();
                let phrase: Vec<String> = items
                    .iter()
                    .map(|i| format!("{}{}", &i[..1], vocabulary.zipf(rng)))
                    .collect();
                push_line!(body, "> [!MNEMONIC] {}", phrase.join(" "));
                for item in &items {
                    push_line!(body, "> - **{}**{}", &item[..1], &item[1..]);
                }
                body.push('\n');
            }
        }
    }
    for q in 0..2 {
        push_line!(
            body,
            "> [!QUIZ] {}?",
            vocabulary.sentence(rng, 9).trim_end_matches('.')
        );
        let correct = rng.below(4);
        for o in 0..4 {
            let mark = if o == correct { 'x' } else { ' ' };
            push_line!(body, "> - [{mark}] {} {o}{q}", subject(rng));
        }
        push_line!(body, ">\n> {}\n", vocabulary.sentence(rng, 14));
    }
    // Links: the next note in the same section and one in the next section.
    let section_start = n / per_section * per_section;
    let section_len = per_section.min(shape.notes - section_start);
    let same = section_start + (n - section_start + 1) % section_len;
    let other = (n + per_section) % shape.notes;
    push_line!(
        body,
        "See also [the next note]({}) and [a related note]({}).\n",
        relative_link(n, same, per_section),
        relative_link(n, other, per_section)
    );
    body
}

/// Folder of section `s` (0-based), the same for every tool.
fn section_dir(s: usize) -> String {
    format!("{:03}-section-{}", s + 1, s + 1)
}

/// The first note's source path (relative to the site root) and its URL in
/// studysite's output, whose paths drop the numeric prefixes.
pub(crate) fn first_note(shape: &Shape) -> (PathBuf, String) {
    let (dir, file) = note_file(0, shape.notes.div_ceil(shape.sections));
    let unprefixed = |name: &str| {
        name.split_once('-')
            .map_or(name, |(_, rest)| rest)
            .to_string()
    };
    let stem = file.trim_end_matches(".md");
    let url = format!("/{}/{}/", unprefixed(&dir), unprefixed(stem));
    (Path::new("content").join(dir).join(file), url)
}

fn note_file(n: usize, per_section: usize) -> (String, String) {
    (
        section_dir(n / per_section),
        format!("{:05}-note-{n}.md", n % per_section + 1),
    )
}

fn relative_link(from: usize, to: usize, per_section: usize) -> String {
    let (from_dir, _) = note_file(from, per_section);
    let (to_dir, to_file) = note_file(to, per_section);
    if from_dir == to_dir {
        to_file
    } else {
        format!("../{to_dir}/{to_file}")
    }
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

/// Writes `content/`: the home page, each section's `_index.md` (front matter from
/// `section_matter`) and the notes, with TOML front matter both tools read.
fn write_content(
    root: &Path,
    shape: &Shape,
    notes: &[Note],
    section_matter: impl Fn(usize) -> String,
) -> std::io::Result<()> {
    let per_section = shape.notes.div_ceil(shape.sections);
    write(
        &root.join("content/_index.md"),
        "+++\ntitle = \"Synthetic corpus\"\n+++\nGenerated notes.\n",
    )?;
    for s in 0..shape.sections {
        let path = root.join(format!("content/{}/_index.md", section_dir(s)));
        write(&path, &format!("+++\n{}+++\n", section_matter(s)))?;
    }
    for (n, note) in notes.iter().enumerate() {
        let (dir, file) = note_file(n, per_section);
        write(
            &root.join(format!("content/{dir}/{file}")),
            &format!("+++\ntitle = \"{}\"\n+++\n\n{}", note.title, note.body),
        )?;
    }
    Ok(())
}

/// Writes the corpus as a studysite site in `root`.
pub(crate) fn write_studysite(root: &Path, shape: &Shape, notes: &[Note]) -> std::io::Result<()> {
    write(
        &root.join("site.toml"),
        "title = \"Synthetic corpus\"\nbase_url = \"/\"\n",
    )?;
    let weight = 100 / shape.sections;
    write_content(root, shape, notes, |s| {
        format!("title = \"Section {}\"\nweight = {weight}\n", s + 1)
    })
}

/// Writes the same notes as a Hugo site with minimal templates and a section nav.
pub(crate) fn write_hugo(root: &Path, shape: &Shape, notes: &[Note]) -> std::io::Result<()> {
    write(&root.join("hugo.toml"), "baseURL = \"/\"\ntitle = \"Synthetic corpus\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\"]\n[markup.goldmark.renderer]\nunsafe = true\n")?;
    write(&root.join("layouts/_default/baseof.html"), "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><nav><ul>{{ range .Site.Sections }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ with .CurrentSection }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}</nav><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n")?;
    write(
        &root.join("layouts/_default/single.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}{{ end }}\n",
    )?;
    write(&root.join("layouts/_default/list.html"), "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n")?;
    write_content(root, shape, notes, |s| {
        format!("title = \"Section {}\"\n", s + 1)
    })
}

/// Writes the same notes as an mdBook book (every chapter in SUMMARY.md, as mdBook needs).
pub(crate) fn write_mdbook(root: &Path, shape: &Shape, notes: &[Note]) -> std::io::Result<()> {
    let per_section = shape.notes.div_ceil(shape.sections);
    write(
        &root.join("book.toml"),
        "[book]\ntitle = \"Synthetic corpus\"\n\n[output.html.search]\nenable = true\n",
    )?;
    let mut summary = String::from("# Summary\n\n");
    for s in 0..shape.sections {
        let dir = section_dir(s);
        write(
            &root.join(format!("src/{dir}/README.md")),
            &format!("# Section {}\n", s + 1),
        )?;
        push_line!(summary, "- [Section {}]({dir}/README.md)", s + 1);
        for (n, note) in notes
            .iter()
            .enumerate()
            .filter(|(_, note)| note.section == s)
        {
            let (_, file) = note_file(n, per_section);
            push_line!(summary, "  - [{}]({dir}/{file})", note.title);
        }
    }
    write(&root.join("src/SUMMARY.md"), &summary)?;
    for (n, note) in notes.iter().enumerate() {
        let (dir, file) = note_file(n, per_section);
        write(
            &root.join(format!("src/{dir}/{file}")),
            &format!("# {}\n\n{}", note.title, note.body),
        )?;
    }
    Ok(())
}
