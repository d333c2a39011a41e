import test from "node:test";
import assert from "node:assert/strict";
import quizLogic from "./quiz-logic.js";

const { prng, shuffle, isCorrect, scaledScore, scoreAnswers, allocateSeats, drawExam, drawSlots } = quizLogic;

const single = { id: "s", section: "sec", section_title: "Sec", options: ["a", "b", "c"], correct: [1] };
const multi = { id: "m", section: "tech", section_title: "Tech", options: ["a", "b", "c", "d"], correct: [0, 2], multi: true };

test("a single-answer question needs its one option", () => {
  assert.equal(isCorrect(single, [1]), true);
  assert.equal(isCorrect(single, [0]), false);
  assert.equal(isCorrect(single, []), false);
  assert.equal(isCorrect(single, undefined), false);
  assert.equal(isCorrect(single, [1, 2]), false);
});

test("choose-all-that-apply needs exactly the correct set, in any order", () => {
  assert.equal(isCorrect(multi, [2, 0]), true);
  assert.equal(isCorrect(multi, ["0", "2"]), true);
  assert.equal(isCorrect(multi, [0]), false);
  assert.equal(isCorrect(multi, [0, 2, 3]), false);
  assert.equal(isCorrect(multi, [0, 0, 2]), true);
});

test("the scaled score is round(correct / total × max)", () => {
  assert.equal(scaledScore(46, 65, 1000), 708);
  assert.equal(scaledScore(45, 65, 1000), 692);
  assert.equal(scaledScore(65, 65, 1000), 1000);
  assert.equal(scaledScore(0, 65, 1000), 0);
  assert.equal(scaledScore(1, 3, 100), 33);
  assert.equal(scaledScore(0, 0, 1000), 0);
});

test("scoring reports pass/fail, per-section scores and the wrong answers", () => {
  const questions = [single, multi, { ...single, id: "s2", correct: [0] }];
  const result = scoreAnswers(questions, { s: [1], m: [0], s2: [0] }, { maxScore: 1000, passScore: 700 });
  assert.equal(result.correct, 2);
  assert.equal(result.total, 3);
  assert.equal(result.scaled, 667);
  assert.equal(result.passed, false);
  assert.deepEqual(
    result.sections.map((s) => [s.section, s.title, s.correct, s.total, s.percent]),
    [
      ["sec", "Sec", 2, 2, 100],
      ["tech", "Tech", 0, 1, 0],
    ],
  );
  assert.deepEqual(result.wrong.map((w) => [w.question.id, w.selected]), [["m", [0]]]);

  const pass = scoreAnswers(questions, { s: [1], m: [2, 0], s2: [0] }, { maxScore: 1000, passScore: 700 });
  assert.equal(pass.scaled, 1000);
  assert.equal(pass.passed, true);
  assert.equal(pass.wrong.length, 0);
});

test("the pass mark is inclusive", () => {
  const qs = Array.from({ length: 10 }, (_, i) => ({ id: `q${i}`, section: "a", correct: [0] }));
  const answers = Object.fromEntries(qs.slice(0, 7).map((q) => [q.id, [0]]));
  assert.equal(scoreAnswers(qs, answers, { maxScore: 1000, passScore: 700 }).passed, true);
  assert.equal(scoreAnswers([], {}, {}).passed, false);
});

test("the PRNG is deterministic per seed and shuffles are permutations", () => {
  const a = prng(42);
  const b = prng(42);
  const c = prng("42-other");
  const xs = [a(), a(), a()];
  assert.deepEqual(xs, [b(), b(), b()]);
  assert.notDeepEqual(xs, [c(), c(), c()]);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const items = Array.from({ length: 20 }, (_, i) => i);
  const mixed = shuffle(items, prng(7));
  assert.deepEqual([...mixed].sort((x, y) => x - y), items);
  assert.notDeepEqual(mixed, items);
  assert.deepEqual(mixed, shuffle(items, prng(7)));
});

function pool(counts) {
  const out = [];
  for (const [section, n] of Object.entries(counts)) {
    for (let i = 0; i < n; i++) out.push({ id: `${section}-${i}`, section, correct: [0] });
  }
  return out;
}

const WEIGHTS = { concepts: 24, security: 30, technology: 34, billing: 12 };

test("10,000 drawn exams match the section weights within 2 points", () => {
  const questions = pool({ concepts: 60, security: 70, technology: 90, billing: 40 });
  const rand = prng(2024);
  const counts = { concepts: 0, security: 0, technology: 0, billing: 0 };
  let total = 0;
  for (let i = 0; i < 10000; i++) {
    const exam = drawExam(questions, { count: 65, weights: WEIGHTS, seed: Math.floor(rand() * 2 ** 32) });
    assert.equal(exam.length, 65);
    assert.equal(new Set(exam.map((q) => q.id)).size, 65, "drawn without replacement");
    for (const q of exam) counts[q.section]++;
    total += exam.length;
  }
  for (const [section, weight] of Object.entries(WEIGHTS)) {
    const share = (100 * counts[section]) / total;
    assert.ok(Math.abs(share - weight) <= 2, `${section}: ${share.toFixed(2)}% vs ${weight}%`);
  }
});

