// One build, anywhere: the shipped site built with the default settings works
// opened from disk (file://), served at a domain's root and served under a
// sub-path, with no --base-url.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { buildShipped, launch, newPage, serve, skipReason } from "./harness.mjs";

const skip = (await skipReason()) || false;
let out;
let browser;
const servers = [];

before(async () => {
  if (skip) return;
  out = buildShipped();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  for (const server of servers) server.close();
});

/** Every URL a page's HTML names in href/src/action, resolved against the page. */
function linksOf(html, base) {
  const urls = [];
  for (const [, value] of html.matchAll(/\s(?:href|src|action|data-core)="([^"]*)"/g)) {
    const url = new URL(value.replaceAll("&amp;", "&"), base);
    url.hash = "";
    urls.push(url);
  }
  return urls;
}

/** Follows every same-origin link from `start`; returns the URLs that failed. */
async function crawl(start) {
  const origin = new URL(start).origin;
  const seen = new Set([start]);
  const queue = [start];
  const broken = [];
  while (queue.length) {
    const url = queue.shift();
    const response = await fetch(url);
    if (!response.ok) {
      broken.push(`${response.status} ${url}`);
      continue;
    }
    if (!(response.headers.get("content-type") || "").startsWith("text/html")) continue;
    for (const link of linksOf(await response.text(), url)) {
      if (link.origin !== origin || seen.has(link.href)) continue;
      seen.add(link.href);
      queue.push(link.href);
    }
  }
  return { broken, visited: seen };
}

/** Every page of the output as the URL a link names (its folder), but 404.html. */
function pagesOf(dir, root) {
  return readdirSync(dir, { recursive: true })
    .filter((file) => file.endsWith(".html") && file !== "404.html")
    .map((file) => new URL(relative(".", file).split(sep).join("/").replace(/index\.html$/, ""), root).href);
}

for (const mount of ["/", "/notes/aws/"]) {
  test(`served at ${mount}: every link of every page resolves`, { skip }, async () => {
    const site = await serve(out, mount);
    servers.push(site);
    const { broken, visited } = await crawl(`${site.url}/`);
    assert.deepEqual(broken, []);
    const unreached = pagesOf(out, `${site.url}/`).filter((url) => !visited.has(url));
    assert.deepEqual(unreached, []);
  });
}

test("served under a sub-path: search, a quiz and the mock exam's pools load", { skip }, async () => {
  const site = await serve(out, "/notes/aws/");
  servers.push(site);
  const errors = [];
  const page = await newPage(browser, errors);
  await page.goto(`${site.url}/cloud-concepts/benefits-of-the-cloud/`);
  await answerFirstQuestion(page);
  const first = await searchFor(page, "glacier");
  await first.click();
  await page.waitForURL(/\/notes\/aws\/technology\/.*highlight=glacier/);
  await page.goto(`${site.url}/exam/`);
  await page.locator(".exam-start").click();
  // The drawn questions' pool files load from under the sub-path.
  await page.locator(".exam-app").waitFor();
  assert.ok((await page.locator(".exam-stem").textContent()).length > 10);
  assert.deepEqual(errors, []);
});

test("opened from disk: styles, navigation, a quiz and search work", { skip }, async () => {
  const errors = [];
  const page = await newPage(browser, errors);
  await page.goto(pathToFileURL(join(out, "index.html")).href);
  // The stylesheet applied: the header is a flex row, not the browser's default block.
  assert.equal(await page.locator(".site-header").evaluate((el) => getComputedStyle(el).display), "flex");
  // A folder link opens the folder's index.html, not a directory listing.
  await page.locator("#sidebar a", { hasText: "Cloud Concepts" }).first().click();
  await page.waitForURL(/\/cloud-concepts\/index\.html$/);
  await page.locator("main a", { hasText: "Benefits of the Cloud" }).first().click();
  await page.waitForURL(/\/benefits-of-the-cloud\/index\.html$/);
  assert.match(await page.locator("h1").first().textContent(), /Benefits of the Cloud/);
  await answerFirstQuestion(page);
  const first = await searchFor(page, "glacier");
  await first.click();
  await page.waitForURL(/^file:.*\/technology\/.*index\.html\?highlight=glacier/);
  // The mock exam's pool cannot be fetched from disk: the page says so and points
  // to the section quizzes.
  await page.goto(pathToFileURL(join(out, "exam", "index.html")).href);
  await page.locator(".exam-fallback p", { hasText: "could not be loaded" }).waitFor();
  assert.ok((await page.locator(".exam-fallback li a").count()) > 0);
  assert.equal(await page.locator(".exam-start").isVisible(), false);
  assert.deepEqual(errors, []);
});

/** Answers a note's first question with its right option and checks the verdict. */
async function answerFirstQuestion(page) {
  const form = page.locator("form.quiz-question").first();
  await form.locator("input[data-correct]").first().check();
  await form.locator("button.quiz-check").click();
  assert.match(await form.locator(".quiz-feedback").textContent(), /Correct/);
}

async function searchFor(page, query) {
  const input = page.locator("#site-search-input");
  await input.click();
  await input.fill(query);
  const first = page.locator("#site-search-results [role=option]").first();
  await first.waitFor();
  return first;
}
