// The colour-scheme switch and the print layout, in headless Chromium over the
// `practice` fixture.
import test from "node:test";
import assert from "node:assert/strict";
import { newPage, servedFixture, skipReason } from "./harness.mjs";

const skip = (await skipReason()) || false;
const session = servedFixture("practice", skip);

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
    const page = await newPage(session.browser, errors, { colorScheme: system });
    await page.goto(`${session.site.url}/compute/services/`);
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
  const page = await newPage(session.browser, errors);
  await page.goto(`${session.site.url}/billing/tools/`);
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

test("a cram sheet prints black on white in dark mode, external links with their URL", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors, { colorScheme: "dark" });
  await page.goto(`${session.site.url}/billing/cram/`);
  const look = () =>
    page.evaluate(() => {
      const after = (a) => getComputedStyle(a, "::after").content;
      return {
        background: getComputedStyle(document.body).backgroundColor,
        colour: getComputedStyle(document.body).color,
        external: after(document.querySelector('.callout-tip a[href^="https://"]')),
        internal: after(document.querySelector(".cram-source a")),
        header: getComputedStyle(document.querySelector(".site-header")).display,
      };
    });
  assert.equal((await look()).background, "rgb(20, 22, 26)", "dark on screen");
  await page.emulateMedia({ media: "print", colorScheme: "dark" });
  assert.deepEqual(await look(), {
    background: "rgb(255, 255, 255)",
    colour: "rgb(0, 0, 0)",
    external: '" (https://aws.amazon.com/aws-cost-management/pricing/)"',
    internal: "none",
    header: "none",
  });
  assert.equal(await page.locator(".mnemonic-pairs").isVisible(), true, "the expansion, with no toggle");
  assert.deepEqual(errors, []);
});

test("printing opens every closed <details> and closes them again after", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors);
  await page.goto(`${session.site.url}/billing/tools/`);
  const open = () => page.evaluate(() => [...document.querySelectorAll("details")].map((d) => d.open));
  const before = await open();
  assert.ok(before.filter((o) => !o).length >= 4, "answers and the expansion closed on screen");
  await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  assert.ok((await open()).every((o) => o), "all open for print");
  await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
  assert.deepEqual(await open(), before);
  assert.deepEqual(errors, []);
});

test("narrow screens keep the contents in a folded box above the note; the header fits", { skip }, async () => {
  for (const width of [390, 1024]) {
    const errors = [];
    const page = await newPage(session.browser, errors, { viewport: { width, height: 800 } });
    await page.goto(`${session.site.url}/compute/services/`);
    const box = page.locator(".toc-aside");
    assert.equal(await box.isVisible(), true, `${width}: contents box shown`);
    assert.equal(await page.locator(".toc-details").getAttribute("open"), null, `${width}: folded`);
    const boxTop = (await box.boundingBox()).y;
    const noteTop = (await page.locator("article.note .content").boundingBox()).y;
    assert.ok(boxTop < noteTop, `${width}: above the note`);
    await page.locator(".toc-title").click();
    await page.locator(".toc a").nth(2).click();
    assert.match(page.url(), /#what-is-aws-fargate$/);
    // One line each for the practice links and the colour switch.
    for (const sel of [".practice-nav a >> nth=2", ".theme-toggle"]) {
      const { height } = await page.locator(sel).boundingBox();
      assert.ok(height < 40, `${width}: ${sel} is ${height}px high`);
    }
    if (width === 390) {
      assert.equal(await page.locator(".site-header").evaluate((h) => getComputedStyle(h).position), "static");
      await page.evaluate(() => window.scrollTo(0, 600));
      const { y, height } = await page.locator(".site-header").boundingBox();
      assert.ok(y + height <= 0, "the two-row header scrolls away on a phone");
    }
    assert.deepEqual(errors, []);
  }
});

test("on a wide screen the contents mark the section being read", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors, { viewport: { width: 1280, height: 700 } });
  await page.goto(`${session.site.url}/compute/services/`);
  assert.equal(await page.locator(".toc-details").getAttribute("open"), "");
  const current = () => page.locator('.toc a[aria-current="location"]').allTextContents();
  await page.locator("#what-is-amazon-lightsail").evaluate((h) => window.scrollTo(0, h.offsetTop - 60));
  await page.waitForFunction(() => document.querySelector('.toc a[aria-current="location"]'));
  assert.deepEqual(await current(), ["What is Amazon Lightsail?"]);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForFunction(() => !document.querySelector('.toc a[aria-current="location"]'));
  assert.deepEqual(errors, []);
});

test("on a phone an exam question of several lines sits inside its box", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors, { viewport: { width: 390, height: 800 } });
  await page.goto(`${session.site.url}/exam/`);
  await page.locator("button.exam-start").click();
  await page.locator(".exam-app").waitFor();
  // Go through the questions to a long one.
  const count = await page.locator(".exam-grid-item").count();
  let legend = null;
  let fieldset = null;
  for (let i = 0; i < count && !(legend && legend.height > 40); i++) {
    await page.locator(".exam-grid-item").nth(i).click();
    legend = await page.locator(".exam-question legend").boundingBox();
    fieldset = await page.locator(".exam-question fieldset").boundingBox();
  }
  assert.ok(legend.height > 40, `a question of several lines (${legend.height}px)`);
  assert.ok(legend.y > fieldset.y + 1, `legend at ${legend.y}, box border at ${fieldset.y}`);
  assert.deepEqual(errors, []);
});
