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

  /**
   * The questions of the exam's pool files (`/exam/` and `/progress/` embed
   * their URLs). A file that cannot be fetched (offline, or file://, where
   * fetch is refused) adds none: the pages keep their links to the quizzes.
   */
  async function fetchPools(urls) {
    const one = async (url) => {
      try {
        const response = await fetch(url);
        return response.ok ? (await response.json()).questions : [];
      } catch {
        return [];
      }
    };
    return (await Promise.all(urls.map(one))).flat();
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
    fetchPools,
    learnerSeed,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.StudysiteQuizStore = api;
})(typeof self !== "undefined" ? self : this);
