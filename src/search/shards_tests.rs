//! Tests of the index format: encoding, shard assignment, and a full round trip
//! through the emitted files.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

use super::*;
use crate::cache::memo::Rounds;
use crate::cache::search::SearchCache;
use crate::search::documents::doc_key;
use crate::search::documents::{DocKind, SearchDoc, SearchPage};
use crate::search::format::{encode_postings, unpack};
use crate::search::state::build_index;
use crate::search::tokenize::Tokenizer;

/// A clean build's index files.
fn clean(pages: &[SearchPage], docs: &[SearchDoc]) -> Vec<IndexFile> {
    let state = build_index(pages, docs, &Tokenizer::for_language("en"));
    write_shards(&state, pages, docs, manifest(), &Fresh)
}

/// Serve's index files, through `cache`.
fn cached(cache: &SearchCache, pages: &[SearchPage], docs: &[SearchDoc]) -> Vec<IndexFile> {
    let keys: Vec<u64> = docs
        .iter()
        .map(|d| doc_key("en", &pages[d.page], d))
        .collect();
    let tokenizer = Tokenizer::for_language("en");
    cache.begin();
    cache.shards.begin();
    let files = cache.index_files(pages, docs, &keys, &tokenizer, manifest());
    cache.shards.finish();
    files
}

/// The files by name (`t0`, `d3`, `index`).
fn by_name(files: &[IndexFile]) -> BTreeMap<String, &IndexFile> {
    files
        .iter()
        .map(|f| {
            let name = f.path.trim_start_matches("search/").trim_end_matches(".js");
            (name.to_string(), f)
        })
        .collect()
}

/// The term shards with their keys, read back from the files.
fn term_shards(files: &[IndexFile]) -> Vec<(String, TermShard)> {
    let (_, manifest): (String, Manifest) = payload(files.last().unwrap());
    let files = by_name(files);
    let (names, _) = shard_names(&manifest);
    manifest
        .terms
        .keys
        .iter()
        .zip(names)
        .map(|(key, name)| (key.clone(), payload(files[&name]).1))
        .collect()
}

/// The JSON payload of an emitted file, checked against its registered name.
fn payload<T: DeserializeOwned>(file: &IndexFile) -> (String, T) {
    let text = std::str::from_utf8(&file.text).expect("UTF-8");
    let inner = text
        .strip_prefix(&format!("{REGISTER_FN}(\""))
        .and_then(|t| t.strip_suffix("\");\n"))
        .expect("self-registering call");
    let (name, packed) = inner.split_once("\",\"").expect("name then payload");
    assert_eq!(file.path, format!("{SEARCH_DIR}/{name}.js"));
    let json = unpack(packed).expect("base64 of a zlib stream");
    (
        name.to_string(),
        serde_json::from_str(&json).expect("valid JSON"),
    )
}

/// A corpus with thousands of distinct words, so the index needs several shards.
fn corpus() -> (Vec<SearchPage>, Vec<SearchDoc<'static>>) {
    let pages: Vec<SearchPage> = (0..40)
        .map(|p| SearchPage {
            title: format!("Page {p} policies"),
            path: format!("p{p}/"),
            section: "Section".into(),
        })
        .collect();
    let mut docs = Vec::new();
    for i in 0..400u32 {
        let words: Vec<String> = (0..30)
            .map(|j| format!("w{}x{}", (i * 7 + j * 13) % 3000, j % 4))
            .collect();
        docs.push(SearchDoc {
            page: (i / 10) as usize,
            heading: format!("Heading {i} scaling").into(),
            anchor: format!("h{i}").into(),
            parent: "".into(),
            kind: if i % 50 == 0 {
                DocKind::Mnemonic
            } else {
                DocKind::Note
            },
            text: format!(
                "{} policy scale café 東京都 {}",
                words.join(" "),
                "long ".repeat(i as usize)
            )
            .into(),
        });
    }
    (pages, docs)
}

fn manifest() -> Manifest {
    Manifest {
        version: FORMAT_VERSION,
        language: "en".into(),
        stop: vec!["the".into()],
        kinds: kind_names(),
        docs: 0,
        terms: Default::default(),
        documents: Default::default(),
    }
}

