//! Writes one corpus three ways from the same notes and [`Layout`]: a studysite
//! site, a Hugo site and an mdBook book, with the same folder tree.
//!
//! - studysite and Hugo read `content/`, with an `_index.md` in every folder
//!   (Hugo makes a folder a nested section only when it has one);
//! - mdBook reads `src/`, with a `README.md` in every folder and every chapter
//!   in `SUMMARY.md`, nested as the folders are.

use std::fs;
use std::path::Path;

use crate::corpus::Note;
use crate::shape::Layout;

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

/// Writes `content/`: the home page, each folder's `_index.md` (front matter from
/// `folder_matter`, given the folder's index) and the notes, with TOML front
/// matter both tools read.
fn write_content(
    root: &Path,
    layout: &Layout,
    notes: &[Note],
    folder_matter: impl Fn(usize) -> String,
) -> std::io::Result<()> {
    write(
        &root.join("content/_index.md"),
        "+++\ntitle = \"Synthetic corpus\"\n+++\nGenerated notes.\n",
    )?;
    for (f, folder) in layout.folders.iter().enumerate() {
        let path = root.join(format!("content/{}/_index.md", folder.dir));
        write(&path, &format!("+++\n{}+++\n", folder_matter(f)))?;
    }
    for (n, note) in notes.iter().enumerate() {
        write(
            &root.join(format!("content/{}", layout.note_path(n))),
            &format!("+++\ntitle = \"{}\"\n+++\n\n{}", note.title, note.body),
        )?;
    }
    Ok(())
}

/// Writes the corpus as a studysite site in `root`. Top-level sections share the
/// mock exam's weight; sub-folders take none (studysite reads top-level weights only).
pub(crate) fn write_studysite(root: &Path, layout: &Layout, notes: &[Note]) -> std::io::Result<()> {
    write(
        &root.join("site.toml"),
        "title = \"Synthetic corpus\"\nbase_url = \"/\"\n",
    )?;
    let weight = 100 / layout.children(None).count().max(1);
    write_content(root, layout, notes, |f| {
        let folder = &layout.folders[f];
        match folder.parent {
            None => format!("title = \"{}\"\nweight = {weight}\n", folder.title),
            Some(_) => format!("title = \"{}\"\n", folder.title),
        }
    })
}

/// Hugo's page frame, bounded as studysite's sidebar is: the top-level sections
/// and the previous and next page of the current section. (Listing every page of
/// the section, as both once did, makes Hugo's pages grow with the section: on
/// 10,000 notes in 4 sections it wrote 1,969 MB in 95 s, against 145 MB in
/// 23–32 s with this frame.)
const HUGO_BASEOF: &str = "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><nav><ul>{{ range .Site.Sections }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ with .PrevInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</nav><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n";

