// /flashcards/: each deck's due and new counts, from this learner's progress. A deck's
// cards are the ids of its page's no-JavaScript list, so the page is fetched to read them.
(async function () {
  "use strict";

  const { deckCounts } = StudysiteLeitner;
  const { KEYS, load } = StudysiteQuizStore;

  const states = load(KEYS.cards, {});

  async function deckIds(url) {
    const response = await fetch(url);
    if (!response.ok) return null;
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    return [...doc.querySelectorAll(".flashcard-static")].map((el) => el.id);
  }

  for (const row of document.querySelectorAll("tr[data-deck-url]")) {
    const ids = await deckIds(new URL(row.dataset.deckUrl, location.href)).catch(() => null);
    if (!ids) continue; // the cells keep their dash
    const { due, fresh } = deckCounts(ids, states, Date.now());
    row.querySelector(".deck-due").textContent = String(due);
    row.querySelector(".deck-new").textContent = String(fresh);
  }
})();
