// Flashcard sessions in headless Chromium over the `practice` fixture: keys that only
// flip, a forgotten card coming back after others, the finished state with study
// ahead, and due/new counts per deck on /flashcards/.
import test from "node:test";
import assert from "node:assert/strict";
import { newPage, servedFixture, skipReason } from "./harness.mjs";

const skip = (await skipReason()) || false;
const session = servedFixture("practice", skip);

const front = (page) => page.locator(".flashcard-front").textContent();
const history = (page) =>
  page.evaluate(() => Object.values(JSON.parse(localStorage.getItem("studysite-flashcards") || "{}")).flatMap((s) => s.history));

async function openDeck(page, path) {
  await page.goto(`${session.site.url}${path}`);
  await page.locator(".flashcard-app").waitFor();
}

test("Space and Enter only flip a card; grading takes 1-3 or a button", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors);
  await openDeck(page, "/compute/flashcards/");
  const first = await front(page);
  await page.keyboard.press("Space");
  assert.equal(await page.locator(".flashcard-back").isVisible(), true);
  assert.equal(await page.evaluate(() => document.activeElement.className), "flashcard", "focus on the card, not on Forgot");
  await page.keyboard.press("Space");
  await page.keyboard.press("Enter");
  assert.equal(await front(page), first, "a second Space or Enter grades nothing");
  assert.deepEqual(await history(page), []);
  await page.keyboard.press("3");
  assert.notEqual(await front(page), first);
  assert.equal((await history(page)).length, 1);
  // Enter on the focused card flips it too; a grade button grades.
  await page.locator(".flashcard").focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.locator(".flashcard-back").isVisible(), true);
  await page.locator(".flashcard-grade", { hasText: "Hard" }).click();
  assert.deepEqual((await history(page)).map((h) => h.grade).sort(), [2, 3]);
  assert.deepEqual(errors, []);
});

test("a card graded Forgot comes back after three other cards", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors);
  await openDeck(page, "/compute/flashcards/");
  const forgotten = await front(page);
  await page.keyboard.press("Space");
  await page.keyboard.press("1");
  const shown = [];
  for (let i = 0; i < 4; i++) {
    shown.push(await front(page));
    await page.keyboard.press("Space");
    await page.keyboard.press("3");
  }
  assert.equal(shown.indexOf(forgotten), 3, `order after forgetting: ${shown.join(" | ")}`);
  assert.equal(new Set(shown.slice(0, 3)).size, 3);
  assert.deepEqual(errors, []);
});

test("with nothing due the deck says when the next card is due and offers to study ahead", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors);
  await openDeck(page, "/billing/flashcards/");
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press("Space");
    await page.keyboard.press("3");
  }
  const done = page.locator(".flashcard-done");
  assert.equal(await done.isVisible(), true);
  assert.equal(await page.locator(".flashcard-controls").isHidden(), true, "no grade buttons on the end screen");
  assert.equal(await page.locator(".flashcard-controls").evaluate((el) => getComputedStyle(el).display), "none");
  assert.equal(await page.locator(".flashcard").isHidden(), true);
  assert.match(await page.locator(".flashcard-next").textContent(), /^The next card is due .+\.$/);
  assert.equal(await done.locator("h2").textContent(), "All caught up");
  await page.locator("button.flashcard-ahead").click();
  assert.equal(await page.locator(".flashcard").isVisible(), true);
  assert.match(await page.locator(".flashcard-meta").textContent(), /studying ahead/);
  await page.keyboard.press("Space");
  await page.keyboard.press("3");
  const boxes = await page.evaluate(() => Object.values(JSON.parse(localStorage.getItem("studysite-flashcards"))).map((s) => s.box));
  assert.deepEqual(boxes.sort(), [2, 2, 3], "studying ahead grades for real");
  for (let i = 0; i < 2; i++) {
    await page.keyboard.press("Space");
    await page.keyboard.press("3");
  }
  assert.equal(await done.isVisible(), true, "finished again once every card was studied ahead");
  await done.getByRole("link", { name: "Switch deck" }).click();
  assert.match(page.url(), /\/flashcards\/$/);
  assert.deepEqual(errors, []);
});

test("the deck list shows each deck's due and new cards from this browser's progress", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors);
  const counts = async () =>
    page.$$eval("table.flashcard-decks tbody tr", (rows) =>
      rows.map((r) => [...r.querySelectorAll("th, td")].map((c) => c.textContent)),
    );
  await page.goto(`${session.site.url}/flashcards/`);
  await page.waitForFunction(() => [...document.querySelectorAll(".deck-new")].every((c) => c.textContent !== "–"));
  assert.deepEqual(await counts(), [["Compute", "6", "0", "6"], ["Billing", "3", "0", "3"]]);
  // Forget one compute card (due again now) and know another (due in days).
  await openDeck(page, "/compute/flashcards/");
  await page.keyboard.press("Space");
  await page.keyboard.press("1");
  await page.keyboard.press("Space");
  await page.keyboard.press("3");
  await page.goto(`${session.site.url}/flashcards/`);
  await page.waitForFunction(() => [...document.querySelectorAll(".deck-new")].every((c) => c.textContent !== "–"));
  assert.deepEqual(await counts(), [["Compute", "6", "1", "4"], ["Billing", "3", "0", "3"]]);
  assert.deepEqual(errors, []);
});

test("without JavaScript the deck list has no empty progress columns", { skip }, async () => {
  const page = await newPage(session.browser, [], { javaScriptEnabled: false });
  await page.goto(`${session.site.url}/flashcards/`);
  assert.deepEqual(await page.locator("table.flashcard-decks thead th:visible").allTextContents(), ["Deck", "Cards"]);
});