/// Writes the same notes as a Hugo site with minimal templates and a section nav.
pub(crate) fn write_hugo(root: &Path, layout: &Layout, notes: &[Note]) -> std::io::Result<()> {
    write(&root.join("hugo.toml"), "baseURL = \"/\"\ntitle = \"Synthetic corpus\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\"]\n[markup.goldmark.renderer]\nunsafe = true\n")?;
    write(&root.join("layouts/_default/baseof.html"), HUGO_BASEOF)?;
    write(
        &root.join("layouts/_default/single.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}{{ end }}\n",
    )?;
    write(&root.join("layouts/_default/list.html"), "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n")?;
    write_content(root, layout, notes, |f| {
        format!("title = \"{}\"\n", layout.folders[f].title)
    })
}

/// Writes the same notes as an mdBook book: every chapter in `SUMMARY.md`, as
/// mdBook needs, each folder a chapter whose notes and sub-folders nest below it.
pub(crate) fn write_mdbook(root: &Path, layout: &Layout, notes: &[Note]) -> std::io::Result<()> {
    write(
        &root.join("book.toml"),
        "[book]\ntitle = \"Synthetic corpus\"\n\n[output.html.search]\nenable = true\n",
    )?;
    let mut summary = String::from("# Summary\n\n");
    for section in layout.children(None) {
        summarise(layout, notes, section, &mut summary);
    }
    write(&root.join("src/SUMMARY.md"), &summary)?;
    for folder in &layout.folders {
        write(
            &root.join(format!("src/{}/README.md", folder.dir)),
            &format!("# {}\n", folder.title),
        )?;
    }
    for (n, note) in notes.iter().enumerate() {
        write(
            &root.join(format!("src/{}", layout.note_path(n))),
            &format!("# {}\n\n{}", note.title, note.body),
        )?;
    }
    Ok(())
}

/// Appends folder `f`'s `SUMMARY.md` entries: the folder, then its notes and
/// sub-folders one level deeper.
fn summarise(layout: &Layout, notes: &[Note], f: usize, summary: &mut String) {
    let folder = &layout.folders[f];
    let indent = "  ".repeat(folder.depth - 1);
    summary.push_str(&format!(
        "{indent}- [{}]({}/README.md)\n",
        folder.title, folder.dir
    ));
    for n in folder.notes.clone() {
        summary.push_str(&format!(
            "{indent}  - [{}]({})\n",
            notes[n].title,
            layout.note_path(n)
        ));
    }
    for child in layout.children(Some(f)) {
        summarise(layout, notes, child, summary);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::generate;
    use crate::shape::{CorpusOptions, Shape, Words};

    fn nested() -> (Layout, Vec<Note>) {
        let options = CorpusOptions {
            shape: Shape::Nested,
            words: Words::Short,
            notes: 200,
            seed: 42,
        };
        let layout = Layout::new(&options);
        let notes = generate(&options, &layout);
        (layout, notes)
    }

    /// Every folder below `dir`, at any depth.
    fn folders(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut found = Vec::new();
        for entry in fs::read_dir(dir).expect("readable") {
            let path = entry.expect("readable").path();
            if path.is_dir() {
                found.extend(folders(&path));
                found.push(path);
            }
        }
        found
    }

    #[test]
    fn every_nested_folder_has_an_index_and_notes_sit_three_deep() {
        let (layout, notes) = nested();
        for (write, index) in [
            (
                write_studysite as fn(&Path, &Layout, &[Note]) -> _,
                "_index.md",
            ),
            (write_hugo, "_index.md"),
        ] {
            let root = tempfile::tempdir().expect("a temporary folder");
            write(root.path(), &layout, &notes).expect("written");
            let content = root.path().join("content");
            let all = folders(&content);
            assert_eq!(all.len(), layout.folders.len());
            for folder in &all {
                assert!(folder.join(index).is_file(), "{}", folder.display());
            }
            let deepest = all.iter().map(|f| {
                f.strip_prefix(&content)
                    .expect("inside")
                    .components()
                    .count()
            });
            assert_eq!(deepest.max(), Some(3));
        }
    }

    #[test]
    fn mdbook_summary_nests_as_the_folders() {
        let (layout, notes) = nested();
        let root = tempfile::tempdir().expect("a temporary folder");
        write_mdbook(root.path(), &layout, &notes).expect("written");
        let summary = fs::read_to_string(root.path().join("src/SUMMARY.md")).expect("written");
        let topic = "  - [Topic 1.3](001-section-1/03-topic-3/README.md)\n";
        let subtopic = "    - [Subtopic 1.3.1](001-section-1/03-topic-3/01-subtopic-1/README.md)\n";
        assert!(summary.contains(topic), "{summary}");
        assert!(summary.contains(subtopic), "{summary}");
        // Each note is listed once, and its file exists.
        for n in 0..notes.len() {
            let path = layout.note_path(n);
            assert_eq!(summary.matches(&format!("]({path})")).count(), 1);
            assert!(root.path().join("src").join(&path).is_file());
        }
    }
}
