// The /progress/ page: progress per section and the readiness estimate, the
// review queue (its questions come from the mock exam's pool files, of which it
// fetches only those holding them), the exam history chart, and the export and
// import. Everything it shows is in this browser's localStorage, read through
// progress-store.js.
(function () {
  "use strict";
  const store = self.StudysiteProgress;
  const chart = self.StudysiteProgressChart;
  const page = document.querySelector(".progress-page");
  const { embedded, fetchData, fetchPools, learnerSeed, siteRoot } = self.StudysiteQuizStore;
  const { isCorrect, markText, optionOrders } = self.StudysiteQuizLogic;
  const data = embedded("progress-data");
  const $ = (sel) => page.querySelector(sel);
  const scale = { min: data.min_score, max: data.max_score, pass: data.pass_score };
  /** The pool's questions by id, once fetched (`null` until then). */
  let pool = null;
  /** Whether the sections' id files were asked for: the rows wait for them. */
  let idsLoaded = false;
  /** The ids of the site's questions now, once their files are loaded. */
  let currentIds = new Set();
  /** The pool's index (its files and where each section's questions are), once fetched. */
  let index = null;
  /** Questions reviewed on this visit: "next" moves past them. */
  const reviewed = new Set();
  let current = null;

  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

  function render() {
    const all = store.loadAll();
    const rows = store.sectionProgress(data.sections, all.progress, all.cards, Date.now());
    const domains = store.examDomains(all.exams);
    if (idsLoaded) for (const row of rows) fillRow(row, domains[row.section]);
    const seen = rows.reduce((n, r) => n + r.seen, 0);
    $(".progress-readiness-value").textContent = seen
      ? `Estimated readiness: ${store.readiness(rows)}%, from ${plural(seen, "question", "questions")} you have answered.`
      : "Estimated readiness: 0%. Answer some questions in the quizzes to see an estimate.";
    renderExams(all.exams);
    renderReview(all.progress);
  }

  function fillRow(row, exam) {
    const tr = page.querySelector(`tr[data-progress-section="${CSS.escape(row.section)}"]`);
    const cell = (name, text) => (tr.querySelector(`[data-cell="${name}"]`).textContent = text);
    cell("questions", `${row.right} right, ${row.seen} seen of ${row.total}`);
    cell("review", String(row.review));
    const [fresh, ...boxes] = row.boxes || [];
    const decks = row.boxes ? `${fresh} new; boxes 1–5: ${boxes.join(", ")}; ${row.due} due today` : plural(row.cards, "card", "cards");
    cell("cards", row.cards ? decks : "–");
    cell("exam", exam ? `best ${exam.best}%, latest ${exam.latest}%` : "–");
  }

  function renderExams(exams) {
    const attempts = [...exams].sort((a, b) => a.date - b.date);
    $(".progress-exams-none").hidden = attempts.length > 0;
    $(".progress-chart").hidden = attempts.length === 0;
    $(".progress-exams-table").hidden = attempts.length === 0;
    if (!attempts.length) return;
    chart.draw($(".progress-chart"), attempts, scale);
    const rows = attempts.map((a) => {
      const tr = document.createElement("tr");
      for (const text of [new Date(a.date).toLocaleString(), `${a.scaled} / ${a.maxScore || scale.max}`, a.scaled >= scale.pass ? "Pass" : "Fail"]) {
        tr.append(Object.assign(document.createElement("td"), { textContent: text }));
      }
      return tr;
    });
    $(".progress-exams-table tbody").replaceChildren(...rows);
  }

  /** The queue's questions that the pool still has, those not yet reviewed on this visit first. */
  function queue(progress) {
    const ids = store.reviewQueue(progress).filter((id) => pool && pool.has(id));
    return [...ids.filter((id) => !reviewed.has(id)), ...ids.filter((id) => reviewed.has(id))];
  }

  function renderReview(progress) {
    const ids = queue(progress);
    const fresh = ids.filter((id) => !reviewed.has(id)).length;
    let text = `${plural(ids.length, "question waits", "questions wait")} for review.`;
    if (!pool) text = "Loading the questions…";
    else if (!pool.size && store.reviewQueue(progress).length) text = "The questions to review could not be loaded (from a file on disk, or offline): the quizzes still show them.";
    else if (!ids.length) text = "Nothing to review: every question you missed has been answered right on two different days.";
    else if (!fresh && !current) text += " You have been through them all on this visit.";
    $(".progress-review-count").textContent = text;
    if (!current && fresh) show(pool.get(ids[0]));
    if (!ids.length && !current) $(".progress-review-question").hidden = true;
  }

  function show(q) {
    current = q;
    const form = $(".progress-review-question");
    form.hidden = false;
    $(".progress-review-stem").innerHTML = q.stem_html;
    $(".progress-review-multi").hidden = !q.multi;
    const type = q.multi ? "checkbox" : "radio";
    // The learner's own order of the options, as on the quiz pages.
    const asked = { id: q.id, options: q.options.map((o) => o.text), correct: q.correct, multi: q.multi };
    const order = optionOrders([asked], learnerSeed()).get(q.id);
    const items = order.map((i) => {
      const o = q.options[i];
      const li = document.createElement("li");
      li.className = "quiz-option";
      li.innerHTML = `<label><input type="${type}" name="progress-review-option" value="${i}"> <span class="quiz-option-text"></span> <span class="quiz-option-mark"></span></label>`;
      li.querySelector(".quiz-option-text").innerHTML = o.html;
      return li;
    });
    $(".progress-review-options").replaceChildren(...items);
    $(".progress-review-feedback").textContent = "";
    $(".progress-review-explanation").hidden = true;
    $(".quiz-check").hidden = false;
    $(".progress-review-next").hidden = true;
    form.classList.remove("is-answered-right", "is-answered-wrong");
    showSource(q);
  }

  function showSource(q) {
    const link = document.createElement("a");
    link.href = new URL(q.url, siteRoot()).href;
    link.textContent = q.heading ? `${q.page_title} › ${q.heading}` : q.page_title;
    $(".progress-review-source").replaceChildren("From ", link);
  }

  function check(event) {
    event.preventDefault();
    const inputs = [...page.querySelectorAll(".progress-review-options input")];
    const picks = inputs.filter((i) => i.checked).map((i) => Number(i.value));
    if (!picks.length) {
      $(".progress-review-feedback").textContent = "Pick an answer first.";
      return;
    }
    const q = current;
    const ok = isCorrect(q, picks);
    store.answered([{ question: store.fromPool(q), ok }], Date.now());
    reviewed.add(q.id);
    for (const input of inputs) markOption(input, q.correct.includes(Number(input.value)));
    const form = $(".progress-review-question");
    form.classList.toggle("is-answered-right", ok);
    form.classList.toggle("is-answered-wrong", !ok);
    const left = store.loadAll().progress.review[q.id];
    $(".progress-review-feedback").textContent = ok
      ? left.done ? "Correct. Right on two different days: it leaves the queue." : "Correct. Answer it right on another day and it leaves the queue."
      : "Not quite: it stays in the queue.";
    $(".progress-review-explanation").innerHTML = q.explanation_html;
    $(".progress-review-explanation").hidden = !q.explanation_html;
    $(".quiz-check").hidden = true;
    $(".progress-review-next").hidden = false;
    $(".progress-review-next").focus();
    render();
  }

  function markOption(input, right) {
    input.disabled = true;
    const li = input.closest(".quiz-option");
    li.classList.toggle("is-correct", right);
    li.classList.toggle("is-wrong", input.checked && !right);
    li.classList.toggle("is-missed", right && !input.checked);
    li.querySelector(".quiz-option-mark").textContent = markText(right, input.checked);
  }

  function next() {
    current = null;
    const ids = queue(store.loadAll().progress).filter((id) => !reviewed.has(id));
    if (ids.length) {
      show(pool.get(ids[0]));
      $(".progress-review-options input").focus();
    } else $(".progress-review-question").hidden = true;
    render();
    if (!ids.length) $(".progress-review-count").focus();
  }

  /**
   * Each section's current question and card ids, from its file (tens of thousands
   * on a large site, so not in the page), when the learner has records to count
   * against them. From disk they cannot be fetched: the rows then count the
   * learner's records by section.
   */
  async function loadIds() {
    const all = store.loadAll();
    const records = [all.progress.questions, all.progress.review, all.cards].some((r) => Object.keys(r).length > 0);
    const files = records ? await Promise.all(data.sections.map((s) => fetchData(s.ids))) : [];
    data.sections.forEach((s, i) => files[i] && Object.assign(s, { questions: files[i].questions, cards: files[i].cards }));
    currentIds = new Set(data.sections.flatMap((s) => s.questions || []));
    idsLoaded = true;
  }


  /** Fetches the pool files this visit needs (see neededPoolFiles), then re-attaches. */
  async function loadPools() {
    index = index || (await fetchData(data.pools)) || { pools: [], groups: [], chunk: 1 };
    const files = store.neededPoolFiles(store.loadAll().progress, { ...index, sections: data.sections });
    const questions = await fetchPools(files.map((file) => index.pools[file]));
    pool = new Map([...(pool || []), ...questions.map((q) => [q.id, q])]);
    attach();
  }

  /** Moves the progress of reworded questions to their new ids (see reattach). */
  function attach() {
    const all = store.loadAll();
    if (!pool) return;
    const questions = [...pool.values()].map(store.fromPool);
    const { progress } = store.reattach(all.progress, questions, (id) => currentIds.has(id));
    if (JSON.stringify(progress) !== JSON.stringify(all.progress)) store.saveAll({ ...all, progress });
  }

  function countsText(c) {
    return `${plural(c.questions, "question", "questions")}, ${plural(c.review, "review entry", "review entries")}, ${plural(c.cards, "flashcard", "flashcards")} and ${plural(c.exams, "mock exam", "mock exams")}`;
  }

  function exportProgress() {
    const now = Date.now();
    const all = store.loadAll();
    const file = store.exportFile(all, now);
    const blob = new Blob([JSON.stringify(file, null, 1)], { type: "application/json" });
    const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: `studysite-progress-${store.dayOf(now)}.json` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    const counts = { questions: Object.keys(file.questions).length, review: Object.keys(file.review).length, cards: Object.keys(file.cards).length, exams: file.exams.length };
    $(".progress-transfer-status").textContent = `Downloaded ${countsText(counts)}.`;
  }

  async function importProgress(event) {
    const input = event.target;
    const [file] = input.files;
    if (!file) return;
    const parsed = store.parseFile(await file.text());
    input.value = "";
    const status = $(".progress-transfer-status");
    if (parsed.error) {
      status.textContent = `${file.name} was not imported: ${parsed.error} Your progress is unchanged.`;
      return;
    }
    const { all, counts } = store.merge(store.loadAll(), parsed.file);
    store.saveAll(all);
    await loadPools();
    status.textContent = `Imported from ${file.name}: ${countsText(counts)} were new or newer than this browser's.`;
    current = null;
    render();
  }

  $(".progress-fallback").hidden = true;
  $(".progress-app").hidden = false;
  $(".progress-review-question").addEventListener("submit", check);
  $(".progress-review-next").addEventListener("click", next);
  $(".progress-export").addEventListener("click", exportProgress);
  $(".progress-import").addEventListener("change", importProgress);
  $(".progress-review-count").tabIndex = -1;
  render();
  loadIds()
    .then(render)
    .then(loadPools)
    .then(render);
})();
