// The review queue: GET /reviews, least confident first. Each item opens onto its article
// with the quote marked, and three verdicts, each one request and one event: confirm
// (POST /claims/{id}/reviews), reject with a reason (the same, "rejected"), or correct
// (reject, then POST /articles/{id}/claims with the claim as it should have been read).
(function () {
  "use strict";

  const PAGE = 50;
  const SIDES = ["russia", "ukraine", "third_party", "media"];
  const KINDS = ["control", "partial_control", "advance", "encirclement", "withdrawal", "repelled"];
  const api = window.claimledgerApi;
  const form = document.getElementById("filters");
  const status = document.getElementById("status");
  const queue = document.getElementById("queue");
  const more = document.getElementById("more");
  const main = document.getElementById("review");
  let nextOffset = null;

  function reviewer() {
    const by = form.by.value.trim();
    if (!by) {
      form.by.focus();
      throw new Error("say who reviews: fill in Reviewer first");
    }
    window.sessionStorage.setItem("claimledger-reviewer", by);
    return by;
  }

  function labelled(text, control) {
    const label = document.createElement("label");
    label.append(text + " ", control);
    return label;
  }

  function input(name, value, attributes) {
    const made = document.createElement("input");
    made.name = name;
    made.value = value === null || value === undefined ? "" : String(value);
    Object.assign(made, attributes || {});
    return made;
  }

  function choice(name, values, chosen) {
    const made = document.createElement("select");
    made.name = name;
    for (const value of values) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = value.replace("_", " ");
      option.selected = value === chosen;
      made.append(option);
    }
    return made;
  }

  function button(text, action) {
    const made = document.createElement("button");
    made.type = "button";
    made.textContent = text;
    made.addEventListener("click", action);
    return made;
  }

  function described(item) {
    const share = item.extent ? ` (${Math.round(item.extent * 100)} %)` : "";
    return `${item.place_name || item.place_id}: ${item.claimant_side} says ` +
      `${item.kind.replace("_", " ")}${share} by ${item.actor_side}, claimed on ${item.claimed_on}`;
  }

  function settle(entry, message) {
    entry.classList.add("done");
    entry.querySelectorAll("button, input, select").forEach((control) => { control.disabled = true; });
    entry.querySelector(".outcome").textContent = message;
  }

  async function verdict(entry, item, body) {
    return api.post(`/claims/${item.claim_id}/reviews`, Object.assign({
      by: reviewer(), article_id: item.article_id,
    }, body));
  }

  function correction(entry, item) {
    const box = document.createElement("form");
    box.className = "correction";
    box.setAttribute("aria-label", "The claim as it should have been read");
    box.append(
      labelled("Place", input("place", item.place_name || item.place_id, { required: true, maxLength: 200 })),
      labelled("Claimant", input("claimant", item.claimant, { required: true, maxLength: 2000 })),
      labelled("Claimant side", choice("claimant_side", SIDES, item.claimant_side)),
      labelled("Forces of", choice("actor_side", SIDES, item.actor_side)),
      labelled("Kind", choice("kind", KINDS, item.kind)),
      labelled("Share (partial control)", input("extent", item.extent, { type: "number", min: 0.01, max: 1, step: 0.01 })),
      labelled("Claimed on", input("claimed_on", item.claimed_on, { type: "date", required: true })),
    );
    const save = document.createElement("button");
    save.type = "submit";
    save.textContent = "Record the correction";
    box.append(save);
    box.addEventListener("submit", async (event) => {
      event.preventDefault();
      const claim = {
        place: box.place.value.trim(), claimant: box.claimant.value.trim(),
        claimant_side: box.claimant_side.value, actor_side: box.actor_side.value,
        kind: box.kind.value, claimed_on: box.claimed_on.value, quote: item.quote,
      };
      if (claim.kind === "partial_control" && box.extent.value) claim.extent = Number(box.extent.value);
      try {
        await verdict(entry, item, { verdict: "rejected", reason: "corrected by the reviewer" });
        const recorded = await api.post(`/articles/${item.article_id}/claims`, { claims: [claim] });
        settle(entry, `Corrected: the reader's claim withdrawn, claim ${recorded.claim_ids[0]} recorded.`);
      } catch (error) {
        entry.querySelector(".outcome").textContent = "Not recorded: " + error.message;
      }
    });
    return box;
  }

  async function open(entry, item, opener) {
    opener.disabled = true;
    const outcome = entry.querySelector(".outcome");
    try {
      const article = await api.article(item.article_id);
      const reason = input("reason", "", { maxLength: 5000, placeholder: "why the article does not say this" });
      const actions = document.createElement("div");
      actions.className = "actions";
      actions.append(
        button("Confirm", async () => {
          try {
            const done = await verdict(entry, item, { verdict: "confirmed" });
            settle(entry, done.created ? "Confirmed." : "Already confirmed.");
          } catch (error) { outcome.textContent = "Not recorded: " + error.message; }
        }),
        labelled("Reason", reason),
        button("Reject", async () => {
          if (!reason.value.trim()) {
            outcome.textContent = "A rejection needs a reason.";
            reason.focus();
            return;
          }
          try {
            const done = await verdict(entry, item, { verdict: "rejected", reason: reason.value.trim() });
            settle(entry, done.created ? "Rejected: withdrawn from the answers from now on." : "Already withdrawn.");
          } catch (error) { outcome.textContent = "Not recorded: " + error.message; }
        }),
        button("Correct...", (event) => {
          event.target.disabled = true;
          actions.after(correction(entry, item));
        }),
      );
      entry.querySelector(".details").append(
        api.highlighted(article.body, item.start, item.end), actions);
    } catch (error) {
      opener.disabled = false;
      outcome.textContent = "The article could not be loaded: " + error.message;
    }
  }

  function entryFor(item) {
    const entry = document.createElement("li");
    entry.dataset.claim = item.claim_id;
    entry.dataset.article = item.article_id;
    const title = document.createElement("strong");
    title.textContent = described(item);
    const facts = document.createElement("div");
    facts.textContent = `confidence ${item.confidence}; ${item.claimant}, in ` +
      `${item.outlet || "an unknown outlet"} of ${item.published_on || "no date"}; ` +
      `read by ${item.recorded_by}`;
    const quote = document.createElement("q");
    quote.textContent = item.quote;
    const details = document.createElement("div");
    details.className = "details";
    const outcome = document.createElement("p");
    outcome.className = "outcome";
    outcome.setAttribute("role", "status");
    const opener = button("Review", () => open(entry, item, opener));
    entry.append(title, facts, quote, " ", opener, details, outcome);
    return entry;
  }

  function asked(offset) {
    const params = new URLSearchParams();
    for (const name of ["place", "from", "to"]) {
      if (form[name].value) params.set(name, form[name].value.trim());
    }
    params.set("limit", String(PAGE));
    params.set("offset", String(offset));
    return params;
  }

  async function load(offset) {
    const params = asked(offset);
    const shown = new URLSearchParams(params);
    shown.delete("limit");
    shown.delete("offset");
    window.history.replaceState(null, "", "?" + shown);
    status.textContent = "Loading...";
    try {
      const page = await api.call("/reviews?" + params);
      if (offset === 0) queue.replaceChildren();
      queue.append(...page.items.map(entryFor));
      nextOffset = page.next_offset;
      more.hidden = nextOffset === null;
      const count = queue.children.length;
      status.textContent = count
        ? `${count}${nextOffset === null ? "" : "+"} pieces of evidence await review.`
        : "Nothing awaits review.";
    } catch (error) {
      status.textContent = "The queue could not be loaded: " + error.message;
    }
    main.dataset.loaded = shown.toString() || "all";
  }

  const given = new URLSearchParams(window.location.search);
  for (const name of ["place", "from", "to"]) form[name].value = given.get(name) || "";
  form.by.value = window.sessionStorage.getItem("claimledger-reviewer") || "";
  form.addEventListener("submit", (event) => { event.preventDefault(); load(0); });
  more.addEventListener("click", () => load(nextOffset));
  load(0);
})();
