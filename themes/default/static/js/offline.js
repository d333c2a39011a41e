// "Save for offline" on the home page: lists what the site's offline.json
// offers (the home page and scripts, the practice pages, the search index,
// each section), with sizes, and saves a choice into the service worker's
// cache for this build. After a new deploy the worker starts an empty cache;
// the next visit here saves the same choice again.
(function () {
  "use strict";

  const box = document.querySelector(".offline-save");
  const underServe = document.querySelector("script[data-generation]");
  if (!box || underServe || !("serviceWorker" in navigator) || !("caches" in window)) return;
  if (!/^https?:$/.test(location.protocol)) return;
  const root = new URL(document.documentElement.dataset.root || "./", location.href);
  const SAVED = "studysite-offline-saved";
  const PARALLEL = 6;
  const status = box.querySelector(".offline-status");

  function megabytes(bytes) {
    const mb = bytes / 1e6;
    return mb < 0.1 ? "under 0.1 MB" : `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
  }

  function remembered() {
    try {
      return JSON.parse(localStorage.getItem(SAVED)) || null;
    } catch (e) {
      return null;
    }
  }

  function remember(version, ids) {
    try {
      localStorage.setItem(SAVED, JSON.stringify({ version, ids, at: Date.now() }));
    } catch (e) {
      /* storage blocked: the files are saved, only the re-save after a deploy is lost */
    }
  }

  /** Saves `groups`' files into this build's cache, a few at a time, reporting progress. */
  async function save(list, groups) {
    const cache = await caches.open("studysite-" + list.version);
    const queue = groups.flatMap((group) => group.files);
    const total = queue.length;
    let done = 0;
    let failed = 0;
    async function worker() {
      while (queue.length) {
        const url = new URL(queue.shift(), root).href;
        try {
          const response = await fetch(url, { cache: "no-cache" });
          if (response.ok) await cache.put(url, response);
          else failed++;
        } catch (e) {
          failed++;
        }
        done++;
        if (done % 25 === 0 || done === total) status.textContent = `Saving: ${done} of ${total} files…`;
      }
    }
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const previous = remembered();
    const ids = new Set(previous && previous.version === list.version ? previous.ids : []);
    for (const group of groups) ids.add(group.id);
    remember(list.version, [...ids]);
    const bytes = groups.reduce((sum, group) => sum + group.bytes, 0);
    status.textContent = failed
      ? `Saved ${total - failed} of ${total} files; ${failed} could not be fetched. Try again when the connection is better.`
      : `Saved ${megabytes(bytes)} for offline use: ${total} files.`;
  }

  function button(label, onClick, name) {
    const node = document.createElement("button");
    node.type = "button";
    node.textContent = label;
    if (name) node.setAttribute("aria-label", name);
    node.addEventListener("click", onClick);
    return node;
  }

  function render(list) {
    const everything = list.groups.reduce((sum, group) => sum + group.bytes, 0);
    const run = (groups) => async () => {
      for (const b of box.querySelectorAll("button")) b.disabled = true;
      await save(list, groups);
      for (const b of box.querySelectorAll("button")) b.disabled = false;
    };
    const all = box.querySelector(".offline-all");
    all.append(button(`Save everything (${megabytes(everything)})`, run(list.groups)));
    const items = box.querySelector(".offline-groups");
    const shell = list.groups.filter((group) => group.id === "site");
    for (const group of list.groups) {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = `${group.title}, ${megabytes(group.bytes)}`;
      // A section needs the home page, styles and scripts to be read offline.
      const chosen = group.id === "site" ? [group] : shell.concat(group);
      item.append(name, " ", button("Save", run(chosen), `Save ${group.title}`));
      items.append(item);
    }
    box.hidden = false;
  }

  async function start() {
    let list;
    try {
      list = await (await fetch(new URL("offline.json", root), { cache: "no-store" })).json();
    } catch (e) {
      return; // offline now, or no offline.json (a site built before it existed)
    }
    render(list);
    const saved = remembered();
    if (saved && saved.version !== list.version) {
      const groups = list.groups.filter((group) => saved.ids.includes(group.id));
      if (groups.length) {
        status.textContent = "The site changed since you saved it: saving the new version…";
        await save(list, groups);
      }
    } else if (saved) {
      status.textContent = `Saved for offline use on ${new Date(saved.at).toLocaleDateString()}.`;
    }
  }

  start();
})();