#[test]
fn postings_round_trip() {
    let postings = [(0, 1000), (1, 31), (33, 500), (1057, 4), (400_000, 1)];
    let text = encode_postings(&postings);
    // Levels are 63rds of the highest score, at least 1.
    let levels = vec![(0, 63), (1, 2), (33, 32), (1057, 1), (400_000, 1)];
    assert_eq!(decode_postings(&text), Some((1000, levels)));
    // The highest score, then each doc gap as a varint and its level as one digit.
    assert_eq!(encode_postings(&[(3, 7)]), "73_");
    assert_eq!(encode_postings(&[(33, 64), (34, 32)]), "W2X1_1W");
}

#[test]
fn packed_json_round_trips() {
    let json = r#"{"w":["policies","policy"],"p":["37",0]}"#;
    let packed = pack(json);
    assert!(packed
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)));
    assert_eq!(unpack(&packed).as_deref(), Some(json));
}

#[test]
fn js_order_is_utf16_order() {
    // U+FF5E sorts before an astral character in UTF-16 (surrogates are D800–DFFF).
    assert_eq!(js_order("\u{FF5E}", "\u{20000}"), Ordering::Greater);
    assert_eq!(js_order("ab", "abc"), Ordering::Less);
}

#[test]
fn shard_keys_partition_the_words() {
    let (pages, docs) = corpus();
    let shards = term_shards(&clean(&pages, &docs));
    assert!(shards.len() > 3, "{} shards", shards.len());
    assert_eq!(shards[0].0, "");
    for (i, (key, shard)) in shards.iter().enumerate() {
        let next = shards.get(i + 1).map(|(k, _)| k.as_str());
        for word in &shard.w {
            assert_ne!(js_order(word, key), Ordering::Less, "{word} before {key}");
            if let Some(next) = next {
                assert_eq!(js_order(word, next), Ordering::Less, "{word} after {next}");
            }
        }
        // Keys are short: a prefix of the shard's first word.
        assert!(shard.w[0].starts_with(key.as_str()));
    }
    // Content-defined boundaries: sizes vary, but average out near the target.
    let bytes: usize = shards
        .iter()
        .map(|(_, s)| serde_json::to_string(s).unwrap().len())
        .sum();
    let average = bytes / shards.len();
    assert!(
        (TERM_SHARD_BYTES / 4..TERM_SHARD_BYTES * 4).contains(&average),
        "{average}"
    );
}

#[test]
fn variants_in_one_shard_share_postings() {
    let (pages, docs) = corpus();
    let shards = term_shards(&clean(&pages, &docs));
    let (_, shard) = shards
        .iter()
        .find(|(_, s)| s.w.iter().any(|w| w == "policy"))
        .expect("policy indexed");
    let position = |word: &str| shard.w.iter().position(|w| w == word).unwrap();
    let (policies, policy) = (position("policies"), position("policy"));
    assert!(matches!(shard.p[policies], TermEntry::Postings(_)));
    assert_eq!(shard.p[policy], TermEntry::SameAs(policies));
}

#[test]
fn files_round_trip_to_the_index() {
    let (pages, docs) = corpus();
    let state = build_index(&pages, &docs, &Tokenizer::for_language("en"));
    let files = write_shards(&state, &pages, &docs, manifest(), &Fresh);
    let by_name = by_name(&files);
    let (name, manifest): (String, Manifest) = payload(files.last().unwrap());
    assert_eq!(name, MANIFEST_NAME);
    let (term_names, doc_names) = shard_names(&manifest);
    assert_eq!(files.len(), term_names.len() + doc_names.len() + 1);
    let firsts = decode_varints(&manifest.documents.first).unwrap();
    assert_eq!(firsts.len(), doc_names.len());

    // Every surface word decodes to its term's postings, in document order.
    let mut seen = 0;
    for name in &term_names {
        let (_, shard): (_, TermShard) = payload(by_name[name]);
        for (i, word) in shard.w.iter().enumerate() {
            let encoded = match &shard.p[i] {
                TermEntry::Postings(p) => p,
                TermEntry::SameAs(j) => match &shard.p[*j] {
                    TermEntry::Postings(p) => p,
                    TermEntry::SameAs(_) => panic!("chained reference at {word}"),
                },
            };
            let (highest, postings) = decode_postings(encoded).expect("valid varints");
            assert!(highest > 0 && !postings.is_empty(), "{word}");
            assert_eq!(
                Some((highest, postings.clone())),
                decode_postings(&state.entry(word).1.postings),
                "{word}"
            );
            assert!(postings.windows(2).all(|p| p[0].0 < p[1].0), "{word}");
            seen += 1;
        }
    }
    assert_eq!(seen, state.words.len());

    // Every document comes back with its page.
    let mut restored = Vec::new();
    let mut first = 0;
    for (gap, name) in firsts.iter().zip(&doc_names) {
        first += gap;
        assert_eq!(first as usize, restored.len());
        let (_, shard): (_, DocShard) = payload(by_name[name]);
        for (page, heading, anchor, kind, text, _) in shard.docs {
            let (title, path, _) = &shard.pages[page];
            restored.push((title.clone(), path.clone(), heading, anchor, kind, text));
        }
    }
    assert_eq!(restored.len(), docs.len());
    for (doc, back) in docs.iter().zip(&restored) {
        assert_eq!(back.0, pages[doc.page].title);
        assert_eq!(back.1, pages[doc.page].path);
        assert_eq!(
            (back.2.as_str(), back.3.as_str(), back.4),
            (&*doc.heading, &*doc.anchor, doc.kind.code())
        );
        assert!(doc.text.starts_with(&back.5));
    }
}

