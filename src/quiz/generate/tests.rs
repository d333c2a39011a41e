use super::*;
use crate::content::model::PageId;
use crate::markdown::packed::PackedHtml;
use crate::markdown::quiz_blocks::question_id;

fn card(front: &str, sentence: &str, section: &str) -> Flashcard {
    Flashcard {
        id: question_id("x", front),
        section: section.into(),
        section_title: section.into(),
        front: front.into(),
        back_html: Arc::new(PackedHtml::new(format!("<p>{sentence}</p>"))),
        page_title: "Page".into(),
        url: "/p/#a".into(),
        location: format!("content/p.md:{}", front.len()).into(),
        page: PageId(0),
        anchor: "a".into(),
        first_sentence: sentence.into(),
        next_sentence: String::new(),
        subject: subject_of(front, sentence),
        key: 0,
    }
    .keyed()
}

fn variants(heading: &str, sentence: &str) -> Vec<String> {
    subject_of(heading, sentence).expect("a subject").variants
}

#[test]
fn subjects_drop_the_question_and_articles() {
    let s = subject_of("What is an AMI?", "").unwrap();
    assert_eq!(s.name, "AMI");
    assert!(s.kind == SubjectKind::Named && !s.is_plural);
    let s = subject_of("What are security groups?", "").unwrap();
    assert_eq!(s.name, "Security groups");
    assert!(s.kind == SubjectKind::Named && s.is_plural);
    assert!(subject_of("How is S3 different from EBS?", "").is_none());
}

#[test]
fn variants_cover_prefix_acronym_brackets_and_singular() {
    let v = variants(
        "What is Amazon S3?",
        "Amazon S3 (Simple Storage Service) is object storage.",
    );
    assert_eq!(v, ["Simple Storage Service", "Amazon S3", "S3"]);
    let v = variants("What is Amazon Virtual Private Cloud?", "");
    assert!(v.contains(&"VPC".to_string()), "{v:?}");
    let v = variants(
        "What is a hardware security module?",
        "A hardware security module (HSM) is a device.",
    );
    assert!(v.contains(&"HSM".to_string()), "{v:?}");
    let v = variants(
        "What is AWS Key Management Service?",
        "AWS Key Management Service (KMS) manages keys.",
    );
    assert!(v.contains(&"KMS".to_string()) && v.contains(&"Key Management Service".to_string()));
    let v = variants("What are IAM policies?", "");
    assert!(v.contains(&"IAM policy".to_string()), "{v:?}");
}

#[test]
fn masking_blanks_every_variant_and_collapses_brackets() {
    let sentence = "Amazon S3 (Simple Storage Service) is object storage; S3 scales.";
    let v = variants("What is Amazon S3?", sentence);
    assert_eq!(
        mask(sentence, &v).as_deref(),
        Some("___ is object storage; ___ scales.")
    );
    // A name in another case is not masked, and would give the answer away.
    assert_eq!(mask(&sentence.replace("; S3", "; s3"), &v), None);
    assert_eq!(mask("Nothing named here.", &v), None);
    // Whole words only: `AMI` is not inside `dynamic`.
    let v = variants("What is an AMI?", "");
    assert_eq!(
        mask("An AMI is a dynamic template.", &v).as_deref(),
        Some("A/An ___ is a dynamic template.")
    );
}

pub(crate) fn sample_cards() -> Vec<Arc<Flashcard>> {
    [
        card(
            "What is Amazon S3?",
            "Amazon S3 is object storage for any amount of data.",
            "tech",
        ),
        card(
            "What is Amazon EBS?",
            "Amazon EBS is block storage attached to one instance.",
            "tech",
        ),
        card(
            "What is Amazon EFS?",
            "Amazon EFS is a shared file system for many instances.",
            "tech",
        ),
        card(
            "What is AWS Lambda?",
            "AWS Lambda runs code without servers to manage.",
            "tech",
        ),
        card(
            "What is AWS Shield?",
            "AWS Shield protects applications against DDoS attacks.",
            "security",
        ),
        card(
            "What is elasticity?",
            "Elasticity is growing and shrinking capacity with demand.",
            "concepts",
        ),
        card(
            "What is agility?",
            "Agility is the speed at which new resources become available to you.",
            "concepts",
        ),
        card(
            "What is durability?",
            "Durability is the chance that stored data is not lost.",
            "concepts",
        ),
        card(
            "What is availability?",
            "Availability is the share of time a service can be reached.",
            "concepts",
        ),
    ]
    .into_iter()
    .map(Arc::new)
    .collect()
}

fn generate(cards: &[Arc<Flashcard>], seed: u64) -> Vec<Arc<QuizQuestion>> {
    generate_questions(cards, seed)
}

#[test]
fn distractors_prefer_the_same_kind_and_section() {
    let questions = generate(&sample_cards(), 7);
    assert_eq!(questions.len(), 9);
    let s3 = &questions[0];
    assert_eq!(s3.stem, "___ is object storage for any amount of data.");
    let texts: Vec<&str> = s3.options.iter().map(|o| o.text.as_str()).collect();
    assert_eq!(texts[s3.correct[0]], "Amazon S3");
    let mut others: Vec<&str> = texts
        .iter()
        .copied()
        .filter(|t| *t != "Amazon S3")
        .collect();
    others.sort();
    assert_eq!(others, ["AWS Lambda", "Amazon EBS", "Amazon EFS"]);
    let elasticity = questions
        .iter()
        .find(|q| q.stem.starts_with("___ is growing"))
        .unwrap();
    let mut others: Vec<&str> = elasticity
        .options
        .iter()
        .filter(|o| !o.correct)
        .map(|o| o.text.as_str())
        .collect();
    others.sort();
    assert_eq!(others, ["Agility", "Availability", "Durability"]);
}

#[test]
fn options_are_distinct_and_generation_is_deterministic() {
    let cards = sample_cards();
    let a = generate(&cards, 2020);
    assert_eq!(a, generate(&cards, 2020));
    for q in &a {
        let set: BTreeSet<String> = q.options.iter().map(|o| o.text.to_lowercase()).collect();
        assert_eq!(set.len(), 4, "{:?}", q.options);
        assert_eq!(q.options.iter().filter(|o| o.correct).count(), 1);
    }
    let positions = |qs: &[Arc<QuizQuestion>]| qs.iter().map(|q| q.correct[0]).collect::<Vec<_>>();
    let other_seeds: Vec<_> = (0..5).map(|s| positions(&generate(&cards, s))).collect();
    assert!(
        other_seeds.iter().any(|p| *p != positions(&a)),
        "the seed matters"
    );
}

#[test]
fn too_few_subjects_make_no_question() {
    let cards = &sample_cards()[..3];
    assert!(generate(cards, 1).is_empty());
}

#[test]
fn whole_words_are_found_as_match_indices_finds_them() {
    assert!(contains_word("the vpc is private", "vpc"));
    assert!(contains_word("über-vpc", "vpc"), "a hyphen ends a word");
    assert!(!contains_word("two vpcs", "vpc"));
    assert!(
        !contains_word("évpc", "vpc"),
        "letters outside ASCII join a word"
    );
    assert!(contains_word("a vpc", "a vpc"));
    // Occurrences do not overlap: "a-a" at 1 is not whole, and the one at 3
    // starts inside it, so it is never looked at (as with `match_indices`).
    assert!(!contains_word("xa-a-a", "a-a"));
    assert!(contains_word("x a-a-a", "a-a"));
    assert!(!contains_word("", "vpc"));
    assert!(!contains_word("vpc", ""));
}
