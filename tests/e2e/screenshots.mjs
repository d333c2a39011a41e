// Screenshots for looking at the theme by eye (not a test): every page in `PAGES`
// at phone, laptop and desktop widths, light and dark, into a folder.
//   node screenshots.mjs [fixture|shipped] [out-dir] [page-name …]
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { buildFixture, buildShipped, launch, serve } from "./harness.mjs";

const [which = "practice", out = "/tmp/studysite-shots", ...only] = process.argv.slice(2);
const PAGES = {
  home: { path: "/" },
  note: { path: "/compute/services/" },
  quiz: { path: "/compute/quiz/" },
  steps: { path: "/compute/quiz/", act: stepOnce },
  missed: { path: "/compute/quiz/", act: missOne },
  deck: { path: "/billing/flashcards/" },
  cram: { path: "/billing/cram/" },
  "site-cram": { path: "/cram/" },
  done: { path: "/billing/flashcards/", act: finishDeck },
  decks: { path: "/flashcards/" },
  exam: { path: "/exam/", act: (p) => p.locator("button.exam-start").click() },
  confirm: { path: "/exam/", act: confirmSubmit },
  results: { path: "/exam/", act: submitBlank },
};
const WIDTHS = [390, 1024, 1280];

async function stepOnce(page) {
  await page.getByRole("button", { name: "One question at a time" }).click();
  const item = page.locator(".quiz-item:visible");
  await item.locator("input:not([data-correct])").first().check();
  await item.locator("button.quiz-check").click();
}

async function missOne(page) {
  const form = page.locator("form.quiz-question[data-multi]").first();
  await form.locator("input[data-correct]").first().check();
  await form.locator("button.quiz-check").click();
  await form.scrollIntoViewIfNeeded();
}

async function finishDeck(page) {
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press("Space");
    await page.keyboard.press("3");
  }
}

async function confirmSubmit(page) {
  await page.locator("button.exam-start").click();
  await page.locator("input.exam-flag").check();
  await page.locator("button.exam-submit").click();
}

async function submitBlank(page) {
  await confirmSubmit(page);
  await page.locator("button.exam-confirm-submit").click();
  await page.getByRole("radio", { name: /^All/ }).check();
}

const root = which === "shipped" ? buildShipped() : buildFixture(which);
const site = await serve(root);
const browser = await launch();
mkdirSync(out, { recursive: true });
for (const [name, { path, act }] of Object.entries(PAGES)) {
  if (only.length && !only.includes(name)) continue;
  for (const width of WIDTHS) {
    for (const scheme of ["light", "dark"]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
      const page = await context.newPage();
      await page.goto(site.url + path);
      if (act) await act(page);
      await page.waitForTimeout(150);
      await page.screenshot({ path: join(out, `${name}-${width}-${scheme}.png`), fullPage: width !== 390 });
      await context.close();
    }
  }
}
await browser.close();
site.close();
console.log(`screenshots in ${out}`);
