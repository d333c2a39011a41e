// The mock exam's safety net, in headless Chromium over the `practice` fixture:
// confirming a submit with open questions, the attempt history, section order,
// review filters, the time-out notice, and one scoring scale from [exam].
import test from "node:test";
import assert from "node:assert/strict";
import { buildFiles, newPage, serve, servedFixture, skipReason } from "./harness.mjs";

const skip = (await skipReason()) || false;
const session = servedFixture("practice", skip);

/** The exam's pool and the current attempt, as exam.js sees them. */
async function examData(page) {
  return page.evaluate(async () => {
    const meta = JSON.parse(document.getElementById("exam-data").textContent);
    // Pool URLs are written from the site's root, which <html data-root> names.
    const root = new URL(document.documentElement.dataset.root, location.href);
    const index = await (await fetch(new URL(meta.pools, root))).json();
    const pools = await Promise.all(index.pools.map(async (url) => (await fetch(new URL(url, root))).json()));
    const questions = Object.fromEntries(pools.flatMap((pool) => pool.questions).map((q) => [q.id, q]));
    return { plan: meta.plan, questions, state: JSON.parse(localStorage.getItem("studysite-exam")) };
  });
}

/** A new page on /exam/ with an attempt started, and the exam's data. */
async function startedExam(errors) {
  const page = await newPage(session.browser, errors);
  await page.goto(`${session.site.url}/exam/`);
  await page.locator("button.exam-start").click();
  await page.locator(".exam-app").waitFor(); // the drawn questions' pool files come first
  return { page, ...(await examData(page)) };
}

async function answer(page, question, right) {
  const values = right ? question.correct : [question.options.findIndex((_, i) => !question.correct.includes(i))];
  for (const v of values) await page.locator(`.exam-options input[value="${v}"]`).check();
}

test("submitting with open questions asks first, in a dialog that names the counts", { skip }, async () => {
  const errors = [];
  const { page, questions, state } = await startedExam(errors);
  await answer(page, questions[state.ids[0]], true);
  await page.locator("input.exam-flag").check();
  // Next is the filled main action; Submit stands apart below the question grid.
  const next = await page.locator("button.exam-next").evaluate((b) => getComputedStyle(b).backgroundColor);
  const submit = await page.locator("button.exam-submit").evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.notEqual(next, submit);
  assert.equal(await page.locator(".exam-nav-buttons .exam-submit").count(), 0);
  await page.locator("button.exam-submit").click();
  const dialog = page.locator("dialog.exam-confirm");
  assert.equal(await dialog.isVisible(), true);
  assert.equal(await dialog.evaluate((d) => d.matches(":modal")), true);
  assert.equal(await page.locator("dialog.exam-confirm h2").textContent(), "Submit the exam now?");
  assert.equal(await dialog.getAttribute("aria-labelledby"), "exam-confirm-title");
  assert.equal(
    await page.locator(".exam-confirm-text").textContent(),
    `${state.ids.length - 1} of ${state.ids.length} questions are unanswered and 1 is flagged for review.`,
  );
  assert.equal(await page.evaluate(() => document.activeElement.className), "exam-confirm-cancel", "focus starts on Keep going");
  await page.keyboard.press("Escape");
  assert.equal(await dialog.isVisible(), false);
  assert.equal(await page.locator(".exam-app").isVisible(), true, "Escape keeps the attempt going");
  await page.locator("button.exam-submit").click();
  await page.locator("button.exam-confirm-cancel").click();
  assert.equal(await page.locator(".exam-results").isVisible(), false);
  await page.locator("button.exam-submit").click();
  await page.locator("button.exam-confirm-submit").click();
  await page.locator(".exam-results").waitFor();
  assert.equal(await page.locator(".exam-timeout").isVisible(), false);
  assert.deepEqual(errors, []);
});

