//! The benchmark's flags.

use std::path::PathBuf;

use crate::shape::{CorpusOptions, Shape, Words};

/// The seed of every corpus, so that runs on different days build the same notes.
const SEED: u64 = 42;

pub(crate) const USAGE: &str = "flags: --notes 1000,10000 --shape few,many,nested \
--words long|short|both --runs 5 --tools studysite,hugo,mdbook --out DIR --no-serve";

/// What to run, from the command line.
#[derive(Debug)]
pub(crate) struct Options {
    pub(crate) notes: Vec<usize>,
    pub(crate) shapes: Vec<Shape>,
    pub(crate) words: Vec<Words>,
    pub(crate) runs: usize,
    pub(crate) tools: Vec<String>,
    pub(crate) out: PathBuf,
    pub(crate) serve: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            notes: vec![1000, 10_000],
            shapes: Shape::ALL.to_vec(),
            words: vec![Words::Long],
            runs: 5,
            tools: vec!["studysite".into(), "hugo".into(), "mdbook".into()],
            out: PathBuf::from("target/bench"),
            serve: true,
        }
    }
}

impl Options {
    /// Parses the flags after the program name.
    pub(crate) fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
        let mut options = Options::default();
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let mut value = || args.next().ok_or(format!("{flag} needs a value"));
            match flag.as_str() {
                "--notes" => {
                    let counts = list(&value()?, |n| n.parse::<usize>().ok(), "--notes")?;
                    options.notes = counts.into_iter().filter(|&n| n > 0).collect();
                }
                "--shape" => options.shapes = list(&value()?, Shape::parse, "--shape")?,
                "--words" => {
                    let value = value()?;
                    options.words = Words::parse_list(&value)
                        .ok_or(format!("--words: `{value}` is not long, short or both"))?;
                }
                "--runs" => options.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
                "--tools" => options.tools = value()?.split(',').map(str::to_string).collect(),
                "--out" => options.out = PathBuf::from(value()?),
                "--no-serve" => options.serve = false,
                other => return Err(format!("unknown flag {other}; {USAGE}")),
            }
        }
        if options.runs == 0 {
            return Err("--runs: at least 1".into());
        }
        Ok(options)
    }

    /// Every corpus to time: each size, in each shape, with each note length.
    pub(crate) fn corpora(&self) -> Vec<CorpusOptions> {
        let mut corpora = Vec::new();
        for &notes in &self.notes {
            for &shape in &self.shapes {
                for &words in &self.words {
                    let corpus = CorpusOptions {
                        shape,
                        words,
                        notes,
                        seed: SEED,
                    };
                    // A size or shape named twice is timed once.
                    if !corpora
                        .iter()
                        .any(|c: &CorpusOptions| c.label() == corpus.label())
                    {
                        corpora.push(corpus);
                    }
                }
            }
        }
        corpora
    }
}

/// Parses a comma-separated list, naming `flag` and the bad item on error.
fn list<T>(value: &str, parse: impl Fn(&str) -> Option<T>, flag: &str) -> Result<Vec<T>, String> {
    value
        .split(',')
        .map(|item| parse(item.trim()).ok_or(format!("{flag}: `{}` is not allowed", item.trim())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        Options::parse(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn shapes_and_words_multiply_the_sizes() {
        let options = parse(&[
            "--notes",
            "1000",
            "--shape",
            "few,nested",
            "--words",
            "both",
        ]);
        let labels: Vec<String> = options
            .expect("valid flags")
            .corpora()
            .iter()
            .map(CorpusOptions::label)
            .collect();
        assert_eq!(
            labels,
            [
                "1000-few-long",
                "1000-few-short",
                "1000-nested-long",
                "1000-nested-short"
            ]
        );
    }

    #[test]
    fn defaults_are_every_shape_with_long_notes() {
        let options = parse(&[]).expect("no flags is valid");
        assert_eq!(options.shapes, Shape::ALL);
        assert_eq!(options.words, [Words::Long]);
    }

    #[test]
    fn bad_values_name_the_flag() {
        assert_eq!(
            parse(&["--shape", "few,deep"]).unwrap_err(),
            "--shape: `deep` is not allowed"
        );
        assert_eq!(
            parse(&["--words", "medium"]).unwrap_err(),
            "--words: `medium` is not long, short or both"
        );
    }
}
