// Unit tests for livereload.js without a browser: the script runs in a `vm`
// context with a fake document, location, sessionStorage, WebSocket and timers,
// and the tests feed it server messages.
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const SOURCE = readFileSync(new URL("./livereload.js", import.meta.url), "utf8");

/** Runs livereload.js as if served on `path`; returns the fakes it touched. */
function load({ path = "/a/b/", generation = 3, instance = "one", storage = {} } = {}) {
  const world = { reloads: 0, sockets: [], timers: [], scrolledTo: null, appended: [], removed: [] };
  const store = { ...storage };
  const body = {
    appendChild: (node) => world.appended.push(node),
  };
  function element(tag) {
    const node = {
      tag,
      style: {},
      children: [],
      attributes: {},
      setAttribute(name, value) {
        this.attributes[name] = value;
      },
      appendChild(child) {
        this.children.push(child);
      },
      remove() {
        world.removed.push(this);
        world.appended = world.appended.filter((n) => n !== this);
      },
    };
    return node;
  }
  class FakeSocket {
    constructor(url) {
      this.url = url;
      this.closed = false;
      world.sockets.push(this);
    }
    close() {
      this.closed = true;
      this.onclose();
    }
  }
  const window = {
    scrollY: 420,
    scrollTo: (x, y) => (world.scrolledTo = y),
    addEventListener: () => {},
  };
  const context = {
    window,
    document: {
      currentScript: { src: "http://127.0.0.1:8080/__studysite/livereload.js", dataset: { generation: String(generation), instance } },
      readyState: "complete",
      body,
      createElement: element,
      getElementById: (id) => world.appended.find((n) => n.id === id) || null,
      querySelectorAll: () => [],
    },
    location: {
      href: `http://127.0.0.1:8080${path}`,
      pathname: path,
      reload: () => world.reloads++,
    },
    sessionStorage: {
      getItem: (k) => (k in store ? store[k] : null),
      setItem: (k, v) => (store[k] = String(v)),
      removeItem: (k) => delete store[k],
    },
    WebSocket: FakeSocket,
    URL,
    setTimeout: (fn, ms) => {
      const timer = { fn, ms };
      world.timers.push(timer);
      return timer;
    },
    clearTimeout: (timer) => (world.timers = world.timers.filter((t) => t !== timer)),
    decodeURI,
  };
  vm.runInNewContext(SOURCE, context);
  world.store = store;
  world.send = (msg) => world.sockets.at(-1).onmessage({ data: JSON.stringify(msg) });
  return world;
}

test("connects to the live-reload channel beside its script", () => {
  const world = load();
  assert.equal(world.sockets.length, 1);
  assert.equal(world.sockets[0].url, "ws://127.0.0.1:8080/__studysite/livereload");
});

test("a reload listing this page reloads it and saves the scroll position", () => {
  const world = load({ path: "/a/b/" });
  world.send({ type: "reload", generation: 4, pages: ["/x/", "/a/b/"] });
  assert.equal(world.reloads, 1);
  assert.equal(world.store["studysite:scroll:/a/b/"], "420");
});

test("a reload of other pages leaves this one alone; pages null reloads every page", () => {
  const world = load({ path: "/a/b/" });
  world.send({ type: "reload", generation: 4, pages: ["/a/", "/a/b/c/"] });
  assert.equal(world.reloads, 0);
  world.send({ type: "reload", generation: 5, pages: null });
  assert.equal(world.reloads, 1);
});

test("a page URL without its trailing slash and percent-encoded paths still match", () => {
  const bare = load({ path: "/a/b" });
  bare.send({ type: "reload", generation: 4, pages: ["/a/b/"] });
  assert.equal(bare.reloads, 1);
  const encoded = load({ path: "/caf%C3%A9/" });
  encoded.send({ type: "reload", generation: 4, pages: ["/café/"] });
  assert.equal(encoded.reloads, 1);
});

test("hello without a list of recent changes reloads when a build was missed or the server restarted", () => {
  const same = load({ generation: 3, instance: "one" });
  same.send({ type: "hello", generation: 3, instance: "one" });
  assert.equal(same.reloads, 0);
  const missed = load({ generation: 3, instance: "one" });
  missed.send({ type: "hello", generation: 4, instance: "one" });
  assert.equal(missed.reloads, 1);
  const restarted = load({ generation: 3, instance: "one" });
  restarted.send({ type: "hello", generation: 3, instance: "two" });
  assert.equal(restarted.reloads, 1);
});