#[test]
fn output_is_deterministic() {
    let (pages, docs) = corpus();
    assert_eq!(clean(&pages, &docs), clean(&pages, &docs));
}

#[test]
fn the_cached_index_equals_a_clean_one_and_rewrites_only_what_changed() {
    let (pages, mut docs) = corpus();
    let cache = SearchCache::default();
    assert_eq!(cached(&cache, &pages, &docs), clean(&pages, &docs));
    assert_eq!(cache.tokenised(), docs.len());
    let shards = cache.shards.made();

    // One document's text, its length kept (so is the average length, which
    // every score depends on): it alone is tokenised, and most shards are kept.
    let old_text = docs[7].text.to_string();
    docs[7].text = old_text
        .replace("policy scale", "Glacier brandnewword")
        .into();
    let files = cached(&cache, &pages, &docs);
    assert_eq!(files, clean(&pages, &docs));
    assert_eq!(cache.tokenised(), 1, "only the edited document");
    // Only the shards holding its old or new words, and its document shard.
    let tokenizer = Tokenizer::for_language("en");
    let edited: Vec<String> = [old_text.as_str(), &docs[7].text]
        .iter()
        .flat_map(|text| tokenizer.tokens(text))
        .map(|token| token.surface)
        .collect();
    let holding = term_shards(&files)
        .iter()
        .filter(|(_, shard)| shard.w.iter().any(|w| edited.contains(w)))
        .count();
    assert!(
        cache.shards.made() <= holding + 1 && holding * 2 < shards,
        "{} of {shards} shards rewritten; {holding} term shards hold the edited words",
        cache.shards.made()
    );

    // The edit undone, then a document removed (every id after it moves).
    docs[7].text = corpus().1[7].text.clone();
    assert_eq!(cached(&cache, &pages, &docs), clean(&pages, &docs));
    docs.remove(20);
    assert_eq!(cached(&cache, &pages, &docs), clean(&pages, &docs));
    // Many documents at once.
    for doc in docs.iter_mut().step_by(3) {
        doc.text = format!("{} rewritten", doc.text).into();
    }
    assert_eq!(cached(&cache, &pages, &docs), clean(&pages, &docs));
}

#[test]
fn small_edits_that_keep_a_documents_terms_equal_a_clean_index() {
    let (pages, mut docs) = corpus();
    let cache = SearchCache::default();
    assert_eq!(cached(&cache, &pages, &docs), clean(&pages, &docs));
    // One word longer: every term of the document stays, its length moves.
    docs[5].text = format!("{} marker", docs[5].text).into();
    assert_eq!(cached(&cache, &pages, &docs), clean(&pages, &docs));
    // A term's count rises in one document, and a term moves between two
    // documents in the same build (its document count stays).
    docs[5].text = format!("{} policy policy", docs[5].text).into();
    docs[11].text = docs[11].text.replace("café", "").into();
    docs[12].text = format!("{} café café", docs[12].text).into();
    assert_eq!(cached(&cache, &pages, &docs), clean(&pages, &docs));
    // And back.
    let original = corpus().1;
    for i in [5, 11, 12] {
        docs[i].text = original[i].text.clone();
    }
    assert_eq!(cached(&cache, &pages, &docs), clean(&pages, &docs));
}
