// node --test: the exam history chart's geometry and its text equivalent.
import test from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const chart = require("./progress-chart.js");
const scale = { min: 100, max: 1000, pass: 700 };

test("scores map onto the plot from the lowest score (bottom) to the highest (top)", () => {
  const { SIZE } = chart;
  const g = chart.geometry([{ scaled: 100 }, { scaled: 1000 }, { scaled: 550 }], scale);
  const bottom = SIZE.height - SIZE.bottom;
  assert.deepEqual(g.points.map((p) => p.y), [bottom, SIZE.top, (bottom + SIZE.top) / 2]);
  assert.deepEqual(g.points.map((p) => p.x), [SIZE.left, (SIZE.left + SIZE.width - SIZE.right) / 2, SIZE.width - SIZE.right]);
  assert.ok(g.pass > SIZE.top && g.pass < (bottom + SIZE.top) / 2, "700 sits above the middle");
});

test("one attempt is drawn in the middle", () => {
  const [point] = chart.geometry([{ scaled: 700 }], scale).points;
  assert.equal(point.x, (chart.SIZE.left + chart.SIZE.width - chart.SIZE.right) / 2);
});

test("the summary says the latest, best, pass mark and passes", () => {
  assert.equal(
    chart.summary([{ scaled: 810 }, { scaled: 650 }], scale),
    "Scores over time, 2 mock exams: latest 650, best 810 of 1000; 700 passes; 1 passed.",
  );
  assert.match(chart.summary([{ scaled: 300 }], scale), /1 mock exam: latest 300, best 300 of 1000; 700 passes; 0 passed/);
});