test("each question shows its stem and options, those the pool gives only as plain text too", { skip }, async () => {
  const errors = [];
  const { page, questions, state } = await startedExam(errors);
  const plainOnly = state.ids.filter((id) => questions[id].stem_html === undefined);
  assert.ok(plainOnly.length > 0, "the pool leaves out an HTML stem that is only the plain one escaped");
  for (const [i, id] of state.ids.entries()) {
    const q = questions[id];
    const stem = (await page.locator(".exam-stem").textContent()).trim();
    if (q.stem_html === undefined) assert.equal(stem, q.stem);
    else assert.ok(stem.length > 0, `question ${id} shows a stem`);
    const shown = await page.locator(".exam-options .quiz-option-text").allTextContents();
    const plain = q.options.filter((o) => o.html === undefined).map((o) => o.text);
    for (const text of plain) assert.ok(shown.includes(text), `option "${text}" of ${id} is shown`);
    if (i < state.ids.length - 1) await page.locator("button.exam-next").click();
  }
  assert.deepEqual(errors, []);
});

test("a fully answered, unflagged exam submits at once", { skip }, async () => {
  const errors = [];
  const { page, questions, state } = await startedExam(errors);
  for (const [i, id] of state.ids.entries()) {
    await answer(page, questions[id], true);
    if (i < state.ids.length - 1) await page.locator("button.exam-next").click();
  }
  await page.locator("button.exam-submit").click();
  await page.locator(".exam-results").waitFor();
  assert.equal(await page.locator("dialog.exam-confirm").isVisible(), false);
  assert.match(await page.locator(".exam-score").textContent(), /^Score 1000 \/ 1000/);
  assert.deepEqual(errors, []);
});

test("attempts are kept in a history with per-section scores; rows follow the sections' order", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors);
  await page.goto(`${session.site.url}/exam/`);
  assert.equal(await page.locator(".exam-history").isVisible(), false, "no history before an attempt");
  const scores = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    await page.locator(attempt === 0 ? "button.exam-start" : "button.exam-restart").click();
    await page.locator(".exam-app").waitFor();
    assert.equal(await page.locator(".exam-history").isVisible(), false, "hidden during an attempt");
    const { questions, state } = await examData(page);
    // Answer the first `attempt + 1` questions right and the rest wrong.
    for (const [i, id] of state.ids.entries()) {
      await answer(page, questions[id], i <= attempt);
      if (i < state.ids.length - 1) await page.locator("button.exam-next").click();
    }
    await page.locator("button.exam-submit").click();
    await page.locator(".exam-results").waitFor();
    scores.push((await page.locator(".exam-score").textContent()).match(/^Score (\d+)/)[1]);
    const rows = await page.locator(".exam-sections tbody th").allTextContents();
    assert.deepEqual(rows, ["Compute", "Billing"], "section rows in the sections' order");
  }
  assert.notEqual(scores[0], scores[1]);
  const history = page.locator(".exam-history");
  assert.equal(await history.isVisible(), true);
  const head = await history.locator("thead th").allTextContents();
  assert.deepEqual(head, ["Date", "Score", "Result", "Compute", "Billing", "Time used"]);
  const rows = history.locator("tbody tr");
  assert.equal(await rows.count(), 2);
  // Newest first.
  assert.equal(await rows.nth(0).locator("td").nth(0).textContent(), `${scores[1]} / 1000`);
  assert.equal(await rows.nth(1).locator("td").nth(0).textContent(), `${scores[0]} / 1000`);
  assert.equal(await rows.nth(0).locator("td").nth(1).textContent(), "Fail");
  assert.match(await rows.nth(0).locator("td").nth(4).textContent(), /^0:\d\d$/);
  // A reload neither loses nor repeats an attempt, and the intro shows the history too.
  await page.reload();
  await page.locator(".exam-results").waitFor();
  assert.equal(await rows.count(), 2);
  await page.evaluate(() => localStorage.removeItem("studysite-exam"));
  await page.reload();
  assert.equal(await page.locator(".exam-intro").isVisible(), true);
  assert.equal(await rows.count(), 2);
  assert.deepEqual(errors, []);
});

