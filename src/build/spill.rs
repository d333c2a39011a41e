//! A clean build of a large site moves what each note holds (its HTML,
//! flashcard backs and section texts: 397 MB at 10,000 long notes) out of memory
//! as soon as the note is rendered, into an unnamed scratch file beside the
//! output; each part is read back when it is unpacked (`markdown/packed.rs`).
//! The file costs the build's memory nothing: the system keeps it in its page
//! cache, which it may write out and reuse, and deletes it when the build ends.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::content::model::SiteModel;
use crate::error::{Error, Result};
use crate::markdown::packed::Spiller;
use crate::markdown::RenderedNote;

/// From this much Markdown (about 1,500 long notes) a site is large: a clean
/// build spills its notes' parts, and makes its stages one after the other
/// (`build/render.rs`), and `serve` compresses the parts it keeps. A
/// small site's build takes the speed instead: at 1,000 long notes (10 MB),
/// compressing took 7% of its CPU (perf), and making the search index beside
/// the practice pages saved 7% of its time, for 36 MiB more at its peak (164 MiB).
const LARGE_SITE_SOURCE_BYTES: usize = 16 << 20;

/// Whether `model` is a large site's.
pub(crate) fn is_large(model: &SiteModel) -> bool {
    let source_bytes: usize = model.pages.iter().map(|page| page.file.text.len()).sum();
    source_bytes >= LARGE_SITE_SOURCE_BYTES
}

/// The scratch file of one build, written by the Markdown stage's threads.
pub(crate) struct Spill {
    spiller: Mutex<Spiller>,
    dir: PathBuf,
}

impl Spill {
    /// A spill into a new scratch file in `dir`, which is made if need be (the
    /// output's parent, which the build would make for its staging folder).
    pub(crate) fn in_dir(dir: &Path) -> Result<Spill> {
        let made = std::fs::create_dir_all(dir).and_then(|()| Spiller::new(dir));
        let spiller = made.map_err(|e| Error::io(dir, e))?;
        Ok(Spill {
            spiller: Mutex::new(spiller),
            dir: dir.to_path_buf(),
        })
    }

    /// Moves the parts that `note` alone holds to the file.
    pub(crate) fn note(&self, note: &mut RenderedNote) -> Result<()> {
        let mut spiller = self.spiller.lock().unwrap_or_else(|e| e.into_inner());
        for part in note.held_parts() {
            part.spill(&mut spiller)
                .map_err(|e| Error::io(&self.dir, e))?;
        }
        Ok(())
    }

    /// Ends the writing; only then may the spilled parts be read.
    pub(crate) fn finish(self) -> Result<()> {
        let spiller = self.spiller.into_inner().unwrap_or_else(|e| e.into_inner());
        spiller.finish().map_err(|e| Error::io(&self.dir, e))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::markdown::packed::{PackedHtml, PackedTexts};
    use crate::markdown::question_headings::QuestionBack;
    use crate::markdown::TextSection;

    fn note(n: usize) -> RenderedNote {
        let back = |i| QuestionBack {
            heading: i,
            html: Arc::new(PackedHtml::new(format!("<p>Back {i} of note {n}.</p>"))),
        };
        RenderedNote {
            html: PackedHtml::new(format!("<h2>Note {n}</h2>{}", "<p>text</p>".repeat(n))),
            sections: PackedTexts::new(&[TextSection {
                heading: Some(0),
                text: format!("Text of note {n}."),
            }]),
            question_backs: (0..n).map(back).collect(),
            ..RenderedNote::default()
        }
    }

    type Contents = (String, Vec<TextSection>, Vec<String>);

    fn contents(note: &RenderedNote) -> Contents {
        let backs = note.question_backs.iter().map(|b| b.html.unpack());
        (note.html.unpack(), note.sections.unpack(), backs.collect())
    }

    fn spilled(note: &RenderedNote) -> Vec<bool> {
        let backs = note.question_backs.iter().map(|b| b.html.is_spilled());
        let parts = [note.html.is_spilled(), note.sections.texts.is_spilled()];
        parts.into_iter().chain(backs).collect()
    }

    #[test]
    fn spilled_notes_read_back_as_they_were() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("not/made/yet");
        let mut notes: Vec<RenderedNote> = (0..6).map(note).collect();
        // A back that someone else holds too (serve's cache) is left as it is,
        // and so is a part `serve` keeps compressed.
        let shared = Arc::clone(&notes[4].question_backs[0].html);
        notes[3].html = PackedHtml::new("<p>A short note.</p>");
        notes[5].held_parts().for_each(PackedHtml::compress);
        let before: Vec<Contents> = notes.iter().map(contents).collect();

        let spill = Spill::in_dir(&dir).unwrap();
        for note in &mut notes {
            spill.note(note).unwrap();
        }
        spill.finish().unwrap();

        let after: Vec<Contents> = notes.iter().map(contents).collect();
        assert_eq!(after, before);
        assert!(notes[..4].iter().flat_map(spilled).all(|s| s));
        assert_eq!(spilled(&notes[4]), [true, true, false, true, true, true]);
        assert!(!shared.is_spilled());
        assert!(!spilled(&notes[5]).iter().any(|&s| s));
        let names = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(names, 0, "the scratch file has no name");
    }

    #[test]
    #[should_panic(expected = "only once the spill is finished")]
    fn a_part_is_not_read_before_the_spill_is_finished() {
        let dir = tempfile::tempdir().unwrap();
        let mut note = note(2);
        let spill = Spill::in_dir(dir.path()).unwrap();
        spill.note(&mut note).unwrap();
        note.html.unpack();
    }

    #[test]
    fn a_scratch_file_that_cannot_be_made_is_an_error_naming_its_folder() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        let Err(error) = Spill::in_dir(&file.join("site")) else {
            panic!("a folder was made under a file");
        };
        assert!(error.to_string().contains("a-file/site"), "{error}");
    }
}
