//! Obsidian vaults build as they are: wikilinks and embeds found by name, Obsidian's
//! callout kinds, comments, highlights, and the `.obsidian/` folder left out.

use crate::harness::SiteTest;

/// A small vault: notes in two folders, an attachments folder, and Obsidian's own folder.
fn vault() -> SiteTest {
    SiteTest::files(&[
        (
            "content/security/IAM.md",
            "---\naliases: [Identity, \"Access management\"]\n---\n# IAM\n\n## Users and groups\n\nText.\n",
        ),
        (
            "content/notes/home.md",
            "# Home\n\n\
             Plain [[IAM]], text [[IAM|the IAM page]], heading [[IAM#Users and groups]], \
             alias [[identity]], local [[#Local part]], path [[security/IAM]].\n\n\
             ## Local part\n\n\
             ![[diagram.png]] ![[diagram.png|200]] ![[diagram.png|A diagram|120x80]]\n\n\
             `[[IAM]]` stays code.\n",
        ),
        ("content/attachments/diagram.png", "png"),
        ("content/.obsidian/app.json", "{}"),
        ("content/.obsidian/notes.md", "# Settings note\n"),
        ("content/.trash/old.md", "# Old\n"),
    ])
}

#[test]
fn wikilinks_resolve_by_name_alias_path_and_heading() {
    let built = vault().build();
    let hrefs = built.links("/notes/home/", ".content p a", "href");
    assert_eq!(
        hrefs,
        [
            "/security/iam/",
            "/security/iam/",
            "/security/iam/#users-and-groups",
            "/security/iam/",
            "#local-part",
            "/security/iam/",
        ]
    );
    let texts = built.texts("/notes/home/", ".content p a");
    assert_eq!(
        texts,
        [
            "IAM",
            "the IAM page",
            "IAM > Users and groups",
            "identity",
            "Local part",
            "security/IAM",
        ]
    );
    assert_eq!(built.texts("/notes/home/", ".content p code"), ["[[IAM]]"]);
}

#[test]
fn embeds_find_images_in_any_folder_with_their_size() {
    let built = vault().build();
    let page = "/notes/home/";
    let img = ".content img";
    assert_eq!(
        built.links(page, img, "src"),
        ["/attachments/diagram.png"; 3]
    );
    assert_eq!(built.attrs(page, img, "width"), ["200", "120"]);
    assert_eq!(built.attrs(page, img, "height"), ["80"]);
    assert_eq!(
        built.attrs(page, img, "alt"),
        ["diagram.png", "diagram.png", "A diagram"]
    );
    assert!(built.exists("attachments/diagram.png"));
}

#[test]
fn dot_folders_are_never_published() {
    let built = vault().build();
    assert!(!built.exists(".obsidian/app.json"));
    assert!(
        built.html_files().iter().all(|f| !f.contains("obsidian")
            && !f.contains("trash")
            && !f.contains("settings-note")),
        "{:?}",
        built.html_files()
    );
    assert!(!built.read("sitemap.xml").contains("old"));
}

