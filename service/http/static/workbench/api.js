// How the workbench's pages ask the API. A key, when the ledger wants one, is asked for the
// first time a request is refused without it and kept in this browser session only; a
// refused answer becomes an error that says which field was at fault.
(function () {
  "use strict";

  const STORED = "claimledger-key";

  function headers(extra) {
    const key = window.sessionStorage.getItem(STORED);
    const given = Object.assign({}, extra);
    if (key) given.authorization = "Bearer " + key;
    return given;
  }

  function ask(writing) {
    const key = window.prompt(writing
      ? "Recording this needs a key that may write. Key:"
      : "This ledger gives this to callers with a key. Key:");
    if (key) window.sessionStorage.setItem(STORED, key.trim());
    return Boolean(key);
  }

  async function call(path, options) {
    const asked = options || {};
    const method = asked.method || "GET";
    const send = () => fetch(path, { method, headers: headers(asked.headers), body: asked.body });
    let response = await send();
    const writing = method !== "GET";
    if ((response.status === 401 || (writing && response.status === 403)) && ask(writing)) {
      response = await send();
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      const fields = (problem.errors || []).map((e) => `${e.field}: ${e.message}`).join("; ");
      throw new Error(fields || problem.detail || problem.title || response.statusText);
    }
    return response.json();
  }

  // A stored article; its body is withheld from callers without a key when the ledger
  // keeps bodies to keyed callers, so one is asked for then.
  async function article(id) {
    let found = await call("/articles/" + encodeURIComponent(id));
    if (found.body === null && !window.sessionStorage.getItem(STORED) && ask(false)) {
      found = await call("/articles/" + encodeURIComponent(id));
    }
    if (found.body === null) throw new Error("the article's text goes to callers with a key");
    return found;
  }

  function post(path, body) {
    return call(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  // An article's body with the quote at [start, end) marked. Offsets are Unicode code
  // points, as stored; JavaScript strings count UTF-16 units.
  function highlighted(body, start, end) {
    const points = Array.from(body);
    const box = document.createElement("div");
    box.className = "article";
    const mark = document.createElement("mark");
    mark.textContent = points.slice(start, end).join("");
    box.append(points.slice(0, start).join(""), mark, points.slice(end).join(""));
    return box;
  }

  window.claimledgerApi = { call, post, article, highlighted };
})();