test("the review filters wrong, flagged and all questions and marks a blank answer", { skip }, async () => {
  const errors = [];
  const { page, questions, state } = await startedExam(errors);
  const total = state.ids.length;
  // 1: right and flagged; 2: wrong; 3: blank and flagged; the rest blank.
  await answer(page, questions[state.ids[0]], true);
  await page.locator("input.exam-flag").check();
  await page.locator("button.exam-next").click();
  await answer(page, questions[state.ids[1]], false);
  await page.locator("button.exam-next").click();
  await page.locator("input.exam-flag").check();
  await page.locator("button.exam-submit").click();
  await page.locator("button.exam-confirm-submit").click();
  await page.locator(".exam-results").waitFor();
  const visible = () => page.locator(".exam-review-item:visible");
  assert.equal(await visible().count(), total - 1, "wrong (blank included) by default");
  assert.equal(await page.locator('.exam-filter-count[data-filter="wrong"]').textContent(), String(total - 1));
  await page.getByRole("radio", { name: /^Flagged/ }).check();
  assert.equal(await visible().count(), 2);
  assert.deepEqual(await visible().locator(".exam-review-status").allTextContents(), ["Right · flagged", "Not answered · flagged"]);
  await page.getByRole("radio", { name: /^All/ }).check();
  assert.equal(await visible().count(), total);
  const blank = visible().nth(2);
  assert.equal(await blank.locator(".exam-no-answer").textContent(), "(no answer)");
  const style = await blank.locator(".exam-no-answer").evaluate((el) => getComputedStyle(el).borderStyle);
  assert.equal(style, "dashed", "a blank answer looks different from a wrong one");
  assert.equal(await visible().nth(1).locator(".exam-no-answer").count(), 0);
  assert.deepEqual(errors, []);
});

test("when time runs out the results say so", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors);
  await page.goto(`${session.site.url}/exam/?minutes=0.05`);
  await page.locator("button.exam-start").click();
  await page.locator(".exam-results").waitFor({ timeout: 15000 });
  assert.equal(
    await page.locator(".exam-timeout").textContent(),
    "Time ran out: the exam was submitted when the 10 minutes were up.",
  );
  assert.match(await page.locator(".exam-history tbody tr").first().textContent(), /time ran out/);
  assert.deepEqual(errors, []);
});

test("the home page and the exam page state the same scale, from [exam]", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors);
  await page.goto(`${session.site.url}/exam/`);
  assert.match(await page.locator(".exam-intro .lead").textContent(), /Scored from 100 to 1000; 700 passes\./);
  await page.goto(`${session.site.url}/`);
  const facts = Object.fromEntries(
    await page.$$eval(".exam-facts tr", (rows) => rows.map((r) => [r.querySelector("th").textContent, r.querySelector("td").textContent])),
  );
  assert.equal(facts.Scoring, "scaled from 100 to 1000");
  assert.equal(facts["Pass mark"], "700 out of 1000");
  assert.equal(facts.Questions, "8");
  // A blank paper scores the scale's floor.
  await page.goto(`${session.site.url}/exam/`);
  await page.locator("button.exam-start").click();
  await page.locator("button.exam-submit").click();
  await page.locator("button.exam-confirm-submit").click();
  assert.match(await page.locator(".exam-score").textContent(), /^Score 100 \/ 1000 \(0 of 8 correct/);
  assert.deepEqual(errors, []);
});

