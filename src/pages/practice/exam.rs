//! `/exam/`: the mock exam. The page embeds its plan and the URL of the pool's
//! index (with its content hash) as JSON in a `<script type="application/json">`,
//! escaped by [`json_for_script`]; it does not list the pool: at thousands of
//! questions that made it hundreds of megabytes. Without JavaScript it links
//! to the section quizzes, which show every question with its answer.

use serde::Serialize;

use crate::pages::job::{Job, OutputHashes};
use crate::pages::kit::PageKit;
use crate::pages::practice::exam_pool::POOLS_PATH;
use crate::pages::practice::{Practice, QuizSection, EXAM_PATH};
use crate::pages::SiteData;
use crate::quiz::exam::{plan_exam, ExamPlan};
use crate::render::views::{NavView, SiteValue};
use crate::render::TEMPLATE_EXAM;
use crate::source::OutputPath;

/// Context of `exam.html`.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct ExamContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView<'a>,
    pub(crate) plan: ExamPlan,
    pub(crate) sections: &'a [QuizSection],
    /// `{ plan, pools }` as escaped JSON, for `exam.js`.
    pub(crate) exam_json: String,
}

/// The exam page's own data: small, embedded in the page.
#[derive(Serialize)]
struct ExamData<'a> {
    plan: &'a ExamPlan,
    /// The pool's index (`exam/pools.json?h=…`), from which `exam.js` fetches
    /// the files that hold the questions it drew.
    pools: String,
}

pub(crate) fn jobs<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    practice: &'a Practice<'a>,
) -> Vec<Job<'a>> {
    let needs = vec![POOLS_PATH.into()];
    let view = move |hashes: &OutputHashes| {
        let total = practice.bank.questions.len();
        let available = |id| practice.group(Some(id)).questions.len();
        let plan = plan_exam(&data.config.exam, data.model, total, available);
        ExamContext {
            site: &kit.site,
            nav: kit.nav(None, data.targets.url(&EXAM_PATH.into())),
            exam_json: json_for_script(&ExamData {
                plan: &plan,
                pools: pools_url(hashes),
            }),
            plan,
            sections: &practice.sections,
        }
    };
    let output = format!("{EXAM_PATH}index.html").into();
    vec![Job::page_after(
        output,
        needs,
        TEMPLATE_EXAM,
        EXAM_PATH,
        view,
    )]
}

/// The pool's index from the site's root, with its content hash.
pub(crate) fn pools_url(hashes: &OutputHashes) -> String {
    format!("{POOLS_PATH}?h={}", hashes[&OutputPath::from(POOLS_PATH)])
}

/// JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&`
/// become `\u003c`, `\u003e`, `\u0026`, so note text holding `</script>` or `<!--`
/// cannot end the element early; `JSON.parse` reads them back unchanged.
pub(crate) fn json_for_script(value: &impl Serialize) -> String {
    let mut json = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut json, ScriptSafe);
    value
        .serialize(&mut serializer)
        .expect("quiz data serialises: plain structs");
    String::from_utf8(json).expect("serde_json writes UTF-8")
}

/// A value a page embeds as [`json_for_script`] text. It hashes as the value
/// and is written out only when the page is rendered: `serve` keys the page
/// by its view on every rebuild, and most rebuilds then reuse the page.
#[derive(Debug, Hash)]
pub(crate) struct ScriptJson<T>(pub(crate) T);

impl<T: Serialize> Serialize for ScriptJson<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&json_for_script(&self.0))
    }
}

/// Escapes inside string literals as they are written: the only place the
/// characters can occur, and no second copy of a page-sized string.
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find(['<', '>', '&', '\u{2028}', '\u{2029}']) {
            let c = rest[at..].chars().next().expect("found a character");
            writer.write_all(&rest.as_bytes()[..at])?;
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::json_for_script;

    #[test]
    fn script_json_cannot_close_its_element() {
        let json = json_for_script(&["</script><script>alert(1)</script> & <!--"]);
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ["</script><script>alert(1)</script> & <!--"]);
    }
}
