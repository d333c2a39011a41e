// Interactive questions: every form.quiz-question on a page (QUIZ callouts on notes,
// a section's questions on /<section>/quiz/ and the pages after it), the page's score
// and best score, and the best scores on /quiz/ (a section's pages added up). Without
// this script the answers stay readable in <details>.
(function () {
  "use strict";

  const { bestKey, bestText, isCorrect, markText, nextOpen, optionOrders, roundProgress, sectionBest } =
    StudysiteQuizLogic;
  const { KEYS, learnerSeed, load, save } = StudysiteQuizStore;

  const answers = load(KEYS.answers, {});
  const page = document.querySelector(".quiz-page");
  const section = page ? page.dataset.quizSection : null;
  // A quiz on several pages keeps a best score per page.
  const bestOf = page ? bestKey(section, Number(page.dataset.quizPart || 1)) : null;

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
      const right = input.hasAttribute("data-correct");
      li.classList.toggle("is-correct", right);
      li.classList.toggle("is-wrong", input.checked && !right);
      // A right option the learner did not pick looks (and reads) different from a picked one.
      li.classList.toggle("is-missed", right && !input.checked);
      li.querySelector(".quiz-option-mark").textContent = markText(right, input.checked);
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
      const li = input.closest(".quiz-option");
      li.classList.remove("is-correct", "is-wrong", "is-missed");
      li.querySelector(".quiz-option-mark").textContent = "";
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
      const picks = answers[form.id];
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
      if (!best[bestOf] || best[bestOf].percent < percent) {
        best[bestOf] = { correct: right, total: forms.length, percent };
        save(KEYS.best, best);
      }
      score.textContent = `Done: ${right} of ${forms.length} (${percent}%). Best: ${load(KEYS.best, {})[bestOf].percent}%.`;
    }
  }

  /**
   * Shows each form's options in this learner's order (see optionOrders). The inputs
   * keep their source index as value, so stored answers stay valid; without this
   * script the options keep the order the note wrote them in.
   */
  function shuffleOptions(forms) {
    const questions = forms.map((form) => ({
      id: form.id,
      options: [...form.querySelectorAll(".quiz-option-text")].map((el) => el.textContent),
      correct: correctSet(form),
      multi: form.hasAttribute("data-multi"),
    }));
    const orders = optionOrders(questions, learnerSeed());
    for (const form of forms) {
      const list = form.querySelector(".quiz-options");
      const items = [...list.children];
      list.append(...orders.get(form.id).map((i) => items[i]));
    }
  }

  /**
   * Adds what only works with this script: the options' classes, each option's mark,
   * the check and retry buttons, and the feedback line; a quiz page of a hundred
   * questions need not carry them for each.
   */
  function addControls(form) {
    for (const option of form.querySelectorAll(".quiz-options > li")) {
      option.className = "quiz-option";
      option.querySelector("label > span").className = "quiz-option-text";
      const mark = document.createElement("span");
      mark.className = "quiz-option-mark";
      option.querySelector("label").append(" ", mark);
    }
    const actions = document.createElement("p");
    actions.className = "quiz-actions";
    actions.innerHTML =
      '<button type="submit" class="quiz-check">Check answer</button> <button type="button" class="quiz-retry" hidden>Try again</button>';
    const feedback = document.createElement("p");
    feedback.className = "quiz-feedback";
    feedback.setAttribute("role", "status");
    feedback.setAttribute("aria-live", "polite");
    form.querySelector("fieldset").after(actions, feedback);
  }

  function setUp() {
    const forms = [...document.querySelectorAll("form.quiz-question")];
    forms.forEach(addControls);
    shuffleOptions(forms);
    for (const form of forms) {
      form.querySelector(".quiz-answer").open = false;
      const id = form.id;
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
        const ok = isCorrect({ correct: correctSet(form) }, picks);
        const question = { id, stem: form.querySelector(".quiz-stem").textContent, section };
        StudysiteProgress.answered([{ question, ok }], Date.now());
        show(form, picks);
        updateScore(forms);
        stepper?.answered(form);
      });
      form.querySelector(".quiz-retry").addEventListener("click", () => {
        delete answers[id];
        save(KEYS.answers, answers);
        clear(form);
        updateScore(forms);
        stepper?.refresh();
      });
    }
    if (page) {
      updateScore(forms);
      stepper = setUpStepper(forms);
      page.querySelector(".quiz-reset").addEventListener("click", () => {
        for (const form of forms) {
          delete answers[form.id];
          clear(form);
        }
        save(KEYS.answers, answers);
        updateScore(forms);
        stepper.restart(forms);
      });
    }
    const best = load(KEYS.best, {});
    for (const cell of document.querySelectorAll("[data-best-section]")) {
      const parts = Number(cell.dataset.bestParts || 1);
      const b = sectionBest(best, cell.dataset.bestSection, parts);
      if (b) cell.textContent = bestText(b, parts);
    }
  }

  /** Right (true) or wrong (false) for each answered form of `forms`. */
  function results(forms) {
    const out = {};
    for (const form of forms) {
      const picks = answers[form.id];
      if (picks) out[form.id] = isCorrect({ correct: correctSet(form) }, picks);
    }
    return out;
  }

  /**
   * One question at a time (section quiz pages): a running score beside the
   * question, a summary at the end of each round, and a round of the questions
   * missed. The choice of mode is remembered; the list stays the default.
   */
  function setUpStepper(forms) {
    const $ = (sel) => page.querySelector(sel);
    const items = forms.map((form) => form.closest(".quiz-item"));
    const byId = new Map(forms.map((form) => [form.id, form]));
    let round = forms.map((form) => form.id);
    let index = 0;
    let on = load(KEYS.quizMode, "list") === "steps";

    function current() {
      return byId.get(round[index]);
    }

    function refresh() {
      const toggle = $(".quiz-mode-toggle");
      toggle.setAttribute("aria-pressed", String(on));
      for (const part of page.querySelectorAll(".quiz-stepper")) part.hidden = !on;
      page.classList.toggle("is-stepping", on);
      if (!on) {
        for (const item of items) item.hidden = false;
        $(".quiz-summary").hidden = true;
        return;
      }
      const progress = roundProgress(round, results(round.map((id) => byId.get(id))));
      const done = progress.answered === progress.total;
      for (const item of items) item.hidden = true;
      current().closest(".quiz-item").hidden = !$(".quiz-summary").hidden;
      $(".quiz-progress").textContent =
        `Question ${index + 1} of ${progress.total} · ${progress.right} right · ${progress.wrong} wrong`;
      $(".quiz-prev").disabled = index === 0;
      $(".quiz-next").textContent = done ? "See the summary" : "Next question";
    }

    function go(i) {
      index = Math.min(Math.max(i, 0), round.length - 1);
      $(".quiz-summary").hidden = true;
      refresh();
      current().querySelector("legend").scrollIntoView({ block: "nearest" });
    }

    function next() {
      const open = nextOpen(round, results(round.map((id) => byId.get(id))), index);
      if (open < 0) summary();
      else go(open);
    }

    function summary() {
      const progress = roundProgress(round, results(round.map((id) => byId.get(id))));
      const percent = progress.total ? Math.round((100 * progress.right) / progress.total) : 0;
      for (const item of items) item.hidden = true;
      $(".quiz-summary").hidden = false;
      $(".quiz-summary-text").textContent =
        `${progress.right} of ${progress.total} right (${percent}%).` +
        (progress.wrong ? ` You missed ${progress.wrong}.` : " Every answer was right.");
      const retry = $(".quiz-retry-missed");
      retry.hidden = progress.wrong === 0;
      retry.textContent = `Retry the ${progress.wrong} I missed`;
      retry.dataset.missed = JSON.stringify(progress.missed);
      $(".quiz-summary h2").focus();
    }

    function restart(ids) {
      round = ids;
      index = 0;
      $(".quiz-summary").hidden = true;
      refresh();
    }

    $(".quiz-mode-toggle").addEventListener("click", () => {
      on = !on;
      save(KEYS.quizMode, on ? "steps" : "list");
      if (on) {
        const open = nextOpen(round, results(forms), -1);
        index = open < 0 ? 0 : open;
      }
      refresh();
    });
    $(".quiz-prev").addEventListener("click", () => go(index - 1));
    $(".quiz-next").addEventListener("click", next);
    $(".quiz-retry-missed").addEventListener("click", (event) => {
      const missed = JSON.parse(event.target.dataset.missed || "[]");
      for (const id of missed) {
        delete answers[id];
        clear(byId.get(id));
      }
      save(KEYS.answers, answers);
      updateScore(forms);
      restart(missed);
      current().querySelector("input").focus();
    });
    $(".quiz-show-all").addEventListener("click", () => {
      on = false;
      save(KEYS.quizMode, "list");
      restart(forms.map((form) => form.id));
    });
    refresh();
    return {
      refresh,
      restart: (all) => restart(all.map((form) => form.id)),
      answered(form) {
        if (on) {
          refresh();
          $(".quiz-next").focus();
        }
      },
    };
  }

  let stepper = null;
  setUp();
})();
