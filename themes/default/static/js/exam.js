// The /exam/ page: draw a weighted exam, run the countdown, score on the exam's scale.
// State (the drawn questions, answers, flags, deadline, result) lives in localStorage,
// so a reload resumes the attempt; finished attempts are kept in a history.
// `?minutes=0.1` shortens the timer (for tests and drills); `?from=<page URL>`
// makes the exam of one practice-exam page's questions instead of a drawn one.
(async function () {
  "use strict";

  const { drawSlots, optionOrders, scoreAnswers } = StudysiteQuizLogic;
  const { addAttempt, attemptRecord, confirmationText, formatDuration, needsConfirmation, openCounts, pageExam, pageSlots, reviewItems, slotPlace } =
    StudysiteExamLogic;
  const { KEYS, load, save, embedded, fetchData, fetchPools, siteRoot } = StudysiteQuizStore;

  // The pool is in files of its own (tens of megabytes in all on a large site): an
  // attempt draws its questions' places from the counts in the pool's index, then
  // fetches only the files that hold them.
  const meta = embedded("exam-data");
  const index = meta && (await fetchData(meta.pools));
  const data = index && index.groups.some((g) => g.questions > 0) ? { plan: meta.plan, ...index } : null;
  const page = document.querySelector(".exam-page");
  const $ = (sel) => page.querySelector(sel);
  /** The pool's questions fetched so far, by id. */
  const byId = new Map();
  const from = new URLSearchParams(location.search).get("from");
  if (page && meta && !index) couldNotLoad();
  let practicePage = data && from ? pageExam(await fetchSlots(pageSlots(data, from)), from, data.plan) : null;
  let state = load(KEYS.exam, null);
  if (data && state) await fetchSlots(state.slots || []);
  let ticker = null;
  let orders = null;

  /** Offline, or opened from a file on disk: the fallback links to the section quizzes. */
  function couldNotLoad() {
    $(".exam-needs-js").hidden = true;
    $(".exam-not-loaded").hidden = false;
    $(".exam-fallback").hidden = false;
  }

  /** The questions at `slots` ([{ section, index }]), fetching each file that holds one once. */
  async function fetchSlots(slots) {
    const places = slots.map((slot) => slotPlace(data, slot));
    const files = [...new Set(places.filter(Boolean).map((p) => p.file))];
    const loaded = new Map(await Promise.all(files.map(async (file) => [file, await fetchPools([data.pools[file]])])));
    const found = places.map((p) => p && (loaded.get(p.file) || [])[p.at]).filter(Boolean);
    for (const q of found) byId.set(q.id, q);
    return found;
  }

  function minutes() {
    const override = Number(new URLSearchParams(location.search).get("minutes"));
    if (override > 0) return override;
    return practicePage ? practicePage.minutes : data.plan.minutes;
  }

  function questions() {
    return state.ids.map((id) => byId.get(id)).filter(Boolean);
  }

  /** The attempt's option orders: new with each attempt's seed, stable within it. */
  function orderOf(q) {
    if (!orders || orders.seed !== state.seed) {
      const asked = questions().map((x) => ({ id: x.id, options: x.options.map((o) => o.text), correct: x.correct, multi: x.multi }));
      orders = { seed: state.seed, map: optionOrders(asked, state.seed) };
    }
    return orders.map.get(q.id) || q.options.map((_, i) => i);
  }

  function persist() {
    save(KEYS.exam, state);
  }

  async function start() {
    const weights = Object.fromEntries(data.plan.sections.map((s) => [s.section, s.weight]));
    const seed = Math.floor(Math.random() * 2 ** 32);
    const sections = data.groups.map((g) => ({ section: g.section, available: g.questions }));
    const slots = practicePage ? pageSlots(data, from) : drawSlots(sections, { count: data.plan.questions, weights, seed });
    const button = $(".exam-start");
    button.disabled = true;
    const drawn = practicePage ? practicePage.questions : await fetchSlots(slots);
    button.disabled = false;
    if (drawn.length === 0) {
      couldNotLoad();
      return;
    }
    const now = Date.now();
    state = {
      seed,
      slots,
      ids: drawn.map((q) => q.id),
      answers: {},
      flagged: [],
      index: 0,
      startedAt: now,
      deadline: now + minutes() * 60 * 1000,
      submitted: false,
    };
    persist();
    render();
    $(".exam-progress").focus();
  }

  function render() {
    const active = state && !state.submitted && questions().length > 0;
    const done = state && state.submitted;
    $(".exam-intro").hidden = Boolean(active || done);
    $(".exam-start-row").hidden = false;
    $(".exam-app").hidden = !active;
    $(".exam-results").hidden = !done;
    if (active) {
      showQuestion();
      tick();
      if (!ticker) ticker = setInterval(tick, 250);
    } else if (done) {
      showResults();
    }
    showHistory(active);
  }

  function tick() {
    if (!state || state.submitted) return;
    const left = Math.max(0, state.deadline - Date.now());
    const total = Math.ceil(left / 1000);
    const mm = String(Math.floor(total / 60)).padStart(2, "0");
    const ss = String(total % 60).padStart(2, "0");
    const timer = $(".exam-timer");
    timer.textContent = `Time left ${mm}:${ss}`;
    timer.classList.toggle("is-low", left < 5 * 60 * 1000);
    if (left <= 0) submit({ timedOut: true });
  }

  function showQuestion() {
    const qs = questions();
    state.index = Math.min(Math.max(state.index, 0), qs.length - 1);
    const q = qs[state.index];
    const picks = state.answers[q.id] || [];
    $(".exam-progress").textContent = `Question ${state.index + 1} of ${qs.length}`;
    $(".exam-stem").innerHTML = q.stem_html;
    $(".exam-multi").hidden = !q.multi;
    const list = $(".exam-options");
    list.replaceChildren();
    for (const i of orderOf(q)) {
      const option = q.options[i];
      const li = document.createElement("li");
      li.className = "quiz-option";
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = q.multi ? "checkbox" : "radio";
      input.name = "exam-option";
      input.value = String(i);
      input.checked = picks.includes(i);
      input.addEventListener("change", () => {
        state.answers[q.id] = [...list.querySelectorAll("input:checked")].map((el) => Number(el.value));
        persist();
        showGrid();
      });
      const text = document.createElement("span");
      text.className = "quiz-option-text";
      text.innerHTML = option.html;
      label.append(input, " ", text);
      li.append(label);
      list.append(li);
    }
    $(".exam-flag").checked = state.flagged.includes(q.id);
    $(".exam-prev").disabled = state.index === 0;
    $(".exam-next").disabled = state.index === qs.length - 1;
    showGrid();
  }

  function showGrid() {
    const grid = $(".exam-grid");
    grid.replaceChildren();
    questions().forEach((q, i) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = String(i + 1);
      const answered = (state.answers[q.id] || []).length > 0;
      const flagged = state.flagged.includes(q.id);
      b.className = "exam-grid-item";
      b.classList.toggle("is-answered", answered);
      b.classList.toggle("is-flagged", flagged);
      b.classList.toggle("is-current", i === state.index);
      b.setAttribute("aria-label", `Question ${i + 1}${answered ? ", answered" : ""}${flagged ? ", flagged" : ""}`);
      if (i === state.index) b.setAttribute("aria-current", "step");
      b.addEventListener("click", () => go(i));
      grid.append(b);
    });
  }

  function go(i) {
    state.index = i;
    persist();
    showQuestion();
  }

  /** The learner's "Submit": straight away when all is answered and unflagged, else ask. */
  function requestSubmit() {
    const counts = openCounts(state.ids, state.answers, state.flagged);
    if (!needsConfirmation(counts)) {
      submit({ timedOut: false });
      return;
    }
    const dialog = $(".exam-confirm");
    $(".exam-confirm-text").textContent = confirmationText(counts, state.ids.length);
    dialog.showModal();
  }

  function submit({ timedOut }) {
    if (!state || state.submitted) return;
    const dialog = $(".exam-confirm");
    if (dialog.open) dialog.close();
    state.submitted = true;
    state.timedOut = timedOut;
    state.finishedAt = timedOut ? state.deadline : Date.now();
    const result = score();
    const record = attemptRecord(result, {
      id: state.seed,
      startedAt: state.startedAt ?? state.deadline - minutes() * 60 * 1000,
      finishedAt: state.finishedAt,
      timedOut,
    });
    save(KEYS.examHistory, addAttempt(load(KEYS.examHistory, []), record));
    // Unanswered questions were not got wrong: only answers go to the progress.
    const answers = result.items.filter((item) => item.selected.length);
    StudysiteProgress.answered(answers.map((item) => ({ question: StudysiteProgress.fromPool(item.question), ok: item.ok })), state.finishedAt);
    persist();
    clearInterval(ticker);
    ticker = null;
    render();
    $("#exam-results-title").focus();
  }

  function score() {
    return scoreAnswers(questions(), state.answers, {
      maxScore: data.plan.max_score,
      passScore: data.plan.pass_score,
      minScore: data.plan.min_score,
      sectionOrder: data.plan.sections.map((s) => s.section),
    });
  }

  function showResults() {
    const result = score();
    $(".exam-timeout").hidden = !state.timedOut;
    $(".exam-score").textContent = `Score ${result.scaled} / ${result.maxScore} (${result.correct} of ${result.total} correct; ${result.passScore} to pass)`;
    const verdict = $(".exam-verdict");
    verdict.textContent = result.passed ? "Pass" : "Fail";
    verdict.className = `exam-verdict ${result.passed ? "is-pass" : "is-fail"}`;
    const body = $(".exam-sections tbody");
    body.replaceChildren();
    for (const s of result.sections) {
      const tr = document.createElement("tr");
      tr.dataset.section = s.section;
      tr.append(cell(s.title, "th"), cell(`${s.correct} / ${s.total}`), cell(`${s.percent}%`));
      body.append(tr);
    }
    showReview(reviewItems(result.items, state.flagged));
  }

  function cell(text, tag = "td") {
    const el = document.createElement(tag);
    if (tag === "th") el.scope = "row";
    el.textContent = text;
    return el;
  }

  function showReview(review) {
    for (const [name, count] of Object.entries(review.counts)) {
      $(`.exam-filter-count[data-filter="${name}"]`).textContent = String(count);
    }
    const list = $(".exam-review");
    list.replaceChildren(...review.items.map(reviewItem));
    applyFilter();
  }

  function reviewItem({ question, selected, ok, flagged, unanswered }) {
    const li = document.createElement("li");
    li.className = "exam-review-item";
    li.classList.toggle("is-right", ok);
    li.classList.toggle("is-wrong", !ok);
    li.classList.toggle("is-flagged", flagged);
    li.classList.toggle("is-unanswered", unanswered);
    const status = document.createElement("p");
    status.className = "exam-review-status";
    status.textContent = [ok ? "Right" : unanswered ? "Not answered" : "Wrong", flagged ? "flagged" : ""].filter(Boolean).join(" · ");
    const stem = document.createElement("p");
    stem.className = "exam-review-stem";
    stem.innerHTML = question.stem_html;
    const yours = document.createElement("p");
    yours.className = "exam-review-yours";
    yours.append("Your answer: ");
    if (unanswered) {
      const none = document.createElement("em");
      none.className = "exam-no-answer";
      none.textContent = "(no answer)";
      yours.append(none);
    } else {
      yours.append(selected.map((i) => question.options[i].text).join("; "));
    }
    const right = document.createElement("p");
    right.className = "exam-review-correct";
    right.textContent = `Correct: ${question.correct.map((i) => question.options[i].text).join("; ")}`;
    const explanation = document.createElement("div");
    explanation.className = "exam-review-explanation";
    explanation.innerHTML = question.explanation_html;
    const link = document.createElement("a");
    link.href = new URL(question.url, siteRoot()).href;
    link.textContent = `Review: ${question.page_title}${question.heading ? ` › ${question.heading}` : ""}`;
    const source = document.createElement("p");
    source.append(link);
    li.append(status, stem, yours, right, explanation, source);
    return li;
  }

  function applyFilter() {
    const chosen = page.querySelector('input[name="exam-filter"]:checked').value;
    let shown = 0;
    for (const li of page.querySelectorAll(".exam-review-item")) {
      const keep =
        chosen === "all" ||
        (chosen === "wrong" && li.classList.contains("is-wrong")) ||
        (chosen === "flagged" && li.classList.contains("is-flagged"));
      li.hidden = !keep;
      if (keep) shown++;
    }
    const empty = $(".exam-review-empty");
    empty.hidden = shown > 0;
    empty.textContent = chosen === "wrong" ? "None: every answer was right." : "No questions match this filter.";
  }

  /** Past attempts, newest first, with a column per section in the sections' order. */
  function showHistory(active) {
    const history = load(KEYS.examHistory, []);
    const box = $(".exam-history");
    box.hidden = active || history.length === 0;
    if (box.hidden) return;
    const sections = data.plan.sections;
    const headRow = $(".exam-history thead tr");
    headRow.replaceChildren(
      ...["Date", "Score", "Result", ...sections.map((s) => s.title), "Time used"].map((text) => {
        const th = cell(text, "th");
        th.scope = "col";
        return th;
      }),
    );
    const rows = [...history].reverse().map((r) => {
      const tr = document.createElement("tr");
      const date = cell(new Date(r.date).toLocaleString(), "th");
      const perSection = sections.map((s) => {
        const found = (r.sections || []).find((x) => x.section === s.section);
        return cell(found ? `${found.percent}%` : "–");
      });
      const time = formatDuration(r.seconds) + (r.timedOut ? " (time ran out)" : "");
      tr.append(date, cell(`${r.scaled} / ${r.maxScore}`), cell(r.passed ? "Pass" : "Fail"), ...perSection, cell(time));
      return tr;
    });
    $(".exam-history tbody").replaceChildren(...rows);
  }

  /** The intro of a practice-exam page's exam: its questions, not the drawn exam's. */
  function describePracticePage() {
    const { questions: qs, minutes: pageMinutes } = practicePage;
    const title = qs.length ? qs[0].page_title : from;
    const lead = $(".exam-intro .lead");
    lead.textContent = qs.length
      ? `The ${qs.length} questions of “${title}”, in its order, in ${pageMinutes} minutes. ${lead.dataset.scale}`
      : `No practice questions were found on ${from}; this is the usual mock exam.`;
    $(".exam-weights").hidden = qs.length > 0;
  }

  if (page && data) {
    $(".exam-fallback").hidden = true;
    if (practicePage) describePracticePage();
    if (practicePage && practicePage.questions.length === 0) practicePage = null;
    $(".exam-start").addEventListener("click", start);
    $(".exam-prev").addEventListener("click", () => go(state.index - 1));
    $(".exam-next").addEventListener("click", () => go(state.index + 1));
    $(".exam-submit").addEventListener("click", requestSubmit);
    $(".exam-confirm-submit").addEventListener("click", () => submit({ timedOut: false }));
    $(".exam-confirm-cancel").addEventListener("click", () => $(".exam-confirm").close());
    $(".exam-flag").addEventListener("change", (event) => {
      const id = questions()[state.index].id;
      state.flagged = state.flagged.filter((f) => f !== id);
      if (event.target.checked) state.flagged.push(id);
      persist();
      showGrid();
    });
    for (const radio of page.querySelectorAll('input[name="exam-filter"]')) radio.addEventListener("change", applyFilter);
    // A new attempt replaces the finished one; its result is already in the history.
    $(".exam-restart").addEventListener("click", start);
    if (state && !state.ids.every((id) => byId.has(id))) state = null; // the site changed
    render();
  }
})();
