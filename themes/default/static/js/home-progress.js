// The home page's section cards: each shows the learner's progress in its
// section (answered, right at the last attempt, waiting for review), from the
// records progress-store.js keeps. Nothing shows without JavaScript or before
// the first answer.
(function () {
  "use strict";
  const store = self.StudysiteProgress;
  const { questions, review } = store.loadAll().progress;
  const queued = new Set(store.reviewQueue({ questions, review }));
  const bySection = {};
  for (const [id, record] of Object.entries(questions)) {
    if (!record.section) continue;
    const s = (bySection[record.section] ||= { seen: 0, right: 0, review: 0 });
    s.seen++;
    if (record.ok) s.right++;
    if (queued.has(id)) s.review++;
  }
  for (const el of document.querySelectorAll("[data-progress-section]")) {
    const s = bySection[el.dataset.progressSection];
    if (!s) continue;
    el.textContent = `Your progress: ${s.right} of ${s.seen} answered right${s.review ? `, ${s.review} to review` : ""}`;
    el.hidden = false;
  }
})();
