// Search logic with no DOM: query parsing, word expansion (exact, prefix, typo),
// ranking and snippets over the index that `studysite build` writes to search/
// (format: docs/search-index.md). A classic script, not a module, so it also runs
// from file:// (Chromium refuses module scripts there); under Node it is a
// CommonJS module, which the *.test.mjs files import.
(function (root) {
  "use strict";

  const FORMAT_VERSION = 3;
  // A posting's score is its level in 63rds of the word's highest (`MAX_LEVEL` in format.rs).
  const MAX_LEVEL = 63;
  // Han, kana and Hangul, as `is_cjk` in src/search/tokenize.rs.
  const CJK = "\\u1100-\\u11FF\\u3040-\\u30FF\\u3130-\\u318F\\u31F0-\\u31FF\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uAC00-\\uD7AF\\uF900-\\uFAFF\\u{20000}-\\u{2FFFF}";
  const CJK_RUN = new RegExp("([" + CJK + "]+)", "u");
  const IS_CJK = new RegExp("^[" + CJK + "]", "u");
  const MAX_WORD_CHARS = 40;
  const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  // Expansion weights: an exact word beats a completion, which beats a typo.
  const WEIGHT = { exact: 1, prefix: 0.6, fuzzy1: 0.45, fuzzy2: 0.3 };
  const MAX_PREFIX_WORDS = 40;
  const MAX_SHARDS_PER_WORD = 3;
  let segmenter = null;

  /** Lowercase, fold diacritics, keep Hangul whole: `normalize` in tokenize.rs. */
  function normalize(text) {
    return text
      .toLowerCase()
      .replace(/\u2019/g, "'")
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .normalize("NFC");
  }

  /** Unicode words (UAX #29, as the Rust side), split again at `.`, `:` and `·`. */
  function plainWords(text, out) {
    segmenter = segmenter || new Intl.Segmenter("en", { granularity: "word" });
    for (const { segment, isWordLike } of segmenter.segment(text)) {
      if (!isWordLike) continue;
      for (let part of segment.split(/[.:\u00B7]/)) {
        part = part.replace(/^'+|'+$/g, "");
        if (part && [...part].length <= MAX_WORD_CHARS) out.push({ word: part, cjk: false });
      }
    }
  }

  /**
   * Normalised text → `{word, cjk}` tokens: words, and CJK runs as bigrams
   * (a lone CJK character stays as it is). No stop words are removed here.
   */
  function tokenize(text) {
    const out = [];
    const parts = normalize(text).split(CJK_RUN);
    parts.forEach((part, i) => {
      if (i % 2 === 0) {
        plainWords(part, out);
        return;
      }
      const chars = [...part];
      if (chars.length === 1) out.push({ word: part, cjk: true });
      for (let j = 0; j + 1 < chars.length; j++) out.push({ word: chars[j] + chars[j + 1], cjk: true });
    });
    return out;
  }

  /**
   * A query → the words to look up. The last word is matched as a prefix while it
   * is being typed (no trailing space); stop words are dropped unless that leaves
   * nothing.
   */
  function parseQuery(text, stopWords) {
    const tokens = tokenize(text);
    const typing = text.length > 0 && !/[\s\p{P}]$/u.test(text);
    const words = tokens.map((t, i) => ({
      text: t.word,
      cjk: t.cjk,
      prefix: typing && i === tokens.length - 1 && (t.cjk ? [...t.word].length === 1 : t.word.length >= 2),
    }));
    const kept = words.filter((w) => w.prefix || !stopWords.has(w.text));
    const unique = new Map();
    for (const w of kept.length ? kept : words) {
      const seen = unique.get(w.text);
      if (!seen) unique.set(w.text, w);
      else seen.prefix = seen.prefix || w.prefix;
    }
    return [...unique.values()];
  }

  /** Typos allowed in a word: one from 5 letters, two from 9. */
  function maxEdits(word) {
    const n = [...word].length;
    return n >= 9 ? 2 : n >= 5 ? 1 : 0;
  }

  /** Optimal-string-alignment distance (a swap of neighbours is one edit), or max+1. */
  function editDistance(a, b, max) {
    a = [...a];
    b = [...b];
    if (Math.abs(a.length - b.length) > max) return max + 1;
    let prev2 = null;
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      let best = i;
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
        row.push(d);
        best = Math.min(best, d);
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = row;
    }
    return prev[b.length];
  }

  /** Reads base-32 varints (`push_varint` in format.rs) and single digits from `text`. */
  class DigitReader {
    constructor(text) {
      this.text = text;
      this.at = 0;
    }

    more() {
      return this.at < this.text.length;
    }

    digit() {
      return DIGITS.indexOf(this.text[this.at++]);
    }

    varint() {
      let value = 0;
      for (let shift = 0; ; shift += 5) {
        const digit = this.digit();
        value += (digit & 31) * 2 ** shift;
        if (digit < 0 || !(digit & 32)) return value;
      }
    }
  }

  /** The numbers of a varint string. */
  function decodeVarints(text) {
    const out = [];
    for (const read = new DigitReader(text); read.more(); ) out.push(read.varint());
    return out;
  }

  /**
   * The inverse of `encode_postings` in format.rs: `[doc, score, doc, score, …]`.
   * The text is the list's highest score, then each doc as the gap from the
   * previous one, all varints, each doc followed by one digit, its score in 63rds
   * of the highest.
   */
  function decodePostings(text) {
    const read = new DigitReader(text);
    const highest = read.varint();
    const out = [];
    for (let doc = 0; read.more(); ) {
      doc += read.varint();
      out.push(doc, (highest * read.digit()) / MAX_LEVEL);
    }
    return out;
  }

  const formatError = (version) => new Error(`search index format ${version}; this script reads ${FORMAT_VERSION}`);

  /** A file's payload (`pack` in format.rs): base64 of zlib-compressed JSON. */
  async function unpack(packed) {
    // Index files before version 3 carried their JSON as it is.
    if (typeof packed !== "string") throw formatError(packed && packed.version);
    const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
    const json = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return JSON.parse(await new Response(json).text());
  }

  /** Index of the last sorted key `<= word` (keys[0] is ""). */
  function shardIndex(keys, word) {
    let lo = 0;
    let hi = keys.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (keys[mid] <= word) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** First index in sorted `words` with `words[i] >= word`. */
  function lowerBound(words, word) {
    let lo = 0;
    let hi = words.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (words[mid] < word) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Which term shards a query word needs: the one that would hold the word, and for
   * prefix and typo matching the ones covering its first two letters (typos are
   * looked for among words that share those), at most MAX_SHARDS_PER_WORD.
   */
  function shardsForWord(keys, word, typos = false) {
    const exact = shardIndex(keys, word.text);
    const scan = scanPrefix(word, typos);
    if (scan === null) return [exact];
    const first = shardIndex(keys, scan);
    const last = shardIndex(keys, scan + "\uffff");
    const from = Math.max(first, exact - (MAX_SHARDS_PER_WORD - 1));
    const to = Math.min(last, from + MAX_SHARDS_PER_WORD - 1);
    const out = [];
    for (let i = from; i <= to; i++) out.push(i);
    if (!out.includes(exact)) out.push(exact);
    return out;
  }

  /**
   * The prefix every candidate for `word` shares, or null when only the word itself
   * counts: the word being typed for completions; its first two letters for typos.
   */
  function scanPrefix(word, typos) {
    if (typos) return [...word.text].slice(0, 2).join("");
    return word.prefix ? word.text : null;
  }

  /** Whether a word may match with typos (and nothing matched it as written). */
  function allowsTypos(word) {
    return !word.cjk && maxEdits(word.text) > 0;
  }

  /** Postings of word `i` in a loaded shard (following a shared-postings pointer). */
  function postingsAt(shard, i) {
    shard.decoded = shard.decoded || new Map();
    let entry = shard.p[i];
    if (typeof entry === "number") {
      i = entry;
      entry = shard.p[i];
    }
    let list = shard.decoded.get(i);
    if (!list) {
      list = decodePostings(entry);
      shard.decoded.set(i, list);
    }
    return list;
  }

  /** The words of a shard that share word `i`'s postings (its stem family there). */
  function variants(shard, i) {
    const owner = typeof shard.p[i] === "number" ? shard.p[i] : i;
    const out = [];
    for (let k = Math.max(0, owner); k < shard.w.length; k++) {
      if (k === owner || shard.p[k] === owner) out.push(shard.w[k]);
    }
    return out;
  }

  /**
   * A query word → `[{surface, weight, postings}]` from the loaded shards: the word
   * itself, completions when it is being typed, and typo matches when neither exists.
   */
  function expandWord(word, shards, withTypos = false) {
    const found = [];
    const typos = [];
    const edits = withTypos && allowsTypos(word) ? maxEdits(word.text) : 0;
    const scan = scanPrefix(word, edits > 0) ?? word.text;
    for (const shard of shards) {
      for (let i = lowerBound(shard.w, scan); i < shard.w.length; i++) {
        const surface = shard.w[i];
        if (!surface.startsWith(scan)) break;
        if (surface === word.text) {
          found.push({ surface, weight: WEIGHT.exact, postings: postingsAt(shard, i), shard, i });
        } else if (word.prefix && surface.startsWith(word.text)) {
          const weight = WEIGHT.prefix * (0.6 + (0.4 * word.text.length) / surface.length);
          found.push({ surface, weight, postings: null, shard, i });
        } else if (edits > 0) {
          const d = editDistance(word.text, surface, edits);
          if (d <= edits) typos.push({ surface, weight: d === 1 ? WEIGHT.fuzzy1 : WEIGHT.fuzzy2, postings: null, shard, i });
        }
      }
    }
    found.sort((a, b) => b.weight - a.weight || a.surface.length - b.surface.length);
    const chosen = found.length ? found.slice(0, MAX_PREFIX_WORDS) : typos;
    for (const e of chosen) if (!e.postings) e.postings = postingsAt(e.shard, e.i);
    return chosen.map(({ surface, weight, postings, shard, i }) => ({
      surface,
      weight,
      postings,
      variants: shard ? variants(shard, i) : [surface],
    }));
  }

  /**
   * BM25 scores come precomputed in the postings. Per query word a document takes
   * its best expansion (weight × score); a document's score is the sum over words,
   * times the square of the share of query words it matches.
   */
  function rank(expansions, limit) {
    const scores = new Map();
    expansions.forEach((list, w) => {
      for (const { weight, postings } of list) {
        for (let k = 0; k < postings.length; k += 2) {
          const doc = postings[k];
          const s = weight * postings[k + 1];
          let entry = scores.get(doc);
          if (!entry) scores.set(doc, (entry = new Float64Array(expansions.length)));
          if (s > entry[w]) entry[w] = s;
        }
      }
    });
    const n = expansions.length;
    const ranked = [];
    for (const [doc, per] of scores) {
      let sum = 0;
      let matched = 0;
      for (let w = 0; w < n; w++) if (per[w] > 0) (sum += per[w]), matched++;
      ranked.push({ doc, score: sum * (matched / n) ** 2 });
    }
    ranked.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return { total: ranked.length, top: ranked.slice(0, limit) };
  }

  /**
   * The window of `text` (about `size` characters) holding the most marked words,
   * as `[{text, mark}]` parts; marked = its normalised form is in `surfaces`.
   */
  function snippet(text, surfaces, size = 180) {
    const marks = [];
    for (const m of text.matchAll(/[\p{L}\p{N}\p{M}']+/gu)) {
      if (IS_CJK.test(m[0])) continue;
      if (surfaces.has(normalize(m[0]).replace(/^'+|'+$/g, ""))) marks.push([m.index, m.index + m[0].length]);
    }
    for (const s of surfaces) {
      if (!IS_CJK.test(s)) continue;
      for (let at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + 1)) marks.push([at, at + s.length]);
    }
    marks.sort((a, b) => a[0] - b[0]);
    let start = 0;
    let best = -1;
    for (let i = 0; i < marks.length; i++) {
      let count = 0;
      for (let j = i; j < marks.length && marks[j][0] < marks[i][0] + size - 40; j++) count++;
      if (count > best) (best = count), (start = marks[i][0]);
    }
    start = Math.max(0, start - 40);
    if (start > 0) {
      const space = text.indexOf(" ", start);
      if (space >= 0 && space < start + 20) start = space + 1;
    }
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const space = text.lastIndexOf(" ", end);
      if (space > start + size / 2) end = space;
    }
    const parts = [];
    if (start > 0) parts.push({ text: "…", mark: false });
    let at = start;
    for (const [from, to] of marks) {
      if (from < at || to > end) continue;
      if (from > at) parts.push({ text: text.slice(at, from), mark: false });
      parts.push({ text: text.slice(from, to), mark: true });
      at = to;
    }
    if (at < end) parts.push({ text: text.slice(at, end), mark: false });
    if (end < text.length) parts.push({ text: "…", mark: false });
    return parts;
  }

  /**
   * How much each kind of document counts. Questions are short, so BM25 favours
   * them; a learner searching wants the note first, and the question after it.
   */
  const KIND_WEIGHTS = { note: 1, mnemonic: 0.9, quiz: 0.75 };
  const KIND_ORDER = ["note", "mnemonic", "quiz"];

  /** Results re-ranked by score × kind weight; at equal scores notes come first. */
  function byKind(results) {
    const weight = (r) => r.score * (KIND_WEIGHTS[r.kind] ?? 1);
    const order = (r) => (KIND_ORDER.includes(r.kind) ? KIND_ORDER.indexOf(r.kind) : KIND_ORDER.length);
    return results
      .map((r) => ({ ...r, score: weight(r) }))
      .sort((a, b) => b.score - a.score || order(a) - order(b) || a.doc - b.doc);
  }

  /** A search over the index; `load(name, version)` resolves to a file's packed payload. */
  class SearchEngine {
    constructor(load) {
      this.load = load;
      this.files = new Map();
      this.manifest = null;
    }

    async init() {
      if (!this.manifest) {
        const manifest = await unpack(await this.load("index"));
        if (manifest.version !== FORMAT_VERSION) throw formatError(manifest.version);
        this.manifest = manifest;
        this.stop = new Set(manifest.stop);
        this.keys = manifest.terms.keys;
        let sum = 0;
        this.firstDocs = decodeVarints(manifest.documents.first).map((gap) => (sum += gap));
      }
      return this.manifest;
    }

    /** A shard by name, loaded and unpacked once; `version` (its set's) busts caches. */
    file(name, version) {
      if (!this.files.has(name)) this.files.set(name, this.load(name, version).then(unpack));
      return this.files.get(name);
    }

    /** `{total, words, results: [{doc, score, title, heading, path, anchor, kind, section, text, snippet}]}`. */
    async search(query, { limit = 10 } = {}) {
      await this.init();
      const words = parseQuery(query, this.stop);
      if (!words.length) return { total: 0, words: [], results: [] };
      // Words as written (and completions) first; typo candidates, which need the
      // shards of the word's first two letters, only for words that found nothing.
      const expansions = await Promise.all(
        words.map(async (w) => {
          const found = expandWord(w, await this.termShards(shardsForWord(this.keys, w)));
          if (found.length || !allowsTypos(w)) return found;
          return expandWord(w, await this.termShards(shardsForWord(this.keys, w, true)), true);
        })
      );
      const surfaces = new Set(expansions.flat().flatMap((e) => e.variants));
      // A document's kind is only known once its shard is loaded, so twice the
      // results are ranked, then weighed by kind and cut to the limit.
      const { total, top } = rank(expansions, limit * 2);
      const results = await Promise.all(top.map((r) => this.document(r, surfaces)));
      return { total, words: [...surfaces], results: byKind(results).slice(0, limit) };
    }

    termShards(ids) {
      return Promise.all(ids.map((i) => this.file(`t${i}`, this.manifest.terms.hash)));
    }

    async document({ doc, score }, surfaces) {
      const i = shardIndex(this.firstDocs, doc);
      const first = this.firstDocs[i];
      const shard = await this.file(`d${i}`, this.manifest.documents.hash);
      const [page, heading, anchor, kind, text, parent] = shard.docs[doc - first];
      const [title, path, section] = shard.pages[page];
      return {
        doc, score, title, heading, parent, path, anchor, section, text,
        kind: this.manifest.kinds[kind],
        snippet: snippet(text, surfaces),
      };
    }
  }

  const api = {
    FORMAT_VERSION, normalize, tokenize, parseQuery, maxEdits, editDistance,
    decodeVarints, decodePostings, unpack, shardIndex, shardsForWord, expandWord, rank, byKind, snippet, SearchEngine,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.StudysiteSearchCore = api;
})(typeof self !== "undefined" ? self : this);
