// Quiz logic with no DOM: scoring, the scaled score, and the weighted exam draw.
// quiz.js and exam.js use it; quiz-logic.test.mjs runs it under `node --test`.
//
// A question, as the build embeds it (see src/quiz/mod.rs `QuizQuestion`):
//   { id, source: "callout" | "generated", section, section_title, stem, options: [text],
//     correct: [index], multi: bool, explanation, url, location }
(function (root) {
  "use strict";

  /** A small seeded PRNG (mulberry32): same seed, same sequence, in every browser. */
  function prng(seed) {
    let a = seedNumber(seed) >>> 0;
    return function next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** Numbers pass through; strings hash (FNV-1a) so a seed can be any text. */
  function seedNumber(seed) {
    if (typeof seed === "number" && Number.isFinite(seed)) return seed >>> 0;
    let h = 0x811c9dc5;
    for (const ch of String(seed)) {
      h ^= ch.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
  }

  /** Fisher–Yates shuffle of a copy, driven by `rand`. */
  function shuffle(items, rand) {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** Selected option indices as a sorted, de-duplicated array. */
  function normalise(selected) {
    return [...new Set(Array.from(selected || [], Number))].sort((x, y) => x - y);
  }

  /**
   * Whether `selected` answers `question`: exactly the correct set, so a
   * choose-all-that-apply question needs every correct option and no other.
   */
  function isCorrect(question, selected) {
    const got = normalise(selected);
    const want = normalise(question.correct);
    return got.length === want.length && got.every((v, i) => v === want[i]);
  }

  /** The words beside an option once checked; colour is never the only sign. */
  function markText(right, picked) {
    if (right && picked) return "Your answer, right";
    if (right) return "Right answer you missed";
    if (picked) return "Your answer, wrong";
    return "";
  }

  /**
   * AWS-style scaled score: min + round(correct / total × (max − min)), so a blank
   * paper scores the scale's floor; `min` for an empty exam.
   */
  function scaledScore(correct, total, maxScore, minScore = 0) {
    if (!total) return minScore;
    return minScore + Math.round((correct / total) * (maxScore - minScore));
  }

  /**
   * Scores a set of answers.
   * @param questions the questions asked, in order
   * @param answers   map (object) of question id → selected option indices
   * @param opts      { maxScore, passScore, minScore, sectionOrder } (defaults 1000 / 700 / 0;
   *                  sectionOrder lists section keys in the order their rows should take)
   * @returns { correct, total, percent, scaled, maxScore, passScore, passed,
   *            sections: [{ section, title, correct, total, percent }], wrong: [{ question, selected }],
   *            items: [{ question, selected, ok }] (every question, in exam order) }
   */
  function scoreAnswers(questions, answers, opts = {}) {
    const maxScore = opts.maxScore ?? 1000;
    const passScore = opts.passScore ?? 700;
    const minScore = opts.minScore ?? 0;
    const bySection = new Map();
    const wrong = [];
    const items = [];
    let correct = 0;
    for (const q of questions) {
      const selected = normalise(answers[q.id]);
      const ok = isCorrect(q, selected);
      items.push({ question: q, selected, ok });
      if (ok) correct++;
      else wrong.push({ question: q, selected });
      if (!bySection.has(q.section)) {
        bySection.set(q.section, { section: q.section, title: q.section_title || q.section, correct: 0, total: 0 });
      }
      const s = bySection.get(q.section);
      s.total++;
      if (ok) s.correct++;
    }
    const total = questions.length;
    const scaled = scaledScore(correct, total, maxScore, minScore);
    // Rows follow the sections' own order, not the order questions happened to be drawn.
    const rank = (key) => {
      const at = (opts.sectionOrder || []).indexOf(key);
      return at < 0 ? Infinity : at;
    };
    const sections = [...bySection.values()]
      .sort((a, b) => rank(a.section) - rank(b.section))
      .map((s) => ({ ...s, percent: s.total ? Math.round((100 * s.correct) / s.total) : 0 }));
    return {
      correct,
      total,
      percent: total ? Math.round((100 * correct) / total) : 0,
      scaled,
      maxScore,
      passScore,
      passed: total > 0 && scaled >= passScore,
      sections,
      wrong,
      items,
    };
  }

  /**
   * How many questions each section gets: `count` split by weight. Every section
   * first gets the whole part of its share; the leftover seats go by systematic
   * sampling on the fractional remainders, so each section's expected share is
   * exactly its weight and its count is never more than one off. A section with
   * too few questions gives its surplus to the others, again in proportion to
   * weight; unweighted sections are used only when weighted ones run out.
   * @param sections [{ section, weight, available }]
   * @returns Map section → count
   */
  function allocateSeats(sections, count, rand) {
    const seats = new Map(sections.map((s) => [s.section, 0]));
    const target = Math.min(count, sections.reduce((n, s) => n + s.available, 0));
    for (;;) {
      const left = target - [...seats.values()].reduce((n, v) => n + v, 0);
      let open = sections.filter((s) => seats.get(s.section) < s.available);
      if (left <= 0 || open.length === 0) break;
      const weighted = open.filter((s) => s.weight > 0);
      const weightOf = weighted.length > 0 ? (s) => Math.max(s.weight, 0) : () => 1;
      if (weighted.length > 0) open = weighted;
      const totalWeight = open.reduce((n, s) => n + weightOf(s), 0);
      const rests = [];
      for (const s of open) {
        const exact = (left * weightOf(s)) / totalWeight;
        const whole = Math.floor(exact);
        const room = s.available - seats.get(s.section);
        seats.set(s.section, seats.get(s.section) + Math.min(whole, room));
        if (whole < room) rests.push({ s, rest: exact - whole });
      }
      // Systematic sampling: one random offset, then a pick each time the running
      // sum of remainders crosses offset + k. Each rest is < 1, so a section is
      // picked at most once, with probability equal to its remainder.
      let unfilled = target - [...seats.values()].reduce((n, v) => n + v, 0);
      let mark = rand();
      let sum = 0;
      for (const { s, rest } of rests) {
        sum += rest;
        if (sum > mark && unfilled > 0) {
          unfilled -= 1;
          seats.set(s.section, seats.get(s.section) + 1);
          mark += 1;
        }
      }
    }
    return seats;
  }

  /**
   * Draws a mock exam's places before its questions are fetched: `count` distinct
   * `{ section, index }` slots over sections of `available` questions each, sections
   * weighted by `weights` (section → percent), indices within a section chosen
   * uniformly, order shuffled. Deterministic for a given seed.
   * @param sections [{ section, available }]
   */
  function drawSlots(sections, { count, weights = {}, seed = 0 }) {
    const rand = prng(seed);
    const plan = [...sections]
      .sort((a, b) => (a.section < b.section ? -1 : a.section > b.section ? 1 : 0))
      .map(({ section, available }) => ({ section, weight: Number(weights[section]) || 0, available }));
    const seats = allocateSeats(plan, count, rand);
    const drawn = [];
    for (const { section, available } of plan) {
      const indices = shuffle(Array.from({ length: available }, (_, i) => i), rand);
      drawn.push(...indices.slice(0, seats.get(section)).map((index) => ({ section, index })));
    }
    return shuffle(drawn, rand);
  }

  /** [drawSlots] over a pool held whole: the questions themselves. */
  function drawExam(pool, options) {
    const bySection = new Map();
    for (const q of pool) {
      if (!bySection.has(q.section)) bySection.set(q.section, []);
      bySection.get(q.section).push(q);
    }
    const sections = [...bySection].map(([section, questions]) => ({ section, available: questions.length }));
    return drawSlots(sections, options).map(({ section, index }) => bySection.get(section)[index]);
  }

  // Options like "All of the above" only make sense after the others, so they keep
  // their place at the end while the rest are shuffled.
  const PINNED = /^(all|none|both|neither)( of)? (the above|these|them)\b|^(all|none) the above\b/i;

  /** Whether an option's text must stay last ("All of the above", "None of these" …). */
  function isPinnedOption(text) {
    return PINNED.test(String(text).trim());
  }

  /** The largest share of single-answer questions whose answer may sit in one position. */
  const MAX_POSITION_SHARE = 0.4;

  /**
   * The display order of every question's options: `Map id → [source index]`.
   * Each question is shuffled by a generator seeded with `seed` and its id, so one
   * learner (or one exam attempt) always sees the same order for the same page. Pinned
   * options stay last, in source order. For single-answer questions the slot of the
   * correct option is drawn at random among the slots that still hold fewer than
   * MAX_POSITION_SHARE of the page's answers, so no position gives the answer away.
   * @param questions [{ id, options: [text], correct: [index], multi }] in page order
   */
  function optionOrders(questions, seed) {
    const singles = questions.filter((q) => !q.multi && q.correct.length === 1);
    const limit = Math.floor(MAX_POSITION_SHARE * singles.length);
    const used = [];
    const orders = new Map();
    const plans = questions.map((q) => {
      const pinned = [];
      const free = [];
      q.options.forEach((text, i) => (isPinnedOption(text) ? pinned : free).push(i));
      const rand = prng(`${seed}:${q.id}`);
      const order = [...shuffle(free, rand), ...pinned];
      const single = singles.includes(q);
      // A pinned correct answer cannot move: its slot counts before the others are placed.
      if (single && pinned.includes(q.correct[0])) bump(used, order.indexOf(q.correct[0]));
      return { q, order, rand, movable: single && free.includes(q.correct[0]), slots: free.length };
    });
    for (const { q, order, rand, movable, slots } of plans) {
      if (movable) {
        const slot = pickSlot(used, slots, limit, rand);
        const from = order.indexOf(q.correct[0]);
        [order[from], order[slot]] = [order[slot], order[from]];
        bump(used, slot);
      }
      orders.set(q.id, order);
    }
    return orders;
  }

  function bump(used, slot) {
    used[slot] = (used[slot] || 0) + 1;
  }

  /** A random slot among those under the limit; the least used ones if none is. */
  function pickSlot(used, slots, limit, rand) {
    const all = [...Array(slots).keys()];
    let open = all.filter((s) => (used[s] || 0) < limit);
    if (open.length === 0) {
      const least = Math.min(...all.map((s) => used[s] || 0));
      open = all.filter((s) => (used[s] || 0) === least);
    }
    return open[Math.floor(rand() * open.length)];
  }

  /**
   * A round of a one-question-at-a-time quiz. `results` maps a question id to
   * true (right) or false (wrong); unanswered ids are absent.
   * @returns { total, answered, right, wrong, missed: [id] }
   */
  function roundProgress(ids, results) {
    const missed = ids.filter((id) => results[id] === false);
    const right = ids.filter((id) => results[id] === true).length;
    return { total: ids.length, answered: right + missed.length, right, wrong: missed.length, missed };
  }

  /** The index of the next unanswered question after `from`, wrapping round; -1 when none is left. */
  function nextOpen(ids, results, from) {
    for (let step = 1; step <= ids.length; step++) {
      const i = (from + step) % ids.length;
      if (!(ids[i] in results)) return i;
    }
    return -1;
  }

  /**
   * Where a quiz page's best score is kept among the stored bests: under the
   * section's slug, or `<slug>/page/N` for page N > 1 of a quiz that takes
   * several pages (each page is scored on its own).
   */
  function bestKey(section, part) {
    return part > 1 ? `${section}/page/${part}` : section;
  }

  /**
   * A section's best score, as /quiz/ shows it: for a quiz on `parts` pages, the
   * bests of its pages added up, with how many pages have one; null when none has.
   * @param best object key → { correct, total, percent } (see bestKey)
   */
  function sectionBest(best, section, parts = 1) {
    let correct = 0;
    let total = 0;
    let done = 0;
    for (let part = 1; part <= parts; part++) {
      const b = best[bestKey(section, part)];
      if (!b || !(b.total > 0)) continue;
      correct += b.correct;
      total += b.total;
      done++;
    }
    if (done === 0) return null;
    return { correct, total, percent: Math.round((100 * correct) / total), parts: done };
  }

  /** The text of a best score (sectionBest's) on /quiz/, out of `parts` pages. */
  function bestText(b, parts = 1) {
    const text = `${b.percent}% (${b.correct}/${b.total})`;
    return b.parts < parts ? `${text} on ${b.parts} of ${parts} pages` : text;
  }

  const api = {
    prng,
    seedNumber,
    shuffle,
    isCorrect,
    markText,
    scaledScore,
    scoreAnswers,
    allocateSeats,
    drawExam,
    drawSlots,
    isPinnedOption,
    MAX_POSITION_SHARE,
    optionOrders,
    roundProgress,
    nextOpen,
    bestKey,
    sectionBest,
    bestText,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.StudysiteQuizLogic = api;
})(typeof self !== "undefined" ? self : this);
