// Fair questions and the mock exam's safety net, in headless Chromium over the
// `practice` fixture (every hand-written answer is option B) and the shipped site.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { buildFixture, buildShipped, launch, newPage, serve, skipReason } from "./harness.mjs";

const skip = (await skipReason()) || false;
let site;
let shipped;
let browser;

before(async () => {
  if (skip) return;
  site = await serve(buildFixture("practice"));
  shipped = await serve(buildShipped());
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (site) site.close();
  if (shipped) shipped.close();
});

/** Per question on the page: option values in display order, the correct ones, the texts. */
function readOptions(page) {
  return page.$$eval("form.quiz-question", (forms) =>
    forms.map((form) => {
      const inputs = [...form.querySelectorAll("input")];
      return {
        id: form.id,
        multi: form.hasAttribute("data-multi"),
        values: inputs.map((i) => Number(i.value)),
        correct: inputs.filter((i) => i.hasAttribute("data-correct")).map((i) => Number(i.value)),
        texts: inputs.map((i) => i.closest("label").textContent.trim()),
      };
    }),
  );
}

/** Share of single-answer questions whose answer is at each position. */
function positionShares(questions) {
  const singles = questions.filter((q) => !q.multi && q.correct.length === 1);
  const counts = [];
  for (const q of singles) {
    const at = q.values.indexOf(q.correct[0]);
    counts[at] = (counts[at] || 0) + 1;
  }
  return { singles: singles.length, shares: [...counts].map((n) => (n || 0) / singles.length) };
}

async function withSeed(page, url, seed) {
  await page.goto(url);
  await page.evaluate((s) => localStorage.setItem("studysite-learner-seed", String(s)), seed);
  await page.reload();
}

test("quiz options are shuffled per learner, stay put on reload, keep 'of the above' last and spread the answers", { skip }, async () => {
  const errors = [];
  const page = await newPage(browser, errors);
  await withSeed(page, `${site.url}/compute/quiz/`, 1234);
  const first = await readOptions(page);
  const moved = first.filter((q) => q.values.join() !== [...q.values].sort().join());
  assert.ok(moved.length >= first.length / 2, `${moved.length} of ${first.length} questions reordered`);
  for (const q of first) {
    const pinned = q.texts.findIndex((t) => /of the above/i.test(t));
    if (pinned >= 0) assert.equal(pinned, q.texts.length - 1, `${q.id}: "${q.texts[pinned]}" stays last`);
  }
  const { singles, shares } = positionShares(first);
  assert.ok(singles >= 9, `${singles} single-answer questions`);
  assert.ok(Math.max(...shares) <= 0.4, `answer positions ${shares}`);
  await page.reload();
  assert.deepEqual(await readOptions(page), first, "a reload keeps the learner's order");
  await withSeed(page, `${site.url}/compute/quiz/`, 99);
  assert.notDeepEqual((await readOptions(page)).map((q) => q.values), first.map((q) => q.values));
  // Answering still scores by the option, whatever its place.
  const form = page.locator("form.quiz-question").first();
  await form.locator("input[data-correct]").first().check();
  await form.locator("button.quiz-check").click();
  assert.equal(await form.locator(".quiz-feedback").textContent(), "Correct.");
  // The note's inline quizzes are shuffled too.
  await page.goto(`${site.url}/compute/services/`);
  const inline = await readOptions(page);
  assert.ok(inline.some((q) => q.values.join() !== [...q.values].sort().join()), "inline quizzes reordered");
  assert.deepEqual(errors, []);
});

test("without JavaScript the options keep the note's order", { skip }, async () => {
  const errors = [];
  const page = await newPage(browser, errors, { javaScriptEnabled: false });
  await page.goto(`${site.url}/compute/quiz/`);
  for (const q of await readOptions(page)) assert.deepEqual(q.values, [...q.values.keys()]);
});

