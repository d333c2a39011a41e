// Colour scheme: the reader's choice (localStorage) wins over the system preference.
// Loaded in <head> without defer so the page never flashes the wrong scheme.
(function () {
  "use strict";
  var KEY = "studysite-theme";
  var root = document.documentElement;
  root.classList.add("js");
  var stored = null;
  try { stored = localStorage.getItem(KEY); } catch (e) { /* storage may be blocked */ }
  if (stored === "dark" || stored === "light") root.setAttribute("data-theme", stored);

  function isDark() {
    var chosen = root.getAttribute("data-theme");
    if (chosen) return chosen === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  function sync(button) {
    button.setAttribute("aria-pressed", String(isDark()));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".theme-toggle");
    if (toggle) {
      sync(toggle);
      toggle.addEventListener("click", function () {
        var next = isDark() ? "light" : "dark";
        root.setAttribute("data-theme", next);
        try { localStorage.setItem(KEY, next); } catch (e) { /* keep working without storage */ }
        sync(toggle);
      });
    }
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
