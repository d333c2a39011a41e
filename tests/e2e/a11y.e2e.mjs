// axe-core (WCAG 2.1 A/AA and best practice) over every page kind, and the practice
// tools in the states a learner reaches them: checked answers, one question at a time with its summary,
// a flipped card and a finished deck, the cram sheets, a running exam, its submit dialog and its
// results, and /progress/ with a mistake retried and an exam in its history; at
// phone and desktop widths, light and dark.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { buildFixture, launch, serve, skipReason } from "./harness.mjs";

const skip = (await skipReason()) || false;
let site;
let browser;
let axeSource;

before(async () => {
  if (skip) return;
  axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  site = await serve(buildFixture("practice"));
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (site) site.close();
});

async function answerVisible(page, pick = "input") {
  const item = page.locator(".quiz-item:visible");
  await item.locator(pick).first().check();
  await item.locator("button.quiz-check").click();
}

const STATES = {
  "home with Save for offline": ["/", (p) => p.locator(".offline-save:not([hidden])").waitFor()],
  "section": ["/compute/", null],
  "note with quizzes": ["/compute/services/", null],
  "tag": ["/tags/compute/", null],
  "search results": ["/search/?q=ec2", (p) => p.locator(".search-page-status", { hasText: /\d/ }).waitFor()],
  "mnemonics": ["/mnemonics/", null],
  "not found": ["/404.html", null],
  "quiz index": ["/quiz/", null],
  "checked choose-two question": [
    "/compute/quiz/",
    async (p) => {
      const form = p.locator("form.quiz-question[data-multi]").first();
      await form.locator("input[data-correct]").first().check();
      await form.locator("button.quiz-check").click();
    },
  ],
  "one question at a time": [
    "/compute/quiz/",
    async (p) => {
      await p.getByRole("button", { name: "One question at a time" }).click();
      await answerVisible(p);
    },
  ],
  "quiz summary": [
    "/billing/quiz/",
    async (p) => {
      await p.getByRole("button", { name: "One question at a time" }).click();
      while (await p.locator(".quiz-item:visible").count()) {
        await answerVisible(p);
        await p.locator("button.quiz-next").click();
      }
    },
  ],
  "flipped card": ["/billing/flashcards/", (p) => p.keyboard.press("Space")],
  "finished deck": [
    "/billing/flashcards/",
    async (p) => {
      for (let i = 0; i < 3; i++) {
        await p.keyboard.press("Space");
        await p.keyboard.press("3");
      }
    },
  ],
  "cram sheet": ["/billing/cram/", null],
  "site cram sheet": ["/cram/", null],
  "deck list": ["/flashcards/", (p) => p.waitForFunction(() => document.querySelector(".deck-due").textContent !== "–")],
  "running exam": [
    "/exam/",
    async (p) => {
      await p.locator("button.exam-start").click();
      await p.locator(".exam-app").waitFor();
    },
  ],
  "submit dialog": [
    "/exam/",
    async (p) => {
      await p.locator("button.exam-start").click();
      await p.locator("button.exam-submit").click();
    },
  ],
  "exam results and history": [
    "/exam/",
    async (p) => {
      await p.locator("button.exam-start").click();
      await p.locator("button.exam-submit").click();
      await p.locator("button.exam-confirm-submit").click();
      await p.getByRole("radio", { name: /^All/ }).check();
    },
  ],
  "progress with a retried mistake and an exam": [
    "/compute/quiz/",
    async (p) => {
      const form = p.locator("form.quiz-question").first();
      await form.locator("input:not([data-correct])").first().check();
      await form.locator("button.quiz-check").click();
      await p.goto(p.url().replace(/compute\/quiz\/$/, "exam/"));
      await p.locator("button.exam-start").click();
      await p.locator("button.exam-submit").click();
      await p.locator("button.exam-confirm-submit").click();
      await p.goto(p.url().replace(/exam\/$/, "progress/"));
      const review = p.locator(".progress-review-question");
      await review.locator("input").first().check();
      await review.locator("button.quiz-check").click();
      await p.locator(".progress-exams-table summary").click();
    },
  ],
};

for (const colorScheme of ["light", "dark"]) {
  for (const width of [390, 1280]) {
    test(`axe finds nothing on any page kind at ${width} px, ${colorScheme}`, { skip }, async () => {
      const found = [];
      for (const [name, [path, act]] of Object.entries(STATES)) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
        const page = await context.newPage();
        await page.goto(site.url + path);
        if (act) await act(page);
        await page.addScriptTag({ content: axeSource });
        const violations = await page.evaluate(async () => {
          const result = await window.axe.run(document, {
            runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
          });
          return result.violations.map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
        });
        for (const v of violations) found.push(`${name}: ${v}`);
        await context.close();
      }
      assert.deepEqual(found, []);
    });
  }
}
