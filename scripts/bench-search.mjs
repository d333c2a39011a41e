#!/usr/bin/env node
// Search benchmark (not a timed test): studysite's index against mdBook's
// elasticlunr index and Pagefind on the same content, in headless Chromium.
//
//   node scripts/bench-search.mjs [--corpus 10000]   (--corpus 0: the shipped site only)
//
// Corpora: the shipped site (repo root), and target/search-bench/<n>-many-long/ as
// written by `cargo run --release --bin bench -- --notes <n> --shape many --words long
// --runs 1 --tools studysite,mdbook --out target/search-bench` (this script runs that
// when the folder is missing).
// Needs: target/release/studysite, mdbook on PATH or in target/tools/mdbook/bin
// (`cargo install mdbook`), pagefind (`npm install pagefind` in target/tools), Chromium,
// and playwright-core from tests/e2e. Prints, per corpus and engine: total index
// bytes, bytes fetched for a one-word and a three-word query (index files, and with
// the search code), and the median time of 50 queries with the index loaded.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, readdirSync, readFileSync, statSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { basename, dirname, extname, join, normalize, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(REPO, "tests/e2e/package.json"));
const { chromium } = require("playwright-core");
const TOOLS = join(REPO, "target/tools");
const MDBOOK = [join(TOOLS, "mdbook/bin/mdbook"), "mdbook"].find((p) => p === "mdbook" || existsSync(p));
const PAGEFIND = join(TOOLS, "node_modules/.bin/pagefind");
const STUDYSITE = join(REPO, "target/release/studysite");
const LIMIT = 10;
// Pagefind's index proper; its code is pagefind.js and the wasm.*.pagefind module.
const PAGEFIND_INDEX = /\.(pf_meta|pf_index|pf_fragment|pf_filter)$|pagefind-entry\.json$/;

const args = process.argv.slice(2);
const corpusNotes = Number(args[args.indexOf("--corpus") + 1] || 10000);

function run(command, argv, options = {}) {
  const result = spawnSync(command, argv, { encoding: "utf8", maxBuffer: 1 << 28, ...options });
  if (result.status !== 0) throw new Error(`${command} ${argv.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else out.push(path);
  }
  return out;
}

const size = (paths) => paths.reduce((sum, p) => sum + statSync(p).size, 0);

/** An mdBook book from the shipped content/: one chapter per note, in order. */
function shippedBook(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "book.toml"), '[book]\ntitle = "Shipped"\n\n[output.html.search]\nenable = true\n');
  let summary = "# Summary\n\n";
  const notes = files(join(REPO, "content")).filter((p) => p.endsWith(".md")).sort();
  notes.forEach((path, i) => {
    const text = readFileSync(path, "utf8");
    const front = text.match(/^\+\+\+\n([\s\S]*?)\n\+\+\+\n/);
    const title = (front && (front[1].match(/^title\s*=\s*"(.*)"/m) || [])[1]) || basename(path, ".md");
    const body = front ? text.slice(front[0].length) : text;
    writeFileSync(join(dir, "src", `n${i}.md`), `# ${title}\n\n${body}`);
    summary += `- [${title.replace(/[[\]]/g, "")}](n${i}.md)\n`;
  });
  writeFileSync(join(dir, "src/SUMMARY.md"), summary);
  run(MDBOOK, ["build", dir, "-d", join(dir, "book")]);
  return join(dir, "book");
}

function serve(dir) {
  const server = createServer((req, res) => {
    let file = normalize(join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname)));
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!file.startsWith(dir) || !existsSync(file)) return res.writeHead(404).end();
    const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json", ".wasm": "application/wasm", ".css": "text/css" };
    res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** 50 queries from the index's own words: 20 one-word, 15 two-word, 15 three-word. */
