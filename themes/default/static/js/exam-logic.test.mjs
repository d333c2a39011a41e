import test from "node:test";
import assert from "node:assert/strict";
import examLogic from "./exam-logic.js";

const {
  pageExam,
  pageSlots,
  slotPlace,
  addAttempt,
  attemptRecord,
  confirmationText,
  formatDuration,
  HISTORY_LIMIT,
  needsConfirmation,
  openCounts,
  reviewItems,
} = examLogic;

test("submitting asks first when questions are unanswered or flagged, with the counts", () => {
  const ids = ["a", "b", "c", "d"];
  const counts = openCounts(ids, { a: [1], b: [], c: [0, 2] }, ["c"]);
  assert.deepEqual(counts, { unanswered: 2, flagged: 1 });
  assert.equal(needsConfirmation(counts), true);
  assert.equal(confirmationText(counts, 4), "2 of 4 questions are unanswered and 1 is flagged for review.");
  assert.equal(confirmationText({ unanswered: 1, flagged: 0 }, 65), "1 of 65 questions is unanswered.");
  assert.equal(confirmationText({ unanswered: 1, flagged: 0 }, 1), "1 of 1 question is unanswered.");
  const done = openCounts(ids, { a: [1], b: [0], c: [2], d: [3] }, []);
  assert.equal(needsConfirmation(done), false);
  assert.equal(confirmationText(done, 4), "");
});

test("the review marks flags and blank answers and counts each filter", () => {
  const q = (id) => ({ id });
  const items = [
    { question: q("a"), selected: [1], ok: true },
    { question: q("b"), selected: [], ok: false },
    { question: q("c"), selected: [0], ok: false },
  ];
  const review = reviewItems(items, ["a", "b"]);
  assert.deepEqual(review.counts, { wrong: 2, flagged: 2, all: 3 });
  assert.deepEqual(review.items.map((i) => [i.flagged, i.unanswered]), [[true, false], [true, true], [false, false]]);
});

test("the history keeps each attempt once, newest last, with time used and domain scores", () => {
  const result = {
    scaled: 720, maxScore: 1000, passed: true, correct: 47, total: 65,
    sections: [{ section: "s1", title: "One", correct: 10, total: 12, percent: 83, extra: 1 }],
  };
  const record = attemptRecord(result, { id: 7, startedAt: 1000, finishedAt: 1000 + 61_400, timedOut: false });
  assert.equal(record.seconds, 61);
  assert.deepEqual(record.sections, [{ section: "s1", title: "One", correct: 10, total: 12, percent: 83 }]);
  let history = addAttempt(null, record);
  history = addAttempt(history, record);
  assert.equal(history.length, 1);
  history = addAttempt(history, { ...record, id: 8 });
  assert.deepEqual(history.map((r) => r.id), [7, 8]);
  for (let i = 0; i < HISTORY_LIMIT + 5; i++) history = addAttempt(history, { ...record, id: 100 + i });
  assert.equal(history.length, HISTORY_LIMIT);
  assert.equal(history.at(-1).id, 100 + HISTORY_LIMIT + 4);
});

test("durations read as minutes and seconds, hours when needed", () => {
  assert.equal(formatDuration(0), "0:00");
  assert.equal(formatDuration(61), "1:01");
  assert.equal(formatDuration(90 * 60), "1:30:00");
});

test("a practice-exam page's exam keeps its questions in order, at the mock exam's pace", () => {
  const pool = [
    { id: "a", url: "/exams/one/" },
    { id: "b", url: "/notes/s3/#storage" },
    { id: "c", url: "/exams/one/#part-2" },
    { id: "d", url: "/exams/one-more/" },
  ];
  const plan = { questions: 65, minutes: 90, seconds_per_question: 84 };
  const exam = pageExam(pool, "/exams/one/", plan);
  assert.deepEqual(exam.questions.map((q) => q.id), ["a", "c"]);
  assert.equal(exam.minutes, 3, "2 questions at 84 s each, rounded up to whole minutes");
  assert.deepEqual(pageExam(pool, "/nowhere/", plan), { questions: [], minutes: 1 });
});

test("a drawn slot is found in its file by the exam page's map, and a page's questions by their range", () => {
  const meta = {
    chunk: 50,
    groups: [
      { section: "concepts", questions: 120, first_file: 0, pages: {} },
      { section: "exams", questions: 30, first_file: 3, pages: { "exams/one/": [10, 15] } },
    ],
  };
  assert.deepEqual(slotPlace(meta, { section: "concepts", index: 0 }), { file: 0, at: 0 });
  assert.deepEqual(slotPlace(meta, { section: "concepts", index: 119 }), { file: 2, at: 19 });
  assert.deepEqual(slotPlace(meta, { section: "exams", index: 7 }), { file: 3, at: 7 });
  // A slot saved before the site changed: its section is gone or shorter now.
  assert.equal(slotPlace(meta, { section: "gone", index: 0 }), null);
  assert.equal(slotPlace(meta, { section: "exams", index: 30 }), null);
  assert.deepEqual(
    pageSlots(meta, "exams/one/").map((s) => s.index),
    [10, 11, 12, 13, 14],
  );
  assert.ok(pageSlots(meta, "exams/one/").every((s) => s.section === "exams"));
  assert.deepEqual(pageSlots(meta, "exams/two/"), []);
});
