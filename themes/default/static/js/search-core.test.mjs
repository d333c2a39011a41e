// node --test: query parsing, expansion, ranking, and agreement with the Rust
// tokenizer on the word list in tests/fixtures/search-words/.
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import core from "./search-core.js";

const fixtures = fileURLToPath(new URL("../../../../tests/fixtures/search-words/", import.meta.url));
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/** `encode_postings` from format.rs, for hand-made shards: the highest score, then
 * doc gaps and scores in 63rds of the highest. */
function encode(postings) {
  let out = "";
  const push = (n) => {
    do {
      const low = n & 31;
      n >>>= 5;
      out += DIGITS[n ? low | 32 : low];
    } while (n);
  };
  const highest = Math.max(...postings.map(([, score]) => score));
  push(highest);
  let previous = 0;
  for (const [doc, score] of postings) {
    push(doc - previous);
    out += DIGITS[Math.max(1, Math.round((score * 63) / highest))];
    previous = doc;
  }
  return out;
}

/** `pack` from format.rs: base64 of the zlib stream of the JSON. */
const pack = (value) => deflateSync(JSON.stringify(value)).toString("base64");

/** An engine over files given as `{name: payload}`, packed as the build packs them. */
function engineOver(files) {
  return new core.SearchEngine(async (name) => {
    if (!(name in files)) throw new Error("no file " + name);
    return pack(files[name]);
  });
}

/** A one-shard index: `words` maps surface → postings array or the index of a word sharing them. */
function tinyIndex(words, docs) {
  const sorted = Object.keys(words).sort();
  return {
    index: {
      version: 3, language: "en", stop: ["the", "of"], kinds: ["note", "quiz", "mnemonic"],
      docs: docs.length, terms: { keys: [""], hash: "h" }, documents: { first: "0", hash: "h" },
    },
    t0: { w: sorted, p: sorted.map((w) => (typeof words[w] === "number" ? words[w] : encode(words[w]))) },
    d0: { pages: [["Page", "p/", "Sec"]], docs: docs.map((d, i) => [0, d, "h" + i, 0, d + " text", ""]) },
  };
}

test("queries drop stop words and mark the word being typed as a prefix", () => {
  const stop = new Set(["the", "of"]);
  assert.deepEqual(core.parseQuery("The Scaling of EC2 inst", stop), [
    { text: "scaling", cjk: false, prefix: false },
    { text: "ec2", cjk: false, prefix: false },
    { text: "inst", cjk: false, prefix: true },
  ]);
  assert.deepEqual(core.parseQuery("glacier ", stop).map((w) => w.prefix), [false]);
  assert.deepEqual(core.parseQuery("the", stop).map((w) => w.text), ["the"]);
  assert.deepEqual(core.parseQuery("Café—NAÏVE", stop).map((w) => w.text), ["cafe", "naive"]);
  assert.deepEqual(core.parseQuery("東京都", stop).map((w) => w.text), ["東京", "京都"]);
  assert.equal(core.parseQuery("東", stop)[0].prefix, true);
});

test("typo budget and edit distance", () => {
  assert.deepEqual(["iam", "scale", "cloudtrail"].map(core.maxEdits), [0, 1, 2]);
  assert.equal(core.editDistance("cloudtrial", "cloudtrail", 2), 1, "a swap is one edit");
  assert.equal(core.editDistance("privlege", "privilege", 1), 1);
  assert.equal(core.editDistance("glacier", "galaxy", 2), 3, "over budget reports max+1");
});

test("postings decode as Rust encodes them: scores in 63rds of the highest", () => {
  assert.deepEqual(core.decodePostings(encode([[0, 630], [33, 10], [400000, 300]])), [0, 630, 33, 10, 400000, 300]);
  assert.deepEqual(core.decodePostings("W2X1_1W"), [33, 64, 34, (64 * 32) / 63], "the example in shards_tests.rs");
});

test("payloads unpack as Rust packs them, and an older index is refused by version", async () => {
  assert.deepEqual(await core.unpack(pack({ w: ["policy"], p: ["37"] })), { w: ["policy"], p: ["37"] });
  await assert.rejects(core.unpack({ version: 2 }), /search index format 2; this script reads 3/);
});

