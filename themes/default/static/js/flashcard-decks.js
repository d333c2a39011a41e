// /flashcards/: each deck's due and new counts, from this learner's progress. A deck's
// cards are the ids of its page's no-JavaScript list, so the page is fetched to read them;
// a deck on several pages is read page by page, following each page's rel="next" link.
(async function () {
  "use strict";

  const { deckCounts } = StudysiteLeitner;
  const { KEYS, load } = StudysiteQuizStore;

  const states = load(KEYS.cards, {});
  /** Pages read per deck at most: a loop of links cannot run for ever. */
  const MAX_PAGES = 1000;

  async function deckIds(first) {
    const ids = [];
    let url = first;
    for (let pages = 0; url && pages < MAX_PAGES; pages++) {
      const response = await fetch(url);
      if (!response.ok) return null;
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      ids.push(...[...doc.querySelectorAll(".flashcard-static")].map((el) => el.id));
      const next = doc.querySelector('link[rel="next"]');
      url = next ? new URL(next.getAttribute("href"), url) : null;
    }
    return ids;
  }

  for (const row of document.querySelectorAll("tr[data-deck-url]")) {
    const ids = await deckIds(new URL(row.dataset.deckUrl, location.href)).catch(() => null);
    if (!ids) continue; // the cells keep their dash
    const { due, fresh } = deckCounts(ids, states, Date.now());
    row.querySelector(".deck-due").textContent = String(due);
    row.querySelector(".deck-new").textContent = String(fresh);
  }
})();
