//! Cram sheets: what a section's sheet and the site's `/cram/` hold, where they
//! are linked from, and `/cram/` linking the section sheets on a large site.

use crate::harness::{select, SiteTest};

const STORAGE: &str = "# S3\n\n## What is Amazon S3?\n\n\
Amazon S3 is object storage. It keeps any amount of data.\n\n\
> [!TIP] Cheap archives\n> Glacier costs a fraction of S3 Standard.\n\n\
## Classes\n\n\
> [!MNEMONIC] Some Go Deep\n> - **S**tandard\n> - **G**lacier\n> - **D**eep Archive\n\n\
> [!WARNING]\n> One Zone-IA loses data when its zone fails.\n\n\
> [!NOTE] Not on the sheet\n> Notes are left out.\n\n\
> [!QUIZ] Which class is the cheapest?\n> - [x] Deep Archive\n> - [ ] Standard\n";

const SECURITY: &str = "# IAM\n\n## What are IAM roles?\n\n\
IAM roles hand out temporary credentials. They have no password.\n\n\
> [!IMPORTANT] Root user\n> Lock the root user away.\n";

fn site() -> SiteTest {
    SiteTest::files(&[
        (
            "content/01-storage/_index.md",
            "+++\ntitle = \"Storage\"\n+++\n",
        ),
        ("content/01-storage/s3.md", STORAGE),
        (
            "content/02-security/_index.md",
            "+++\ntitle = \"Security\"\n+++\n",
        ),
        ("content/02-security/iam.md", SECURITY),
    ])
}

#[test]
fn a_section_sheet_holds_its_mnemonics_key_points_and_questions_linked_to_their_notes() {
    let built = site().build();
    let sheet = "/storage/cram/";
    assert_eq!(built.texts(sheet, "h1"), ["Storage: cram sheet"]);
    // The expansion is on the page, not behind a "test yourself" toggle.
    assert!(select(&built.page(sheet), "details").is_empty());
    assert_eq!(
        built.texts(sheet, ".callout-mnemonic .mnemonic-item"),
        ["Standard", "Glacier", "Deep Archive"]
    );
    assert_eq!(
        built.links(sheet, ".callout-mnemonic .cram-source a", "href"),
        ["/storage/s3/#classes"]
    );
    // Tips and warnings in source order; notes and quizzes are left out.
    assert_eq!(
        built.texts(
            sheet,
            ".cram-item.callout:not(.callout-mnemonic) .callout-title-text"
        ),
        ["Cheap archives", "Warning"]
    );
    assert_eq!(
        built.texts(sheet, ".callout-tip .callout-body p:first-child"),
        ["Glacier costs a fraction of S3 Standard."]
    );
    assert_eq!(
        built.links(sheet, ".callout-tip .cram-source a", "href"),
        ["/storage/s3/#what-is-amazon-s3"]
    );
    // Each question heading with the first sentence of its answer.
    assert_eq!(
        built.texts(sheet, ".cram-question dt"),
        ["What is Amazon S3?"]
    );
    assert_eq!(
        built.texts(sheet, ".cram-question dd"),
        ["Amazon S3 is object storage."]
    );
    assert_eq!(
        built.links(sheet, ".cram-question dt a", "href"),
        ["/storage/s3/#what-is-amazon-s3"]
    );
    assert!(built
        .texts(sheet, "main")
        .concat()
        .find("Root user")
        .is_none());
}

#[test]
fn sheets_are_linked_from_their_section_and_the_site_sheet_from_the_sidebar() {
    let built = site().build();
    assert_eq!(
        built.links("/storage/", ".practice-links a", "href"),
        ["/storage/quiz/", "/storage/flashcards/", "/storage/cram/"]
    );
    assert_eq!(
        built.links("/storage/s3/", ".nav-tools a", "href"),
        ["/mnemonics/", "/cram/"]
    );
    // A small site's /cram/ holds every section's sheet.
    assert_eq!(
        built.texts("/cram/", ".cram-group h2"),
        ["Storage", "Security"]
    );
    assert_eq!(
        built.texts("/cram/", ".callout-important .callout-title-text"),
        ["Root user"]
    );
    assert!(select(&built.page("/cram/"), ".cram-sheets").is_empty());
}

#[test]
fn a_large_site_sheet_links_the_section_sheets_instead_of_holding_them() {
    let tips = |n: usize| -> String {
        (0..n)
            .map(|i| format!("> [!TIP] Tip {i}\n> Remember {i}.\n\n"))
            .collect()
    };
    let (a, b) = (tips(250), tips(151));
    let site = SiteTest::files(&[
        ("content/01-one/a.md", &format!("# A\n\n{a}")),
        ("content/02-two/b.md", &format!("# B\n\n{b}")),
        (
            "content/top.md",
            "# Top\n\n> [!WARNING] Outside\n> Any section.\n",
        ),
    ]);
    let built = site.build();
    // A section's sheet is paged too: 200 items a page.
    assert_eq!(built.texts("/one/cram/", ".callout-tip").len(), 200);
    assert_eq!(built.texts("/one/cram/page/2/", ".callout-tip").len(), 50);
    assert_eq!(
        built.links("/cram/", ".cram-sheets a", "href"),
        ["/one/cram/", "/two/cram/"]
    );
    assert_eq!(
        built.texts("/cram/", ".cram-sheets .section-count"),
        ["250 items", "151 items"]
    );
    // Only the notes outside any section, which have no sheet of their own.
    assert_eq!(
        built.texts("/cram/", ".cram-item .callout-title-text"),
        ["Outside"]
    );
}

#[test]
fn a_site_with_nothing_to_cram_has_no_sheet() {
    let built = SiteTest::files(&[("content/a/plain.md", "# Plain\n\nJust text.\n")]).build();
    assert!(!built.exists("cram/index.html"));
    assert!(!built.exists("a/cram/index.html"));
    assert!(select(&built.page("/a/plain/"), ".nav-tools").is_empty());
}
