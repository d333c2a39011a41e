//! The mock exam's plan: `[exam]` settings plus each top-level section's weight and
//! question count. The draw itself happens in the browser (`quiz-logic.js`), so each
//! attempt is a new exam; this is the data it draws from.

use serde::Serialize;

use crate::config::ExamConfig;
use crate::content::model::{SectionId, SiteModel};

/// What `exam.html` embeds as JSON for `exam.js`.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct ExamPlan {
    pub(crate) name: String,
    /// Questions per attempt (at most the pool size).
    pub(crate) questions: usize,
    pub(crate) minutes: u32,
    /// The configured exam's pace: a practice-exam page's timed exam gets this
    /// much time per question.
    pub(crate) seconds_per_question: u32,
    pub(crate) pass_score: u32,
    pub(crate) max_score: u32,
    pub(crate) min_score: u32,
    pub(crate) sections: Vec<ExamSection>,
}

/// One top-level section's share of the exam.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct ExamSection {
    pub(crate) section: String,
    pub(crate) title: String,
    /// Percent of the exam, from the section's `weight` (0 when unset).
    pub(crate) weight: i64,
    /// Questions the bank holds for it.
    pub(crate) available: usize,
}

/// Questions in one mock exam: the real exam's count, or the whole pool when
/// it holds fewer.
pub(crate) fn exam_length(config: &ExamConfig, pool: usize) -> usize {
    (config.questions as usize).min(pool)
}

/// The plan for `config` over a bank of `total` questions, of which
/// `available` tells how many each top-level section has.
pub(crate) fn plan_exam(
    config: &ExamConfig,
    model: &SiteModel,
    total: usize,
    available: impl Fn(SectionId) -> usize,
) -> ExamPlan {
    let sections: Vec<ExamSection> = model
        .root()
        .subsections
        .iter()
        .map(|&id| {
            let section = model.section(id);
            let slug = section.slug().to_string();
            ExamSection {
                available: available(id),
                section: slug,
                title: section.title.clone(),
                weight: section.weight.unwrap_or(0),
            }
        })
        .collect();
    ExamPlan {
        name: config.name.clone(),
        questions: exam_length(config, total),
        minutes: config.minutes,
        seconds_per_question: (config.minutes * 60).div_ceil(config.questions.max(1)),
        pass_score: config.pass_score,
        max_score: config.max_score,
        min_score: config.min_score,
        sections,
    }
}
