// Printing: a closed <details> (a quiz answer, a mnemonic's expansion, a folded
// callout, a flashcard's back) prints only its summary in browsers without
// ::details-content, so every one is opened for the print and closed after it.
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    opened.forEach(function (details) { details.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });
})();