function queries(studysiteOut) {
  const words = [];
  for (const path of files(join(studysiteOut, "search")).filter((p) => /\/t\d+(-[0-9a-f]+)?\.js$/.test(p))) {
    // `__studysiteSearch("t3","<base64 of zlib JSON>");` (docs/search-index.md)
    const text = readFileSync(path, "utf8");
    const shard = JSON.parse(inflateSync(Buffer.from(text.slice(text.indexOf(",") + 2, -4), "base64")));
    words.push(...shard.w.filter((w) => /^[a-z]{5,}$/.test(w)));
  }
  const pick = (i) => words[(i * 7919) % words.length];
  const out = [];
  for (let i = 0; i < 50; i++) out.push([pick(i), pick(i + 50), pick(i + 100)].slice(0, i < 20 ? 1 : i < 35 ? 2 : 3).join(" "));
  return out;
}

/** Engine adapters: each runs in the page and returns the shown results' count. */
const ENGINES = {
  studysite: {
    setup: async (page) =>
      page.evaluate(async () => {
        const base = new URL("search/", location.href).href;
        const waiting = new Map();
        window.__studysiteSearch = (name, data) => waiting.get(name)(data);
        const load = (name) => new Promise((ok) => {
          waiting.set(name, ok);
          const s = document.createElement("script");
          s.src = base + name + ".js";
          document.head.append(s);
        });
        await new Promise((ok) => {
          const s = document.createElement("script");
          s.src = document.querySelector("script[data-core]").dataset.core;
          s.onload = ok;
          document.head.append(s);
        });
        window.bench = new StudysiteSearchCore.SearchEngine(load);
        window.benchQuery = async (q, limit) => (await window.bench.search(q, { limit })).results.length;
      }),
    isIndex: (url) => url.includes("/search/"),
    isCode: (url) => url.includes("search-core.js"),
  },
  pagefind: {
    setup: async (page) =>
      page.evaluate(async () => {
        const pf = await import("/pagefind/pagefind.js");
        await pf.init();
        window.benchQuery = async (q, limit) => {
          const found = await pf.search(q);
          return (await Promise.all(found.results.slice(0, limit).map((r) => r.data()))).length;
        };
      }),
    isIndex: (url) => PAGEFIND_INDEX.test(url.split("?")[0]),
    isCode: (url) => /\/pagefind\/(pagefind[^/]*\.js|wasm\.[^/]*)$/.test(url.split("?")[0]),
  },
  mdbook: {
    // mdBook 0.5 loads searchindex-<hash>.js when the search bar opens; load it as it does.
    setup: async (page, mdbookIndex) =>
      page.evaluate(async (file) => {
        window.search = window.search || {};
        await new Promise((ok) => {
          const s = document.createElement("script");
          s.src = file;
          s.onload = ok;
          document.head.append(s);
        });
        const index = elasticlunr.Index.load(window.search.index);
        const options = { bool: "AND", expand: true, fields: { title: { boost: 1 }, body: { boost: 1 }, breadcrumbs: { boost: 0 } } };
        window.benchQuery = async (q, limit) => index.search(q, options).slice(0, limit).length;
      }, mdbookIndex),
    isIndex: (url) => /searchindex/.test(url),
    isCode: (url) => /elasticlunr|searcher/.test(url),
    bytesFromDisk: (file) => {
      const dir = globalThis.mdbookDir;
      const index = statSync(join(dir, file)).size;
      const code = size(files(dir).filter((p) => /(elasticlunr|searcher)[^/]*\.js$/.test(p)));
      return { index, withCode: index + code };
    },
  },
};

