//! The shipped AWS Cloud Practitioner notes: they check clean, keep the exam's
//! shape, and every topic the exam covers has a page or heading.

use std::process::Command;

use scraper::Html;

use crate::harness::{from_root, output_path, select};

/// Every topic the notes must cover (the exam's content outline as of 2020);
/// `a|b` accepts either spelling.
const TOPICS: &[&str] = &[
    "CapEx",
    "OpEx",
    "server sprawl",
    "economies of scale",
    "go global",
    "private cloud",
    "public cloud",
    "hybrid cloud",
    "cloud bursting",
    "IaaS",
    "PaaS",
    "SaaS",
    "scalability",
    "elasticity",
    "fault tolerance",
    "high availability",
    "ingress",
    "egress",
    "Region",
    "Availability Zone",
    "edge location",
    "IAM",
    "root user",
    "least privilege",
    "IAM users",
    "groups",
    "explicit deny",
    "policies",
    "roles",
    "access keys",
    "MFA",
    "Cognito",
    "user pools",
    "identity pools",
    "identity federation",
    "STS",
    "VPC",
    "VPC peering",
    "Transit Gateway",
    "public subnet",
    "private subnet",
    "internet gateway",
    "route table",
    "NACL",
    "security group",
    "EC2",
    "On-Demand",
    "Reserved Instances",
    "Standard Reserved",
    "Convertible Reserved",
    "Scheduled Reserved",
    "Spot",
    "Dedicated Host",
    "AMI",
    "instance types",
    "EBS",
    "snapshot",
    "Lightsail",
    "Elastic Beanstalk",
    "ECS",
    "S3",
    "bucket",
    "object",
    "versioning",
    "durability",
    "availability",
    "S3 Standard",
    "Standard-IA",
    "One Zone-IA",
    "Glacier",
    "Intelligent-Tiering",
    "lifecycle",
    "Transfer Acceleration",
    "replication",
    "Storage Gateway",
    "Snowball",
    "Snowmobile",
    "Direct Connect",
    "EFS",
    "Elastic Load Balancing",
    "scaling up",
    "scaling out",
    "Auto Scaling",
    "Auto Scaling group",
    "Route 53",
    "CloudFront",
    "Global Accelerator",
    "CloudWatch",
    "CloudTrail",
    "SNS",
    "loose coupling",
    "relational",
    "NoSQL",
    "RDS",
    "read replica",
    "Multi-AZ",
    "DynamoDB",
    "ElastiCache",
    "Redis",
    "Memcached",
    "Redshift",
    "Athena",
    "Glue",
    "EMR",
    "Kinesis",
    "Database Migration Service",
    "DataSync",
    "Lambda",
    "Step Functions",
    "shared responsibility model",
    "shared controls",
    "penetration testing",
    "Inspector",
    "GuardDuty",
    "Artifact",
    "Trusted Advisor",
    "WAF",
    "Shield",
    "KMS",
    "CloudHSM",
    "Personal Health Dashboard",
    "Well-Architected Framework",
    "operational excellence",
    "security",
    "reliability",
    "performance efficiency",
    "cost optimization|cost optimisation",
    "Organizations",
    "consolidated billing",
    "Basic",
    "Developer",
    "Business",
    "Enterprise",
    "TCO calculator",
    "CodeCommit",
    "CodeDeploy",
    "CloudFormation",
    "bootstrapping",
    "resource groups",
    "tags",
    "stateless",
    "stateful",
    "OpsWorks",
    "AWS Config",
];

struct Shipped {
    _out: tempfile::TempDir,
    root: std::path::PathBuf,
}

impl Shipped {
    fn build() -> Shipped {
        let out = tempfile::tempdir().unwrap();
        let root = out.path().join("public");
        let run = Command::new(env!("CARGO_BIN_EXE_studysite"))
            .args(["build", "-r", env!("CARGO_MANIFEST_DIR"), "-o"])
            .arg(&root)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        Shipped { _out: out, root }
    }

    fn page(&self, url: &str) -> Html {
        let path = self
            .root
            .join(url.trim_start_matches('/'))
            .join("index.html");
        Html::parse_document(
            &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{url}: {e}")),
        )
    }

