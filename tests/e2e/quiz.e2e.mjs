// Quizzes, flashcards and the mock exam, driven in headless Chromium over the
// `quiz` fixture: answer a section quiz, grade flashcards across a reload, and sit a
// mock exam whose timer is shortened to a few seconds with `?minutes=`.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { buildFixture, launch, newPage, serve, skipReason } from "./harness.mjs";

const skip = (await skipReason()) || false;
let site;
let browser;
let errors = [];

before(async () => {
  if (skip) return;
  site = await serve(buildFixture("quiz"));
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (site) site.close();
});

test("a section quiz checks answers, scores the section and records the best score", { skip }, async () => {
  errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${site.url}/storage/quiz/`);
  const forms = page.locator("form.quiz-question");
  const count = await forms.count();
  assert.ok(count >= 3, `${count} questions`);
  // Answer the first question wrongly, then every question correctly.
  const first = forms.nth(0);
  await first.locator("input:not([data-correct])").first().check();
  await first.locator("button.quiz-check").click();
  assert.match(await first.locator(".quiz-feedback").textContent(), /Not quite/);
  assert.equal(await first.locator("details.quiz-answer").getAttribute("open"), "");
  await first.locator("button.quiz-retry").click();
  for (let i = 0; i < count; i++) {
    const form = forms.nth(i);
    const inputs = form.locator("input[data-correct]");
    for (let j = 0; j < (await inputs.count()); j++) await inputs.nth(j).check();
    await form.locator("button.quiz-check").click();
    assert.equal(await form.locator(".quiz-feedback").textContent(), "Correct.");
  }
  assert.match(await page.locator(".quiz-score").textContent(), new RegExp(`Done: ${count} of ${count} \\(100%\\)`));
  await page.reload();
  assert.equal(await page.locator("form.quiz-question.is-answered-right").count(), count, "answers survive a reload");
  await page.goto(`${site.url}/quiz/`);
  assert.match(await page.locator('[data-best-section="storage"]').textContent(), /^100%/);
  assert.equal(await page.locator('[data-best-section="security"]').textContent(), "–");
  assert.deepEqual(errors, []);
});

test("flashcards flip with Space, grade with 1-3, and keep their boxes across a reload", { skip }, async () => {
  errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${site.url}/flashcards/`);
  // The index lists a deck per section; open the first.
  await page.locator("table.flashcard-decks a").first().click();
  await page.locator(".flashcard-app").waitFor();
  assert.match(page.url(), /\/storage\/flashcards\/$/);
  assert.equal(await page.locator(".flashcard-list").isHidden(), true);
  const firstFront = await page.locator(".flashcard-front").textContent();
  assert.equal(await page.locator(".flashcard-back").isHidden(), true);
  await page.keyboard.press("Space");
  assert.equal(await page.locator(".flashcard-back").isVisible(), true);
  assert.ok((await page.locator(".flashcard-back").textContent()).length > 10);
  await page.keyboard.press("3");
  const secondFront = await page.locator(".flashcard-front").textContent();
  assert.notEqual(secondFront, firstFront);
  await page.keyboard.press("Space");
  await page.keyboard.press("1");
  assert.match(await page.locator(".flashcard-stats").textContent(), /box 1: 1, box 2: 1/);
  await page.reload();
  await page.locator(".flashcard-app").waitFor();
  assert.match(await page.locator(".flashcard-stats").textContent(), /box 1: 1, box 2: 1/);
  const states = await page.evaluate(() => JSON.parse(localStorage.getItem("studysite-flashcards")));
  const boxes = Object.values(states).map((s) => s.box).sort();
  assert.deepEqual(boxes, [1, 2]);
  assert.ok(Object.values(states).every((s) => s.history.length === 1));
  // The card graded 3 is not due again today; the one graded 1 comes back.
  assert.notEqual(await page.locator(".flashcard-front").textContent(), firstFront);
  await page.locator(".flashcard-reset").click();
  assert.match(await page.locator(".flashcard-stats").textContent(), /box 1: 0, box 2: 0/);
  assert.deepEqual(errors, []);
});

test("a mock exam runs its countdown, submits at zero and shows the results", { skip }, async () => {
  errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${site.url}/exam/?minutes=0.1`);
  await page.locator("button.exam-start").click();
  await page.locator(".exam-app").waitFor();
  assert.match(await page.locator(".exam-timer").textContent(), /Time left 00:0[0-6]/);
  const data = await page.evaluate(async () => {
    const meta = JSON.parse(document.getElementById("exam-data").textContent);
    // The pool's URLs are written from the site's root, which <html data-root> names.
    const root = new URL(document.documentElement.dataset.root, location.href);
    const index = await (await fetch(new URL(meta.pools, root))).json();
    const pools = await Promise.all(index.pools.map(async (url) => (await fetch(new URL(url, root))).json()));
    return { plan: meta.plan, questions: pools.flatMap((pool) => pool.questions) };
  });
  const state = await page.evaluate(() => JSON.parse(localStorage.getItem("studysite-exam")));
  assert.equal(state.ids.length, data.plan.questions);
  const byId = Object.fromEntries(data.questions.map((q) => [q.id, q]));
  // Answer the first question correctly and flag the second for review.
  for (const i of byId[state.ids[0]].correct) await page.locator(`.exam-options input[value="${i}"]`).check();
  await page.locator("button.exam-next").click();
  assert.match(await page.locator(".exam-progress").textContent(), /Question 2 of/);
  await page.locator("input.exam-flag").check();
  assert.equal(await page.locator(".exam-grid-item.is-flagged").count(), 1);
  assert.equal(await page.locator(".exam-grid-item.is-answered").count(), 1);
  // Progress survives a reload mid-exam.
  await page.reload();
  await page.locator(".exam-app").waitFor();
  assert.equal(await page.locator(".exam-grid-item.is-flagged").count(), 1);
  // The countdown runs out and submits on its own.
  await page.locator(".exam-results").waitFor({ timeout: 15000 });
  const total = data.plan.questions;
  const score = await page.locator(".exam-score").textContent();
  const expected = Math.round((1 / total) * data.plan.max_score);
  assert.match(score, new RegExp(`^Score ${expected} / ${data.plan.max_score} \\(1 of ${total} correct`));
  assert.equal(await page.locator(".exam-verdict").textContent(), "Fail");
  const sections = await page.locator(".exam-sections tbody tr").count();
  assert.ok(sections >= 1 && sections <= 2);
  assert.equal(await page.locator(".exam-review-item:visible").count(), total - 1);
  const link = new URL(await page.locator(".exam-review-item a").first().getAttribute("href"), page.url());
  assert.equal(link.origin, new URL(page.url()).origin);
  assert.match(link.pathname + link.hash, /^\/(storage|security)\/[a-z0-9-]+\/(#[a-z0-9-]+)?$/);
  // Generated questions may have no explanation (their note is linked instead);
  // callouts have one. Each drawn question that has one shows it in the review.
  const text = (html) => (html || "").replace(/<[^>]*>/g, "").trim();
  const explained = state.ids.filter((id) => text(byId[id].explanation_html)).length;
  const explanations = await page.locator(".exam-review-explanation").allTextContents();
  assert.equal(explanations.filter((shown) => shown.trim()).length, explained, explanations.join(" | "));
  await page.reload();
  await page.locator(".exam-results").waitFor();
  await page.locator("button.exam-restart").click();
  await page.locator(".exam-app").waitFor();
  assert.match(await page.locator(".exam-progress").textContent(), /Question 1 of/);
  assert.deepEqual(errors, []);
});