test("no position holds more than 40% of the answers in any shipped section quiz", { skip }, async () => {
  const errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${shipped.url}/quiz/`);
  const quizzes = await page.$$eval("table.quiz-sections a", (links) => links.map((a) => a.getAttribute("href")));
  assert.ok(quizzes.length >= 4, `${quizzes.length} section quizzes`);
  for (const seed of [1, 2, 3]) {
    for (const href of quizzes) {
      await withSeed(page, new URL(href, `${shipped.url}/quiz/`).href, seed);
      const { singles, shares } = positionShares(await readOptions(page));
      assert.ok(singles > 10, `${href}: ${singles} questions`);
      assert.ok(Math.max(...shares) <= 0.4, `${href}, seed ${seed}: answer positions ${shares.map((s) => s.toFixed(2))}`);
    }
  }
  assert.deepEqual(errors, []);
});

test("search finds a question by its words and explanation, not by its wrong options", { skip }, async () => {
  const errors = [];
  const page = await newPage(browser, errors);
  // "Amazon Polly" is only ever a wrong option in this fixture.
  await page.goto(`${site.url}/search/?q=polly`);
  await page.locator(".search-page-status").filter({ hasText: /result/ }).waitFor();
  assert.equal(await page.locator(".search-page-status").textContent(), "No results for “polly”");
  await page.goto(`${site.url}/search/?q=${encodeURIComponent("batch jobs")}`);
  await page.locator(".search-page-results li").first().waitFor();
  const kinds = await page.locator(".search-page-results .search-result-kind").allTextContents();
  const headings = await page.locator(".search-page-results .search-result-heading").allTextContents();
  assert.equal(kinds[0], "note", `${kinds}`);
  assert.ok(headings.includes("Which service runs batch jobs?"), `${headings}`);
  assert.deepEqual(errors, []);
});

test("one question at a time: a running score, a summary, and a round of the ones missed", { skip }, async () => {
  const errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${site.url}/compute/quiz/`);
  const toggle = page.getByRole("button", { name: "One question at a time" });
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-pressed"), "true");
  const visible = page.locator(".quiz-item:visible");
  const total = await page.locator(".quiz-item").count();
  assert.equal(await visible.count(), 1);
  const progress = page.locator(".quiz-progress");
  assert.equal(await progress.textContent(), `Question 1 of ${total} · 0 right · 0 wrong`);
  // The first wrong, every other one right.
  const missedStem = await visible.locator("legend").textContent();
  await visible.locator("input:not([data-correct])").first().check();
  await visible.locator("button.quiz-check").click();
  assert.equal(await progress.textContent(), `Question 1 of ${total} · 0 right · 1 wrong`);
  assert.equal(await page.evaluate(() => document.activeElement.className), "quiz-next", "Next takes the focus");
  for (let i = 1; i < total; i++) {
    await page.locator("button.quiz-next").click();
    const item = page.locator(".quiz-item:visible");
    const inputs = item.locator("input[data-correct]");
    for (let j = 0; j < (await inputs.count()); j++) await inputs.nth(j).check();
    await item.locator("button.quiz-check").click();
  }
  assert.equal(await progress.textContent(), `Question ${total} of ${total} · ${total - 1} right · 1 wrong`);
  assert.equal(await page.locator("button.quiz-next").textContent(), "See the summary");
  await page.locator("button.quiz-next").click();
  const summary = page.locator(".quiz-summary");
  assert.equal(await summary.isVisible(), true);
  assert.equal(await visible.count(), 0);
  const percent = Math.round((100 * (total - 1)) / total);
  assert.equal(await summary.locator(".quiz-summary-text").textContent(), `${total - 1} of ${total} right (${percent}%). You missed 1.`);
  await summary.getByRole("button", { name: "Retry the 1 I missed" }).click();
  assert.equal(await visible.count(), 1);
  assert.equal(await visible.locator("legend").textContent(), missedStem);
  assert.equal(await progress.textContent(), "Question 1 of 1 · 0 right · 0 wrong");
  await visible.locator("input[data-correct]").first().check();
  await visible.locator("button.quiz-check").click();
  await page.locator("button.quiz-next").click();
  assert.equal(await summary.locator(".quiz-summary-text").textContent(), "1 of 1 right (100%). Every answer was right.");
  assert.equal(await page.locator(".quiz-retry-missed").isVisible(), false);
  // "Show all questions" goes back to the list; the chosen mode is remembered.
  await page.locator("button.quiz-show-all").click();
  assert.equal(await visible.count(), total);
  assert.equal(await toggle.getAttribute("aria-pressed"), "false");
  await toggle.click();
  await page.reload();
  assert.equal(await toggle.getAttribute("aria-pressed"), "true");
  assert.equal(await visible.count(), 1);
  await toggle.click();
  assert.equal(await visible.count(), total);
  assert.deepEqual(errors, []);
});

test("a choose-two answer shows a right option the learner missed differently from one they picked", { skip }, async () => {
  const errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${site.url}/compute/quiz/`);
  const form = page.locator("form.quiz-question[data-multi]").first();
  await form.locator("input[data-correct]").first().check();
  await form.locator("button.quiz-check").click();
  const picked = form.locator(".quiz-option.is-correct:not(.is-missed)");
  const missed = form.locator(".quiz-option.is-missed");
  assert.equal(await picked.count(), 1);
  assert.equal(await missed.count(), 1);
  assert.equal(await picked.locator(".quiz-option-mark").textContent(), "Your answer, right");
  assert.equal(await missed.locator(".quiz-option-mark").textContent(), "Right answer you missed");
  const style = (loc) => loc.locator("label").evaluate((el) => getComputedStyle(el).borderStyle + " " + getComputedStyle(el).backgroundColor);
  assert.notEqual(await style(picked), await style(missed));
  assert.match(await style(missed), /^dashed/);
  assert.match(await form.locator(".quiz-feedback").textContent(), /Not quite/);
  assert.deepEqual(errors, []);
});
