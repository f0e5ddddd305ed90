// A place's page: its timeline drawn from GET /places/{id}/timeline, and its claims with
// their evidence from GET /places/{id}/claims; a quote is shown in its article on demand.
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const COLOURS = { russia: "#c01c28", ukraine: "#1a5fb4", third_party: "#26a269", media: "#777" };
  const form = document.getElementById("filters");
  const status = document.getElementById("status");
  const main = document.getElementById("place");
  const place = main.dataset.place;

  const api = window.claimledgerApi;
  const get = (path) => api.call(path);

  function element(name, attributes, text) {
    const made = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) made.setAttribute(key, value);
    if (text !== undefined) made.textContent = text;
    return made;
  }

  function day(text) {
    return Date.parse(text + "T00:00:00Z");
  }

  function drawTimeline(timeline, asOf) {
    const sides = Object.keys(timeline.sides);
    const claims = sides.flatMap((side) => timeline.sides[side]);
    const box = document.getElementById("timeline");
    box.replaceChildren();
    if (!claims.length) {
      box.textContent = "No claims about this place by then.";
      return;
    }
    const width = 900, left = 90, right = 20, row = 36, top = 10;
    const height = top + row * sides.length + 30;
    const first = Math.min(...claims.map((c) => day(c.claimed_on)));
    const last = Math.max(day(asOf), ...claims.map((c) => day(c.claimed_on)));
    const span = Math.max(last - first, 86400000);
    const x = (t) => left + ((t - first) / span) * (width - left - right);
    const svg = element("svg", {
      viewBox: `0 0 ${width} ${height}`, role: "img",
      "aria-label": `${claims.length} claims, ${timeline.contradictions.length} periods of contradiction`,
    });
    for (const period of timeline.contradictions) {
      const start = x(day(period.start));
      const end = x(period.end ? day(period.end) : last);
      const shade = element("rect", {
        class: "contradiction", x: start, y: top, width: Math.max(end - start, 2),
        height: row * sides.length,
      });
      shade.append(element("title", {}, `${period.start} to ${period.end || "now"}: ` +
        period.reasons.join("; ")));
      svg.append(shade);
    }
    sides.forEach((side, index) => {
      const y = top + row * index + row / 2;
      svg.append(element("text", { class: "row-label", x: 4, y: y + 4 }, side.replace("_", " ")));
      svg.append(element("line", { class: "axis", x1: left, x2: width - right, y1: y, y2: y }));
      for (const claim of timeline.sides[side]) {
        const cx = x(day(claim.claimed_on));
        const mark = element("circle", {
          cx, cy: y, r: 6, fill: COLOURS[claim.actor_side] || "#555",
          stroke: claim.status === "contested" ? "#e5a50a" : "#222",
          "stroke-width": claim.status === "contested" ? 3 : 1,
          class: "claim " + claim.status,
        });
        mark.append(element("title", {}, `${claim.claimed_on}: ${claim.kind.replace("_", " ")} ` +
          `by ${claim.actor_side}, claimed by ${side} (${claim.status})`));
        svg.append(mark);
        if (claim.status === "retracted") {
          svg.append(element("path", {
            d: `M${cx - 5} ${y - 5}L${cx + 5} ${y + 5}M${cx - 5} ${y + 5}L${cx + 5} ${y - 5}`,
            stroke: "#222", "stroke-width": 2,
          }));
        }
      }
    });
    const base = top + row * sides.length + 16;
    for (const [t, anchor] of [[first, "start"], [first + span / 2, "middle"], [last, "end"]]) {
      svg.append(element("text", { class: "tick", x: x(t), y: base, "text-anchor": anchor },
        new Date(t).toISOString().slice(0, 10)));
    }
    box.append(svg);
  }

  function reviewed(evidence) {
    if (evidence.review !== "confirmed") return "not reviewed yet";
    return evidence.reviewed_by ? `confirmed by ${evidence.reviewed_by}` : "an analyst's";
  }

  function claimItem(claim) {
    const item = document.createElement("li");
    item.className = claim.status;
    const title = document.createElement("strong");
    title.textContent = `${claim.claimant_side}: ${claim.kind.replace("_", " ")} by ` +
      `${claim.actor_side}, claimed on ${claim.claimed_on} (${claim.status})`;
    const facts = document.createElement("div");
    facts.textContent = `confidence ${claim.confidence}, ${claim.sources} source` +
      (claim.sources === 1 ? "" : "s") + `, claimants: ${claim.claimants.join(", ")}`;
    const events = document.createElement("a");
    events.href = "/events?" + claim.positions.map((p) => "positions=" + p).join("&");
    events.textContent = "its events (" + claim.positions.join(", ") + ")";
    item.append(title, facts, events);
    for (const evidence of claim.evidence) {
      const line = document.createElement("p");
      line.className = "evidence";
      const quote = document.createElement("q");
      quote.textContent = evidence.quote;
      line.append(`${evidence.outlet || "unknown outlet"}, ${evidence.published_on || "undated"},` +
        ` ${evidence.claimant} (read by ${evidence.recorded_by}; ${reviewed(evidence)}): `,
        quote, " ");
      const show = document.createElement("button");
      show.type = "button";
      show.textContent = "show in the article";
      show.addEventListener("click", async () => {
        show.disabled = true;
        try {
          const article = await api.article(evidence.article_id);
          line.after(api.highlighted(article.body, evidence.start, evidence.end));
        } catch (error) {
          show.disabled = false;
          status.textContent = "The article could not be shown: " + error.message;
        }
      });
      line.append(show);
      item.append(line);
    }
    for (const contestation of claim.contestations) {
      const line = document.createElement("p");
      line.className = "evidence";
      line.textContent = `contested by ${contestation.by} (${contestation.side}) on ` +
        `${contestation.contested_on}` + (contestation.quote ? `: "${contestation.quote}"` : "");
      item.append(line);
    }
    return item;
  }

  async function load() {
    const asOf = form.as_of.value || new Date().toISOString().slice(0, 10);
    const params = new URLSearchParams({ as_of: asOf });
    if (form.known_at.value) params.set("known_at", form.known_at.value + "Z");
    window.history.replaceState(null, "", "?" + params);
    const known = params.get("known_at") ? "&known_at=" + encodeURIComponent(params.get("known_at")) : "";
    const path = "/places/" + encodeURIComponent(place);
    status.textContent = "Loading...";
    try {
      const [timeline, answer] = await Promise.all([
        get(`${path}/timeline?to=${asOf}${known}`),
        get(`${path}/claims?as_of=${asOf}&limit=100${known}`),
      ]);
      drawTimeline(timeline, asOf);
      document.getElementById("claims").replaceChildren(...answer.claims.map(claimItem));
      status.textContent = `${answer.total} claims as of ${asOf}` +
        (answer.summary.disputed ? "; the sides dispute it." : ".");
    } catch (error) {
      status.textContent = "The place could not be loaded: " + error.message;
    }
    main.dataset.loaded = params.toString();
  }

  const given = new URLSearchParams(window.location.search);
  form.as_of.value = given.get("as_of") || new Date().toISOString().slice(0, 10);
  form.known_at.value = (given.get("known_at") || "").replace(/Z$/, "").slice(0, 19);
  form.addEventListener("change", load);
  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  load();
})();
