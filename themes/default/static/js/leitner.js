// Leitner spaced repetition with no DOM: five boxes, each with a longer interval.
// flashcards.js keeps one state per card in localStorage; leitner.test.mjs tests this.
//
// Grades: 1 = forgot (back to box 1, due again this session), 2 = hard (stays in
// its box, due after that box's interval), 3 = knew it (up one box, due after the
// new box's interval). A card never seen has no state and is due now.
(function (root) {
  "use strict";

  const BOXES = 5;
  const DAY_MS = 24 * 60 * 60 * 1000;
  /** Days until a card in box N (index N-1) is due again. */
  const INTERVAL_DAYS = [1, 2, 4, 8, 16];

  /** The state of a card never reviewed. */
  function newCard() {
    return { box: 1, due: 0, history: [] };
  }

  /** Days a card waits after being placed in `box`. */
  function intervalDays(box) {
    return INTERVAL_DAYS[Math.min(Math.max(box, 1), BOXES) - 1];
  }

  /**
   * Grades a card, returning its new state (the input is not changed).
   * @param state a card state, or undefined for a new card
   * @param grade 1, 2 or 3
   * @param now   milliseconds since the epoch
   */
  function gradeCard(state, grade, now) {
    if (![1, 2, 3].includes(grade)) throw new RangeError(`grade must be 1, 2 or 3, not ${grade}`);
    const card = state || newCard();
    let box;
    let due;
    if (grade === 1) {
      box = 1;
      due = now;
    } else if (grade === 2) {
      box = Math.min(Math.max(card.box, 1), BOXES);
      due = now + intervalDays(box) * DAY_MS;
    } else {
      box = Math.min(Math.max(card.box, 1) + 1, BOXES);
      due = now + intervalDays(box) * DAY_MS;
    }
    const history = [...(card.history || []), { at: now, grade, box }];
    return { box, due, history };
  }

  /** Whether a card (state or undefined) is due at `now`. */
  function isDue(state, now) {
    return !state || state.due <= now;
  }

  /**
   * The review queue: due cards first, oldest due date first (cards graded 1 are
   * due immediately and go behind cards that waited longer), then cards never seen
   * in their page order. Cards not due are left out.
   * @param cards  [{ id, … }] in page order
   * @param states object id → state
   */
  function dueQueue(cards, states, now) {
    const seen = [];
    const fresh = [];
    cards.forEach((card, order) => {
      const state = states[card.id];
      if (!state) fresh.push(card);
      else if (state.due <= now) seen.push({ card, due: state.due, last: lastReview(state), order });
    });
    seen.sort((a, b) => a.due - b.due || a.last - b.last || a.order - b.order);
    return [...seen.map((s) => s.card), ...fresh];
  }

  function lastReview(state) {
    const h = state.history || [];
    return h.length ? h[h.length - 1].at : 0;
  }

  /** Number of cards per box (index 0 = never seen, 1..5 = boxes), and how many are due. */
  function summary(cards, states, now) {
    const boxes = new Array(BOXES + 1).fill(0);
    let due = 0;
    for (const card of cards) {
      const state = states[card.id];
      boxes[state ? state.box : 0]++;
      if (isDue(state, now)) due++;
    }
    return { boxes, due, total: cards.length };
  }

  /** When the next card not yet due becomes due (ms), or null. */
  function nextDue(cards, states, now) {
    let next = null;
    for (const card of cards) {
      const state = states[card.id];
      if (state && state.due > now && (next === null || state.due < next)) next = state.due;
    }
    return next;
  }

  /** Other cards shown before a card graded "forgot" comes back (a learning step, as in Anki). */
  const RELEARN_GAP = 3;

  /**
   * The card to show next in a session. A card graded "forgot" waits until RELEARN_GAP
   * other reviews have passed; it comes back sooner only when nothing else is due.
   * @param queue   dueQueue's cards, in order
   * @param waiting Map id → the session review count at which the card may return
   * @param reviews reviews done so far this session
   */
  function nextCard(queue, waiting, reviews) {
    const ready = queue.find((card) => !(waiting.get(card.id) > reviews));
    if (ready) return ready;
    let soonest = null;
    for (const card of queue) if (!soonest || waiting.get(card.id) < waiting.get(soonest.id)) soonest = card;
    return soonest;
  }

  /** Cards not due yet, soonest due first: what "study ahead" reviews. */
  function aheadQueue(cards, states, now) {
    return cards
      .filter((card) => !isDue(states[card.id], now))
      .sort((a, b) => states[a.id].due - states[b.id].due);
  }

  /** Due and never-seen counts of a deck, for the deck list. */
  function deckCounts(ids, states, now) {
    let due = 0;
    let fresh = 0;
    for (const id of ids) {
      const state = states[id];
      if (!state) fresh++;
      else if (state.due <= now) due++;
    }
    return { due, fresh };
  }

  const api = {
    BOXES,
    DAY_MS,
    INTERVAL_DAYS,
    newCard,
    intervalDays,
    gradeCard,
    isDue,
    dueQueue,
    summary,
    nextDue,
    RELEARN_GAP,
    nextCard,
    aheadQueue,
    deckCounts,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.StudysiteLeitner = api;
})(typeof self !== "undefined" ? self : this);
