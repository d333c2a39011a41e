// A flashcard deck (/<section>/flashcards/): a Leitner review session over the page's cards.
// Keyboard: Space flips the card, 1-3 grade it once flipped.
import { gradeCard, dueQueue, summary, nextDue } from "./leitner.mjs";
import { KEYS, load, save } from "./quiz-store.mjs";

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
let queue = [];
let current = null;
let flipped = false;

const $ = (sel) => app.querySelector(sel);

function now() {
  return Date.now();
}

function refreshStats() {
  const s = summary(cards, states, now());
  const boxes = s.boxes.slice(1).map((n, i) => `box ${i + 1}: ${n}`).join(", ");
  $(".flashcard-stats").textContent = `${s.due} due of ${s.total} · new: ${s.boxes[0]} · ${boxes}`;
}

function showNext() {
  queue = dueQueue(cards, states, now());
  current = queue[0] || null;
  flipped = false;
  refreshStats();
  const card = app.querySelector(".flashcard");
  $(".flashcard-done").hidden = current !== null;
  card.hidden = current === null;
  $(".flashcard-controls").hidden = current === null;
  if (!current) {
    const next = nextDue(cards, states, now());
    $(".flashcard-next").textContent = next ? `The next card is due ${new Date(next).toLocaleString()}.` : "";
    return;
  }
  const state = states[current.id];
  $(".flashcard-meta").textContent = `${current.section_title} · ${state ? `box ${state.box}` : "new card"}`;
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

function flip() {
  if (!current || flipped) return;
  flipped = true;
  $(".flashcard-back").hidden = false;
  $(".flashcard-source").hidden = false;
  $(".flashcard-flip").hidden = true;
  $(".flashcard-grades").hidden = false;
  app.querySelector(".flashcard-grade").focus();
}

function grade(value) {
  if (!current || !flipped) return;
  states = { ...states, [current.id]: gradeCard(states[current.id], value, now()) };
  save(KEYS.cards, states);
  showNext();
}

if (app && cards.length > 0) {
  app.hidden = false;
  document.querySelector(".flashcard-list").hidden = true;
  $(".flashcard-flip").addEventListener("click", flip);
  for (const button of app.querySelectorAll(".flashcard-grade")) {
    button.addEventListener("click", () => grade(Number(button.dataset.grade)));
  }
  // Resets this deck only: the boxes of every deck share one record.
  $(".flashcard-reset").addEventListener("click", () => {
    const ids = new Set(cards.map((card) => card.id));
    states = Object.fromEntries(Object.entries(states).filter(([id]) => !ids.has(id)));
    save(KEYS.cards, states);
    showNext();
  });
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) return;
    if (event.key === " " && !flipped) {
      event.preventDefault();
      flip();
    } else if (["1", "2", "3"].includes(event.key)) {
      event.preventDefault();
      grade(Number(event.key));
    }
  });
  showNext();
}
