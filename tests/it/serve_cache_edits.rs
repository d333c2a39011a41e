//! The edits a learner-author makes, on a site with every kind of practice
//! material (question and card banks among them): after each one, a cached rebuild (as `serve` does it) equals a
//! clean build of the same tree byte for byte, and the preview of an edited
//! note's page, where the rebuild keeps its sidebar, is the rebuild's page.

use std::path::Path;

use std::sync::Mutex;

use studysite::build::{build_previewed, BuildCache, OutputFile};
use studysite::{BuildOptions, OutputTarget};

use crate::harness::SiteTest;
use crate::serve_cache::{clean_build, differences, heading_partial_with_class};

const MNEMONIC: &str = "\n## Pillars\n\n> [!MNEMONIC] Oranges Sometimes Come Poorly Ripened\n\
> - **O**perational excellence\n> - **S**ecurity\n> - **C**ost optimisation\n\
> - **P**erformance efficiency\n> - **R**eliability\n\n> [!TIP] Sign-in\n> Use MFA on the root user.\n";

/// The quiz fixture (QUIZ callouts, question headings, two weighted sections)
/// plus a mnemonic and a tip (for the cram sheets), an image asset, a block id, a
/// video and a page template override.
fn practice_site() -> SiteTest {
    let site = SiteTest::fixture("quiz");
    let iam = site.read_file("content/02-security/01-iam.md");
    site.write("content/02-security/01-iam.md", iam + MNEMONIC);
    site.write(
        "content/01-storage/img/bucket.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let s3 = site.read_file("content/01-storage/01-s3.md");
    site.write(
        "content/01-storage/01-s3.md",
        s3 + "\n![A bucket](img/bucket.svg)\n\nBuckets hold objects. ^bucket-fact\n\n![S3](https://youtu.be/abc)\n",
    );
    let page = read_theme("templates/page.html");
    site.write(
        "templates/page.html",
        page.replacen("<article", "<article data-override=\"1\"", 1),
    );
    site
}

fn read_theme(path: &str) -> String {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    std::fs::read_to_string(theme.join(path)).expect("theme file")
}

/// Replaces `from` by `to` in the site file at `path`; the text must be there.
fn replace(site: &SiteTest, path: &str, from: &str, to: &str) {
    let text = site.read_file(path);
    assert!(text.contains(from), "{path} holds {from:?}");
    site.write(path, text.replacen(from, to, 1));
}

#[test]
fn every_author_edit_rebuilds_to_what_a_clean_build_makes() {
    let site = practice_site();
    let options = BuildOptions {
        target: OutputTarget::Memory,
        ..BuildOptions::new(site.root())
    };
    let s3 = "content/01-storage/01-s3.md";
    let iam = "content/02-security/01-iam.md";
    let (csv, cards) = (
        "content/01-storage/04-bank.questions.csv",
        "content/02-security/deck.cards.txt",
    );
    let steps: [(&str, &dyn Fn()); 22] = [
        ("first build", &|| {}),
        ("edit a quiz option", &|| {
            replace(
                &site,
                s3,
                "- [ ] Amazon EFS\n>\n> S3",
                "- [ ] Amazon FSx\n>\n> S3",
            )
        }),
        ("edit a mnemonic item", &|| {
            replace(&site, iam, "**S**ecurity", "**S**ecurity first")
        }),
        ("edit a tip", &|| {
            replace(&site, iam, "Use MFA", "Turn on MFA")
        }),
        ("edit a flashcard answer", &|| {
            replace(
                &site,
                iam,
                "stateful virtual firewalls",
                "stateful firewalls",
            )
        }),
        ("edit a section title and weight", &|| {
            site.write(
                "content/01-storage/_index.md",
                "+++\ntitle = \"Storage Services\"\nweight = 55\n+++\n",
            )
        }),
        ("rename a section folder", &|| {
            std::fs::rename(
                site.root().join("content/02-security"),
                site.root().join("content/02-identity"),
            )
            .expect("rename")
        }),
        ("change the quiz seed", &|| {
            replace(&site, "site.toml", "seed = 7", "seed = 8")
        }),
        ("delete a note", &|| {
            std::fs::remove_file(site.root().join("content/01-storage/02-glacier.md"))
                .expect("delete")
        }),
        ("add a note", &|| {
            site.write(
                "content/01-storage/03-efs.md",
                "# EFS\n\n## What is Amazon FSx?\n\nAmazon FSx is managed file storage for Windows and Lustre workloads.\n",
            )
        }),
        ("add a question bank and a card bank", &|| {
            site.write(csv, "Which stores objects?,EBS|S3,B,S3 does.\n");
            site.write(cards, "IAM\tIdentity and access management\n");
        }),
        ("edit a bank row's answer", &|| {
            replace(
                &site,
                csv,
                "EBS|S3,B,S3 does.",
                "EBS|S3|EFS,B,S3 stores objects.",
            )
        }),
        ("give a bank a title", &|| {
            let text = site.read_file(csv);
            site.write(csv, format!("# Storage drill\n{text}"));
        }),
        ("edit a card's back", &|| {
            replace(
                &site,
                cards,
                "access management",
                "access management (global)",
            )
        }),
        ("edit a partial", &|| {
            site.write(
                "templates/partials/heading_anchor.html",
                heading_partial_with_class(),
            )
        }),
        ("edit the block anchor partial", &|| {
            site.write(
                "templates/partials/block_anchor.html",
                "<span class=\"block-anchor edited\" id=\"{{ id }}\"></span>",
            )
        }),
        ("edit the video partial", &|| {
            let text = read_theme("templates/partials/video.html");
            site.write(
                "templates/partials/video.html",
                format!("{{# edited #}}<span class=\"edited\"></span>{text}"),
            )
        }),
        ("edit the quiz question partial", &|| {
            let text = read_theme("templates/partials/quiz_question.html");
            site.write(
                "templates/partials/quiz_question.html",
                format!("{{# edited #}}\n{text}"),
            )
        }),
        ("edit the mnemonic expansion partial", &|| {
            let text = read_theme("templates/partials/mnemonic_pairs.html");
            site.write(
                "templates/partials/mnemonic_pairs.html",
                format!("{{# edited #}}\n{text}"),
            )
        }),
        ("edit CSS", &|| {
            site.write(
                "static/css/style.css",
                read_theme("static/css/style.css") + "\n.edited { color: inherit; }\n",
            )
        }),
        ("edit an asset", &|| {
            site.write(
                "content/01-storage/img/bucket.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"/>",
            )
        }),
        ("edit the page template override", &|| {
            replace(
                &site,
                "templates/page.html",
                "data-override=\"1\"",
                "data-override=\"2\"",
            )
        }),
    ];
    // Edits of a note's text, which keep its sidebar: their preview is the final page.
    let previewed_as_final = [
        "edit a quiz option",
        "edit a mnemonic item",
        "edit a tip",
        "edit a flashcard answer",
        "edit a bank row's answer",
        "edit a card's back",
    ];
    // Pages or sections that come, go or move: the last kit no longer fits.
    let not_previewed = [
        "rename a section folder",
        "delete a note",
        "add a note",
        "add a question bank and a card bank",
    ];
    let cache = BuildCache::new();
    for (step, edit) in steps {
        edit();
        let previews = Mutex::new(Vec::new());
        let collect = |files: Vec<OutputFile>| previews.lock().unwrap().extend(files);
        let (_, cached) = build_previewed(&options, &cache, &collect).expect(step);
        let previews = previews.into_inner().unwrap();
        if previewed_as_final.contains(&step) {
            assert_eq!(previews.len(), 1, "{step}: the edited note's page");
            let page = cached.files.iter().find(|f| f.path == previews[0].path);
            assert_eq!(page, Some(&previews[0]), "{step}");
        }
        if not_previewed.contains(&step) {
            assert_eq!(previews, [], "{step}");
        }
        let clean = clean_build(site.root());
        for preview in &previews {
            let path = &preview.path;
            assert!(
                clean.files.iter().any(|f| &f.path == path),
                "{step}: {path}"
            );
        }
        assert!(clean.files.len() > 30, "{step}: a full site");
        let has = |path: &str| clean.files.iter().any(|f| f.path == path);
        assert!(
            has("cram/index.html") && has("flashcards/storage.anki.txt"),
            "{step}"
        );
        assert_eq!(differences(&cached, &clean), Vec::<String>::new(), "{step}");
    }
}
