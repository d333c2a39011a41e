// Search in headless Chromium over the shipped site (repo root site.toml +
// content/): ranking of real queries, typo tolerance, the /search/ page, keyboard-only
// use, query highlighting on the destination, and the whole thing from file://.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO, launch, newPage, serve, skipReason } from "./harness.mjs";

const skip = (await skipReason()) || false;
let site;
let fileSite;
let browser;
let errors = [];

/** Builds the shipped site into a temp folder; `fileUrl` makes links work from file://. */
function buildShipped(fileUrl) {
  const bin = process.env.STUDYSITE_BIN || join(REPO, "target/debug/studysite");
  if (!existsSync(bin)) throw new Error(`no ${bin}: cargo build --bin studysite`);
  const out = join(mkdtempSync(join(tmpdir(), "studysite-search-")), "public");
  const args = ["build", "--root", REPO, "--output", out];
  if (fileUrl) args.push("--base-url", pathToFileURL(out).href + "/");
  const run = spawnSync(bin, args, { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`build failed:\n${run.stdout}\n${run.stderr}`);
  return out;
}

before(async () => {
  if (skip) return;
  site = await serve(buildShipped(false));
  fileSite = buildShipped(true);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (site) site.close();
});

/** Types `query` into the header box and waits for the listbox to show results. */
async function searchBox(page, query) {
  const input = page.locator("#site-search-input");
  await input.click();
  await input.fill(query);
  await page.locator("#site-search-results [role=option]").first().waitFor();
  return page.locator("#site-search-results [role=option]");
}

const texts = (locator) => locator.evaluateAll((nodes) => nodes.map((n) => n.textContent));

test("glacier: the S3 storage-classes section comes first", { skip }, async () => {
  errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${site.url}/`);
  const options = await searchBox(page, "glacier");
  const first = options.first();
  assert.equal(await first.locator(".search-result-title").textContent(), "Amazon S3 and Storage Classes");
  // The first hit is the Glacier heading inside "What are the S3 storage classes?".
  assert.match(await first.textContent(), /S3 storage classes/);
  const href = await first.locator("a").getAttribute("href");
  assert.match(href, /\/technology\/s3\/\?highlight=glacier#what-is-s3-glacier$/);
  assert.ok((await first.locator("mark").count()) > 0, "snippet marks the word");
  assert.match(await page.locator(".site-search .search-status").textContent(), /^\d+ results$/);
  assert.deepEqual(errors, []);
});

test("cloudtrial (a typo) finds CloudTrail", { skip }, async () => {
  errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${site.url}/`);
  const options = await searchBox(page, "cloudtrial ");
  const titles = await texts(options.locator(".search-result-title"));
  assert.match(titles[0], /CloudTrail/);
  assert.deepEqual(errors, []);
});

test("least privlege finds the IAM note, which highlights the words", { skip }, async () => {
  errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${site.url}/`);
  const options = await searchBox(page, "least privlege");
  assert.match(await options.first().locator(".search-result-title").textContent(), /^IAM/);
  await options.first().locator("a").click();
  await page.waitForURL(/\/security\/iam\//);
  const marks = await texts(page.locator("main mark.search-highlight"));
  assert.ok(marks.some((m) => /privilege/i.test(m)), marks.join(","));
  assert.deepEqual(errors, []);
});

test("keyboard only: / focuses, arrows move, Enter opens, Esc closes", { skip }, async () => {
  errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${site.url}/`);
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "site-search-input");
  await page.keyboard.type("scaling");
  const input = page.locator("#site-search-input");
  await page.locator("#site-search-results [role=option]").first().waitFor();
  assert.equal(await input.getAttribute("aria-expanded"), "true");
  assert.equal(await input.getAttribute("aria-activedescendant"), "site-search-results-0");
  await page.keyboard.press("ArrowDown");
  assert.equal(await input.getAttribute("aria-activedescendant"), "site-search-results-1");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Escape");
  assert.equal(await input.getAttribute("aria-expanded"), "false");
  assert.ok(await page.locator("#site-search-results").isHidden());
  await page.keyboard.press("ArrowDown");
  await page.locator("#site-search-results [role=option][aria-selected=true]").waitFor();
  const target = await page.locator("#site-search-results [aria-selected=true] a").getAttribute("href");
  await page.keyboard.press("Enter");
  await page.waitForURL(target);
  assert.deepEqual(errors, []);
});

test("the /search/ page runs ?q= and links the query", { skip }, async () => {
  errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${site.url}/search/?q=policies`);
  await page.locator(".search-page-results li").first().waitFor();
  const headings = await texts(page.locator(".search-page-results .search-result-heading"));
  assert.ok(headings.includes("What are IAM policies?"), headings.join(" | "));
  assert.match(await page.locator(".search-page-status").textContent(), /results/);
  await page.locator(".search-page-input").fill("cognito");
  await page.waitForURL(/\?q=cognito/);
  assert.deepEqual(errors, []);
});

test("search works from file://", { skip }, async () => {
  errors = [];
  const page = await newPage(browser, errors);
  await page.goto(pathToFileURL(join(fileSite, "index.html")).href);
  const options = await searchBox(page, "glacier");
  const href = await options.first().locator("a").getAttribute("href");
  assert.match(href, /^file:.*\/technology\/s3\/index\.html\?highlight=glacier#what-is-s3-glacier$/);
  await page.keyboard.press("Enter");
  await page.waitForURL(/s3\/index\.html/);
  assert.ok((await page.locator("main mark.search-highlight").count()) > 0);
  assert.deepEqual(errors, []);
});

test("waf and ec2 pricing: notes come before quiz questions", { skip }, async () => {
  errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${site.url}/`);
  for (const query of ["waf", "ec2 pricing"]) {
    const options = await searchBox(page, query);
    const kinds = await texts(options.locator(".search-result-kind"));
    assert.deepEqual(kinds.slice(0, 3), ["note", "note", "note"], `${query}: ${kinds}`);
  }
  const options = await searchBox(page, "waf");
  const headings = await texts(options.locator(".search-result-heading"));
  assert.ok(headings.slice(0, 3).includes("What is AWS WAF?"), `waf: ${headings}`);
  assert.deepEqual(errors, []);
});

test("a quiz result shows its question, never a snippet of its answer", { skip }, async () => {
  errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${site.url}/search/?q=${encodeURIComponent("sql injection")}`);
  await page.locator(".search-page-results li").first().waitFor();
  const quizzes = page.locator(".search-page-results li:has(.search-kind-quiz)");
  assert.ok((await quizzes.count()) >= 1, "a question about SQL injection is found");
  assert.match(await quizzes.first().locator(".search-result-heading").textContent(), /SQL injection/);
  for (const snippet of await texts(quizzes.locator(".search-result-snippet"))) assert.equal(snippet, "");
  // Notes no longer carry their quiz callouts' options in their snippets either.
  const notes = await texts(page.locator(".search-page-results li:has(.search-kind-note) .search-result-snippet"));
  assert.ok(notes.every((text) => !/Amazon Inspector Amazon|AWS WAF Network ACLs/.test(text)), notes.join("\n"));
  assert.deepEqual(errors, []);
});
