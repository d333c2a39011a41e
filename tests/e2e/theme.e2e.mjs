// The colour-scheme switch and the print layout, in headless Chromium over the
// `practice` fixture.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { buildFixture, launch, newPage, serve, skipReason } from "./harness.mjs";

const skip = (await skipReason()) || false;
let site;
let browser;

before(async () => {
  if (skip) return;
  site = await serve(buildFixture("practice"));
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (site) site.close();
});

/** What the switch says and what the page shows. */
async function look(page) {
  return page.evaluate(() => ({
    label: document.querySelector(".theme-toggle-label").textContent,
    name: document.querySelector(".theme-toggle").textContent.replace(/\s+/g, " ").trim(),
    choice: document.documentElement.getAttribute("data-theme-choice"),
    stored: localStorage.getItem("studysite-theme"),
    background: getComputedStyle(document.body).backgroundColor,
    icon: getComputedStyle(document.querySelector(".theme-toggle-icon")).backgroundImage !== "none"
      ? "half"
      : getComputedStyle(document.querySelector(".theme-toggle-icon")).backgroundColor,
  }));
}

const LIGHT = "rgb(255, 255, 255)";
const DARK = "rgb(20, 22, 26)";

for (const [system, first, second] of [["light", "Dark", "Light"], ["dark", "Light", "Dark"]]) {
  test(`on a ${system} system the switch goes System → ${first} → ${second} → System and says so`, { skip }, async () => {
    const errors = [];
    const page = await newPage(browser, errors, { colorScheme: system });
    await page.goto(`${site.url}/compute/services/`);
    const toggle = page.locator("button.theme-toggle");
    let now = await look(page);
    assert.equal(now.label, "System");
    assert.equal(now.name, "Colours: System");
    assert.equal(now.background, system === "dark" ? DARK : LIGHT);
    assert.equal(now.icon, "half");
    assert.match(await toggle.getAttribute("title"), new RegExp(`system \\(${system}\\)`));
    await toggle.click();
    now = await look(page);
    assert.deepEqual([now.label, now.choice, now.stored], [first, first.toLowerCase(), first.toLowerCase()]);
    assert.equal(now.background, first === "Dark" ? DARK : LIGHT, "the first click always changes the colours");
    const firstIcon = now.icon;
    await page.reload();
    assert.equal((await look(page)).label, first, "the choice survives a reload");
    await toggle.click();
    now = await look(page);
    assert.deepEqual([now.label, now.stored], [second, second.toLowerCase()]);
    assert.equal(now.background, second === "Dark" ? DARK : LIGHT);
    assert.notEqual(now.icon, firstIcon, "light and dark look different on the switch");
    await toggle.click();
    now = await look(page);
    assert.deepEqual([now.label, now.choice, now.stored], ["System", "system", null], "back to following the system");
    assert.equal(await page.evaluate(() => document.documentElement.hasAttribute("data-theme")), false);
    assert.deepEqual(errors, []);
  });
}

test("a printed note shows quiz answers and mnemonic expansions but no controls", { skip }, async () => {
  const errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${site.url}/billing/tools/`);
  const answer = page.locator(".quiz-answer .quiz-correct").first();
  const pairs = page.locator(".mnemonic-pairs").first();
  assert.equal(await answer.isVisible(), false, "on screen the answer waits in its <details>");
  assert.equal(await pairs.isVisible(), false);
  await page.emulateMedia({ media: "print" });
  assert.equal(await answer.isVisible(), true, "printed: the answer");
  assert.equal(await pairs.isVisible(), true, "printed: the mnemonic's expansion");
  assert.equal(await page.locator(".quiz-answer p").first().isVisible(), true, "printed: the explanation");
  assert.equal(await page.locator("button.quiz-check").first().isVisible(), false, "no Check answer button");
  assert.equal(await page.locator(".mnemonic-reveal-toggle").first().isVisible(), false, "no test-yourself toggle");
  assert.equal(await page.locator(".site-header").isVisible(), false);
  // A real print run goes the same way.
  const pdf = await page.pdf();
  assert.ok(pdf.length > 1000);
  await page.emulateMedia({ media: "screen" });
  assert.equal(await answer.isVisible(), false, "back on screen the answer is hidden again");
  assert.deepEqual(errors, []);
});
