import test from "node:test";
import assert from "node:assert/strict";
import leitner from "./leitner.js";

const { gradeCard, dueQueue, summary, nextDue, intervalDays, DAY_MS, newCard } = leitner;

const T0 = Date.UTC(2026, 0, 1);

test("grade 3 moves a card up one box and schedules it by the new box's interval", () => {
  let card = gradeCard(undefined, 3, T0);
  assert.equal(card.box, 2);
  assert.equal(card.due, T0 + intervalDays(2) * DAY_MS);
  card = gradeCard(card, 3, card.due);
  assert.equal(card.box, 3);
  assert.equal(card.due, T0 + (intervalDays(2) + intervalDays(3)) * DAY_MS);
});

test("the top box is box 5", () => {
  let card = newCard();
  for (let i = 0; i < 10; i++) card = gradeCard(card, 3, T0);
  assert.equal(card.box, 5);
  assert.equal(card.due, T0 + 16 * DAY_MS);
});

test("grade 1 sends a card back to box 1, due now", () => {
  const card = gradeCard({ box: 4, due: T0, history: [] }, 1, T0);
  assert.equal(card.box, 1);
  assert.equal(card.due, T0);
});

test("grade 2 keeps the box and waits its interval", () => {
  const card = gradeCard({ box: 3, due: T0, history: [] }, 2, T0);
  assert.equal(card.box, 3);
  assert.equal(card.due, T0 + 4 * DAY_MS);
});

test("each grade is recorded in the card's history and the input is not changed", () => {
  const first = gradeCard(undefined, 3, T0);
  const second = gradeCard(first, 1, T0 + 5);
  assert.deepEqual(first.history, [{ at: T0, grade: 3, box: 2 }]);
  assert.deepEqual(second.history, [
    { at: T0, grade: 3, box: 2 },
    { at: T0 + 5, grade: 1, box: 1 },
  ]);
});

test("a grade outside 1-3 is refused", () => {
  assert.throws(() => gradeCard(undefined, 4, T0), RangeError);
});

test("the queue holds due cards oldest first, then new cards, and skips cards not due", () => {
  const cards = ["a", "b", "c", "d", "e"].map((id) => ({ id }));
  const states = {
    a: { box: 2, due: T0 + DAY_MS, history: [] }, // not due
    b: { box: 1, due: T0 - 10, history: [] },
    c: { box: 3, due: T0 - 1000, history: [] },
  };
  assert.deepEqual(dueQueue(cards, states, T0).map((c) => c.id), ["c", "b", "d", "e"]);
  assert.deepEqual(dueQueue(cards, states, T0 + DAY_MS).map((c) => c.id), ["c", "b", "a", "d", "e"]);
});

test("a card just forgotten goes behind cards that waited longer", () => {
  const cards = [{ id: "x" }, { id: "y" }];
  const states = {
    x: gradeCard(undefined, 1, T0 + 50),
    y: { box: 2, due: T0, history: [{ at: T0 - DAY_MS, grade: 3, box: 2 }] },
  };
  assert.deepEqual(dueQueue(cards, states, T0 + 60).map((c) => c.id), ["y", "x"]);
});

test("summary counts boxes and due cards; nextDue finds the soonest", () => {
  const cards = [{ id: "a" }, { id: "b" }, { id: "c" }];
  const states = { a: gradeCard(undefined, 3, T0), b: gradeCard(undefined, 1, T0) };
  const s = summary(cards, states, T0);
  assert.deepEqual(s.boxes, [1, 1, 1, 0, 0, 0]);
  assert.equal(s.due, 2);
  assert.equal(s.total, 3);
  assert.equal(nextDue(cards, states, T0), T0 + 2 * DAY_MS);
  assert.equal(nextDue([{ id: "c" }], states, T0), null);
});

test("a forgotten card waits for RELEARN_GAP other reviews, unless nothing else is due", async () => {
  const { nextCard, RELEARN_GAP } = leitner;
  const cards = ["a", "b", "c", "d", "e"].map((id) => ({ id }));
  let states = {};
  const waiting = new Map();
  const shown = [];
  let reviews = 0;
  // Review a session where "a" is forgotten once, then known; every other card known.
  for (let step = 0; step < 6; step++) {
    const card = nextCard(dueQueue(cards, states, T0), waiting, reviews);
    if (!card) break;
    shown.push(card.id);
    const grade = card.id === "a" && !waiting.has("a") ? 1 : 3;
    states = { ...states, [card.id]: gradeCard(states[card.id], grade, T0) };
    reviews++;
    if (grade === 1) waiting.set(card.id, reviews + RELEARN_GAP);
  }
  assert.deepEqual(shown, ["a", "b", "c", "d", "a", "e"]);
  // With only the waiting card left it comes back at once.
  const only = [{ id: "x" }];
  assert.equal(nextCard(only, new Map([["x", 10]]), 0).id, "x");
  assert.equal(nextCard([], new Map(), 0), null);
});

test("study ahead takes cards not yet due, soonest first; deck counts split due and new", async () => {
  const { aheadQueue, deckCounts } = leitner;
  const cards = ["a", "b", "c", "d"].map((id) => ({ id }));
  const states = {
    a: { box: 2, due: T0 + 3 * DAY_MS, history: [] },
    b: { box: 1, due: T0 - 1, history: [] },
    c: { box: 3, due: T0 + DAY_MS, history: [] },
  };
  assert.deepEqual(aheadQueue(cards, states, T0).map((c) => c.id), ["c", "a"]);
  assert.deepEqual(deckCounts(["a", "b", "c", "d"], states, T0), { due: 1, fresh: 1 });
});
