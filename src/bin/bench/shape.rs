//! Corpus shapes: the folder tree the notes go into, the same for every tool.
//!
//! - `few`: 4 big sections, as a real exam with 4 domains (10,000 notes → 2,500 a section);
//! - `many`: 100 small sections at every size (1,000 notes → 10 a section);
//! - `nested`: 4 sections of 10 topics each, every third topic with 3 subtopics
//!   (folders 3 levels deep); notes sit in the topics and subtopics.
//!
//! Notes are spread evenly over the folders that hold them, in order, so each
//! folder's notes are consecutive. A [`Layout`] names every folder and note file
//! and makes the relative links between notes.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// Which folder tree the notes go into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Shape {
    Few,
    Many,
    Nested,
}

impl Shape {
    pub(crate) const ALL: [Shape; 3] = [Shape::Few, Shape::Many, Shape::Nested];

    pub(crate) fn parse(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|shape| shape.name() == name)
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Shape::Few => "few",
            Shape::Many => "many",
            Shape::Nested => "nested",
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How long the notes are (counted by [`crate::corpus::word_count`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Words {
    /// 1,200 words or more, up to about 1,700: a real study note on one topic.
    Long,
    /// 150 to 300 words: a card-sized note, which weighs per-page costs more.
    Short,
}

impl Words {
    pub(crate) const ALL: [Words; 2] = [Words::Long, Words::Short];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Words::Long => "long",
            Words::Short => "short",
        }
    }

    /// The words `--words` names: `long`, `short` or `both`.
    pub(crate) fn parse_list(name: &str) -> Option<Vec<Words>> {
        match name {
            "both" => Some(Words::ALL.to_vec()),
            _ => Words::ALL
                .into_iter()
                .find(|words| words.name() == name)
                .map(|words| vec![words]),
        }
    }
}

impl fmt::Display for Words {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Everything that decides a corpus: the same options give the same bytes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CorpusOptions {
    pub(crate) shape: Shape,
    pub(crate) words: Words,
    pub(crate) notes: usize,
    pub(crate) seed: u64,
}

impl CorpusOptions {
    /// A name for the corpus's folders and the tables: `1000-few-long`.
    pub(crate) fn label(&self) -> String {
        format!("{}-{}-{}", self.notes, self.shape, self.words)
    }
}

/// One folder of the corpus, with an `_index.md` (a README.md for mdBook).
#[derive(Debug)]
pub(crate) struct Folder {
    /// Path below `content/` (`src/` for mdBook): `001-section-1/03-topic-3`.
    pub(crate) dir: String,
    pub(crate) title: String,
    pub(crate) parent: Option<usize>,
    /// 1 for a top-level section.
    pub(crate) depth: usize,
    /// The notes it holds directly, by number.
    pub(crate) notes: Range<usize>,
}

/// The folder tree of a corpus and where each note goes.
#[derive(Debug)]
pub(crate) struct Layout {
    /// Parents before their children, siblings in order (the order of a book's summary).
    pub(crate) folders: Vec<Folder>,
    /// The folder of each note.
    note_folder: Vec<usize>,
}

/// Topics per section and subtopics per third topic in the `nested` shape.
const NESTED_TOPICS: usize = 10;
const NESTED_SUBTOPICS: usize = 3;

impl Layout {
    pub(crate) fn new(options: &CorpusOptions) -> Layout {
        let mut folders = Vec::new();
        match options.shape {
            Shape::Few => add_sections(&mut folders, 4),
            Shape::Many => add_sections(&mut folders, 100),
            Shape::Nested => add_nested(&mut folders),
        }
        // Nested sections hold their notes in topics and subtopics only.
        let holders: Vec<usize> = (0..folders.len())
            .filter(|&f| options.shape != Shape::Nested || folders[f].depth > 1)
            .collect();
        let mut note_folder = Vec::with_capacity(options.notes);
        for (i, &f) in holders.iter().enumerate() {
            let range = i * options.notes / holders.len()..(i + 1) * options.notes / holders.len();
            note_folder.extend(range.clone().map(|_| f));
            folders[f].notes = range;
        }
        Layout {
            folders,
            note_folder,
        }
    }

    /// Index of note `n`'s folder.
    pub(crate) fn folder_of(&self, n: usize) -> usize {
        self.note_folder[n]
    }

    /// The folders directly inside folder `f` (`None`: the top-level sections).
    pub(crate) fn children(&self, f: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        (0..self.folders.len()).filter(move |&c| self.folders[c].parent == f)
    }

    /// Note `n`'s file name: numbered within its folder.
    pub(crate) fn note_file(&self, n: usize) -> String {
        let folder = &self.folders[self.folder_of(n)];
        format!("{:05}-note-{n}.md", n - folder.notes.start + 1)
    }

    /// Note `n`'s path below `content/`.
    pub(crate) fn note_path(&self, n: usize) -> String {
        format!(
            "{}/{}",
            self.folders[self.folder_of(n)].dir,
            self.note_file(n)
        )
    }

