// Live reload for `studysite serve`. The server adds this script to every HTML
// response (a build never contains it) and serves it from memory.
//
// It listens on a WebSocket for JSON messages:
//   {type: "hello", generation, instance, recent}
//                                          reload if the server restarted, or if a
//                                          generation since this page's changed it
//                                          (recent: [{generation, pages}], the last few)
//   {type: "reload", generation, pages}     reload if this page is listed (pages null: all)
//   {type: "css", generation, hrefs}        swap these stylesheets in place
//   {type: "error", message, file, line}    show the build error as an overlay
//   {type: "ok", generation}                remove the overlay
// Scroll position survives a reload (sessionStorage); the socket reconnects
// with back-off when the server restarts.
(function () {
  "use strict";

  // Whether a message's `pages` (null: all) include the page at path `here`.
  function affects(pages, here) {
    if (!pages) return true;
    return pages.some(function (page) {
      return page === here || page === here + "/";
    });
  }

  // Whether a build after `generation`, the page's, changed the page at
  // `here`; a generation the hello no longer lists counts as a change.
  function changedSince(hello, generation, here) {
    if (hello.generation < generation) return true;
    for (var g = generation + 1; g <= hello.generation; g++) {
      var changed = (hello.recent || []).find(function (c) { return c.generation === g; });
      if (!changed || affects(changed.pages, here)) return true;
    }
    return false;
  }

  var script = document.currentScript;
  var generation = Number(script.dataset.generation);
  var instance = script.dataset.instance;
  var scrollKey = "studysite:scroll:" + location.pathname;
  var overlayId = "studysite-error-overlay";
  var retryDelay = 250;
  // A handshake the server has not answered by then is given up and tried again:
  // the browser lets one WebSocket per host be connecting at a time, so one lost
  // handshake would leave this page, and every page opened after it, without
  // live reload.
  var HANDSHAKE_TIMEOUT = 3000;

  function restoreScroll() {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved === null) return;
    sessionStorage.removeItem(scrollKey);
    var y = Number(saved);
    var apply = function () { window.scrollTo(0, y); };
    if (document.readyState === "complete") apply();
    else window.addEventListener("load", apply);
  }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, String(window.scrollY));
    } catch (e) {
      // Storage full or disabled: reload without keeping the position.
    }
    location.reload();
  }

  function currentPath() {
    try {
      return decodeURI(location.pathname);
    } catch (e) {
      return location.pathname;
    }
  }

  function swapStylesheets(hrefs) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    hrefs.forEach(function (href) {
      var target = new URL(href, location.href);
      links.forEach(function (link) {
        if (new URL(link.href, location.href).pathname !== target.pathname) return;
        var fresh = link.cloneNode();
        fresh.href = target.href;
        fresh.addEventListener("load", function () { link.remove(); });
        link.after(fresh);
      });
    });
  }

  function showError(error) {
    clearError();
    var box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,24,.94);color:#f6f6f6;font:14px/1.5 ui-monospace,monospace;";
    var title = document.createElement("h2");
    title.textContent = "Build failed — still showing the last good build";
    title.style.cssText = "margin:0 0 .5rem;color:#ff8a80;font:600 18px/1.3 system-ui,sans-serif;";
    box.appendChild(title);
    if (error.file) {
      var where = document.createElement("p");
      where.className = "studysite-error-location";
      where.textContent = error.file + (error.line ? ":" + error.line : "");
      where.style.cssText = "margin:0 0 1rem;color:#ffd180;";
      box.appendChild(where);
    }
    var message = document.createElement("pre");
    message.className = "studysite-error-message";
    message.textContent = error.message;
    message.style.cssText = "white-space:pre-wrap;margin:0;";
    box.appendChild(message);
    var hint = document.createElement("p");
    hint.textContent = "Fix the file and save: this overlay goes away by itself.";
    hint.style.cssText = "margin-top:1rem;opacity:.7;font-family:system-ui,sans-serif;";
    box.appendChild(hint);
    (document.body || document.documentElement).appendChild(box);
  }

  function clearError() {
    var box = document.getElementById(overlayId);
    if (box) box.remove();
  }

  function handle(msg) {
    switch (msg.type) {
      case "hello":
        if (msg.instance !== instance || changedSince(msg, generation, currentPath())) reload();
        else generation = msg.generation;
        break;
      case "reload":
        generation = msg.generation;
        if (affects(msg.pages, currentPath())) reload();
        break;
      case "css":
        generation = msg.generation;
        swapStylesheets(msg.hrefs);
        break;
      case "error":
        showError(msg);
        break;
      case "ok":
        generation = msg.generation;
        clearError();
        break;
    }
  }

  function connect() {
    var url = new URL("livereload", script.src);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    var socket = new WebSocket(url.href);
    var stalled = setTimeout(function () { socket.close(); }, HANDSHAKE_TIMEOUT);
    socket.onopen = function () { clearTimeout(stalled); retryDelay = 250; };
    socket.onmessage = function (event) { handle(JSON.parse(event.data)); };
    socket.onclose = function () {
      clearTimeout(stalled);
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 2000);
    };
  }

  restoreScroll();
  connect();
})();