    fn texts(&self, url: &str, css: &str) -> Vec<String> {
        select(&self.page(url), css)
            .iter()
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    /// URLs of every note page, from the sections' page lists.
    fn note_urls(&self) -> Vec<String> {
        let sections: Vec<String> = select(&self.page("/"), ".section-card a")
            .iter()
            .map(|a| from_root("index.html", a.value().attr("href").unwrap(), "/"))
            .collect();
        sections
            .iter()
            .flat_map(|s| {
                // Page lists link relative to their section's page.
                let section = output_path(s);
                select(&self.page(s), ".page-list a")
                    .iter()
                    .map(|a| from_root(&section, a.value().attr("href").unwrap(), "/"))
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

#[test]
fn shipped_notes_check_clean() {
    let run = Command::new(env!("CARGO_BIN_EXE_studysite"))
        .args(["check", "-r", env!("CARGO_MANIFEST_DIR")])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "check found problems:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn four_exam_sections_with_their_weights() {
    let site = Shipped::build();
    let titles = site.texts("/", ".section-card-title");
    assert_eq!(
        titles,
        [
            "Cloud Concepts",
            "Security",
            "Technology",
            "Billing and Pricing"
        ]
    );
    let weights = site.texts("/", ".section-weight");
    assert_eq!(
        weights,
        [
            "Share of the exam: 28%",
            "Share of the exam: 24%",
            "Share of the exam: 36%",
            "Share of the exam: 12%"
        ]
    );
}

#[test]
fn every_note_has_three_quizzes_a_question_heading_and_valid_mnemonics() {
    let site = Shipped::build();
    let urls = site.note_urls();
    assert!(urls.len() >= 20, "only {} notes", urls.len());
    let is_question = |t: &str| {
        t.ends_with('?')
            && ["What is ", "What are ", "How is ", "When should "]
                .iter()
                .any(|p| t.starts_with(p))
    };
    for url in &urls {
        let page = site.page(url);
        let quizzes = select(&page, ".note .content form.quiz-question").len();
        assert!(quizzes >= 3, "{url}: {quizzes} quizzes");
        let headings: Vec<String> = select(&page, ".toc a")
            .iter()
            .map(|a| a.text().collect())
            .collect();
        assert!(
            headings.iter().any(|h| is_question(h)),
            "{url}: no question heading in {headings:?}"
        );
        for pair in select(&page, ".mnemonic-pairs > li") {
            let text = |css: &str| {
                select(&Html::parse_fragment(&pair.html()), css)
                    .first()
                    .map(|e| e.text().collect::<String>().to_lowercase())
                    .unwrap_or_default()
            };
            assert_eq!(
                text(".mnemonic-word > b"),
                text(".mnemonic-item > b"),
                "{url}: {}",
                pair.html()
            );
        }
    }
    let mnemonics: usize = urls
        .iter()
        .map(|u| select(&site.page(u), ".mnemonic-pairs").len())
        .sum();
    assert!(mnemonics >= 8, "only {mnemonics} mnemonics");
}

#[test]
fn every_exam_topic_appears_in_the_notes() {
    let site = Shipped::build();
    let text: String = site
        .note_urls()
        .iter()
        .map(|u| site.texts(u, ".note .content").join(" ").to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let missing: Vec<&&str> = TOPICS
        .iter()
        .filter(|t| {
            !t.split('|')
                .any(|spelling| text.contains(&spelling.to_lowercase()))
        })
        .collect();
    assert!(missing.is_empty(), "topics without a note: {missing:?}");
}

#[test]
fn no_test_files_are_published() {
    let site = Shipped::build();
    let files: Vec<String> = crate::harness::tree(&site.root).into_keys().collect();
    assert!(
        files.iter().any(|f| f.starts_with("js/quiz-logic")),
        "the theme's scripts are published: {files:?}"
    );
    // The theme's unit tests (themes/default/static/js/*.test.mjs) sit beside them.
    let tests: Vec<&String> = files
        .iter()
        .filter(|f| f.rsplit('/').next().unwrap().contains(".test."))
        .collect();
    assert!(tests.is_empty(), "test files in the output: {tests:?}");
}
