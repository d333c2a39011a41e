// `studysite serve` in headless Chromium: a copy of the `basic` fixture is served by
// the real binary, and edits on disk must reach open pages by themselves — a reload
// that keeps the scroll position, ten tabs reloading at once while an 11th still
// loads, a stylesheet swapped without a reload, and the error overlay with file:line
// that goes away when the note is fixed. Every wait is bounded.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { REPO, launch, newPage, skipReason } from "./harness.mjs";

const skip = (await skipReason()) || false;
const WAIT = 15000;
const LONG_NOTE = "content/02-more/long.md";
const LONG_URL = "/more/long/";
let tmp;
let root;
let server;
let browser;
let errors = [];

/** The debug binary, built when missing. */
function binary() {
  const bin = process.env.STUDYSITE_BIN || join(REPO, "target/debug/studysite");
  if (!existsSync(bin)) {
    const cargo = spawnSync("cargo", ["build", "--bin", "studysite"], { cwd: REPO, stdio: "inherit" });
    if (cargo.status !== 0) throw new Error("cargo build failed");
  }
  return bin;
}

/** A note long enough to scroll, with a marker paragraph the tests rewrite. */
function longNote(marker) {
  const paragraphs = Array.from({ length: 80 }, (_, i) => `Paragraph ${i + 1} of a long note about scrolling.`);
  return `+++\ntitle = "Long Note"\n+++\n\n${marker}\n\n${paragraphs.join("\n\n")}\n`;
}

function write(path, text) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** Starts `studysite serve -p 0` and resolves to { url, child } once it prints its URL. */
function startServer(siteRoot) {
  const child = spawn(binary(), ["serve", "-r", siteRoot, "-p", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`serve printed no URL within ${WAIT} ms:\n${output}`));
    }, WAIT);
    const read = (chunk) => {
      output += chunk;
      const found = output.match(/Serving .* at (http:\/\/\S+?)\/?\s/);
      if (found) {
        clearTimeout(timer);
        ok({ url: found[1], child });
      }
    };
    child.stdout.setEncoding("utf8").on("data", read);
    child.stderr.setEncoding("utf8").on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}