test("shard lookup by prefix ranges", () => {
  const keys = ["", "cl", "e", "pol"];
  assert.equal(core.shardIndex(keys, "azure"), 0);
  assert.equal(core.shardIndex(keys, "cloud"), 1);
  assert.equal(core.shardIndex(keys, "policy"), 3);
  assert.deepEqual(core.shardsForWord(keys, { text: "ec2", prefix: false, cjk: false }), [2]);
  // A typed prefix spans every shard its completions can be in; typos, the shards of
  // the word's first two letters.
  assert.deepEqual(core.shardsForWord(keys, { text: "c", prefix: true, cjk: false }), [0, 1]);
  assert.deepEqual(core.shardsForWord(keys, { text: "polcy", prefix: false, cjk: false }, true), [2, 3]);
  assert.deepEqual(core.decodeVarints("3W1"), [3, 32]);
});

test("expansion: exact and completions first, typos only when nothing else matches", () => {
  const shard = {
    w: ["cloud", "cloudfront", "cloudtrail", "cloudwatch", "policies", "policy"],
    p: [encode([[0, 5]]), encode([[1, 5]]), encode([[2, 5]]), encode([[3, 5]]), encode([[4, 9]]), 4],
  };
  const typed = core.expandWord({ text: "cloud", prefix: true, cjk: false }, [shard]);
  assert.deepEqual(typed.map((e) => e.surface), ["cloud", "cloudfront", "cloudtrail", "cloudwatch"]);
  assert.ok(typed[0].weight > typed[1].weight);
  assert.deepEqual(core.expandWord({ text: "cloudtrial", prefix: false, cjk: false }, [shard]), []);
  const typo = core.expandWord({ text: "cloudtrial", prefix: false, cjk: false }, [shard], true);
  assert.deepEqual(typo.map((e) => e.surface), ["cloudtrail"]);
  const stemmed = core.expandWord({ text: "policy", prefix: false, cjk: false }, [shard]);
  assert.deepEqual(stemmed[0].postings, [4, 9]);
  assert.deepEqual(stemmed[0].variants, ["policies", "policy"]);
});

test("ranking: more query words, then exact over prefix over typo", async () => {
  const files = tinyIndex(
    { glacier: [[0, 100], [2, 100]], glaciers: 0, archive: [[2, 80], [3, 90]], archival: [[1, 100]], arcive: [[4, 200]] },
    ["exact", "prefix only", "both words", "archive only", "typo word"]
  );
  const engine = engineOver(files);
  const both = await engine.search("glacier archive ");
  assert.deepEqual(both.results.map((r) => r.heading), ["both words", "exact", "archive only", "typo word"].slice(0, both.results.length));
  assert.equal(both.results[0].path, "p/");
  // Completions of the word being typed; the typo "arcive" is two edits away.
  const typed = await engine.search("archiv");
  assert.deepEqual(typed.results.map((r) => r.heading).sort(), ["archive only", "both words", "prefix only"]);
  const typo = await engine.search("glaceir ");
  assert.deepEqual(typo.results.map((r) => r.heading), ["exact", "both words"]);
});

test("snippets mark the matched words", () => {
  const parts = core.snippet("Amazon S3 Glacier is cheap. Glaciers melt.", new Set(["glacier", "glaciers"]));
  assert.deepEqual(parts.filter((p) => p.mark).map((p) => p.text), ["Glacier", "Glaciers"]);
  assert.equal(parts.map((p) => p.text).join(""), "Amazon S3 Glacier is cheap. Glaciers melt.");
});

test("the browser finds every word under the term Rust gave it (500+ words)", async () => {
  const expected = JSON.parse(readFileSync(fixtures + "expected.json", "utf8"));
  const engine = new core.SearchEngine(async (name) => {
    const source = readFileSync(`${fixtures}index/${name}.js`, "utf8");
    let payload;
    new Function("__studysiteSearch", source)((_, data) => (payload = data));
    return payload;
  });
  const words = Object.keys(expected);
  assert.ok(words.length >= 500, `${words.length} words`);
  const wrong = [];
  for (const word of words) {
    const found = await engine.search(word + " ", { limit: 1 });
    const term = found.results[0] && found.results[0].anchor;
    if (term !== expected[word] || !found.words.includes(core.normalize(word))) wrong.push(`${word}: ${term} ≠ ${expected[word]}`);
  }
  assert.deepEqual(wrong, []);
});

test("results are weighed by kind: a question needs a clearly better score to beat a note", () => {
  const r = (doc, kind, score) => ({ doc, kind, score });
  const ranked = core.byKind([r(1, "quiz", 230), r(2, "note", 200), r(3, "mnemonic", 200), r(4, "quiz", 300), r(5, "note", 150)]);
  assert.deepEqual(ranked.map((x) => x.doc), [4, 2, 3, 1, 5]);
  // Equal weighted scores: the note first.
  assert.deepEqual(core.byKind([r(7, "quiz", 100), r(8, "note", 75)]).map((x) => x.doc), [8, 7]);
});