test("a page loaded from a preview stays when the hello says the rebuild after it left the page alone", () => {
  // Generation 5 served the edited page's preview; generation 6 was the whole rebuild.
  const recent = [
    { generation: 5, pages: ["/notes/edited/"] },
    { generation: 6, pages: ["/notes/quiz/"] },
  ];
  const edited = load({ path: "/notes/edited/", generation: 5 });
  edited.send({ type: "hello", generation: 6, instance: "one", recent });
  assert.equal(edited.reloads, 0);
  // Its generation is now 6: the next build's hello lists only what came after.
  edited.send({ type: "hello", generation: 7, instance: "one", recent: [{ generation: 7, pages: ["/x/"] }] });
  assert.equal(edited.reloads, 0);
  const quiz = load({ path: "/notes/quiz/", generation: 5 });
  quiz.send({ type: "hello", generation: 6, instance: "one", recent });
  assert.equal(quiz.reloads, 1, "the rebuild changed this page");
  const older = load({ path: "/notes/edited/", generation: 4 });
  older.send({ type: "hello", generation: 6, instance: "one", recent });
  assert.equal(older.reloads, 1, "loaded before the preview");
});

test("a hello that no longer lists a generation since the page's, or lists one that changed every page, reloads", () => {
  const gap = load({ path: "/a/", generation: 3 });
  gap.send({ type: "hello", generation: 5, instance: "one", recent: [{ generation: 5, pages: [] }] });
  assert.equal(gap.reloads, 1, "generation 4 is not listed");
  const all = load({ path: "/a/", generation: 3 });
  all.send({ type: "hello", generation: 4, instance: "one", recent: [{ generation: 4, pages: null }] });
  assert.equal(all.reloads, 1);
});

test("a reload message updates the generation, so a later hello does not reload again", () => {
  const world = load({ path: "/a/", generation: 3 });
  world.send({ type: "reload", generation: 4, pages: ["/other/"] });
  world.send({ type: "hello", generation: 4, instance: "one" });
  assert.equal(world.reloads, 0);
});

test("an error shows one overlay with file:line, and ok removes it", () => {
  const world = load();
  world.send({ type: "error", message: "bad front matter", file: "content/a.md", line: 3 });
  world.send({ type: "error", message: "still bad", file: "content/a.md", line: 4 });
  const overlays = world.appended.filter((n) => n.id === "studysite-error-overlay");
  assert.equal(overlays.length, 1);
  const where = overlays[0].children.find((c) => c.className === "studysite-error-location");
  assert.equal(where.textContent, "content/a.md:4");
  const message = overlays[0].children.find((c) => c.className === "studysite-error-message");
  assert.equal(message.textContent, "still bad");
  world.send({ type: "ok", generation: 4 });
  assert.equal(world.appended.length, 0);
  assert.equal(world.reloads, 0);
});

test("the scroll position saved before a reload is restored once", () => {
  const world = load({ path: "/a/", storage: { "studysite:scroll:/a/": "900" } });
  assert.equal(world.scrolledTo, 900);
  assert.equal(world.store["studysite:scroll:/a/"], undefined);
});

test("a handshake unanswered for three seconds is given up and tried again", () => {
  const world = load();
  const [stalled] = world.timers;
  assert.equal(stalled.ms, 3000);
  stalled.fn();
  assert.equal(world.sockets[0].closed, true);
  const retry = world.timers.shift();
  assert.equal(retry.ms, 250);
  retry.fn();
  assert.equal(world.sockets.length, 2);
  // Once open, the socket's handshake timer is gone: it is never closed for it.
  world.sockets[1].onopen();
  assert.deepEqual(world.timers, []);
});

test("a closed channel reconnects with a growing delay, capped at two seconds", () => {
  const world = load();
  const delays = [];
  for (let i = 0; i < 6; i++) {
    world.sockets.at(-1).onclose();
    const timer = world.timers.shift();
    delays.push(timer.ms);
    timer.fn();
  }
  assert.deepEqual(delays, [250, 500, 1000, 2000, 2000, 2000]);
  assert.equal(world.sockets.length, 7);
  world.sockets.at(-1).onopen();
  world.sockets.at(-1).onclose();
  assert.equal(world.timers.shift().ms, 250);
});