    /// The link from note `from` to note `to`, relative to `from`'s folder.
    pub(crate) fn relative_link(&self, from: usize, to: usize) -> String {
        let from_dir: Vec<&str> = self.folders[self.folder_of(from)].dir.split('/').collect();
        let to_dir: Vec<&str> = self.folders[self.folder_of(to)].dir.split('/').collect();
        let common = from_dir
            .iter()
            .zip(&to_dir)
            .take_while(|(a, b)| a == b)
            .count();
        let mut link = "../".repeat(from_dir.len() - common);
        for segment in &to_dir[common..] {
            link.push_str(segment);
            link.push('/');
        }
        link.push_str(&self.note_file(to));
        link
    }

    /// The first note's source path (relative to the site root) and its URL in
    /// studysite's output, whose paths drop the numeric prefixes.
    pub(crate) fn first_note(&self) -> (PathBuf, String) {
        let path = self.note_path(0);
        let unprefixed: Vec<&str> = path
            .trim_end_matches(".md")
            .split('/')
            .map(|name| name.split_once('-').map_or(name, |(_, rest)| rest))
            .collect();
        let url = format!("/{}/", unprefixed.join("/"));
        (Path::new("content").join(path), url)
    }
}

fn add_folder(folders: &mut Vec<Folder>, parent: Option<usize>, name: String, title: String) {
    let (dir, depth) = match parent {
        Some(p) => (format!("{}/{name}", folders[p].dir), folders[p].depth + 1),
        None => (name, 1),
    };
    folders.push(Folder {
        dir,
        title,
        parent,
        depth,
        notes: 0..0,
    });
}

fn add_sections(folders: &mut Vec<Folder>, count: usize) {
    for s in 1..=count {
        add_folder(
            folders,
            None,
            format!("{s:03}-section-{s}"),
            format!("Section {s}"),
        );
    }
}

fn add_nested(folders: &mut Vec<Folder>) {
    for s in 1..=4 {
        let section = folders.len();
        add_folder(
            folders,
            None,
            format!("{s:03}-section-{s}"),
            format!("Section {s}"),
        );
        for t in 1..=NESTED_TOPICS {
            let topic = folders.len();
            add_folder(
                folders,
                Some(section),
                format!("{t:02}-topic-{t}"),
                format!("Topic {s}.{t}"),
            );
            if t % 3 != 0 {
                continue;
            }
            for u in 1..=NESTED_SUBTOPICS {
                add_folder(
                    folders,
                    Some(topic),
                    format!("{u:02}-subtopic-{u}"),
                    format!("Subtopic {s}.{t}.{u}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(shape: Shape, notes: usize) -> Layout {
        Layout::new(&CorpusOptions {
            shape,
            words: Words::Short,
            notes,
            seed: 42,
        })
    }

    fn notes_per_folder(layout: &Layout) -> Vec<usize> {
        layout.folders.iter().map(|f| f.notes.len()).collect()
    }

    #[test]
    fn few_is_four_equal_sections() {
        let few = layout(Shape::Few, 1000);
        assert_eq!(notes_per_folder(&few), vec![250; 4]);
        assert_eq!(few.note_path(250), "002-section-2/00001-note-250.md");
    }

    #[test]
    fn many_is_a_hundred_sections_at_every_size() {
        assert_eq!(notes_per_folder(&layout(Shape::Many, 1000)), vec![10; 100]);
        assert_eq!(
            notes_per_folder(&layout(Shape::Many, 10_000)),
            vec![100; 100]
        );
    }

    #[test]
    fn nested_is_three_levels_with_notes_below_the_sections() {
        let nested = layout(Shape::Nested, 1000);
        let depth = |d: usize| nested.folders.iter().filter(|f| f.depth == d).count();
        assert_eq!((depth(1), depth(2), depth(3)), (4, 40, 36));
        for folder in &nested.folders {
            let parent = folder.parent.map(|p| &nested.folders[p]);
            assert_eq!(folder.depth, parent.map_or(1, |p| p.depth + 1));
            // A note-holding folder has between 13 and 14 of the 1,000 notes (76 folders).
            let expected = if folder.depth == 1 { 0..=0 } else { 13..=14 };
            assert!(expected.contains(&folder.notes.len()), "{folder:?}");
        }
        let total: usize = notes_per_folder(&nested).iter().sum();
        assert_eq!(total, 1000);
    }

    #[test]
    fn links_climb_out_of_nested_folders() {
        let nested = layout(Shape::Nested, 1000);
        let deep = (0..1000).find(|&n| nested.folders[nested.folder_of(n)].depth == 3);
        let deep = deep.expect("subtopics hold notes");
        assert_eq!(
            nested.relative_link(deep, 0),
            "../../01-topic-1/00001-note-0.md"
        );
        assert_eq!(nested.relative_link(0, 1), "00002-note-1.md");
        assert_eq!(
            nested.first_note(),
            (
                PathBuf::from("content/001-section-1/01-topic-1/00001-note-0.md"),
                "/section-1/topic-1/note-0/".to_string()
            )
        );
    }
}
