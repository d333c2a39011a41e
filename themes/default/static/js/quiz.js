// Interactive questions: every form.quiz-question on a page (QUIZ callouts on notes,
// all questions on /<section>/quiz/), the section score and best score, and the best
// scores on /quiz/. Without this script the answers stay readable in <details>.
import { isCorrect, optionOrders } from "./quiz-logic.mjs";
import { KEYS, learnerSeed, load, save } from "./quiz-store.mjs";

const answers = load(KEYS.answers, {});
const page = document.querySelector(".quiz-page");
const section = page ? page.dataset.quizSection : null;

function selected(form) {
  return [...form.querySelectorAll("input:checked")].map((i) => Number(i.value));
}

function correctSet(form) {
  return [...form.querySelectorAll("input[data-correct]")].map((i) => Number(i.value));
}

function show(form, picks) {
  const ok = isCorrect({ correct: correctSet(form) }, picks);
  for (const input of form.querySelectorAll("input")) {
    input.checked = picks.includes(Number(input.value));
    input.disabled = true;
    const li = input.closest(".quiz-option");
    li.classList.toggle("is-correct", input.hasAttribute("data-correct"));
    li.classList.toggle("is-wrong", input.checked && !input.hasAttribute("data-correct"));
  }
  form.classList.toggle("is-answered-right", ok);
  form.classList.toggle("is-answered-wrong", !ok);
  form.querySelector(".quiz-feedback").textContent = ok ? "Correct." : "Not quite: see the answer below.";
  form.querySelector(".quiz-check").hidden = true;
  form.querySelector(".quiz-retry").hidden = false;
  form.querySelector(".quiz-answer").open = true;
}

function clear(form) {
  for (const input of form.querySelectorAll("input")) {
    input.checked = false;
    input.disabled = false;
    input.closest(".quiz-option").classList.remove("is-correct", "is-wrong");
  }
  form.classList.remove("is-answered-right", "is-answered-wrong");
  form.querySelector(".quiz-feedback").textContent = "";
  form.querySelector(".quiz-check").hidden = false;
  form.querySelector(".quiz-retry").hidden = true;
  form.querySelector(".quiz-answer").open = false;
}

function updateScore(forms) {
  if (!page) return;
  let answered = 0;
  let right = 0;
  for (const form of forms) {
    const picks = answers[form.dataset.quizId];
    if (!picks) continue;
    answered++;
    if (isCorrect({ correct: correctSet(form) }, picks)) right++;
  }
  const score = page.querySelector(".quiz-score");
  score.hidden = false;
  score.textContent = `${right} of ${answered} answered correctly; ${forms.length - answered} to go.`;
  page.querySelector(".quiz-reset").hidden = answered === 0;
  if (answered === forms.length && forms.length > 0) {
    const best = load(KEYS.best, {});
    const percent = Math.round((100 * right) / forms.length);
    if (!best[section] || best[section].percent < percent) {
      best[section] = { correct: right, total: forms.length, percent };
      save(KEYS.best, best);
    }
    score.textContent = `Done: ${right} of ${forms.length} (${percent}%). Best: ${load(KEYS.best, {})[section].percent}%.`;
  }
}

/**
 * Shows each form's options in this learner's order (see optionOrders). The inputs
 * keep their source index as value, so stored answers stay valid; without this
 * script the options keep the order the note wrote them in.
 */
function shuffleOptions(forms) {
  const questions = forms.map((form) => ({
    id: form.dataset.quizId,
    options: [...form.querySelectorAll(".quiz-option-text")].map((el) => el.textContent),
    correct: correctSet(form),
    multi: form.hasAttribute("data-multi"),
  }));
  const orders = optionOrders(questions, learnerSeed());
  for (const form of forms) {
    const list = form.querySelector(".quiz-options");
    const items = [...list.children];
    list.append(...orders.get(form.dataset.quizId).map((i) => items[i]));
  }
}

function setUp() {
  const forms = [...document.querySelectorAll("form.quiz-question")];
  shuffleOptions(forms);
  for (const form of forms) {
    form.querySelector(".quiz-actions").hidden = false;
    form.querySelector(".quiz-answer").open = false;
    const id = form.dataset.quizId;
    if (answers[id]) show(form, answers[id]);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const picks = selected(form);
      if (picks.length === 0) {
        form.querySelector(".quiz-feedback").textContent = "Pick an answer first.";
        return;
      }
      answers[id] = picks;
      save(KEYS.answers, answers);
      show(form, picks);
      updateScore(forms);
    });
    form.querySelector(".quiz-retry").addEventListener("click", () => {
      delete answers[id];
      save(KEYS.answers, answers);
      clear(form);
      updateScore(forms);
    });
  }
  if (page) {
    updateScore(forms);
    page.querySelector(".quiz-reset").addEventListener("click", () => {
      for (const form of forms) {
        delete answers[form.dataset.quizId];
        clear(form);
      }
      save(KEYS.answers, answers);
      updateScore(forms);
    });
  }
  const best = load(KEYS.best, {});
  for (const cell of document.querySelectorAll("[data-best-section]")) {
    const b = best[cell.dataset.bestSection];
    if (b) cell.textContent = `${b.percent}% (${b.correct}/${b.total})`;
  }
}

setUp();
