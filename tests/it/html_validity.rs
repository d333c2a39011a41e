//! The built HTML is valid (W3C Nu Html Checker) and the theme's colours meet
//! WCAG AA contrast in both colour schemes.
//!
//! The checker is the `vnu-jar` npm package run on Java; `.ci/run` installs both.
//! Without them these tests say so and pass, unless `CI` is set.

use std::path::PathBuf;
use std::process::Command;

use crate::harness::SiteTest;
use crate::large_sections::large_site;

fn vnu_jar() -> Option<PathBuf> {
    let jar = std::env::var_os("VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target/tools/node_modules/vnu-jar/build/dist/vnu.jar")
        });
    let has_java = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if jar.is_file() && has_java {
        return Some(jar);
    }
    let why = format!(
        "no Java or no vnu.jar at {} (run scripts/install-test-tools)",
        jar.display()
    );
    assert!(
        std::env::var_os("CI").is_none(),
        "HTML checker missing on CI: {why}"
    );
    eprintln!("skipping HTML validation: {why}");
    None
}

#[test]
fn built_sites_are_valid_html() {
    let Some(jar) = vnu_jar() else { return };
    let basic = SiteTest::fixture("basic");
    basic.build_with(&["--base-url", "https://user.github.io/repo/"]);
    // Practice exams: quiz questions inside numbered list items.
    let practice_exam = SiteTest::fixture("practice-exam");
    practice_exam.build();
    // Paged lists: a section's notes, a tag's, its quiz and its deck, with their pagers.
    let large = large_site(250);
    large.build();
    // A YouTube link written as an image: a player and a link.
    let video = SiteTest::files(&[("content/a/v.md", crate::obsidian::VIDEO_NOTE)]);
    video.build();
    let init = SiteTest::empty();
    assert_eq!(init.cli(&["init", "s"]).status, 0);
    assert_eq!(init.cli(&["build", "-r", "s"]).status, 0);
    // The shipped site covers every page kind: quizzes, flashcards, exam, progress,
    // mnemonics, cram sheets (a section's and the whole site's), search.
    let shipped = tempfile::tempdir().unwrap();
    let built = Command::new(env!("CARGO_BIN_EXE_studysite"))
        .args(["build", "-r", env!("CARGO_MANIFEST_DIR"), "-o"])
        .arg(shipped.path().join("public"))
        .output()
        .expect("build the shipped site");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let output = Command::new("java")
        .args([
            "-jar",
            jar.to_str().unwrap(),
            "--errors-only",
            "--skip-non-html",
            "--format",
            "text",
        ])
        .arg(basic.root().join("public"))
        .arg(practice_exam.root().join("public"))
        .arg(large.root().join("public"))
        .arg(video.root().join("public"))
        .arg(init.root().join("s/public"))
        .arg(shipped.path().join("public"))
        .output()
        .expect("run java");
    let report = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the Nu Html Checker found errors:\n{report}"
    );
}

/// Reads `--name: #rrggbb;` declarations from one CSS block.
fn colours(block: &str) -> Vec<(String, [f64; 3])> {
    block
        .split([';', '\n'])
        .filter_map(|declaration| {
            let (name, value) = declaration.trim().strip_prefix("--")?.split_once(':')?;
            let hex = value.trim().strip_prefix('#')?;
            let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
            Some((
                name.to_string(),
                [channel(0)?, channel(2)?, channel(4)?].map(|c| f64::from(c) / 255.0),
            ))
        })
        .collect()
}

fn luminance(rgb: [f64; 3]) -> f64 {
    let linear = rgb.map(|c| {
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    });
    0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
}

fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn theme_colours_meet_wcag_aa_in_light_and_dark() {
    let css = include_str!("../../themes/default/static/css/style.css");
    let light = &css[css.find(":root {").unwrap()..];
    let light = &light[..light.find('}').unwrap()];
    let dark = &css[css.find(":root[data-theme=\"dark\"] {").unwrap()..];
    let dark = &dark[..dark.find('}').unwrap()];
    // Dark mode by system preference repeats the dark palette; the two must agree.
    let preferred = &css[css.find(":root:not([data-theme=\"light\"]) {").unwrap()..];
    let preferred = &preferred[..preferred.find('}').unwrap()];
    assert_eq!(
        colours(preferred),
        colours(dark),
        "the two dark palettes differ"
    );
    // Text colours against every background they are drawn on.
    let pairs = [
        ("fg", "bg"),
        ("fg", "bg-soft"),
        ("fg", "code-bg"),
        ("muted", "bg"),
        ("muted", "bg-soft"),
        ("link", "bg"),
        ("link", "bg-soft"),
        ("link-visited", "bg"),
        ("mark-fg", "mark-bg"),
        // Filled buttons: page background colour on the accent.
        ("bg", "accent"),
        // Callouts: the kind's colour (title, icon) and the body text on the kind's tint;
        // quiz feedback reuses the tip and caution colours on the page.
        ("callout-note", "callout-note-bg"),
        ("callout-tip", "callout-tip-bg"),
        ("callout-important", "callout-important-bg"),
        ("callout-warning", "callout-warning-bg"),
        ("callout-caution", "callout-caution-bg"),
        ("callout-mnemonic", "callout-mnemonic-bg"),
        ("callout-quiz", "callout-quiz-bg"),
        ("fg", "callout-note-bg"),
        ("fg", "callout-tip-bg"),
        ("fg", "callout-important-bg"),
        ("fg", "callout-warning-bg"),
        ("fg", "callout-caution-bg"),
        ("fg", "callout-mnemonic-bg"),
        ("fg", "callout-quiz-bg"),
        ("callout-tip", "bg"),
        ("callout-caution", "bg"),
    ];
    for (scheme, block) in [("light", light), ("dark", dark)] {
        let palette = colours(block);
        assert!(
            palette.len() >= 26,
            "{scheme}: only {} colours read",
            palette.len()
        );
        let get = |name: &str| {
            palette
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("--{name} in {scheme}"))
                .1
        };
        for (text, background) in pairs {
            let ratio = contrast(get(text), get(background));
            assert!(
                ratio >= 4.5,
                "{scheme}: --{text} on --{background} is {ratio:.2}:1, below 4.5:1"
            );
        }
        // Focus ring and borders of controls need 3:1 against the page (WCAG 1.4.11).
        assert!(
            contrast(get("focus"), get("bg")) >= 3.0,
            "{scheme}: focus ring"
        );
    }
}