test("each exam's section counts are within one seat of the weighted share", () => {
  const questions = pool({ concepts: 60, security: 70, technology: 90, billing: 40 });
  for (let seed = 0; seed < 200; seed++) {
    const exam = drawExam(questions, { count: 65, weights: WEIGHTS, seed });
    for (const [section, weight] of Object.entries(WEIGHTS)) {
      const n = exam.filter((q) => q.section === section).length;
      assert.ok(Math.abs(n - (65 * weight) / 100) < 1, `${section}: ${n}`);
    }
  }
});

test("a drawn exam is deterministic for its seed and varies between seeds", () => {
  const questions = pool({ concepts: 30, security: 30, technology: 30, billing: 30 });
  const ids = (seed) => drawExam(questions, { count: 20, weights: WEIGHTS, seed }).map((q) => q.id);
  assert.deepEqual(ids(5), ids(5));
  assert.notDeepEqual(ids(5), ids(6));
});

test("slots are drawn from the counts alone, as drawExam draws the questions they name", () => {
  // A section as large as a 10,000-note site's: only the counts are needed to draw.
  const sections = [
    { section: "technology", available: 24000 },
    { section: "billing", available: 900 },
  ];
  const slots = drawSlots(sections, { count: 65, weights: { technology: 88, billing: 12 }, seed: 9 });
  assert.equal(slots.length, 65);
  assert.equal(new Set(slots.map((s) => `${s.section}/${s.index}`)).size, 65, "distinct");
  for (const { section, index } of slots) {
    const { available } = sections.find((s) => s.section === section);
    assert.ok(Number.isInteger(index) && index >= 0 && index < available, `${section} ${index}`);
  }
  const billing = slots.filter((s) => s.section === "billing").length;
  assert.ok(billing === 7 || billing === 8, `12% of 65 is 7.8 seats: ${billing}`);
  // The same draw over the questions themselves names the same questions.
  const questions = pool({ a: 40, b: 25 });
  const counts = [
    { section: "b", available: 25 },
    { section: "a", available: 40 },
  ];
  const named = drawSlots(counts, { count: 30, weights: { a: 50, b: 50 }, seed: 4 }).map(
    ({ section, index }) => questions.filter((q) => q.section === section)[index].id,
  );
  assert.deepEqual(drawExam(questions, { count: 30, weights: { a: 50, b: 50 }, seed: 4 }).map((q) => q.id), named);
});

test("a short section gives its surplus seats to the others", () => {
  const questions = pool({ concepts: 3, security: 50, technology: 50, billing: 50 });
  const exam = drawExam(questions, { count: 65, weights: WEIGHTS, seed: 1 });
  assert.equal(exam.length, 65);
  assert.equal(exam.filter((q) => q.section === "concepts").length, 3);
});

test("a pool smaller than the exam gives the whole pool; unweighted sections still count", () => {
  const questions = pool({ a: 4, b: 3 });
  assert.equal(drawExam(questions, { count: 65, weights: {}, seed: 3 }).length, 7);
  const seats = allocateSeats(
    [
      { section: "a", weight: 50, available: 2 },
      { section: "b", weight: 0, available: 10 },
    ],
    6,
    prng(1),
  );
  assert.deepEqual([...seats.entries()], [["a", 2], ["b", 4]]);
});

test("pinned options are the 'of the above' kind only", async () => {
  const { isPinnedOption } = quizLogic;
  for (const text of ["All of the above", "None of the above.", "both of the above", "All the above", "None of these"]) {
    assert.equal(isPinnedOption(text), true, text);
  }
  for (const text of ["Amazon S3", "All regions", "None", "Above the line"]) assert.equal(isPinnedOption(text), false, text);
});

test("option orders are stable per seed, differ between seeds and keep pinned options last", async () => {
  const { optionOrders } = quizLogic;
  const questions = Array.from({ length: 30 }, (_, n) => ({
    id: `q${n}`,
    options: ["w", "x", "y", n % 5 === 0 ? "All of the above" : "z"],
    correct: [1],
  }));
  const a = optionOrders(questions, 1);
  assert.deepEqual(a, optionOrders(questions, 1));
  assert.notDeepEqual([...a.values()], [...optionOrders(questions, 2).values()]);
  for (const [id, order] of a) {
    assert.deepEqual([...order].sort(), [0, 1, 2, 3], id);
    if (Number(id.slice(1)) % 5 === 0) assert.equal(order[3], 3, `${id} keeps "All of the above" last`);
  }
  const moved = [...a.values()].filter((order) => order.join() !== "0,1,2,3").length;
  assert.ok(moved > 20, `${moved} of 30 reordered`);
});