#[test]
fn a_vault_checks_clean() {
    let run = vault().cli(&["check"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn missing_and_ambiguous_targets_are_warned_at_their_line_and_fail_check() {
    let site = SiteTest::files(&[
        (
            "content/x/one.md",
            "# One\n\nA [[Nowhere]] link.\n\nTwo [[Twin]] here, ![[gone.png]].\n\n[[Real#No such heading]]\n",
        ),
        ("content/a/Twin.md", "# Twin A\n"),
        ("content/b/Twin.md", "# Twin B\n"),
        ("content/x/Real.md", "# Real\n\n## Heading\n"),
    ]);
    let built = site.build();
    assert_eq!(
        built.texts("/x/one/", ".content p a"),
        ["Twin", "Real > No such heading"]
    );
    assert_eq!(
        built.links("/x/one/", ".content p a", "href")[0],
        "/a/twin/"
    );
    let run = site.cli(&["check"]);
    assert_eq!(run.status, 1, "{}", run.stdout);
    run.expect_stderr(
        "error: broken wikilink `[[Nowhere]]`: no note or file of that name\n  --> content/x/one.md:3:3",
    );
    run.expect_stderr("help: wikilinks name a note or file anywhere under content/");
    run.expect_stderr(
        "error: ambiguous wikilink `[[Twin]]`: 2 files of that name are equally near; linked to content/a/Twin.md\n  --> content/x/one.md:5:5",
    );
    run.expect_stderr("help: add the folder to the link");
    run.expect_stderr("error: broken embed `[[gone.png]]`: no note or file of that name\n  --> content/x/one.md:5:");
    run.expect_stderr("error: broken anchor `[[Real#No such heading]]`: content/x/Real.md has no heading `#no-such-heading`\n  --> content/x/one.md:7:1");
}

#[test]
fn a_name_in_the_linking_notes_folder_wins_then_the_shortest_path() {
    let site = SiteTest::files(&[
        ("content/a/one.md", "# One\n\n[[Twin]] and [[Deep]]\n"),
        ("content/a/Twin.md", "# Near\n"),
        ("content/b/Twin.md", "# Far\n"),
        ("content/b/Deep.md", "# Shallow\n"),
        ("content/b/c/Deep.md", "# Deeper\n"),
    ]);
    let run = site.cli(&["check"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let built = site.build();
    assert_eq!(
        built.links("/a/one/", ".content p a", "href"),
        ["/a/twin/", "/b/deep/"]
    );
}

#[test]
fn obsidian_callout_kinds_map_onto_ours() {
    let markers = [
        ("info", "note"),
        ("todo", "note"),
        ("hint", "tip"),
        ("attention", "warning"),
        ("caution", "caution"),
        ("tldr", "abstract"),
        ("summary", "abstract"),
        ("done", "success"),
        ("check", "success"),
        ("FAQ", "question"),
        ("help", "question"),
        ("fail", "failure"),
        ("missing", "failure"),
        ("error", "danger"),
        ("danger", "danger"),
        ("bug", "bug"),
        ("example", "example"),
        ("cite", "quote"),
        ("quote", "quote"),
    ];
    let body: String = markers
        .iter()
        .map(|(marker, _)| format!("> [!{marker}] Title\n> Body.\n\n"))
        .collect();
    let site = SiteTest::files(&[("content/a/one.md", &format!("# One\n\n{body}"))]);
    let built = site.build();
    let classes = built.attrs("/a/one/", ".content .callout", "class");
    let expected: Vec<String> = markers
        .iter()
        .map(|(_, kind)| format!("callout callout-{kind}"))
        .collect();
    assert_eq!(classes, expected);
    let run = site.cli(&["check"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let css = built.read("css/style.css");
    for (_, kind) in markers {
        assert!(
            css.contains(&format!(".callout-{kind} {{")),
            "no style for {kind}"
        );
    }
}

#[test]
fn comments_are_dropped_and_highlights_marked_outside_code() {
    let site = SiteTest::files(&[(
        "content/a/one.md",
        "# One\n\nSeen %%hidden remark%% text with ==key words==.\n\n%%\nA whole\n\nhidden block\n%%\n\n`%%kept%% ==kept==`\n\n```\n%%kept%% ==kept==\n```\n",
    )]);
    let built = site.build();
    let paragraphs = built.texts("/a/one/", ".content p");
    assert_eq!(
        paragraphs,
        ["Seen  text with key words.", "%%kept%% ==kept=="]
    );
    assert_eq!(built.texts("/a/one/", ".content mark"), ["key words"]);
    assert_eq!(
        built.texts("/a/one/", ".content pre code"),
        ["%%kept%% ==kept=="]
    );
}

/// A note with YouTube links written as images, as Obsidian embeds videos.
pub(crate) const VIDEO_NOTE: &str = "# Hypervisors\n\n\
     ![Type 1 and type 2](https://www.youtube.com/watch?v=r3EDlvfQAsw&t=1m5s)\n\n\
     See also ![](https://youtu.be/J-S_TvtIm5Y) for VMs.\n";

#[test]
fn youtube_links_written_as_images_become_players_with_a_link() {
    let site = SiteTest::files(&[("content/a/hypervisors.md", VIDEO_NOTE)]);
    let built = site.build();
    let url = "/a/hypervisors/";
    assert_eq!(
        built.attrs(url, ".content .video iframe", "src"),
        [
            "https://www.youtube-nocookie.com/embed/r3EDlvfQAsw?start=65",
            "https://www.youtube-nocookie.com/embed/J-S_TvtIm5Y"
        ]
    );
    assert_eq!(
        built.attrs(url, ".content .video iframe", "title"),
        ["Type 1 and type 2", "YouTube video"]
    );
    assert_eq!(
        built.attrs(url, ".content .video a.video-link", "href"),
        [
            "https://www.youtube.com/watch?v=r3EDlvfQAsw&t=1m5s",
            "https://youtu.be/J-S_TvtIm5Y"
        ]
    );
    assert_eq!(
        built.texts(url, ".content .video a.video-link"),
        ["Type 1 and type 2: watch on YouTube", "Watch on YouTube"]
    );
    assert!(built.attrs(url, ".content img", "src").is_empty());
}

#[test]
fn embedded_notes_show_their_text_or_one_headings_part() {
    let site = SiteTest::files(&[
        (
            "content/a/host.md",
            "# Host\n\nBefore ![[Source]] after.\n\n![[Source#Part two]]\n",
        ),
        (
            "content/b/Source.md",
            "# Source\n\nIntro.\n\n## Part one\n\nFirst.\n\n## Part two\n\nSecond ![[img.png]].\n\n### Deeper\n\nStill two.\n\n## Part three\n\nThird.\n",
        ),
        ("content/b/img.png", "png"),
    ]);
    let built = site.build();
    let page = "/a/host/";
    assert_eq!(
        built.links(page, ".content > .embed .embed-source a", "href"),
        ["/b/source/", "/b/source/#part-two"]
    );
    assert_eq!(
        built.texts(page, ".content > .embed .embed-source a"),
        ["Source", "Source > Part two"]
    );
    let whole = built.texts(page, ".content > .embed:nth-of-type(1) .embed-body p");
    assert_eq!(
        whole,
        ["Intro.", "First.", "Second .", "Still two.", "Third."]
    );
    let part = built.texts(page, ".content > .embed:nth-of-type(2) .embed-body p");
    assert_eq!(part, ["Second .", "Still two."]);
    assert_eq!(
        built.links(page, ".embed img", "src"),
        ["/b/img.png", "/b/img.png"]
    );
    // The paragraph around an embed closes before it and opens again after it.
    assert_eq!(built.texts(page, ".content > p"), ["Before", "after."]);
    let run = site.cli(&["check"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
}

#[test]
fn embed_loops_are_cut_with_a_warning_at_the_embed() {
    let site = SiteTest::files(&[
        ("content/a/self.md", "# Self\n\n![[self]]\n"),
        ("content/a/ping.md", "# Ping\n\nText.\n\n![[pong]]\n"),
        ("content/a/pong.md", "# Pong\n\n![[ping]]\n"),
    ]);
    let built = site.build();
    assert_eq!(built.links("/a/self/", ".content a", "href"), ["/a/self/"]);
    // Ping shows pong, whose embed of ping is a link rather than ping again.
    assert_eq!(built.texts("/a/ping/", ".embed-source a"), ["pong"]);
    assert_eq!(
        built.links("/a/ping/", ".embed-body p a", "href"),
        ["/a/ping/"]
    );
    let run = site.cli(&["check"]);
    assert_eq!(run.status, 1, "{}", run.stdout);
    run.expect_stderr("error: transclusion loop: content/a/self.md → content/a/self.md; shown as a link\n  --> content/a/self.md:3:1");
    run.expect_stderr("error: transclusion loop: content/a/ping.md → content/a/pong.md → content/a/ping.md; shown as a link\n  --> content/a/ping.md:5:1");
    run.expect_stderr("error: transclusion loop: content/a/pong.md → content/a/ping.md → content/a/pong.md; shown as a link\n  --> content/a/pong.md:3:1");
    run.expect_stderr("help: a note cannot show itself or a note that shows it");
}

#[test]
fn tags_in_text_and_front_matter_get_pages_listing_their_notes() {
    let site = SiteTest::files(&[
        (
            "content/a/one.md",
            "---\ntags: [AWS]\n---\n# One\n\nAbout #aws and #exam/tips.\n",
        ),
        (
            "content/a/two.md",
            "# Two\n\n## Heading #nottag\n\nMore #exam/tips here; C# and issue #42 and `#code` are not tags.\n",
        ),
        ("content/a/three.md", "# Three\n\nNo tags.\n"),
    ]);
    let built = site.build();
    assert_eq!(
        built.texts("/tags/", ".tag-group h2 a"),
        ["#AWS", "#exam/tips"]
    );
    assert_eq!(built.texts("/tags/aws/", ".tag-notes a"), ["One"]);
    assert_eq!(
        built.texts("/tags/exam-tips/", ".tag-notes a"),
        ["One", "Two"]
    );
    assert_eq!(
        built.links("/tags/exam-tips/", ".tag-notes a", "href"),
        ["/a/one/", "/a/two/"]
    );
    assert_eq!(
        built.links("/a/one/", ".note-meta a.tag", "href"),
        ["/tags/aws/", "/tags/exam-tips/"]
    );
    assert_eq!(
        built.links("/a/two/", ".content p a", "href"),
        ["/tags/exam-tips/"]
    );
    assert!(!built.exists("tags/nottag/index.html"));
    assert!(!built.exists("tags/42/index.html"));
    let sitemap = built.read("sitemap.xml");
    for url in ["tags/</loc>", "tags/aws/</loc>", "tags/exam-tips/</loc>"] {
        assert!(sitemap.contains(url), "{url} not in {sitemap}");
    }
    let run = site.cli(&["check"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
}

#[test]
fn a_site_without_tags_has_no_tag_pages() {
    let built = SiteTest::files(&[("content/a/one.md", "# One\n\nText.\n")]).build();
    assert!(!built.exists("tags/index.html"));
}

#[test]
fn obsidian_quirks_table_pipes_and_headings_written_with_spaces() {
    let site = SiteTest::files(&[
        (
            "content/a/one.md",
            "# One\n\n| pic | note |\n|---|---|\n| ![[p.png\\|75]] | [[two\\|Two's]] |\n\n[[two#**Step one **]]\n",
        ),
        ("content/a/two.md", "# Two\n\n## **Step one:**\n"),
        ("content/a/p.png", "png"),
    ]);
    let built = site.build();
    assert_eq!(built.attrs("/a/one/", "td img", "width"), ["75"]);
    assert_eq!(built.links("/a/one/", "td a", "href"), ["/a/two/"]);
    assert_eq!(
        built.links("/a/one/", ".content p a", "href"),
        ["/a/two/#step-one"]
    );
    let run = site.cli(&["check"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
}

#[test]
fn embeds_stop_at_four_deep_and_a_hundred_to_a_page() {
    let mut files: Vec<(String, String)> = (1..=5)
        .map(|i| {
            let body = format!("# Level {i}\n\nText {i}.\n\n![[level{}]]\n", i + 1);
            (format!("content/deep/level{i}.md"), body)
        })
        .collect();
    let many: String = (0..120)
        .map(|i| format!("![[leaf{}]]\n\n", i % 3))
        .collect();
    files.push(("content/wide/many.md".into(), format!("# Many\n\n{many}")));
    for i in 0..3 {
        files.push((format!("content/wide/leaf{i}.md"), format!("# Leaf {i}\n")));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = SiteTest::files(&refs);
    let built = site.build();
    // Level 1 shows 2, 3 and 4; level 4's embed of 5 is a link.
    assert_eq!(
        built.texts("/deep/level1/", ".embed-source a"),
        ["level2", "level3", "level4"]
    );
    assert_eq!(built.texts("/wide/many/", ".embed").len(), 100);
    assert_eq!(built.texts("/wide/many/", ".content > p > a").len(), 20);
    let run = site.cli(&["check"]);
    assert_eq!(run.status, 1);
    run.expect_stderr("error: transclusions nested more than 4 deep: content/deep/level1.md → content/deep/level2.md → content/deep/level3.md → content/deep/level4.md → content/deep/level5.md; shown as a link\n  --> content/deep/level1.md:5:1");
    run.expect_stderr("error: more than 100 embedded notes on one page; shown as a link\n  --> content/wide/many.md:203:1");
}

#[test]
fn cached_rebuilds_follow_edits_of_embedded_notes_aliases_and_tags() {
    use studysite::build::{build_cached, BuildCache};
    use studysite::{BuildOptions, OutputTarget};

    use crate::serve_cache::{clean_build, differences};

    let site = SiteTest::files(&[
        (
            "content/a/host.md",
            "# Host\n\n![[middle]]\n\n[[Nick]] #topic\n",
        ),
        ("content/a/middle.md", "# Middle\n\n![[leaf#Part]]\n"),
        ("content/b/leaf.md", "# Leaf\n\n## Part\n\nOld words.\n"),
        ("content/b/named.md", "---\naliases: [Nick]\n---\n# Named\n"),
    ]);
    let options = BuildOptions {
        target: OutputTarget::Memory,
        ..BuildOptions::new(site.root())
    };
    let steps: [(&str, &dyn Fn()); 4] = [
        ("first build", &|| {}),
        ("edit a note embedded two deep", &|| {
            site.write("content/b/leaf.md", "# Leaf\n\n## Part\n\nNew words.\n")
        }),
        ("move an alias to another note", &|| {
            site.write("content/b/named.md", "# Named\n");
            site.write("content/b/other.md", "---\naliases: [Nick]\n---\n# Other\n");
        }),
        ("tag another note", &|| {
            site.write("content/b/leaf.md", "# Leaf\n\n## Part\n\nNew #topic.\n")
        }),
    ];
    let cache = BuildCache::new();
    for (step, edit) in steps {
        edit();
        let (_, cached) = build_cached(&options, &cache).expect(step);
        let clean = clean_build(site.root());
        assert_eq!(differences(&cached, &clean), Vec::<String>::new(), "{step}");
    }
    let built = site.build();
    assert_eq!(
        built.texts("/a/host/", ".embed .embed .embed-body p"),
        ["New #topic."]
    );
    assert_eq!(
        built.links("/a/host/", ".content > p > a", "href")[0],
        "/b/other/"
    );
    assert_eq!(
        built.texts("/tags/topic/", ".tag-notes a"),
        ["Host", "Leaf"]
    );
}

#[test]
fn block_ids_are_anchors_that_links_and_embeds_name() {
    let site = SiteTest::files(&[
        (
            "content/a/Basics.md",
            "# Basics\n\n- CIA ^cia\n  - Confidentiality ^conf\n- AAA\n\nA paragraph. ^para\n",
        ),
        (
            "content/a/Use.md",
            "# Use\n\nProtects [[Basics#^conf|confidentiality]].\n\n![[Basics#^cia]]\n\n\
             See [[Basics#^nothing]].\n",
        ),
    ]);
    let built = site.build();
    let text = built.texts("/a/basics/", ".content").concat();
    assert!(!text.contains('^'), "{text}");
    let ids = built.attrs("/a/basics/", ".content .block-anchor", "id");
    assert_eq!(ids, ["^cia", "^conf", "^para"]);
    let hrefs = built.links("/a/use/", ".content p a", "href");
    assert!(hrefs.contains(&"/a/basics/#^conf".to_string()), "{hrefs:?}");
    // The embed shows the item (with its own list) and no second copy of its ids.
    let embedded = built.texts("/a/use/", ".embed-body li");
    assert_eq!(embedded, ["CIA\n\nConfidentiality", "Confidentiality"]);
    assert!(built
        .attrs("/a/use/", ".embed .block-anchor", "id")
        .is_empty());
    assert_eq!(built.texts("/a/use/", ".embed-source a"), ["Basics"]);
    built.run.expect_stderr("content/a/Use.md:7");
    built
        .run
        .expect_stderr("content/a/Basics.md has no block `^nothing`");
}

#[test]
fn a_same_page_link_in_embedded_text_points_at_the_embedded_note() {
    let site = SiteTest::files(&[
        (
            "content/s/Alpha.md",
            "# Alpha\n\n## Intro\n\nAlpha intro.\n\n## Details\n\nSee [[#Intro]].\n",
        ),
        (
            "content/s/Beta.md",
            "# Beta\n\n## Intro\n\nBeta intro, [[#Details]].\n\n## Details\n\n![[Alpha#Details]]\n",
        ),
    ]);
    let built = site.build();
    let embedded = built.links("/s/beta/", ".embed-body p a", "href");
    assert_eq!(embedded, ["/s/alpha/#intro"]);
    let own = built.links("/s/beta/", ".content > p a", "href");
    assert_eq!(own, ["#details"]);
    // Its heading's id is its own on this page: Beta has a `details` already.
    let ids = built.attrs("/s/beta/", "h2", "id");
    assert_eq!(ids, ["intro", "details", "embed-1-details"]);
}

#[test]
fn a_note_embeds_another_part_of_itself() {
    let site = SiteTest::files(&[(
        "content/s/Misc.md",
        "# Misc\n\n## Diagram\n\nThe diagram text.\n\n## Map\n\n![[#Diagram]]\n\n## Loop\n\n![[#Loop]]\n",
    )]);
    let built = site.build();
    let embedded = built.texts("/s/misc/", ".embed-body p");
    assert_eq!(embedded, ["The diagram text."]);
    // The part that holds the embed itself is still a loop.
    built.run.expect_stderr("transclusion loop");
    built.run.expect_stderr("content/s/Misc.md:13");
    assert_eq!(built.run.stderr.matches("transclusion loop").count(), 1);
}
