// node --test: the progress store's answer records, review queue, re-attachment
// of reworded questions, summaries, readiness, and the export file's merge.
import test from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const store = require("./progress-store.js");

const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date(2026, 11, 1, 10, 0).getTime();
const NOTE = "content/02-security/iam.md";
const q1 = { id: "q1", note: NOTE, stem: "Which service manages users and permissions?", section: "security" };

test("stems are normalised: case, punctuation and spacing do not matter", () => {
  assert.equal(store.normaliseStem("  What is  AWS IAM?! "), "what is aws iam");
  assert.equal(store.normaliseStem("Qu'est-ce que l'été ?"), "questce que lété");
});

test("an answer records the last attempt and counts attempts", () => {
  let p = store.recordAnswer(store.empty(), q1, false, T0);
  p = store.recordAnswer(p, { id: "q1" }, true, T0 + 1000);
  assert.deepEqual(p.questions.q1, {
    note: NOTE, stem: "which service manages users and permissions", section: "security", at: T0 + 1000, ok: true, seen: 2,
  });
});

test("a missed question leaves the review queue after right answers on two different days", () => {
  let p = store.recordAnswer(store.empty(), q1, false, T0);
  assert.deepEqual(store.reviewQueue(p), ["q1"]);
  p = store.recordAnswer(p, q1, true, T0 + 60_000);
  p = store.recordAnswer(p, q1, true, T0 + 120_000);
  assert.deepEqual(store.reviewQueue(p), ["q1"], "two right answers on the same day keep it queued");
  p = store.recordAnswer(p, q1, true, T0 + DAY);
  assert.deepEqual(store.reviewQueue(p), []);
  assert.equal(p.review.q1.done, true);
});

test("a wrong answer while queued starts the count of right days again", () => {
  let p = store.recordAnswer(store.empty(), q1, false, T0);
  p = store.recordAnswer(p, q1, true, T0 + 1000);
  p = store.recordAnswer(p, q1, false, T0 + DAY);
  p = store.recordAnswer(p, q1, true, T0 + 2 * DAY);
  assert.deepEqual(store.reviewQueue(p), ["q1"]);
  assert.equal(p.review.q1.added, T0, "it keeps its place in the queue");
});

test("right answers to a question never missed do not queue it", () => {
  const p = store.recordAnswer(store.empty(), q1, true, T0);
  assert.deepEqual(store.reviewQueue(p), []);
});

test("the queue puts the longest-waiting question first", () => {
  let p = store.recordAnswer(store.empty(), { id: "b" }, false, T0 + 5);
  p = store.recordAnswer(p, { id: "a" }, false, T0 + 9);
  p = store.recordAnswer(p, { id: "b" }, false, T0 + 20);
  assert.deepEqual(store.reviewQueue(p), ["b", "a"]);
});

test("a slightly reworded question keeps its progress and its place in the queue", () => {
  const p = store.recordAnswer(store.empty(), q1, false, T0);
  const current = [
    { id: "q9", note: NOTE, stem: "Which service manages IAM users and permissions?", section: "security" },
    { id: "q8", note: "content/02-security/kms.md", stem: "Which service manages users and permissions?" },
  ];
  const { progress, moved } = store.reattach(p, current);
  assert.deepEqual(moved, [["q1", "q9"]]);
  assert.equal(progress.questions.q1, undefined);
  assert.equal(progress.questions.q9.ok, false);
  assert.equal(progress.questions.q9.stem, "which service manages iam users and permissions");
  assert.deepEqual(store.reviewQueue(progress), ["q9"]);
});

test("a rewritten question, or one of another note, does not take the old progress", () => {
  const p = store.recordAnswer(store.empty(), q1, true, T0);
  const current = [
    { id: "q9", note: NOTE, stem: "Which service encrypts data at rest?" },
    { id: "q8", note: "content/other.md", stem: "Which service manages users and permissions?" },
  ];
  const { progress, moved } = store.reattach(p, current);
  assert.deepEqual(moved, []);
  assert.ok(progress.questions.q1, "the record stays, in case the question comes back");
});

test("re-attachment never overwrites a question's own record", () => {
  let p = store.recordAnswer(store.empty(), q1, false, T0);
  p = store.recordAnswer(p, { id: "q9", note: NOTE, stem: "Which service manages users and permissions now?" }, true, T0 + 1);
  const { moved } = store.reattach(p, [{ id: "q9", note: NOTE, stem: "Which service manages users and permissions now?" }]);
  assert.deepEqual(moved, []);
});

