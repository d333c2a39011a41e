// The offline app: a published build's service worker keeps what "Save for
// offline" saves, so with the server gone the learner can open pages they never
// visited, search and practise; a rebuild is picked up on the next visit and
// replaces the old cache.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, launch, newPage, serve, skipReason } from "./harness.mjs";

const skip = (await skipReason()) || false;
const BIN = process.env.STUDYSITE_BIN || join(REPO, "target/debug/studysite");
let browser;

before(async () => {
  if (!skip) browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

/** A copy of the shipped site's sources, to edit and rebuild. */
function copyOfShippedSite() {
  const root = mkdtempSync(join(tmpdir(), "studysite-offline-"));
  cpSync(join(REPO, "site.toml"), join(root, "site.toml"));
  cpSync(join(REPO, "content"), join(root, "content"), { recursive: true });
  return root;
}

function build(root) {
  const out = join(root, "public");
  const run = spawnSync(BIN, ["build", "--root", root, "--output", out], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return out;
}

/** Opens the home page and waits until the service worker controls it. */
async function openControlled(page, url) {
  await page.goto(url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) {
    await page.reload();
  }
  assert.ok(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), "no worker in control");
}

test("saved for offline: unvisited pages, search, a quiz and the mock exam work with the server gone", { skip }, async () => {
  const out = build(copyOfShippedSite());
  const site = await serve(out);
  const errors = [];
  const page = await newPage(browser, errors);
  await openControlled(page, `${site.url}/`);
  const save = page.locator(".offline-all button");
  assert.match(await save.textContent(), /^Save everything \(\d+(\.\d)? MB\)$/);
  await save.click();
  await page.locator(".offline-status", { hasText: /^Saved .* for offline use/ }).waitFor({ timeout: 60000 });
  site.close();

  const offline = [];
  page.removeAllListeners("response"); // failed fetches are the point here
  page.on("pageerror", (e) => offline.push(String(e)));
  await page.goto(`${site.url}/security/kms-and-cloudhsm/?highlight=kms`);
  assert.match(await page.locator("h1").first().textContent(), /KMS/);
  const form = page.locator("form.quiz-question").first();
  await form.locator("input[data-correct]").first().check();
  await form.locator("button.quiz-check").click();
  assert.match(await form.locator(".quiz-feedback").textContent(), /Correct/);
  const input = page.locator("#site-search-input");
  await input.click();
  await input.fill("glacier");
  await page.locator("#site-search-results [role=option]").first().waitFor();
  await page.goto(`${site.url}/exam/`);
  await page.locator(".exam-start").click();
  await page.locator(".exam-app").waitFor(); // the drawn questions' pool files come first
  assert.ok((await page.locator(".exam-stem").textContent()).length > 10);
  await page.goto(`${site.url}/no-such-page/`);
  assert.match(await page.locator("h1").textContent(), /You are offline/);
  assert.deepEqual(offline, []);
  assert.deepEqual(errors, []);
});

test("a rebuild is picked up on the next visit and replaces the old cache", { skip }, async () => {
  const root = copyOfShippedSite();
  const out = build(root);
  const site = await serve(out);
  const page = await newPage(browser, []);
  await openControlled(page, `${site.url}/`);
  await page.goto(`${site.url}/security/iam/`);
  const before = JSON.parse(readFileSync(join(out, "offline.json"), "utf8")).version;
  assert.deepEqual(await page.evaluate(() => caches.keys()), [`studysite-${before}`]);

  const note = join(root, "content/02-security/02-iam.md");
  writeFileSync(note, readFileSync(note, "utf8").replace(/^title = ".*"$/m, 'title = "IAM, edited after deploy"'));
  build(root);
  const now = JSON.parse(readFileSync(join(out, "offline.json"), "utf8")).version;
  assert.notEqual(now, before);
  await page.goto(`${site.url}/`);
  await page.waitForFunction((name) => caches.keys().then((keys) => keys.join() === name), `studysite-${now}`, {
    polling: 200,
    timeout: 20000,
  });
  await page.goto(`${site.url}/security/iam/`);
  assert.equal(await page.locator("h1").first().textContent(), "IAM, edited after deploy");
  site.close();
});

test("no service worker from disk", { skip }, async () => {
  const out = build(copyOfShippedSite());
  const page = await newPage(browser, []);
  await page.goto(`file://${out}/index.html`);
  await page.waitForLoadState("load");
  assert.equal(await page.locator(".offline-save").isHidden(), true);
  assert.equal(await page.evaluate(() => "serviceWorker" in navigator && navigator.serviceWorker.controller), null);
});
