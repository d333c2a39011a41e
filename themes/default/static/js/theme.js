// Colour scheme: light, dark, or following the system (the default). The reader's
// choice is kept in localStorage; "system" keeps nothing. Loaded in <head> without
// defer so the page never flashes the wrong scheme.
(function () {
  "use strict";
  var KEY = "studysite-theme";
  var LABELS = { system: "System", light: "Light", dark: "Dark" };
  var root = document.documentElement;
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  root.classList.add("js");

  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; /* storage may be blocked */ }
  }

  function current() {
    var choice = root.getAttribute("data-theme-choice");
    return LABELS[choice] ? choice : "system";
  }

  function systemDark() {
    return Boolean(media && media.matches);
  }

  /** Sets the scheme; data-theme only when it overrides the system. */
  function apply(choice) {
    if (choice === "light" || choice === "dark") root.setAttribute("data-theme", choice);
    else root.removeAttribute("data-theme");
    root.setAttribute("data-theme-choice", LABELS[choice] ? choice : "system");
  }

  /** The next choice: from system, first the opposite of what shows, so each click changes something. */
  function next(choice) {
    var opposite = systemDark() ? "light" : "dark";
    var same = systemDark() ? "dark" : "light";
    if (choice === "system") return opposite;
    return choice === opposite ? same : "system";
  }

  function describe(choice) {
    if (choice !== "system") return LABELS[choice].toLowerCase();
    return "system (" + (systemDark() ? "dark" : "light") + ")";
  }

  function sync(button) {
    var choice = current();
    button.querySelector(".theme-toggle-label").textContent = LABELS[choice];
    button.title = "Colours: " + describe(choice) + ". Click for " + describe(next(choice)) + ".";
  }

  /**
   * Printing shows quiz answers and mnemonic expansions. The print stylesheet opens
   * them where ::details-content is known; elsewhere they are opened for the print
   * and closed again after it.
   */
  function openForPrint() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      var closed = document.querySelectorAll("details.quiz-answer:not([open]), details.mnemonic-reveal:not([open])");
      for (var i = 0; i < closed.length; i++) {
        closed[i].open = true;
        opened.push(closed[i]);
      }
    });
    window.addEventListener("afterprint", function () {
      while (opened.length) opened.pop().open = false;
    });
  }

  /**
   * The table of contents: folded above the note on narrow screens; open beside it
   * on wide ones, with the link of the section being read marked aria-current.
   */
  function setUpToc() {
    var details = document.querySelector(".toc-details");
    if (!details) return;
    var narrow = window.matchMedia ? window.matchMedia("(max-width: 1100px)") : null;
    if (!narrow || !narrow.matches) details.open = true;
    var targets = [];
    var links = details.querySelectorAll(".toc a[href^='#']");
    for (var i = 0; i < links.length; i++) {
      var heading = document.getElementById(decodeURIComponent(links[i].getAttribute("href").slice(1)));
      if (heading) targets.push({ link: links[i], heading: heading });
    }
    var pending = false;
    function mark() {
      pending = false;
      // The last heading scrolled past the sticky header is the one being read.
      var line = 100;
      var current = null;
      for (var j = 0; j < targets.length; j++) {
        if (targets[j].heading.getBoundingClientRect().top <= line) current = targets[j];
        else break;
      }
      for (var k = 0; k < targets.length; k++) {
        if (targets[k] === current) targets[k].link.setAttribute("aria-current", "location");
        else targets[k].link.removeAttribute("aria-current");
      }
    }
    window.addEventListener("scroll", function () {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(mark);
      }
    }, { passive: true });
    mark();
  }

  /** From disk a folder URL shows a directory listing: name the folder's index.html. */
  function withIndex(url) {
    var parsed = new URL(url, location.href);
    if (parsed.protocol === "file:" && parsed.pathname.slice(-1) === "/") parsed.pathname += "index.html";
    return parsed.href;
  }

  /** Opened from file://, links and forms to folders go to their index.html,
   * including links that scripts add later (checked as they are clicked). */
  function openFoldersFromDisk() {
    if (location.protocol !== "file:") return;
    var links = document.querySelectorAll("a[href]:not([href^='#'])");
    for (var i = 0; i < links.length; i++) links[i].href = withIndex(links[i].href);
    var forms = document.querySelectorAll("form[action]");
    for (var j = 0; j < forms.length; j++) forms[j].action = withIndex(forms[j].action);
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      if (link) link.href = withIndex(link.href);
    }, true);
  }

  /** The service worker keeps visited pages for offline use; not from disk,
   * where it cannot run, nor under `studysite serve`, whose live reload
   * (the script it adds) must always get fresh pages. */
  function registerWorker() {
    var live = document.querySelector("script[data-generation]");
    if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol) || live) return;
    var siteRoot = new URL(root.dataset.root || "./", location.href);
    navigator.serviceWorker.register(new URL("sw.js", siteRoot).href, { scope: siteRoot.href }).catch(function () {
      /* no worker (private window, blocked): the site works online as before */
    });
  }

  apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".theme-toggle");
    if (toggle) {
      sync(toggle);
      toggle.addEventListener("click", function () {
        var choice = next(current());
        apply(choice);
        try {
          if (choice === "system") localStorage.removeItem(KEY);
          else localStorage.setItem(KEY, choice);
        } catch (e) { /* keep working without storage */ }
        sync(toggle);
      });
      if (media && media.addEventListener) media.addEventListener("change", function () { sync(toggle); });
    }
    openForPrint();
    openFoldersFromDisk();
    registerWorker();
    setUpToc();
    var navToggle = document.querySelector(".nav-toggle");
    var sidebar = document.getElementById("sidebar");
    if (navToggle && sidebar) {
      navToggle.addEventListener("click", function () {
        var open = navToggle.getAttribute("aria-expanded") !== "true";
        navToggle.setAttribute("aria-expanded", String(open));
        sidebar.classList.toggle("is-open", open);
      });
    }
  });
})();
