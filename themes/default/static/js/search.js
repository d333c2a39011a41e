// The search box in the header, the /search/ page, and highlighting the query's
// words on the page a result opens. The logic (search-core.js) and the index load
// on the first focus of a search box, with <script> tags so file:// works too.
(function () {
  "use strict";

  const script = document.currentScript;
  const coreUrl = script.dataset.core;
  const indexBase = new URL("../search/", script.src).href;
  const DROPDOWN_RESULTS = 8;
  const PAGE_RESULTS = 50;
  let engine = null;

  /** Loads an index file by name (and its set's version, against stale caches);
   * each file calls __studysiteSearch(name, data). */
  function loader() {
    const waiting = new Map();
    window.__studysiteSearch = (name, data) => {
      const resolve = waiting.get(name);
      if (resolve) resolve(data);
    };
    return (name, version) =>
      new Promise((resolve, reject) => {
        waiting.set(name, resolve);
        const tag = document.createElement("script");
        tag.src = indexBase + name + ".js" + (version ? "?v=" + version : "");
        tag.onerror = () => reject(new Error("could not load the search index (" + name + ")"));
        document.head.appendChild(tag);
      });
  }

  function loadEngine() {
    if (!engine) {
      engine = new Promise((resolve, reject) => {
        const tag = document.createElement("script");
        tag.src = coreUrl;
        tag.onload = () => {
          const core = window.StudysiteSearchCore;
          const created = new core.SearchEngine(loader());
          created.init().then(() => resolve(created), reject);
        };
        tag.onerror = () => reject(new Error("could not load search"));
        document.head.appendChild(tag);
      });
    }
    return engine;
  }

  /** A result's URL: base path + page, the matched words to highlight, the anchor. */
  function resultUrl(result, words) {
    let path = result.path;
    // A folder URL does not open its index.html from file://.
    if (location.protocol === "file:" && (path === "" || path.endsWith("/"))) path += "index.html";
    const url = new URL(path, new URL("../", indexBase));
    if (words.length) url.searchParams.set("highlight", words.join(" "));
    if (result.anchor) url.hash = result.anchor;
    return url.href;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /** Title › heading, kind badge, section, snippet with marked words. */
  function resultBody(result, link) {
    const head = element("span", "search-result-head");
    head.append(element("span", "search-result-kind search-kind-" + result.kind, result.kind));
    head.append(element("span", "search-result-title", result.title));
    if (result.parent) {
      head.append(element("span", "search-result-sep", " › "));
      head.append(element("span", "search-result-parent", result.parent));
    }
    if (result.heading) {
      head.append(element("span", "search-result-sep", " › "));
      head.append(element("span", "search-result-heading", result.heading));
    }
    link.append(head);
    if (result.section) link.append(element("span", "search-result-section", result.section));
    const text = element("span", "search-result-snippet");
    for (const part of result.snippet) text.append(part.mark ? element("mark", "", part.text) : part.text);
    link.append(text);
    return link;
  }

  function countMessage(total, query) {
    if (!query.trim()) return "";
    if (total === 0) return "No results for “" + query + "”";
    return total === 1 ? "1 result" : total + " results";
  }

  /** The header box: a combobox with a listbox of results. */
  function setUpBox(input) {
    const list = document.getElementById(input.getAttribute("aria-controls"));
    const status = input.form.querySelector(".search-status");
    let active = -1;
    let current = 0;

    function options() {
      return [...list.querySelectorAll("[role=option]")];
    }

    function setActive(index) {
      const items = options();
      active = items.length ? (index + items.length) % items.length : -1;
      items.forEach((item, i) => item.setAttribute("aria-selected", String(i === active)));
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", items[active].id);
        items[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    async function run() {
      const query = input.value;
      const ticket = ++current;
      if (!query.trim()) {
        list.replaceChildren();
        status.textContent = "";
        close();
        return;
      }
      let found;
      try {
        found = await (await loadEngine()).search(query, { limit: DROPDOWN_RESULTS });
      } catch (error) {
        status.textContent = error.message;
        return;
      }
      if (ticket !== current) return;
      list.replaceChildren(
        ...found.results.map((result, i) => {
          const item = element("li", "search-result");
          item.id = list.id + "-" + i;
          item.setAttribute("role", "option");
          item.setAttribute("aria-selected", "false");
          const link = element("a", "search-result-link");
          link.href = resultUrl(result, found.words);
          link.tabIndex = -1;
          item.append(resultBody(result, link));
          return item;
        })
      );
      if (found.total > found.results.length) {
        const more = element("li", "search-more");
        const link = element("a", "", "All " + found.total + " results");
        link.href = input.form.action + "?q=" + encodeURIComponent(query);
        link.tabIndex = -1;
        more.append(link);
        list.append(more);
      }
      status.textContent = countMessage(found.total, query);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      setActive(found.results.length ? 0 : -1);
    }

    input.addEventListener("focus", () => loadEngine().catch((e) => (status.textContent = e.message)), { once: true });
    input.addEventListener("input", run);
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden && input.value.trim()) run();
        else setActive(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        location.href = options()[active].querySelector("a").href;
      } else if (event.key === "Escape") {
        // Chromium clears a type=search box on Esc; the first Esc only closes the list.
        if (list.hidden) input.blur();
        else event.preventDefault();
        close();
      }
    });
    list.addEventListener("mousedown", (event) => event.preventDefault());
    input.addEventListener("blur", close);
  }

  /** The /search/ page: results for ?q=, kept in the URL as the query changes. */
  function setUpPage(input, list) {
    const status = document.querySelector(".search-page-status");
    let current = 0;
    async function run() {
      const query = input.value;
      const ticket = ++current;
      const url = new URL(location.href);
      url.searchParams.set("q", query);
      history.replaceState(null, "", url);
      if (!query.trim()) {
        list.replaceChildren();
        status.textContent = "";
        return;
      }
      const found = await (await loadEngine()).search(query, { limit: PAGE_RESULTS });
      if (ticket !== current) return;
      list.replaceChildren(
        ...found.results.map((result) => {
          const item = element("li", "search-result");
          const link = element("a", "search-result-link");
          link.href = resultUrl(result, found.words);
          item.append(resultBody(result, link));
          return item;
        })
      );
      status.textContent = countMessage(found.total, query);
    }
    input.value = new URLSearchParams(location.search).get("q") || "";
    input.addEventListener("input", run);
    input.form.addEventListener("submit", (event) => {
      event.preventDefault();
      run();
    });
    if (input.value) run().catch((e) => (status.textContent = e.message));
  }

  /** Wraps the words of ?highlight= in <mark> inside <main>. */
  function highlight(words) {
    const main = document.querySelector("main");
    if (!main || !words.length) return;
    const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    // Match words as written: case-insensitively, and allowing marks after each letter.
    const pattern = new RegExp(
      "(?<![\\p{L}\\p{N}])(?:" + escaped.map((w) => [...w].join("\\p{M}*")).join("|") + ")\\p{M}*(?![\\p{L}\\p{N}])",
      "giu"
    );
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        node.parentElement.closest("script, style, mark, pre") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const text = node.nodeValue.normalize("NFD");
      pattern.lastIndex = 0;
      if (!pattern.test(text)) continue;
      pattern.lastIndex = 0;
      const parts = [];
      let at = 0;
      for (const m of text.matchAll(pattern)) {
        parts.push(text.slice(at, m.index).normalize("NFC"));
        parts.push(element("mark", "search-highlight", m[0].normalize("NFC")));
        at = m.index + m[0].length;
      }
      parts.push(text.slice(at).normalize("NFC"));
      node.replaceWith(...parts);
    }
  }

  function start() {
    const box = document.querySelector(".site-search-input");
    if (box) setUpBox(box);
    const pageInput = document.querySelector(".search-page-input");
    const pageList = document.querySelector(".search-page-results");
    if (pageInput && pageList) setUpPage(pageInput, pageList);
    const words = new URLSearchParams(location.search).get("highlight");
    if (words) highlight(words.split(/\s+/).filter(Boolean));
    document.addEventListener("keydown", (event) => {
      const target = event.target;
      const typing = target.closest && target.closest("input, textarea, select, [contenteditable]");
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        const input = pageInput || box;
        if (input) {
          event.preventDefault();
          input.focus();
          input.select();
        }
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
