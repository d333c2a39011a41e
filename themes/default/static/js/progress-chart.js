// The mock exam history as a line chart: inline SVG with the pass line, an
// aria-label that says what it shows, and no chart library. The geometry and
// the summary have no DOM (progress-chart.test.mjs tests them); `draw` builds
// the SVG. A classic script, as progress-store.js.
(function (root) {
  "use strict";

  // Small enough that its 14px labels stay legible scaled down to a phone's width.
  const SIZE = { width: 480, height: 240, left: 48, right: 12, top: 16, bottom: 28 };

  /**
   * Where each attempt and the pass line go in a SIZE box.
   * @param attempts [{ date, scaled }], oldest first
   * @param scale    { min, max, pass }
   */
  function geometry(attempts, scale) {
    const { width, height, left, right, top, bottom } = SIZE;
    const span = Math.max(scale.max - scale.min, 1);
    const y = (score) => top + (height - top - bottom) * (1 - (score - scale.min) / span);
    const step = attempts.length > 1 ? (width - left - right) / (attempts.length - 1) : 0;
    const x = (i) => (attempts.length > 1 ? left + i * step : (left + width - right) / 2);
    const round = (n) => Math.round(n * 10) / 10;
    return {
      points: attempts.map((a, i) => ({ x: round(x(i)), y: round(y(a.scaled)), score: a.scaled })),
      pass: round(y(scale.pass)),
      ticks: [scale.min, scale.pass, scale.max].map((score) => ({ score, y: round(y(score)) })),
    };
  }

  /** The chart's text equivalent, e.g. "3 mock exams: latest 650, best 810 of 1000; 700 passes; 1 passed." */
  function summary(attempts, scale) {
    const scores = attempts.map((a) => a.scaled);
    const passed = scores.filter((s) => s >= scale.pass).length;
    const exams = attempts.length === 1 ? "1 mock exam" : `${attempts.length} mock exams`;
    return `Scores over time, ${exams}: latest ${scores[scores.length - 1]}, best ${Math.max(...scores)} of ${scale.max}; ${scale.pass} passes; ${passed} passed.`;
  }

  function svgElement(name, attributes, text) {
    const el = document.createElementNS("http://www.w3.org/2000/svg", name);
    for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, String(value));
    if (text !== undefined) el.textContent = text;
    return el;
  }

  /** Replaces `figure`'s content with the chart of `attempts`. */
  function draw(figure, attempts, scale) {
    const g = geometry(attempts, scale);
    const { width, height, left, right } = SIZE;
    const svg = svgElement("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": summary(attempts, scale), class: "progress-chart-svg" });
    for (const tick of g.ticks) {
      svg.append(svgElement("text", { x: left - 6, y: tick.y + 4, "text-anchor": "end", class: "chart-tick" }, tick.score));
    }
    svg.append(svgElement("line", { x1: left, x2: width - right, y1: g.pass, y2: g.pass, class: "chart-pass" }));
    svg.append(svgElement("text", { x: left + 4, y: g.pass - 6, class: "chart-pass-label" }, "pass mark"));
    svg.append(svgElement("polyline", { points: g.points.map((p) => `${p.x},${p.y}`).join(" "), class: "chart-line" }));
    for (const p of g.points) svg.append(svgElement("circle", { cx: p.x, cy: p.y, r: 4, class: p.score >= scale.pass ? "chart-point is-pass" : "chart-point" }));
    svg.append(svgElement("text", { x: left, y: height - 8, class: "chart-tick" }, "oldest"));
    svg.append(svgElement("text", { x: width - right, y: height - 8, "text-anchor": "end", class: "chart-tick" }, "latest"));
    figure.replaceChildren(svg);
  }

  const api = { SIZE, geometry, summary, draw };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.StudysiteProgressChart = api;
})(typeof self !== "undefined" ? self : this);
