// localStorage, JSON in and out, and a working page even when storage is blocked
// (private windows, file://): reads fall back to the default, writes are dropped.
(function (root) {
  "use strict";

  const KEYS = {
    answers: "studysite-quiz-answers",
    best: "studysite-quiz-best",
    cards: "studysite-flashcards",
    exam: "studysite-exam",
    examHistory: "studysite-exam-history",
    learner: "studysite-learner-seed",
    quizMode: "studysite-quiz-mode",
    /** Last answers and the review queue (progress-store.js). */
    progress: "studysite-progress",
  };

  function load(key, fallback) {
    try {
      const raw = localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* storage full or blocked: progress lasts for this page only */
    }
  }

  function remove(key) {
    try {
      localStorage.removeItem(key);
    } catch (e) {
      /* storage blocked: nothing was saved */
    }
  }

  /** The JSON a page embeds in <script type="application/json" id=…>. */
  function embedded(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  /** The site's root URL: every page names it, relative to itself, in <html data-root>. */
  function siteRoot() {
    return new URL(document.documentElement.dataset.root || "./", location.href);
  }

  const RELATIVE = /^(?![a-z][a-z0-9+.-]*:|[/#?])/i;

  /**
   * HTML from a data file (the exam pools), whose links and images are written
   * from the site's root, with those URLs resolved for this page.
   */
  function fromRoot(html) {
    if (!/ (href|src)=/.test(html)) return html;
    const template = document.createElement("template");
    template.innerHTML = html;
    const root = siteRoot();
    for (const el of template.content.querySelectorAll("[href], [src]")) {
      for (const name of ["href", "src"]) {
        const value = el.getAttribute(name);
        if (value !== null && RELATIVE.test(value)) el.setAttribute(name, new URL(value, root).href);
      }
    }
    return template.innerHTML;
  }

  /** `text` as HTML that shows it as it is. */
  function escapeHtml(text) {
    const escapes = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
    return String(text).replace(/[&<>"]/g, (c) => escapes[c]);
  }

  /**
   * A JSON data file of the site (`url` from the site's root), or null where it
   * cannot be fetched: offline, or from a page opened from disk, which does not
   * try (the browser refuses, and logs each refusal).
   */
  async function fetchData(url) {
    if (typeof location === "object" && location.protocol === "file:") return null;
    try {
      const response = await fetch(new URL(url, siteRoot()));
      return response.ok ? await response.json() : null;
    } catch {
      return null;
    }
  }

  /**
   * The questions of the exam's pool files (`/exam/` and `/progress/` embed
   * their URLs, written from the site's root, as are the questions' links). A
   * file that cannot be fetched (offline, or file://, where fetch is refused)
   * adds none: the pages keep their links to the quizzes.
   */
  async function fetchPools(urls) {
    const one = async (url) => {
      const pool = await fetchData(url);
      if (!pool) return [];
      // An HTML field that would only be its plain field escaped is left out.
      const htmlOf = (html, text) => (html === undefined ? escapeHtml(text) : fromRoot(html));
      for (const q of pool.questions) {
        q.stem_html = htmlOf(q.stem_html, q.stem);
        q.explanation_html = fromRoot(q.explanation_html);
        for (const option of q.options) option.html = htmlOf(option.html, option.text);
      }
      return pool.questions;
    };
    return (await Promise.all(urls.map(one))).flat();
  }

  /**
   * Where question `index` of a pool group (`{ questions, first_file }` of the pool's
   * index, exam/pools.json) is: its file's place among the index's `pools` and its
   * place in that file of `chunk` questions, or null past the group's end.
   */
  function poolPlace(group, index, chunk) {
    if (!group || index < 0 || index >= group.questions) return null;
    return { file: group.first_file + Math.floor(index / chunk), at: index % chunk };
  }

  /**
   * This browser's own random seed, made on first use: it fixes the order of quiz
   * options for this learner, so a page never reshuffles under them.
   */
  function learnerSeed() {
    let seed = load(KEYS.learner, null);
    if (typeof seed !== "number") {
      seed = Math.floor(Math.random() * 2 ** 32);
      save(KEYS.learner, seed);
    }
    return seed;
  }

  const api = {
    KEYS,
    load,
    save,
    remove,
    embedded,
    siteRoot,
    fromRoot,
    fetchData,
    fetchPools,
    poolPlace,
    learnerSeed,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.StudysiteQuizStore = api;
})(typeof self !== "undefined" ? self : this);