test("exam options come in a new order with each attempt and stay put within one", { skip }, async () => {
  const errors = [];
  const page = await newPage(session.browser, errors);
  await page.goto(`${session.site.url}/exam/`);
  await page.locator("button.exam-start").click();
  await page.locator(".exam-app").waitFor();
  /** Option values in display order, question by question, with the attempt's questions. */
  const orders = async () => {
    const out = {};
    const { state } = await examData(page);
    for (let i = 0; i < state.ids.length; i++) {
      await page.locator(".exam-grid-item").nth(i).click();
      out[state.ids[i]] = (await page.locator(".exam-options input").evaluateAll((els) => els.map((e) => e.value))).join();
    }
    return out;
  };
  const first = await orders();
  const shuffled = Object.values(first).filter((o) => o !== [...o.split(",").keys()].join());
  assert.ok(shuffled.length >= Object.keys(first).length / 2, `${shuffled.length} shuffled: ${Object.values(first)}`);
  await page.reload();
  await page.locator(".exam-app").waitFor();
  assert.deepEqual(await orders(), first, "a reload keeps the attempt's order");
  // Later attempts draw other questions too: keep going until some were asked again.
  let common = [];
  let second = {};
  for (let attempt = 0; attempt < 5 && common.length < 3; attempt++) {
    await page.locator("button.exam-submit").click();
    await page.locator("button.exam-confirm-submit").click();
    await page.locator("button.exam-restart").click();
    await page.locator(".exam-app").waitFor();
    second = await orders();
    common = Object.keys(first).filter((id) => id in second);
  }
  assert.ok(common.length >= 3, `${common.length} questions in both attempts`);
  assert.ok(common.some((id) => first[id] !== second[id]), "a new attempt reorders the options");
  assert.deepEqual(errors, []);
});

test("an attempt fetches only the pool files that hold its questions, also when it resumes", { skip }, async () => {
  // 300 questions in one section (six files of 50) and an exam of five.
  const quiz = Array.from({ length: 300 }, (_, i) => `> [!QUIZ] Question ${i}?\n> - [x] Right ${i}\n> - [ ] Wrong ${i}\n`).join("\n");
  const out = buildFiles({
    "site.toml": 'title = "Big pool"\n\n[exam]\nquestions = 5\nminutes = 10\n',
    "content/01-big/_index.md": "+++\ntitle = \"Big\"\nweight = 100\n+++\n",
    "content/01-big/questions.md": `# Questions\n\n${quiz}`,
  });
  const site = await serve(out);
  const errors = [];
  const page = await newPage(session.browser, errors);
  const fetched = new Set();
  page.on("request", (request) => {
    const match = /exam\/(pool-[^?]+)/.exec(request.url());
    if (match) fetched.add(match[1]);
  });
  try {
    await page.goto(`${site.url}/exam/`);
    await page.locator("button.exam-start").waitFor();
    assert.equal(fetched.size, 0, "only the pool's index is fetched before an attempt starts");
    await page.locator("button.exam-start").click();
    await page.locator(".exam-app").waitFor();
    const { meta, state } = await page.evaluate(async () => ({
      meta: await (await fetch(`../${JSON.parse(document.getElementById("exam-data").textContent).pools}`)).json(),
      state: JSON.parse(localStorage.getItem("studysite-exam")),
    }));
    assert.equal(meta.pools.length, 6);
    assert.equal(state.ids.length, 5);
    const files = (slots) => new Set(slots.map(({ index }) => meta.pools[Math.floor(index / meta.chunk)].split("?")[0].slice("exam/".length)));
    assert.deepEqual([...fetched].sort(), [...files(state.slots)].sort());
    assert.ok(fetched.size <= 5 && fetched.size < meta.pools.length, [...fetched].join(", "));
    // The question shown is the one its slot names: stems are numbered by index.
    const stem = await page.locator(".exam-stem").textContent();
    const first = state.slots[0].index;
    assert.equal(stem.trim(), `Question ${first}?`);
    fetched.clear();
    await page.reload();
    await page.locator(".exam-app").waitFor();
    assert.equal((await page.locator(".exam-stem").textContent()).trim(), `Question ${first}?`, "the attempt resumes");
    assert.deepEqual([...fetched].sort(), [...files(state.slots)].sort());
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    site.close();
  }
});
