import test from "node:test";
import assert from "node:assert/strict";
import livereload from "./livereload.js";

const { affects, changedSince } = livereload;

test("a reload lists pages with or without their trailing slash; null means every page", () => {
  assert.equal(affects(["/a/b/"], "/a/b/"), true);
  assert.equal(affects(["/a/b/"], "/a/b"), true);
  assert.equal(affects(["/a/c/"], "/a/b/"), false);
  assert.equal(affects([], "/a/b/"), false);
  assert.equal(affects(null, "/a/b/"), true);
});

test("a page loaded from a preview stays when the rebuild after it did not change it", () => {
  // Generation 5 served the page's preview; generation 6 was the whole rebuild.
  const hello = {
    generation: 6,
    recent: [
      { generation: 5, pages: ["/notes/edited/"] },
      { generation: 6, pages: ["/notes/quiz/"] },
    ],
  };
  assert.equal(changedSince(hello, 5, "/notes/edited/"), false);
  assert.equal(changedSince(hello, 6, "/notes/edited/"), false);
  // A page loaded before the preview reloads.
  assert.equal(changedSince(hello, 4, "/notes/edited/"), true);
  // A page the rebuild changed reloads.
  assert.equal(changedSince(hello, 5, "/notes/quiz/"), true);
});

test("a generation the hello no longer lists, or one that changed every page, reloads", () => {
  const hello = { generation: 9, recent: [{ generation: 9, pages: [] }] };
  assert.equal(changedSince(hello, 8, "/a/"), false);
  assert.equal(changedSince(hello, 7, "/a/"), true, "generation 8 is not listed");
  const all = { generation: 3, recent: [{ generation: 3, pages: null }] };
  assert.equal(changedSince(all, 2, "/a/"), true);
  // An old server's hello without a list: any newer generation reloads.
  assert.equal(changedSince({ generation: 3 }, 2, "/a/"), true);
  assert.equal(changedSince({ generation: 3 }, 3, "/a/"), false);
});
