// Shared setup for the browser tests: build a fixture site, serve it on 127.0.0.1,
// and launch Debian's headless Chromium through playwright-core.
// Without Chromium (or playwright-core) the tests skip with a message; with CI set
// they fail instead, so a CI run can never pass by skipping.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Why the browser tests cannot run here, or null. Throws under CI instead. */
export async function skipReason() {
  let reason = null;
  if (!existsSync(CHROMIUM)) reason = `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  else {
    try {
      await import("playwright-core");
    } catch (e) {
      reason = "playwright-core is not installed (npm install in tests/e2e)";
    }
  }
  if (reason && process.env.CI) throw new Error(`browser tests cannot run under CI: ${reason}`);
  if (reason) console.log(`# skipping browser tests: ${reason}`);
  return reason;
}

/** Builds tests/fixtures/<name> with the debug binary into a temp folder. */
export function buildFixture(name) {
  return buildRoot(join(REPO, "tests/fixtures", name));
}

/** Builds the site this repository ships (its own site.toml and content/). */
export function buildShipped() {
  return buildRoot(REPO);
}

/** Builds a site made of `files` ({ "site.toml": …, "content/a.md": … }), written to a temp folder. */
export function buildFiles(files) {
  const root = mkdtempSync(join(tmpdir(), "studysite-e2e-site-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return buildRoot(root);
}

function buildRoot(root) {
  const bin = process.env.STUDYSITE_BIN || join(REPO, "target/debug/studysite");
  if (!existsSync(bin)) {
    const cargo = spawnSync("cargo", ["build", "--bin", "studysite"], { cwd: REPO, stdio: "inherit" });
    if (cargo.status !== 0) throw new Error("cargo build failed");
  }
  const out = join(mkdtempSync(join(tmpdir(), "studysite-e2e-")), "public");
  const run = spawnSync(bin, ["build", "--root", root, "--output", out], {
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`build failed:\n${run.stdout}\n${run.stderr}`);
  return out;
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".webmanifest": "application/manifest+json",
};

/**
 * Serves `dir` on a free port, under the sub-path `mount` (`/` for the root);
 * resolves to { url, close }, `url` ending before the mount's trailing slash.
 */
export function serve(dir, mount = "/") {
  const server = createServer((req, res) => {
    const full = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!full.startsWith(mount)) {
      res.writeHead(404).end("outside the mount");
      return;
    }
    const path = full.slice(mount.length - 1);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(404).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      ok({
        url: `http://127.0.0.1:${port}${mount.slice(0, -1)}`,
        close: () => {
          server.close();
          server.closeAllConnections(); // keep-alive sockets too: "offline" means offline
        },
      });
    });
  });
}

/** Launches Chromium; page errors fail the test that collects them. */
export async function launch() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * A new page that records uncaught errors and console errors into `errors`;
 * `options` go to the browser context (viewport, colorScheme, javaScriptEnabled …).
 */
export async function newPage(browser, errors, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    // Failed requests are reported below with their URL.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) errors.push(`${r.status()} ${r.url()}`);
  });
  return page;
}

/**
 * Serves fixture `name` and launches Chromium before the file's tests, and closes
 * both after them (nothing when `skip`). The returned `{ site, browser }` is filled
 * in by the time the tests run.
 */
export function servedFixture(name, skip) {
  const session = { site: null, browser: null };
  before(async () => {
    if (skip) return;
    session.site = await serve(buildFixture(name));
    session.browser = await launch();
  });
  after(async () => {
    if (session.browser) await session.browser.close();
    if (session.site) session.site.close();
  });
  return session;
}