before(async () => {
  if (skip) return;
  tmp = mkdtempSync(join(tmpdir(), "studysite-serve-e2e-"));
  root = join(tmp, "site");
  cpSync(join(REPO, "tests/fixtures/basic"), root, { recursive: true });
  write(LONG_NOTE, longNote("Original marker text."));
  // The site's own stylesheet overrides the theme's, so the CSS test edits a copy.
  write("static/css/style.css", readFileSync(join(REPO, "themes/default/static/css/style.css"), "utf8"));
  server = await startServer(root);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    const exited = new Promise((ok) => server.child.once("exit", ok));
    server.child.kill("SIGTERM");
    const timeout = new Promise((ok) => setTimeout(ok, 3000, "timeout"));
    if ((await Promise.race([exited, timeout])) === "timeout") server.child.kill("SIGKILL");
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Marks the page's JavaScript world; a reload loses the mark. */
const mark = (page) => page.evaluate(() => (window.__studysiteMark = true));
const marked = (page) => page.evaluate(() => window.__studysiteMark === true);

/** Waits until the page has reloaded (mark gone) and its <main> contains `text`. */
function reloadedWith(page, text) {
  return page.waitForFunction(
    (t) => !window.__studysiteMark && document.readyState === "complete" && document.querySelector("main")?.textContent.includes(t),
    text,
    { timeout: WAIT },
  );
}

/** Opens `path` and waits for the live-reload socket to be up (the server says hello):
 * an edit made before that would reach the page as a newer generation in the
 * hello, which reloads it instead of, say, swapping a stylesheet. */
async function open(page, path) {
  const hello = new Promise((resolve) => {
    page.on("websocket", (socket) =>
      socket.on("framereceived", (frame) => String(frame.payload).includes('"hello"') && resolve()),
    );
  });
  await page.goto(`${server.url}${path}`, { timeout: WAIT });
  await page.locator('script[src$="__studysite/livereload.js"]').waitFor({ state: "attached", timeout: WAIT });
  const late = new Promise((_, reject) => setTimeout(() => reject(new Error(`no live-reload hello on ${path}`)), WAIT).unref());
  await Promise.race([hello, late]);
}

test("an edited note reloads the open page by itself and keeps its scroll position", { skip }, async () => {
  errors = [];
  const page = await newPage(browser, errors);
  await page.setViewportSize({ width: 1000, height: 600 });
  await open(page, LONG_URL);
  assert.match(await page.locator("main").textContent(), /Original marker text\./);
  await page.evaluate(() => window.scrollTo(0, 900));
  await page.waitForFunction(() => window.scrollY >= 890, null, { timeout: WAIT });
  await mark(page);
  write(LONG_NOTE, longNote("Edited marker text, first edit."));
  await reloadedWith(page, "Edited marker text, first edit.");
  await page.waitForFunction(() => Math.abs(window.scrollY - 900) <= 10, null, { timeout: WAIT });
  assert.doesNotMatch(await page.locator("main").textContent(), /Original marker text/);
  assert.deepEqual(errors, []);
});

/** Resolves once `check()` holds, polling; rejects after WAIT. */
async function until(check, what) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > WAIT) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

test("an edit reloads its open page once: first its preview, and the whole rebuild after it changes nothing there", { skip }, async () => {
  errors = [];
  const page = await newPage(browser, errors);
  const frames = [];
  page.on("websocket", (socket) => socket.on("framereceived", (frame) => frames.push(JSON.parse(String(frame.payload)))));
  await open(page, LONG_URL);
  await mark(page);
  write(LONG_NOTE, longNote("Edited marker text, reloaded once."));
  await reloadedWith(page, "Edited marker text, reloaded once.");
  await mark(page);
  const preview = frames.find((f) => f.type === "reload" && (f.pages || []).includes(LONG_URL));
  assert.ok(preview, `the page's preview reloaded it: ${JSON.stringify(frames)}`);
  // The reloaded page hears of the whole rebuild, the next generation, either
  // in its hello or as a reload that does not list it; neither reloads it.
  await until(() => frames.some((f) => f.generation > preview.generation), "the whole rebuild");
  await new Promise((ok) => setTimeout(ok, 300));
  assert.equal(await marked(page), true, `reloaded again: ${JSON.stringify(frames)}`);
  assert.deepEqual(errors, []);
});

test("ten open tabs all reload after one edit, and an 11th page still loads", { skip }, async () => {
  errors = [];
  // One context, so the tabs share the browser's per-host connection pool.
  const context = await browser.newContext();
  context.on("page", (p) => p.on("pageerror", (e) => errors.push(String(e))));
  const tabs = [];
  for (let i = 0; i < 10; i++) tabs.push(await context.newPage());
  for (const tab of tabs) await open(tab, LONG_URL);
  await Promise.all(tabs.map(mark));
  write(LONG_NOTE, longNote("Edited marker text, seen by ten tabs."));
  await Promise.all(tabs.map((tab) => reloadedWith(tab, "Edited marker text, seen by ten tabs.")));
  for (const tab of tabs) assert.equal(await marked(tab), false);
  // Ten live-reload sockets are open; ordinary requests must not stall behind them.
  const eleventh = await context.newPage();
  const started = Date.now();
  const response = await eleventh.goto(`${server.url}/more/gamma/`, { timeout: 5000 });
  assert.equal(response.status(), 200);
  assert.equal(await eleventh.locator("h1").first().textContent(), "Gamma");
  assert.ok(Date.now() - started < 5000);
  await eleventh.locator('script[src$="__studysite/livereload.js"]').waitFor({ state: "attached" });
  await context.close();
  assert.deepEqual(errors, []);
});

test("a stylesheet edit swaps the CSS without reloading the page", { skip }, async () => {
  errors = [];
  const page = await newPage(browser, errors);
  await open(page, "/more/gamma/");
  const before = await page.locator('link[rel="stylesheet"][href*="/css/style.css"]').getAttribute("href");
  await mark(page);
  appendFileSync(join(root, "static/css/style.css"), "\nhtml body { background-color: rgb(1, 2, 3) !important; }\n");
  await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)", null, {
    timeout: WAIT,
  });
  assert.equal(await marked(page), true, "the page was not reloaded");
  const links = page.locator('link[rel="stylesheet"][href*="/css/style.css"]');
  await page.waitForFunction(() => document.querySelectorAll('link[rel="stylesheet"][href*="/css/style.css"]').length === 1, null, {
    timeout: WAIT,
  });
  assert.notEqual(await links.getAttribute("href"), before);
  assert.deepEqual(errors, []);
});

test("a broken note shows the error overlay with file:line, and fixing it clears it", { skip }, async () => {
  errors = [];
  const page = await newPage(browser, errors);
  await open(page, "/more/gamma/");
  const note = "content/01-first-steps/02-beta.md";
  const good = readFileSync(join(root, note), "utf8");
  write(note, '+++\ntitle = "Beta\nweight = 3\n+++\n\nBeta.\n');
  const overlay = page.locator("#studysite-error-overlay");
  await overlay.waitFor({ timeout: WAIT });
  assert.equal(await overlay.getAttribute("role"), "alert");
  assert.match(await overlay.locator(".studysite-error-location").textContent(), /^content\/01-first-steps\/02-beta\.md:\d+$/);
  assert.ok((await overlay.locator(".studysite-error-message").textContent()).length > 10);
  // The last good site is still served meanwhile.
  const beta = await page.request.get(`${server.url}/first-steps/beta/`);
  assert.equal(beta.status(), 200);
  // A page opened while the build is broken shows the overlay too.
  const late = await newPage(browser, errors);
  await open(late, "/");
  await late.locator("#studysite-error-overlay").waitFor({ timeout: WAIT });
  write(note, good);
  await overlay.waitFor({ state: "detached", timeout: WAIT });
  await late.locator("#studysite-error-overlay").waitFor({ state: "detached", timeout: WAIT });
  assert.deepEqual(errors, []);
});
