// A large section in headless Chromium: each quiz page keeps its own best score and
// /quiz/ adds them up; /flashcards/ counts a deck over all its pages; axe finds
// nothing on the paged pages, their pagers and the sidebar's window of notes.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { buildFiles, launch, newPage, serve, skipReason } from "./harness.mjs";

const skip = (await skipReason()) || false;
/** 210 notes: quiz pages of 100, 100 and 10 questions; deck pages of 200 and 10 cards. */
const NOTES = 210;
let site;
let browser;

function files() {
  const out = {
    "site.toml": 'title = "Big"\nbase_url = "/"\n',
    "content/_index.md": "+++\ntitle = \"Big\"\n+++\nHome.\n",
    "content/01-big/_index.md": "+++\ntitle = \"Big\"\n+++\n",
  };
  for (let i = 0; i < NOTES; i++) {
    out[`content/01-big/widget-${i}.md`] =
      `+++\ntitle = "Widget ${String(i).padStart(4, "0")}"\norder = ${i}\n+++\n` +
      `## What is Widget${i}?\n\nWidget${i} is a managed service, number ${i}, that keeps things. It scales.\n`;
  }
  return out;
}

before(async () => {
  if (skip) return;
  site = await serve(buildFiles(files()));
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (site) site.close();
});

test("each page of a long quiz keeps its best score, and /quiz/ adds the pages up", { skip }, async () => {
  const errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${site.url}/big/quiz/page/3/`);
  const forms = page.locator("form.quiz-question");
  assert.equal(await forms.count(), 10);
  for (let i = 0; i < 10; i++) {
    const form = forms.nth(i);
    await form.locator(i < 9 ? "input[data-correct]" : "input:not([data-correct])").first().check();
    await form.locator("button.quiz-check").click();
  }
  assert.match(await page.locator(".quiz-score").textContent(), /^Done: 9 of 10 \(90%\)\. Best: 90%\.$/);
  await page.goto(`${site.url}/quiz/`);
  const best = page.locator('[data-best-section="big"]');
  assert.equal(await best.textContent(), "90% (9/10) on 1 of 3 pages");
  // Page 3's best did not become the section's: the first page has none yet.
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("studysite-quiz-best")));
  assert.deepEqual(Object.keys(stored), ["big/page/3"]);
  await page.evaluate(() => {
    const best = JSON.parse(localStorage.getItem("studysite-quiz-best"));
    best.big = { correct: 100, total: 100, percent: 100 };
    best["big/page/2"] = { correct: 50, total: 100, percent: 50 };
    localStorage.setItem("studysite-quiz-best", JSON.stringify(best));
  });
  await page.reload();
  assert.equal(await best.textContent(), "76% (159/210)");
  assert.deepEqual(errors, []);
});

test("the deck list counts a deck's cards over all its pages", { skip }, async () => {
  const errors = [];
  const page = await newPage(browser, errors);
  const row = async () => {
    await page.goto(`${site.url}/flashcards/`);
    await page.waitForFunction(() => document.querySelector(".deck-new").textContent !== "–");
    return page.$$eval("table.flashcard-decks tbody tr th, table.flashcard-decks tbody tr td", (cells) =>
      cells.map((c) => c.textContent),
    );
  };
  assert.deepEqual(await row(), ["Big", String(NOTES), "0", String(NOTES)]);
  // Know a card of the deck's second page: it is no longer new, nor due.
  await page.goto(`${site.url}/big/flashcards/page/2/`);
  await page.locator(".flashcard-app").waitFor();
  await page.keyboard.press("Space");
  await page.keyboard.press("3");
  assert.deepEqual(await row(), ["Big", String(NOTES), "0", String(NOTES - 1)]);
  assert.deepEqual(errors, []);
});

test("axe finds nothing on paged pages, at phone and desktop widths", { skip }, async () => {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  const paths = ["/big/page/2/", "/big/quiz/page/2/", "/big/flashcards/page/2/", "/big/widget-150/"];
  const found = [];
  for (const width of [390, 1280]) {
    for (const path of paths) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.goto(site.url + path);
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, {
          runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
        });
        return result.violations.map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
      });
      for (const v of violations) found.push(`${path} at ${width} px: ${v}`);
      if (process.env.PAGING_SCREENSHOTS) {
        await page.screenshot({ path: `${process.env.PAGING_SCREENSHOTS}/${width}${path.replaceAll("/", "_")}.png`, fullPage: false });
      }
      await context.close();
    }
  }
  assert.deepEqual(found, []);
});
