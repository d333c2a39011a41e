// Practice exams written in notes, in headless Chromium over the `practice-exam`
// fixture: the questions work in the page, and the page's "Take this as a timed
// exam" link runs a timed exam of exactly its questions, in its order.
import test from "node:test";
import assert from "node:assert/strict";
import { newPage, servedFixture, skipReason } from "./harness.mjs";

const skip = (await skipReason()) || false;
const session = servedFixture("practice-exam", skip);

test("a practice question in a note is checked like a quiz callout", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors);
  await page.goto(`${session.site.url}/exams/exam-1/`);
  const first = page.locator("form.quiz-question").first();
  await first.locator('input[value="1"]').check(); // AWS CloudTrail
  await first.locator("button.quiz-check").click();
  assert.match(await first.locator(".quiz-feedback").textContent(), /correct/i);
  assert.deepEqual(errors, []);
});

test("the timed exam of a practice-exam page asks its questions in order, at the exam's pace", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors);
  await page.goto(`${session.site.url}/exams/exam-1/`);
  const stems = await page.locator("form.quiz-question legend").allTextContents();
  // Keyboard only: the link is reachable and follows with Enter.
  await page.locator(".practice-exam-link a").focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/exam\/\?from=/);
  await page.locator("button.exam-start").waitFor(); // shown once the page's questions are fetched
  const lead = await page.locator(".exam-intro .lead").textContent();
  assert.match(lead, /^The 5 questions of “Practice Exam 1”, in its order, in 10 minutes\./);
  assert.equal(await page.locator(".exam-weights").isVisible(), false);
  await page.locator("button.exam-start").click();
  assert.equal(await page.locator(".exam-progress").textContent(), "Question 1 of 5");
  assert.match(await page.locator(".exam-timer").textContent(), /^Time left (10:00|09:5\d)$/);
  const asked = [];
  for (let i = 0; i < stems.length; i++) {
    asked.push(await page.locator(".exam-stem").textContent());
    if (i < stems.length - 1) await page.locator("button.exam-next").click();
  }
  assert.deepEqual(asked, stems);
  assert.deepEqual(errors, []);
});
