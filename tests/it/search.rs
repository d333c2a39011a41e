//! The search index as built output: files, manifest, documents, the search box,
//! the `/search/` page, base paths, determinism, and turning search off.

use serde_json::Value;

use crate::harness::{search_file, tree, Built, SiteTest};

/// The JSON payload of a self-registering index file, with its registered name.
#[track_caller]
fn payload(built: &Built, path: &str) -> (String, Value) {
    search_file(&built.read(path))
}

/// File names of the listed `(term shards, document shards)`: `t<i>`, `d<i>`.
fn shard_names(manifest: &Value) -> (Vec<String>, Vec<String>) {
    let terms = &manifest["terms"];
    let term_count = terms["keys"].as_array().unwrap().len();
    let docs = &manifest["documents"];
    // One varint per shard; every character but a varint's last has bit 5 set.
    let digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
    let doc_count = docs["first"]
        .as_str()
        .unwrap()
        .chars()
        .filter(|c| digits.find(*c).unwrap() < 32)
        .count();
    (
        (0..term_count).map(|i| format!("t{i}")).collect(),
        (0..doc_count).map(|i| format!("d{i}")).collect(),
    )
}

/// Every document as `(page title, heading, anchor, kind name, text)`.
fn documents(built: &Built) -> Vec<(String, String, String, String, String)> {
    let (_, manifest) = payload(built, "search/index.js");
    let kinds: Vec<&str> = manifest["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    let mut docs = Vec::new();
    for name in shard_names(&manifest).1 {
        let (_, data) = payload(built, &format!("search/{name}.js"));
        for doc in data["docs"].as_array().unwrap() {
            let page = &data["pages"][doc[0].as_u64().unwrap() as usize];
            let s = |v: &Value| v.as_str().unwrap().to_string();
            docs.push((
                s(&page[0]),
                s(&doc[1]),
                s(&doc[2]),
                kinds[doc[3].as_u64().unwrap() as usize].to_string(),
                s(&doc[4]),
            ));
        }
    }
    docs
}

/// Every surface word of every term shard.
fn surface_words(built: &Built) -> Vec<String> {
    let (_, manifest) = payload(built, "search/index.js");
    let mut words = Vec::new();
    for name in shard_names(&manifest).0 {
        let (_, data) = payload(built, &format!("search/{name}.js"));
        words.extend(
            data["w"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w.as_str().unwrap().to_string()),
        );
    }
    words
}

#[test]
fn manifest_lists_every_shard_file() {
    let built = SiteTest::fixture("search").build();
    let (name, manifest) = payload(&built, "search/index.js");
    assert_eq!(name, "index");
    assert_eq!(manifest["version"], 3);
    assert_eq!(manifest["language"], "en");
    assert_eq!(
        manifest["kinds"],
        serde_json::json!(["note", "quiz", "mnemonic"])
    );
    assert!(manifest["stop"]
        .as_array()
        .unwrap()
        .contains(&Value::from("the")));
    assert_eq!(
        manifest["terms"]["keys"][0], "",
        "the first shard starts at the empty key"
    );
    let (terms, docs) = shard_names(&manifest);
    let listed: Vec<String> = terms
        .iter()
        .chain(&docs)
        .map(|name| format!("search/{name}.js"))
        .collect();
    for path in &listed {
        let (name, _) = payload(&built, path);
        assert_eq!(
            format!("search/{name}.js"),
            *path,
            "a file registers under its own name"
        );
    }
    let on_disk: Vec<String> = tree(&built.out.join("search"))
        .into_keys()
        .filter(|p| p.ends_with(".js") && p != "index.js")
        .map(|p| format!("search/{p}"))
        .collect();
    let mut listed = listed;
    listed.sort();
    assert_eq!(on_disk, listed, "no unlisted files");
    assert_eq!(
        manifest["docs"].as_u64().unwrap() as usize,
        documents(&built).len()
    );
}

#[test]
fn documents_are_heading_sections_mnemonics_and_quiz_questions() {
    let built = SiteTest::fixture("search").build();
    let docs = documents(&built);
    let find = |heading: &str| {
        docs.iter()
            .find(|d| d.1 == heading)
            .unwrap_or_else(|| panic!("no document {heading:?} in {docs:#?}"))
    };
    let glacier = find("Glacier");
    assert_eq!(
        (glacier.0.as_str(), glacier.2.as_str(), glacier.3.as_str()),
        ("Amazon S3", "glacier", "note")
    );
    assert!(glacier.4.starts_with("Glacier archives data cheaply"));
    assert!(!glacier.4.contains("[!MNEMONIC]"), "{}", glacier.4);
    let mnemonic = find("Some Icy Glaciers");
    assert_eq!(
        (mnemonic.2.as_str(), mnemonic.3.as_str()),
        ("glacier", "mnemonic")
    );
    let quiz = find("Which principle grants only the permissions needed?");
    assert_eq!((quiz.0.as_str(), quiz.3.as_str()), ("IAM", "quiz"));
    let intro = docs
        .iter()
        .find(|d| d.0 == "Amazon S3" && d.1.is_empty())
        .expect("intro");
    assert_eq!(intro.4, "Amazon S3 stores objects in buckets.");
}

#[test]
fn words_are_folded_stemmed_and_cjk_is_bigrammed() {
    let built = SiteTest::fixture("search").build();
    let words = surface_words(&built);
    for word in [
        "cafe", "naive", "policies", "policy", "scales", "東京", "京都", "遅延",
    ] {
        assert!(words.iter().any(|w| w == word), "{word} missing");
    }
    assert!(!words.iter().any(|w| w == "the" || w == "café"));
    let mut sorted = words.clone();
    sorted.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
    assert_eq!(words, sorted, "shards hold words in JavaScript order");
}

#[test]
fn pages_have_an_accessible_search_box_under_the_base_path() {
    let built = SiteTest::fixture("search").build();
    let url = "/storage/s3/";
    assert_eq!(
        built.links(url, "form.site-search", "action"),
        ["/docs/search/"]
    );
    assert_eq!(built.attrs(url, "form.site-search", "role"), ["search"]);
    let input = "form.site-search input#site-search-input";
    assert_eq!(built.attrs(url, input, "role"), ["combobox"]);
    assert_eq!(
        built.attrs(url, input, "aria-controls"),
        ["site-search-results"]
    );
    assert_eq!(built.attrs(url, input, "aria-expanded"), ["false"]);
    assert_eq!(
        built.attrs(url, "#site-search-results", "role"),
        ["listbox"]
    );
    assert_eq!(
        built.attrs(url, ".site-search [role=status]", "aria-live"),
        ["polite"]
    );
    let core = built.links(url, "script[data-core]", "data-core");
    assert!(
        core[0].starts_with("/docs/js/search-core.js?h="),
        "{core:?}"
    );
    let script = built.links(url, "script[data-core]", "src");
    assert!(script[0].starts_with("/docs/js/search.js?h="), "{script:?}");
    assert!(built.exists("js/search-core.js"));
}

#[test]
fn the_search_page_is_rendered() {
    let built = SiteTest::fixture("search").build();
    assert_eq!(built.texts("/search/", "main h1"), ["Search"]);
    assert_eq!(
        built.links("/search/", "main form", "action"),
        ["/docs/search/"]
    );
    assert_eq!(
        built.attrs("/search/", "main input.search-page-input", "name"),
        ["q"]
    );
    assert_eq!(
        built.attrs("/search/", "main [role=status]", "aria-live"),
        ["polite"]
    );
    assert!(
        !built.read("sitemap.xml").contains("/search/"),
        "the search page is not a sitemap entry"
    );
}

#[test]
fn the_index_is_deterministic() {
    let first = SiteTest::fixture("search").build();
    let second = SiteTest::fixture("search").build();
    assert_eq!(
        tree(&first.out.join("search")),
        tree(&second.out.join("search"))
    );
}

#[test]
fn search_can_be_turned_off() {
    let built = SiteTest::files(&[
        (
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/\"\n[search]\nenabled = false\n",
        ),
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n\nText.\n"),
    ])
    .build();
    assert!(!built.exists("search"));
    assert!(built.attrs("/a/", "#site-search-input", "id").is_empty());
    assert!(built.attrs("/a/", "script[data-core]", "src").is_empty());
}

#[test]
fn languages_without_a_stemmer_index_words_as_written() {
    let built = SiteTest::files(&[
        (
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"pl\"\n",
        ),
        (
            "content/a.md",
            "+++\ntitle = \"Chmura\"\n+++\n\nChmury obliczeniowe i the policies.\n",
        ),
    ])
    .build();
    let (_, manifest) = payload(&built, "search/index.js");
    assert_eq!(manifest["stop"], serde_json::json!([]));
    let words = surface_words(&built);
    for word in ["chmury", "obliczeniowe", "the", "policies"] {
        assert!(
            words.iter().any(|w| w == word),
            "{word} missing from {words:?}"
        );
    }
}
