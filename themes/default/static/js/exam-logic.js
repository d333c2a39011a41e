// Mock exam bookkeeping with no DOM: what to confirm before submitting, which
// questions the review shows, and the attempt history. exam.js uses it;
// exam-logic.test.mjs runs it under `node --test`.
(function (root) {
  "use strict";

  // The pool's file arithmetic is quiz-store.js's (shared with /progress/): a
  // global in a page (loaded before this script), a module under Node.
  const common = typeof module === "object" && module.exports;
  const { poolPlace } = common ? require("./quiz-store.js") : root.StudysiteQuizStore;

  /** How many attempts the history keeps (the oldest go first). */
  const HISTORY_LIMIT = 50;

  /** Unanswered and flagged counts of an attempt, for the submit confirmation. */
  function openCounts(ids, answers, flagged) {
    const unanswered = ids.filter((id) => !(answers[id] || []).length).length;
    return { unanswered, flagged: ids.filter((id) => flagged.includes(id)).length };
  }

  /** Whether submitting should ask first: something is unanswered or flagged. */
  function needsConfirmation(counts) {
    return counts.unanswered > 0 || counts.flagged > 0;
  }

  /** The confirmation's wording, e.g. "57 of 65 questions are unanswered and 2 are flagged for review." */
  function confirmationText(counts, total) {
    const parts = [];
    const questions = total === 1 ? "question" : "questions";
    if (counts.unanswered > 0) parts.push(`${counts.unanswered} of ${total} ${questions} ${counts.unanswered === 1 ? "is" : "are"} unanswered`);
    if (counts.flagged > 0) parts.push(`${counts.flagged} ${counts.flagged === 1 ? "is" : "are"} flagged for review`);
    return parts.length ? `${parts.join(" and ")}.` : "";
  }

  /** The review filters and which items each keeps. */
  const REVIEW_FILTERS = {
    wrong: (item) => !item.ok,
    flagged: (item) => item.flagged,
    all: () => true,
  };

  /**
   * The scored items, each marked `flagged` and `unanswered`, with the count each
   * review filter would show.
   */
  function reviewItems(items, flagged) {
    const marked = items.map((item) => ({
      ...item,
      flagged: flagged.includes(item.question.id),
      unanswered: item.selected.length === 0,
    }));
    const counts = Object.fromEntries(Object.entries(REVIEW_FILTERS).map(([name, keep]) => [name, marked.filter(keep).length]));
    return { items: marked, counts };
  }

  /**
   * A finished attempt as the history keeps it.
   * @param result  scoreAnswers' result
   * @param attempt { id, startedAt, finishedAt, timedOut }
   */
  function attemptRecord(result, attempt) {
    return {
      id: attempt.id,
      date: attempt.finishedAt,
      seconds: Math.max(0, Math.round((attempt.finishedAt - attempt.startedAt) / 1000)),
      timedOut: Boolean(attempt.timedOut),
      scaled: result.scaled,
      maxScore: result.maxScore,
      passed: result.passed,
      correct: result.correct,
      total: result.total,
      sections: result.sections.map(({ section, title, correct, total, percent }) => ({ section, title, correct, total, percent })),
    };
  }

  /** The history with `record` added once (a reload of the results page adds nothing). */
  function addAttempt(history, record) {
    const list = Array.isArray(history) ? history : [];
    if (list.some((r) => r.id === record.id)) return list;
    return [...list, record].slice(-HISTORY_LIMIT);
  }

  /** "1:05:09" or "12:04" for a number of seconds. */
  function formatDuration(seconds) {
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const ss = String(s % 60).padStart(2, "0");
    return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
  }

  /**
   * The exam of one practice-exam page, `from` being its URL: its questions in
   * the page's order, and the minutes they get at the mock exam's pace.
   */
  function pageExam(pool, from, plan) {
    const questions = pool.filter((q) => String(q.url).split("#")[0] === from);
    const seconds = questions.length * plan.seconds_per_question;
    return { questions, minutes: Math.max(1, Math.ceil(seconds / 60)) };
  }

  /**
   * Where a drawn slot's question is: the index of its file among `meta.pools` and
   * its place in that file, or null for a section the pool no longer has. `meta` is
   * the pool's index (exam/pools.json): each group's `section`, `questions` and
   * `first_file`, and `chunk` questions per file.
   */
  function slotPlace(meta, { section, index }) {
    return poolPlace(meta.groups.find((g) => g.section === section), index, meta.chunk);
  }

  /** The slots of one practice-exam page's questions (`?from=`), in its order. */
  function pageSlots(meta, from) {
    for (const { section, pages } of meta.groups) {
      const range = pages[from];
      if (range) return Array.from({ length: range[1] - range[0] }, (_, i) => ({ section, index: range[0] + i }));
    }
    return [];
  }

  const api = {
    HISTORY_LIMIT,
    slotPlace,
    pageSlots,
    openCounts,
    needsConfirmation,
    confirmationText,
    REVIEW_FILTERS,
    reviewItems,
    attemptRecord,
    addAttempt,
    formatDuration,
    pageExam,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.StudysiteExamLogic = api;
})(typeof self !== "undefined" ? self : this);