test("re-attachment fills in the note and section of records made without them", () => {
  const p = store.recordAnswer(store.empty(), { id: "q1", stem: "Old words" }, false, T0);
  const { progress } = store.reattach(p, [{ ...q1 }]);
  assert.equal(progress.questions.q1.note, NOTE);
  assert.equal(progress.review.q1.section, "security");
});

test("a current question that was not fetched keeps its record: only a gone one is re-attached", () => {
  const p = store.recordAnswer(store.empty(), q1, false, T0);
  const fetched = [{ id: "q9", note: NOTE, stem: "Which service manages IAM users and permissions?", section: "security" }];
  const { moved } = store.reattach(p, fetched, (id) => id === "q1");
  assert.deepEqual(moved, []);
  assert.deepEqual(store.reattach(p, fetched, () => false).moved, [["q1", "q9"]]);
});

test("the progress page fetches only the pool files holding its queue, records to describe, and gone questions' sections", () => {
  // Two sections in pool order: security's 120 questions in files 0–2, billing's 60 in 3–4.
  const ids = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const data = {
    chunk: 50,
    sections: [
      { section: "security", questions: ids("s", 120) },
      { section: "billing", questions: ids("b", 60) },
    ],
    groups: [
      { section: "security", questions: 120, first_file: 0 },
      { section: "billing", questions: 60, first_file: 3 },
    ],
  };
  const known = (id) => ({ id, note: NOTE, stem: `Stem of ${id}?`, section: id.startsWith("s") ? "security" : "billing" });
  assert.deepEqual(store.neededPoolFiles(store.empty(), data), [], "no records: nothing to fetch");
  // Right answers with their note known: nothing; a wrong one queues its file (s75 is in file 1).
  let p = store.recordAnswer(store.empty(), known("s3"), true, T0);
  p = store.recordAnswer(p, known("s75"), false, T0);
  assert.deepEqual(store.neededPoolFiles(p, data), [1]);
  // An answer from a quiz page (no note yet): its file, once, to learn the note (b55 is in file 4).
  p = store.recordAnswer(p, { id: "b55", stem: "Stem of b55?", section: "billing" }, true, T0);
  assert.deepEqual(store.neededPoolFiles(p, data), [1, 4]);
  // A question gone from security: all of security's files, to find it reworded.
  p = store.recordAnswer(p, { ...known("gone"), section: "security" }, true, T0);
  assert.deepEqual(store.neededPoolFiles(p, data), [0, 1, 2, 4]);
});

test("token overlap: the share of the longer stem's words that both have", () => {
  assert.equal(store.similarity("a b c d e", "a b c d f"), 0.8);
  assert.equal(store.similarity("a b c d", "a b c d e"), 0.8);
  assert.equal(store.similarity("", ""), 0);
});

test("section progress counts seen, right, review, flashcard boxes and due cards", () => {
  let p = store.recordAnswer(store.empty(), { id: "a" }, true, T0);
  p = store.recordAnswer(p, { id: "b" }, false, T0);
  p = store.recordAnswer(p, { id: "z" }, true, T0);
  const cards = { c1: { box: 3, due: T0 + DAY }, c2: { box: 1, due: T0 - 1 } };
  const sections = [{ section: "s", weight: 30, questions: ["a", "b", "c"], cards: ["c1", "c2", "c3"] }];
  const [row] = store.sectionProgress(sections, p, cards, T0);
  assert.deepEqual(row, { section: "s", weight: 30, total: 3, seen: 2, right: 1, review: 1, boxes: [1, 1, 0, 1, 0, 0], due: 2, cards: 3 });
});

test("without a section's id lists, records count by their section, and cards are all new or their boxes unknown", () => {
  let p = store.recordAnswer(store.empty(), { id: "a", section: "s" }, true, T0);
  p = store.recordAnswer(p, { id: "b", section: "s" }, false, T0);
  p = store.recordAnswer(p, { id: "x", section: "other" }, true, T0);
  const sections = [{ section: "s", weight: 30, question_count: 40, card_count: 12 }];
  // Some flashcard has a state: which of this section's cards it is cannot be told.
  const [row] = store.sectionProgress(sections, p, { c9: { box: 2, due: T0 } }, T0);
  assert.deepEqual(row, { section: "s", weight: 30, total: 40, seen: 2, right: 1, review: 1, boxes: null, due: 0, cards: 12 });
  // A learner with no flashcard state: every card is new and due.
  const [fresh] = store.sectionProgress(sections, store.empty(), {}, T0);
  assert.deepEqual(fresh, { section: "s", weight: 30, total: 40, seen: 0, right: 0, review: 0, boxes: [12, 0, 0, 0, 0, 0], due: 12, cards: 12 });
});

