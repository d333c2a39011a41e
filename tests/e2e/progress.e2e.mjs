// /progress/ in headless Chromium over the `quiz` fixture: answers on a section
// quiz and a mock exam show up per section, a mistake is retried from the
// review queue, and the progress survives an export, a cleared browser and an
// import; a foreign file is refused and changes nothing.
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { newPage, servedFixture, skipReason } from "./harness.mjs";

const skip = (await skipReason()) || false;
const session = servedFixture("quiz", skip);

/** The texts of a form's right options, to find them again in another order. */
async function rightTexts(form) {
  return form.locator(".quiz-option:has(input[data-correct]) .quiz-option-text").allTextContents();
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Each section row's cells and the page's summaries, for comparing states. */
async function shown(page) {
  await page.locator(".progress-app").waitFor();
  await page.waitForFunction(() => !document.querySelector(".progress-review-count").textContent.startsWith("Loading"));
  return {
    rows: await page.locator(".progress-sections tbody tr").evaluateAll((rows) => rows.map((r) => r.innerText)),
    readiness: await page.locator(".progress-readiness-value").textContent(),
    review: await page.locator(".progress-review-count").textContent(),
    chart: await page.locator(".progress-chart svg[role=img]").count(),
  };
}

test("answers feed /progress/, a mistake is retried, and progress moves through an export file", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors, { acceptDownloads: true });
  const site = session.site.url;
  const dataFiles = [];
  page.on("request", (r) => /\/exam\/pool-|\/progress\/ids-/.test(r.url()) && dataFiles.push(r.url()));
  await page.goto(`${site}/progress/`);
  const empty = await shown(page);
  assert.match(empty.rows[0], /0 right, 0 seen of \d+/);
  assert.match(empty.rows[0], /\d+ new; boxes 1–5: 0, 0, 0, 0, 0; \d+ due today/);
  assert.deepEqual(dataFiles, [], "nothing answered yet: no pool or ids file is fetched");
  assert.equal(empty.chart, 0);

  // One wrong and one right answer on the storage quiz.
  await page.goto(`${site}/storage/quiz/`);
  const forms = page.locator("form.quiz-question");
  const missed = forms.nth(0);
  const missedStem = (await missed.locator(".quiz-stem").textContent()).trim();
  const missedRight = await rightTexts(missed);
  await missed.locator("input:not([data-correct])").first().check();
  await missed.locator("button.quiz-check").click();
  const second = forms.nth(1);
  for (const input of await second.locator("input[data-correct]").all()) await input.check();
  await second.locator("button.quiz-check").click();

  // A mock exam, submitted with one answer. The exam draws and shuffles at
  // random: should it show the missed question first, it is answered wrong
  // again, so that the retry below still changes what /progress/ shows.
  await page.goto(`${site}/exam/`);
  await page.locator("button.exam-start").click();
  await page.locator(".exam-app").waitFor();
  const examStem = (await page.locator(".exam-stem").textContent()).trim();
  const examOptions = page.locator(".exam-options .quiz-option");
  const wrong = examOptions.filter({ hasNotText: new RegExp(missedRight.map(escapeRegExp).join("|")) });
  const answer = examStem === missedStem ? wrong : examOptions;
  await answer.first().locator("input").check();
  await page.locator("button.exam-submit").click();
  await page.locator("button.exam-confirm-submit").click();
  await page.locator(".exam-results").waitFor();

  await page.goto(`${site}/progress/`);
  const before = await shown(page);
  assert.match(before.rows[0], /^Storage/);
  assert.match(before.rows[0], /60%/);
  assert.match(before.rows[0], /\d right, [2-9] seen of \d+/);
  assert.match(before.rows[0], /best \d+%, latest \d+%/);
  assert.match(before.readiness, /Estimated readiness: \d+%, from \d+ questions/);
  assert.match(before.review, /^\d+ questions? waits? for review\./);
  assert.equal(before.chart, 1);
  assert.match(await page.locator(".progress-chart svg").getAttribute("aria-label"), /1 mock exam: latest \d+, best \d+ of 1000; 700 passes/);
  assert.equal(await page.locator(".progress-exams-table tbody tr").count(), 1);

  // Retry the missed quiz question from the queue (the oldest mistake comes first).
  const review = page.locator(".progress-review-question");
  assert.equal((await review.locator(".progress-review-stem").textContent()).trim(), missedStem);
  assert.match(await review.locator(".progress-review-source a").textContent(), /\S/);
  for (const text of missedRight) await review.locator(".quiz-option", { hasText: text }).locator("input").check();
  await review.locator("button.quiz-check").click();
  assert.match(await review.locator(".progress-review-feedback").textContent(), /Correct\. Answer it right on another day/);
  assert.equal(await page.evaluate(() => document.activeElement.className), "progress-review-next");
  const afterRetry = await shown(page);
  assert.match(afterRetry.rows[0], /\d right, \d seen/);
  assert.notDeepEqual(afterRetry.rows, before.rows, "the retried answer is now right");

  // The home page's section card shows the section's progress.
  await page.goto(`${site}/`);
  assert.match(await page.locator('[data-progress-section="storage"]').textContent(), /Your progress: \d+ of \d+ answered right/);

  // Export, clear the browser, import: the same progress.
  await page.goto(`${site}/progress/`);
  const saved = await shown(page);
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("button.progress-export").click()]);
  assert.match(download.suggestedFilename(), /^studysite-progress-\d{4}-\d\d-\d\d\.json$/);
  const file = readFileSync(await download.path(), "utf8");
  const parsed = JSON.parse(file);
  assert.equal(parsed.format, "studysite-progress");
  assert.equal(parsed.version, 1);
  assert.equal(parsed.exams.length, 1);

  await page.evaluate(() => localStorage.clear());
  await page.reload();
  const cleared = await shown(page);
  assert.match(cleared.rows[0], /0 right, 0 seen of \d+/);
  assert.equal(cleared.chart, 0);

  const input = page.locator("input.progress-import");
  await input.setInputFiles({ name: "other.json", mimeType: "application/json", buffer: Buffer.from('{"format":"anki","version":1}') });
  // The file is read asynchronously: wait for its report.
  await page.locator(".progress-transfer-status", { hasText: "other.json" }).waitFor();
  assert.match(await page.locator(".progress-transfer-status").textContent(), /other\.json was not imported: .*not a studysite progress export.*unchanged/);
  assert.deepEqual(await shown(page), cleared);

  await input.setInputFiles({ name: "mine.json", mimeType: "application/json", buffer: Buffer.from(file) });
  await page.locator(".progress-transfer-status", { hasText: "mine.json" }).waitFor();
  assert.match(await page.locator(".progress-transfer-status").textContent(), /Imported from mine\.json: \d+ questions?, \d+ review entr(y|ies), 0 flashcards and 1 mock exam/);
  assert.deepEqual(await shown(page), saved);
  await page.reload();
  assert.deepEqual(await shown(page), saved, "the import is stored");
  assert.deepEqual(errors, []);
});

test("without JavaScript /progress/ says where progress is kept", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors, { javaScriptEnabled: false });
  await page.goto(`${session.site.url}/progress/`);
  assert.match(await page.locator(".progress-fallback").textContent(), /kept in this browser/);
  assert.equal(await page.locator(".progress-app").isVisible(), false);
  assert.deepEqual(errors, []);
});
