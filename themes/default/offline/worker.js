// The service worker (`sw.js`; the build prepends `const VERSION`). One cache
// per build, named by its version: installing a new build's worker deletes
// every older cache, so saved pages never mix two builds.
//
// Every request goes to the network first, so an online learner always gets
// the current files (and the browser's HTTP cache keeps them fast); each answer
// is kept, and offline the kept copy answers. Pages are kept without their
// query (?highlight=, ?from=), as "Save for offline" saves them.
"use strict";

const CACHE = "studysite-" + VERSION;
const ROOT = new URL("./", self.location.href).href;
/** What every page needs, kept at install: the home page, styles and scripts. */
const SHELL_GROUP = "site";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const list = await (await fetch(ROOT + "offline.json", { cache: "no-store" })).json();
      const shell = list.groups.find((group) => group.id === SHELL_GROUP);
      if (shell) await cache.addAll(shell.files.map((file) => ROOT + file));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("studysite-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(ROOT)) return;
  event.respondWith(answer(request));
});

async function answer(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(keyOf(request), response.clone());
    return response;
  } catch (offline) {
    const kept = (await cache.match(keyOf(request))) || (await cache.match(request.url, { ignoreSearch: true }));
    if (kept) return kept;
    if (request.mode === "navigate") return notSaved();
    throw offline;
  }
}

function notSaved() {
  const home = ROOT;
  const html = `<!DOCTYPE html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline</title>
<main style="font: 1.1rem/1.5 system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem">
<h1>You are offline</h1><p>This page was not saved for offline use. <a href="${home}">Go to the home page</a>, or save the site with "Save for offline" there when you are back online.</p></main>`;
  return new Response(html, { status: 503, headers: { "content-type": "text/html; charset=utf-8" } });
}

/** Pages without their query; other files exactly as asked for. */
function keyOf(request) {
  if (request.mode !== "navigate") return request;
  const url = new URL(request.url);
  url.search = "";
  url.hash = "";
  return url.href;
}
