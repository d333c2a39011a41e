// The /exam/ page: draw a weighted exam, run the countdown, score on the exam's scale.
// State (the drawn questions, answers, flags, deadline, result) lives in localStorage,
// so a reload resumes the attempt. `?minutes=0.1` shortens the timer (for tests and drills).
import { drawExam, scoreAnswers } from "./quiz-logic.mjs";
import { KEYS, load, save, remove, embedded } from "./quiz-store.mjs";

const meta = embedded("exam-data");
// The pool is in files of their own, one per section (tens of megabytes in all
// on a large site), fetched as the page runs.
const data = meta && { plan: meta.plan, questions: (await Promise.all(meta.pools.map(fetchPool))).flat() };
const page = document.querySelector(".exam-page");
const $ = (sel) => page.querySelector(sel);
const byId = new Map((data ? data.questions : []).map((q) => [q.id, q]));
let state = load(KEYS.exam, null);
let ticker = null;

async function fetchPool(url) {
  try {
    const response = await fetch(url);
    return response.ok ? (await response.json()).questions : [];
  } catch {
    return []; // the fallback links to the section quizzes stay
  }
}

function minutes() {
  const override = Number(new URLSearchParams(location.search).get("minutes"));
  return override > 0 ? override : data.plan.minutes;
}

function questions() {
  return state.ids.map((id) => byId.get(id)).filter(Boolean);
}

function persist() {
  save(KEYS.exam, state);
}

function start() {
  const weights = Object.fromEntries(data.plan.sections.map((s) => [s.section, s.weight]));
  const seed = Math.floor(Math.random() * 2 ** 32);
  const drawn = drawExam(data.questions, { count: data.plan.questions, weights, seed });
  state = {
    seed,
    ids: drawn.map((q) => q.id),
    answers: {},
    flagged: [],
    index: 0,
    deadline: Date.now() + minutes() * 60 * 1000,
    submitted: false,
  };
  persist();
  render();
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
  if (left <= 0) submit();
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
  q.options.forEach((option, i) => {
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
  });
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

function submit() {
  if (!state || state.submitted) return;
  state.submitted = true;
  persist();
  clearInterval(ticker);
  ticker = null;
  render();
  $("#exam-results-title").focus();
}

function showResults() {
  const qs = questions();
  const result = scoreAnswers(qs, state.answers, { maxScore: data.plan.max_score, passScore: data.plan.pass_score });
  $(".exam-score").textContent = `Score ${result.scaled} / ${result.maxScore} (${result.correct} of ${result.total} correct; ${result.passScore} to pass)`;
  const verdict = $(".exam-verdict");
  verdict.textContent = result.passed ? "Pass" : "Fail";
  verdict.className = `exam-verdict ${result.passed ? "is-pass" : "is-fail"}`;
  const body = $(".exam-sections tbody");
  body.replaceChildren();
  for (const s of result.sections) {
    const tr = document.createElement("tr");
    tr.dataset.section = s.section;
    for (const text of [s.title, `${s.correct} / ${s.total}`, `${s.percent}%`]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    body.append(tr);
  }
  const wrong = $(".exam-wrong");
  wrong.replaceChildren();
  for (const { question, selected } of result.wrong) {
    const li = document.createElement("li");
    li.className = "exam-wrong-item";
    const stem = document.createElement("p");
    stem.className = "exam-wrong-stem";
    stem.innerHTML = question.stem_html;
    const yours = document.createElement("p");
    yours.textContent = `Your answer: ${selected.length ? selected.map((i) => question.options[i].text).join("; ") : "(none)"}`;
    const right = document.createElement("p");
    right.className = "exam-wrong-correct";
    right.textContent = `Correct: ${question.correct.map((i) => question.options[i].text).join("; ")}`;
    const explanation = document.createElement("div");
    explanation.className = "exam-wrong-explanation";
    explanation.innerHTML = question.explanation_html;
    const link = document.createElement("a");
    link.href = question.url;
    link.textContent = `Review: ${question.page_title}${question.heading ? ` › ${question.heading}` : ""}`;
    const source = document.createElement("p");
    source.append(link);
    li.append(stem, yours, right, explanation, source);
    wrong.append(li);
  }
  if (result.wrong.length === 0) wrong.textContent = "None: every answer was right.";
}

if (page && data && data.questions.length > 0) {
  $(".exam-fallback").hidden = true;
  $(".exam-start").addEventListener("click", start);
  $(".exam-prev").addEventListener("click", () => go(state.index - 1));
  $(".exam-next").addEventListener("click", () => go(state.index + 1));
  $(".exam-submit").addEventListener("click", submit);
  $(".exam-flag").addEventListener("change", (event) => {
    const id = questions()[state.index].id;
    state.flagged = state.flagged.filter((f) => f !== id);
    if (event.target.checked) state.flagged.push(id);
    persist();
    showGrid();
  });
  $(".exam-restart").addEventListener("click", () => {
    remove(KEYS.exam);
    state = null;
    start();
  });
  if (state && !state.ids.every((id) => byId.has(id))) state = null; // the site changed
  render();
}