test("readiness weights each section's share right by its exam weight", () => {
  const rows = [
    { weight: 75, right: 8, total: 10 },
    { weight: 25, right: 0, total: 10 },
  ];
  assert.equal(store.readiness(rows), 60);
  assert.equal(store.readiness([{ weight: null, right: 1, total: 2 }, { weight: null, right: 2, total: 2 }]), 75);
  assert.equal(store.readiness([{ weight: 50, right: 2, total: 2 }, { weight: null, right: 0, total: 2 }]), 100);
  assert.equal(store.readiness([]), 0);
});

test("exam domains: the best and the latest percent per section", () => {
  const history = [
    { id: 2, date: T0 + DAY, scaled: 500, sections: [{ section: "s", title: "S", percent: 40 }] },
    { id: 1, date: T0, scaled: 800, sections: [{ section: "s", title: "S", percent: 90 }] },
  ];
  assert.deepEqual(store.examDomains(history), { s: { best: 90, latest: 40, title: "S" } });
});

function sample(now) {
  const progress = store.recordAnswer(store.empty(), q1, false, now);
  return { progress, cards: { c1: { box: 2, due: now + DAY, history: [{ at: now, grade: 3, box: 2 }] } }, exams: [{ id: 7, date: now, scaled: 650, sections: [] }] };
}

test("an export parses back to the same progress", () => {
  const all = sample(T0);
  const text = JSON.stringify(store.exportFile(all, T0));
  const { file, error } = store.parseFile(text);
  assert.equal(error, undefined);
  assert.equal(file.format, "studysite-progress");
  assert.equal(file.version, 1);
  const { all: merged, counts } = store.merge({ progress: store.empty(), cards: {}, exams: [] }, file);
  assert.deepEqual(merged, all);
  assert.deepEqual(counts, { questions: 1, review: 1, cards: 1, exams: 1 });
});

test("merging keeps the newest of each item, from either side", () => {
  const local = sample(T0 + DAY);
  local.progress = store.recordAnswer(store.empty(), { id: "mine" }, true, T0);
  const older = sample(T0);
  older.progress = store.recordAnswer(older.progress, { id: "mine" }, false, T0 + 2 * DAY);
  const { file } = store.parseFile(JSON.stringify(store.exportFile(older, T0)));
  const { all, counts } = store.merge(local, file);
  assert.equal(all.cards.c1.due, T0 + 2 * DAY, "the local card was reviewed later");
  assert.equal(all.progress.questions.mine.ok, false, "the file's answer is newer");
  assert.equal(all.progress.questions.q1.ok, false, "a question only the file has comes in");
  assert.deepEqual(all.exams.map((e) => e.id), [7]);
  assert.deepEqual(counts, { questions: 2, review: 2, cards: 0, exams: 0 });
});

test("a bad or foreign file is refused with a reason", () => {
  const good = store.exportFile(sample(T0), T0);
  const cases = [
    ["not json {", /not JSON/],
    [JSON.stringify({ format: "anki", version: 1 }), /not a studysite progress export/],
    [JSON.stringify([1, 2]), /not a studysite progress export/],
    [JSON.stringify({ ...good, version: 2 }), /version 2; this site reads version 1/],
    [JSON.stringify({ ...good, version: "1" }), /no valid version/],
    [JSON.stringify({ ...good, cards: [] }), /no "cards" object/],
    [JSON.stringify({ ...good, questions: { x: { at: "yesterday", ok: true } } }), /malformed questions entry \(x\)/],
    [JSON.stringify({ ...good, exams: [{ id: 1 }] }), /malformed "exams"/],
  ];
  for (const [text, message] of cases) {
    const { file, error } = store.parseFile(text);
    assert.equal(file, undefined, text);
    assert.match(error, message);
  }
});

test("the storage helpers change nothing when a file is refused", () => {
  const saved = new Map();
  globalThis.localStorage = {
    getItem: (k) => (saved.has(k) ? saved.get(k) : null),
    setItem: (k, v) => saved.set(k, String(v)),
  };
  try {
    store.answered([{ question: q1, ok: false }], T0);
    const before = new Map(saved);
    const { error } = store.parseFile(JSON.stringify({ format: "studysite-progress", version: 1 }));
    assert.ok(error);
    assert.deepEqual(saved, before);
    assert.deepEqual(store.reviewQueue(store.loadAll().progress), ["q1"]);
  } finally {
    delete globalThis.localStorage;
  }
});
