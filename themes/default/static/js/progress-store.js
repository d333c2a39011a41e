// The learner's progress with no DOM: the last answer to each question, the
// review queue of missed questions, the summaries /progress/ shows, and the
// export file with its merge (format: docs/progress-format.md). Flashcard boxes
// and mock exam attempts keep their own localStorage keys (quiz-store.js); the
// export gathers them. A classic script, so it also runs from file://; under Node it is a
// CommonJS module, which progress-store.test.mjs loads.
(function (root) {
  "use strict";

  // The storage and the Leitner boxes are quiz-store.js's and leitner.js's:
  // globals in a page (loaded before this script), modules under Node.
  const common = typeof module === "object" && module.exports;
  const quizStore = common ? require("./quiz-store.js") : root.StudysiteQuizStore;
  const leitner = common ? require("./leitner.js") : root.StudysiteLeitner;
  const { KEYS, load, save, poolPlace } = quizStore;

  const FORMAT = "studysite-progress";
  const VERSION = 1;
  /** Token overlap at which a reworded question keeps its progress. */
  const SIMILAR = 0.8;
  /** Right answers, on different days, that take a question out of the review queue. */
  const REVIEW_DAYS = 2;

  /** Lowercase, punctuation removed, whitespace collapsed: `normalise_stem` in quiz_blocks.rs. */
  function normaliseStem(text) {
    return String(text || "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s]/gu, "")
      .replace(/\s+/g, " ")
      .trim();
  }

  /** Shared words over the longer stem's words (each counted once): 1 for the same words. */
  function similarity(a, b) {
    const left = new Set(normaliseStem(a).split(" ").filter(Boolean));
    const right = new Set(normaliseStem(b).split(" ").filter(Boolean));
    const longest = Math.max(left.size, right.size);
    if (longest === 0) return 0;
    let shared = 0;
    for (const word of left) if (right.has(word)) shared++;
    return shared / longest;
  }

  /** The note's source path of a `content/…/note.md:41` location. */
  function noteOf(location) {
    return String(location || "").replace(/:\d+$/, "");
  }

  /** The learner's calendar day of `ms`, e.g. "2026-12-03". */
  function dayOf(ms) {
    const d = new Date(ms);
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  function empty() {
    return { questions: {}, review: {} };
  }

  /** What a question record says about where it came from, keeping known fields. */
  function describe(previous, q) {
    const out = {};
    for (const field of ["note", "stem", "section"]) {
      const value = field === "stem" && q.stem ? normaliseStem(q.stem) : q[field];
      if (value || (previous && previous[field])) out[field] = value || previous[field];
    }
    return out;
  }

  /**
   * `progress` with one answer recorded (the input is not changed): the
   * question's last attempt, and its place in the review queue. A wrong answer
   * puts it in the queue (again, with no right days); a right answer counts
   * one day, and the REVIEW_DAYS-th different day takes it out.
   * @param q { id, stem?, note?, section? }
   */
  function recordAnswer(progress, q, ok, now) {
    const questions = { ...progress.questions };
    const review = { ...progress.review };
    const before = questions[q.id];
    questions[q.id] = { ...describe(before, q), at: now, ok: Boolean(ok), seen: ((before && before.seen) || 0) + 1 };
    const queued = review[q.id] && !review[q.id].done ? review[q.id] : null;
    if (!ok) {
      review[q.id] = { ...describe(queued, q), added: queued ? queued.added : now, days: [], done: false, at: now };
    } else if (queued) {
      const days = queued.days.includes(dayOf(now)) ? queued.days : [...queued.days, dayOf(now)];
      review[q.id] = { ...queued, ...describe(queued, q), days, done: days.length >= REVIEW_DAYS, at: now };
    }
    return { questions, review };
  }

  /** The ids waiting for review, the longest waiting first. */
  function reviewQueue(progress) {
    return Object.entries(progress.review)
      .filter(([, item]) => !item.done)
      .sort(([, a], [, b]) => a.added - b.added)
      .map(([id]) => id);
  }

  /**
   * Keeps progress attached to the questions the site has now.
   * Records of questions no longer in `current` move to the current question
   * of the same note whose stem is most similar (at least SIMILAR) and that
   * has no record of its own; records of known questions get the note, stem
   * and section they lack.
   * @param current [{ id, note, stem, section }]
   * @returns { progress, moved: [[fromId, toId]] }
   */
  function reattach(progress, current, isCurrent = () => false) {
    const byId = new Map(current.map((q) => [q.id, q]));
    const next = { questions: { ...progress.questions }, review: { ...progress.review } };
    const moved = [];
    for (const [id, record] of Object.entries(progress.questions)) {
      if (byId.has(id) || isCurrent(id)) continue;
      const target = closest(record, current, next.questions);
      if (!target) continue;
      moved.push([id, target.id]);
      for (const store of [next.questions, next.review]) {
        if (!store[id]) continue;
        store[target.id] = { ...store[id], stem: normaliseStem(target.stem) };
        delete store[id];
      }
    }
    for (const store of [next.questions, next.review]) {
      for (const [id, record] of Object.entries(store)) {
        if (byId.has(id)) store[id] = { ...record, ...describe(record, byId.get(id)), stem: normaliseStem(byId.get(id).stem) };
      }
    }
    return { progress: next, moved };
  }

  function closest(record, current, taken) {
    if (!record.note || !record.stem) return null;
    let best = null;
    let bestScore = SIMILAR;
    for (const q of current) {
      if (q.note !== record.note || taken[q.id]) continue;
      const score = similarity(record.stem, q.stem);
      if (score >= bestScore) [best, bestScore] = [q, score];
    }
    return best;
  }

  /**
   * Per section: questions seen and right at the last attempt, flashcards per
   * Leitner box (index 0: never seen) and due now, questions waiting for review.
   * @param sections [{ section, weight, questions: [ids], cards: [ids], question_count?, card_count? }]
   * @param cards    flashcards.js's states, id → { box, due }
   */
  function sectionProgress(sections, progress, cards, now) {
    const queued = new Set(reviewQueue(progress));
    return sections.map((s) => {
      // Without the section's id lists (not fetched for a learner with no records,
      // and not from disk), records count by the section they name; its cards are
      // all new when no card has a state, and their boxes unknown otherwise.
      const ids = s.questions || Object.keys(progress.questions).filter((id) => progress.questions[id].section === s.section);
      const records = ids.map((id) => progress.questions[id]).filter(Boolean);
      const { boxes, due } = s.cards ? leitner.summary(s.cards.map((id) => ({ id })), cards, now) : unlistedCards(s.card_count, cards);
      return {
        section: s.section,
        weight: s.weight,
        total: s.question_count ?? ids.length,
        seen: records.length,
        right: records.filter((r) => r.ok).length,
        review: ids.filter((id) => queued.has(id)).length,
        boxes,
        due,
        cards: s.card_count ?? s.cards.length,
      };
    });
  }

  /** A section's card summary without its card ids: all new if no card has a state. */
  function unlistedCards(count, cards) {
    if (Object.keys(cards).length > 0) return { boxes: null, due: 0 };
    const { boxes } = leitner.summary([], {}, 0);
    boxes[0] = count;
    return { boxes, due: count };
  }

  /**
   * The readiness estimate: each section's share of questions right at the
   * last attempt (unseen ones count as wrong), averaged with the exam weights;
   * sections without a weight count only when no section has one.
   */
  function readiness(rows) {
    const weighted = rows.some((r) => r.weight > 0);
    let sum = 0;
    let weights = 0;
    for (const r of rows) {
      const w = weighted ? r.weight || 0 : 1;
      sum += w * (r.total ? r.right / r.total : 0);
      weights += w;
    }
    return weights ? Math.round((100 * sum) / weights) : 0;
  }

  /** Best and latest mock exam percent per section, from the exam history. */
  function examDomains(history) {
    const out = {};
    const attempts = [...history].sort((a, b) => a.date - b.date);
    for (const attempt of attempts) {
      for (const s of attempt.sections || []) {
        const best = out[s.section] ? Math.max(out[s.section].best, s.percent) : s.percent;
        out[s.section] = { best, latest: s.percent, title: s.title };
      }
    }
    return out;
  }

  /** The export file's object. */
  function exportFile(all, now) {
    return {
      format: FORMAT,
      version: VERSION,
      exported: new Date(now).toISOString(),
      questions: all.progress.questions,
      review: all.progress.review,
      cards: all.cards,
      exams: all.exams,
    };
  }

  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const isNumber = (v) => typeof v === "number" && Number.isFinite(v);
  const CHECKS = {
    questions: (r) => isObject(r) && isNumber(r.at) && typeof r.ok === "boolean",
    review: (r) => isObject(r) && isNumber(r.at) && isNumber(r.added) && Array.isArray(r.days),
    cards: (r) => isObject(r) && isNumber(r.box) && isNumber(r.due),
  };

  /**
   * The progress in an export file's text, or { error } saying why it is not one.
   * @returns { file } or { error }
   */
  function parseFile(text) {
    let file;
    try {
      file = JSON.parse(text);
    } catch {
      return { error: "This file is not JSON, so it is not a progress export." };
    }
    if (!isObject(file) || file.format !== FORMAT) return { error: `This file is not a studysite progress export (no "format": "${FORMAT}").` };
    if (!Number.isInteger(file.version) || file.version < 1) return { error: "This progress file has no valid version." };
    if (file.version > VERSION) return { error: `This progress file is version ${file.version}; this site reads version ${VERSION}. Update the site to import it.` };
    for (const [part, check] of Object.entries(CHECKS)) {
      if (!isObject(file[part])) return { error: `This progress file has no "${part}" object.` };
      const bad = Object.keys(file[part]).find((id) => !check(file[part][id]));
      if (bad !== undefined) return { error: `This progress file has a malformed ${part} entry (${bad}).` };
    }
    const examOk = (e) => isObject(e) && e.id !== undefined && isNumber(e.date) && isNumber(e.scaled);
    if (!Array.isArray(file.exams) || !file.exams.every(examOk)) return { error: `This progress file has a malformed "exams" list.` };
    return { file };
  }

  /** When a flashcard state last changed: its last review. */
  function cardTime(state) {
    const history = state.history || [];
    return history.length ? history[history.length - 1].at : state.due;
  }

  /** `local` with `incoming`'s entries that are newer or missing; returns { merged, taken }. */
  function mergeById(local, incoming, time) {
    const merged = { ...local };
    let taken = 0;
    for (const [id, entry] of Object.entries(incoming)) {
      if (!merged[id] || time(entry) > time(merged[id])) {
        merged[id] = entry;
        taken++;
      }
    }
    return { merged, taken };
  }

  /**
   * This browser's progress merged with a parsed file's, newest first per item
   * (question, review entry, flashcard, exam attempt), and how many items of
   * each kind came from the file.
   */
  function merge(all, file) {
    const at = (r) => r.at;
    const questions = mergeById(all.progress.questions, file.questions, at);
    const review = mergeById(all.progress.review, file.review, at);
    const cards = mergeById(all.cards, file.cards, cardTime);
    const byId = (list) => Object.fromEntries(list.map((e) => [String(e.id), e]));
    const exams = mergeById(byId(all.exams), byId(file.exams), (e) => e.date);
    return {
      all: {
        progress: { questions: questions.merged, review: review.merged },
        cards: cards.merged,
        exams: Object.values(exams.merged).sort((a, b) => a.date - b.date),
      },
      counts: { questions: questions.taken, review: review.taken, cards: cards.taken, exams: exams.taken },
    };
  }

  /** Everything the export holds, from this browser. */
  function loadAll() {
    const progress = load(KEYS.progress, null);
    return {
      progress: isObject(progress) && isObject(progress.questions) && isObject(progress.review) ? progress : empty(),
      cards: load(KEYS.cards, {}),
      exams: load(KEYS.examHistory, []),
    };
  }

  function saveAll(all) {
    save(KEYS.progress, { version: VERSION, ...all.progress });
    save(KEYS.cards, all.cards);
    save(KEYS.examHistory, all.exams);
  }

  /**
   * Records answers in this browser's progress (the quiz, exam and progress
   * pages call this).
   * @param answers [{ question: { id, stem?, note?, section? }, ok }]
   */
  function answered(answers, now) {
    let progress = loadAll().progress;
    for (const { question, ok } of answers) progress = recordAnswer(progress, question, ok, now);
    save(KEYS.progress, { version: VERSION, ...progress });
  }

  /**
   * Which of the exam's pool files `/progress/` needs (their places in the pool's
   * index, `data.pools`): those holding the review queue's questions and the questions of
   * records that do not yet know their note, and every file of a section with a
   * record whose question is gone (a reworded question is found again by its note
   * and stem). `data.sections[].questions` lists each section's current question
   * ids in pool order, which gives each one's file (the index's `groups` and `chunk`).
   */
  function neededPoolFiles(progress, data) {
    const groups = new Map(data.groups.map((g) => [g.section, g]));
    const fileOf = new Map();
    for (const s of data.sections) {
      const group = groups.get(s.section);
      (s.questions || []).forEach((id, index) => {
        const place = poolPlace(group, index, data.chunk);
        if (place) fileOf.set(id, place.file);
      });
    }
    const files = new Set();
    const queued = new Set(reviewQueue(progress));
    for (const [id, record] of Object.entries({ ...progress.review, ...progress.questions })) {
      if (fileOf.has(id)) {
        if (queued.has(id) || !record.note) files.add(fileOf.get(id));
        continue;
      }
      const g = groups.get(record.section);
      const count = g ? Math.ceil(g.questions / data.chunk) : 0;
      for (let f = 0; f < count; f++) files.add(g.first_file + f);
    }
    return [...files].sort((a, b) => a - b);
  }

  /** What a record keeps of a question of the exam's pool files. */
  function fromPool(q) {
    return { id: q.id, note: noteOf(q.location), stem: q.stem, section: q.section };
  }

  const api = {
    FORMAT, VERSION, SIMILAR, REVIEW_DAYS,
    normaliseStem, similarity, noteOf, dayOf, empty, recordAnswer, reviewQueue, reattach,
    sectionProgress, readiness, examDomains, exportFile, parseFile, merge,
    loadAll, saveAll, answered, fromPool, neededPoolFiles,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.StudysiteProgress = api;
})(typeof self !== "undefined" ? self : this);
