// A flashcard deck (/<section>/flashcards/): a Leitner review session over the page's cards.
// Keyboard: Space (or Enter on the card) only flips the card; 1-3 grade it once
// flipped, as do the buttons. A card graded "Forgot" comes back after a few others.
(function () {
  "use strict";

  const { aheadQueue, dueQueue, gradeCard, nextCard, nextDue, RELEARN_GAP, summary } = StudysiteLeitner;
  const { KEYS, load, save } = StudysiteQuizStore;

  // The cards are read from the page's own no-JavaScript list rather than from a
  // second copy as JSON, which doubled the page's size on large sites.
  const cards = Array.from(document.querySelectorAll(".flashcard-static"), (el) => ({
    id: el.id,
    front: el.querySelector("summary").textContent,
    back_html: el.querySelector(".flashcard-back-static").innerHTML,
    url: el.querySelector(".flashcard-source a").getAttribute("href"),
    section_title: el.dataset.sectionTitle,
  }));
  const app = document.querySelector(".flashcard-app");
  let states = load(KEYS.cards, {});
  let current = null;
  let flipped = false;
  // This session: reviews done, when each forgotten card may return, and whether
  // the learner chose to study cards that are not due yet.
  let reviews = 0;
  const waiting = new Map();
  let ahead = false;
  // Cards studied ahead in this session: each comes once, though its new due date is still ahead.
  const studiedAhead = new Set();

  const $ = (sel) => app.querySelector(sel);

  function now() {
    return Date.now();
  }

  function refreshStats() {
    const s = summary(cards, states, now());
    const boxes = s.boxes.slice(1).map((n, i) => `box ${i + 1}: ${n}`).join(", ");
    $(".flashcard-stats").textContent = `${s.due} due of ${s.total} · new: ${s.boxes[0]} · ${boxes}`;
  }

  function queue() {
    if (!ahead) return dueQueue(cards, states, now());
    return aheadQueue(cards, states, now()).filter((card) => !studiedAhead.has(card.id));
  }

  function showNext() {
    current = nextCard(queue(), waiting, reviews);
    if (!current) ahead = false;
    flipped = false;
    refreshStats();
    const card = $(".flashcard");
    card.hidden = current === null;
    $(".flashcard-controls").hidden = current === null;
    $(".flashcard-done").hidden = current !== null;
    if (!current) {
      showDone();
      return;
    }
    const state = states[current.id];
    const mode = ahead ? " · studying ahead" : "";
    $(".flashcard-meta").textContent = `${current.section_title} · ${state ? `box ${state.box}` : "new card"}${mode}`;
    $(".flashcard-front").textContent = current.front;
    const back = $(".flashcard-back");
    back.innerHTML = current.back_html;
    back.hidden = true;
    const source = $(".flashcard-source");
    source.querySelector("a").href = current.url;
    source.hidden = true;
    $(".flashcard-flip").hidden = false;
    $(".flashcard-grades").hidden = true;
  }

  /** The finished state: when the next card is due, and a way to study ahead. */
  function showDone() {
    const next = nextDue(cards, states, now());
    $(".flashcard-next").textContent = next
      ? `The next card is due ${new Date(next).toLocaleString([], { dateStyle: "medium", timeStyle: "short" })}.`
      : "";
    const more = aheadQueue(cards, states, now()).some((card) => !studiedAhead.has(card.id));
    $(".flashcard-ahead").hidden = !more;
  }

  function flip() {
    if (!current || flipped) return;
    flipped = true;
    $(".flashcard-back").hidden = false;
    $(".flashcard-source").hidden = false;
    $(".flashcard-flip").hidden = true;
    $(".flashcard-grades").hidden = false;
    // Focus stays on the card, not on a grade button, so another Space cannot grade it.
    $(".flashcard").focus();
  }

  function grade(value) {
    if (!current || !flipped) return;
    states = { ...states, [current.id]: gradeCard(states[current.id], value, now()) };
    save(KEYS.cards, states);
    reviews++;
    if (ahead) studiedAhead.add(current.id);
    if (value === 1) waiting.set(current.id, reviews + RELEARN_GAP);
    else waiting.delete(current.id);
    showNext();
    if (current) $(".flashcard").focus();
  }

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) return;
    // On a focused button or link, Space and Enter keep their own meaning.
    const onControl = Boolean(target.closest && target.closest("button, a, summary"));
    if ((event.key === " " && !onControl) || (event.key === "Enter" && target === $(".flashcard"))) {
      // Only ever flips: on a flipped card it does nothing (nor scrolls the page).
      event.preventDefault();
      flip();
    } else if (["1", "2", "3"].includes(event.key)) {
      event.preventDefault();
      grade(Number(event.key));
    }
  }

  if (app && cards.length > 0) {
    app.hidden = false;
    document.querySelector(".flashcard-list").hidden = true;
    $(".flashcard-flip").addEventListener("click", flip);
    for (const button of app.querySelectorAll(".flashcard-grade")) {
      button.addEventListener("click", () => grade(Number(button.dataset.grade)));
    }
    $(".flashcard-ahead").addEventListener("click", () => {
      ahead = true;
      showNext();
      if (current) $(".flashcard").focus();
    });
    // Resets this deck only: the boxes of every deck share one record.
    $(".flashcard-reset").addEventListener("click", () => {
      const ids = new Set(cards.map((card) => card.id));
      states = Object.fromEntries(Object.entries(states).filter(([id]) => !ids.has(id)));
      save(KEYS.cards, states);
      waiting.clear();
      studiedAhead.clear();
      ahead = false;
      showNext();
    });
    document.addEventListener("keydown", onKey);
    showNext();
  }
})();