async function measure(browser, engine, siteUrl, entry, qs, extra) {
  const adapter = ENGINES[engine];
  const bytesFor = async (query) => {
    const page = await browser.newPage();
    // Response events include a worker's requests (Pagefind searches in a worker),
    // which the page's resource timing does not list.
    const entries = [];
    page.on("response", async (r) => entries.push([r.url(), (await r.body().catch(() => Buffer.alloc(0))).length]));
    await page.goto(siteUrl + entry);
    await adapter.setup(page, extra);
    await page.evaluate(([q, l]) => window.benchQuery(q, l), [query, LIMIT]);
    await page.waitForTimeout(200);
    await page.close();
    const index = entries.filter(([u]) => adapter.isIndex(u)).reduce((s, [, b]) => s + b, 0);
    const code = entries.filter(([u]) => adapter.isCode(u)).reduce((s, [, b]) => s + b, 0);
    return { index, withCode: index + code };
  };
  // mdBook loads its whole index for any query: count it from disk rather than
  // loading a (at 10k notes, 270 MB) file three times.
  const fixed = adapter.bytesFromDisk && adapter.bytesFromDisk(extra);
  const one = fixed || (await bytesFor(qs[0]));
  const three = fixed || (await bytesFor(qs[qs.length - 1]));
  const page = await browser.newPage();
  page.setDefaultTimeout(600_000);
  await page.goto(siteUrl + entry);
  try {
    await adapter.setup(page, extra);
  } catch (error) {
    await page.close();
    return { one, three, median: null, note: String(error).split("\n")[0] };
  }
  const times = await page.evaluate(async ([queries, limit]) => {
    for (const q of queries) await window.benchQuery(q, limit); // load what each query needs
    // Each query 5 times in a row: browsers round performance.now() to 0.1 ms.
    const out = [];
    for (const q of queries) {
      const t = performance.now();
      for (let r = 0; r < 5; r++) await window.benchQuery(q, limit);
      out.push((performance.now() - t) / 5);
    }
    return out;
  }, [qs, LIMIT]);
  await page.close();
  return { one, three, median: median(times) };
}

async function corpus(name, studysiteOut, mdbookOut) {
  run(PAGEFIND, ["--site", studysiteOut, "--root-selector", "main", "--output-subdir", "pagefind", "--quiet"]);
  const totals = {
    studysite: size(files(join(studysiteOut, "search")).filter((p) => p.endsWith(".js"))),
    pagefind: size(files(join(studysiteOut, "pagefind")).filter((p) => PAGEFIND_INDEX.test(p))),
    mdbook: size(files(mdbookOut).filter((p) => /searchindex[^/]*\.js$/.test(p))),
  };
  const qs = queries(studysiteOut);
  globalThis.mdbookDir = mdbookOut;
  const mdbookIndex = "/" + basename(files(mdbookOut).find((p) => /searchindex[^/]*\.js$/.test(p)));
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const rows = [];
  const site = await serve(studysiteOut);
  const book = await serve(mdbookOut);
  for (const [engine, url] of [["studysite", site.url], ["pagefind", site.url], ["mdbook", book.url]]) {
    const m = await measure(browser, engine, url, "/index.html", qs, mdbookIndex);
    rows.push({ name, engine, total: totals[engine], ...m });
  }
  site.close();
  book.close();
  await browser.close();
  return rows;
}

const kb = (n) => (n / 1024).toFixed(1) + " KB";
const rows = [];
{
  const out = join(REPO, "target/search-bench/shipped");
  rmSync(out, { recursive: true, force: true });
  run(STUDYSITE, ["build", "--root", REPO, "--output", join(out, "public")]);
  rows.push(...(await corpus("shipped site", join(out, "public"), shippedBook(join(out, "mdbook")))));
}
if (corpusNotes > 0) {
  const base = join(REPO, `target/search-bench/${corpusNotes}-many-long`);
  if (!existsSync(join(base, "studysite/public/search/index.js"))) {
    run("cargo", ["run", "--release", "--bin", "bench", "--", "--notes", String(corpusNotes), "--shape", "many", "--words", "long", "--runs", "1", "--tools", "studysite,mdbook", "--out", "target/search-bench"], {
      cwd: REPO, env: { ...process.env, PATH: `${dirname(MDBOOK)}:${process.env.PATH}` }, stdio: "inherit",
    });
  }
  rows.push(...(await corpus(`${corpusNotes} notes`, join(base, "studysite/public"), join(base, "mdbook/book"))));
}
console.log("| corpus | engine | total index | 1-word query: index (+code) | 3-word query: index (+code) | median query |");
console.log("|---|---|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(`| ${r.name} | ${r.engine} | ${kb(r.total)} | ${kb(r.one.index)} (${kb(r.one.withCode)}) | ${kb(r.three.index)} (${kb(r.three.withCode)}) | ${r.median === null ? "n/a (" + r.note + ")" : r.median.toFixed(2) + " ms"} |`);
}