test("no position holds more than 40% of the single answers, even when the source always says B", async () => {
  const { optionOrders } = quizLogic;
  for (const count of [3, 5, 10, 72, 143]) {
    const questions = Array.from({ length: count }, (_, n) => ({
      id: `q${n}`,
      options: n % 4 === 0 ? ["a", "b", "c"] : ["a", "b", "c", "d"],
      correct: [1],
    }));
    for (let seed = 0; seed < 20; seed++) {
      const orders = optionOrders(questions, seed);
      const positions = [0, 0, 0, 0];
      for (const q of questions) positions[orders.get(q.id).indexOf(1)]++;
      assert.ok(Math.max(...positions) <= 0.4 * count, `${count} questions, seed ${seed}: ${positions}`);
    }
  }
});

test("choose-all questions are shuffled but not counted", async () => {
  const { optionOrders } = quizLogic;
  const questions = [{ id: "m", options: ["a", "b", "c", "d"], correct: [0, 1], multi: true }];
  const order = optionOrders(questions, 3).get("m");
  assert.deepEqual([...order].sort(), [0, 1, 2, 3]);
});

test("a scale with a floor scores a blank paper at the floor and a full one at the top", () => {
  assert.equal(scaledScore(0, 65, 1000, 100), 100);
  assert.equal(scaledScore(65, 65, 1000, 100), 1000);
  assert.equal(scaledScore(46, 65, 1000, 100), 737);
  assert.equal(scaledScore(0, 0, 1000, 100), 100);
});

test("section rows follow the given section order, not the draw order", () => {
  const q = (id, section) => ({ id, section, section_title: section.toUpperCase(), options: ["a", "b"], correct: [0] });
  const questions = [q("1", "tech"), q("2", "billing"), q("3", "concepts"), q("4", "tech")];
  const result = scoreAnswers(questions, { 1: [0], 2: [1] }, { sectionOrder: ["concepts", "tech", "billing"] });
  assert.deepEqual(result.sections.map((s) => s.section), ["concepts", "tech", "billing"]);
  assert.deepEqual(result.items.map((i) => [i.question.id, i.ok, i.selected]), [["1", true, [0]], ["2", false, [1]], ["3", false, []], ["4", false, []]]);
});

test("a round counts right and wrong answers and finds the next open question", async () => {
  const { roundProgress, nextOpen } = quizLogic;
  const ids = ["a", "b", "c", "d"];
  const results = { a: true, c: false };
  assert.deepEqual(roundProgress(ids, results), { total: 4, answered: 2, right: 1, wrong: 1, missed: ["c"] });
  assert.equal(nextOpen(ids, results, 0), 1);
  assert.equal(nextOpen(ids, results, 1), 3);
  assert.equal(nextOpen(ids, results, 3), 1, "wraps round");
  assert.equal(nextOpen(ids, { a: true, b: true, c: false, d: true }, 0), -1);
  assert.equal(nextOpen([], {}, 0), -1);
});

test("a checked option's words say whether it was picked and whether it is right", () => {
  assert.equal(quizLogic.markText(true, true), "Your answer, right");
  assert.equal(quizLogic.markText(true, false), "Right answer you missed");
  assert.equal(quizLogic.markText(false, true), "Your answer, wrong");
  assert.equal(quizLogic.markText(false, false), "");
});

test("a quiz on several pages keeps a best per page, and /quiz/ adds them up", () => {
  const { bestKey, sectionBest, bestText } = quizLogic;
  assert.equal(bestKey("aws", 1), "aws", "a one-page quiz keeps its key");
  assert.equal(bestKey("aws", 3), "aws/page/3");
  const best = {
    aws: { correct: 90, total: 100, percent: 90 },
    "aws/page/3": { correct: 20, total: 50, percent: 40 },
    gcp: { correct: 3, total: 4, percent: 75 },
  };
  assert.deepEqual(sectionBest(best, "gcp"), { correct: 3, total: 4, percent: 75, parts: 1 });
  assert.equal(bestText(sectionBest(best, "gcp")), "75% (3/4)", "the text a one-page quiz always had");
  const aws = sectionBest(best, "aws", 3);
  assert.deepEqual(aws, { correct: 110, total: 150, percent: 73, parts: 2 });
  assert.equal(bestText(aws, 3), "73% (110/150) on 2 of 3 pages");
  const all = { ...best, "aws/page/2": { correct: 100, total: 100, percent: 100 } };
  assert.equal(bestText(sectionBest(all, "aws", 3), 3), "84% (210/250)");
  assert.equal(sectionBest(best, "azure", 2), null);
  assert.equal(sectionBest({ x: { correct: 0, total: 0, percent: 0 } }, "x"), null, "an empty record counts for nothing");
});
