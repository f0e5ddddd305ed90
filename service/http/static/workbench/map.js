// The map page: every place with claims, coloured by how it stands, from GET /claims as
// GeoJSON. The form's fields live in the URL, so that a view can be shared.
(function () {
  "use strict";

  const COLOURS = {
    disputed: "#c01c28",
    contested: "#e5a50a",
    held: "#26a269",
    claimed: "#1a5fb4",
    withdrawn: "#9a9996",
  };
  const PAGE = 10000;
  const form = document.getElementById("filters");
  const status = document.getElementById("status");
  const element = document.getElementById("map");
  const map = L.map(element, { preferCanvas: true }).setView([48.6, 34.5], 6);
  const layer = L.layerGroup().addTo(map);
  const shown = new Map();

  const tiles = element.dataset.tiles;
  if (tiles) {
    L.tileLayer(tiles, {
      maxZoom: 18,
      attribution: "&copy; OpenStreetMap contributors",
    }).addTo(map);
  }
  // Country outlines bundled with the service: the map stays readable without tiles.
  fetch("/static/vendor/world-atlas-2.0.2/countries-110m.json")
    .then((response) => response.json())
    .then((topology) => {
      const countries = topojson.feature(topology, topology.objects.countries);
      L.geoJSON(countries, {
        style: { color: "#777", weight: 1, fillColor: "#f6f5f0", fillOpacity: 1 },
        interactive: false,
        attribution: "Outlines: Natural Earth",
      }).addTo(map).bringToBack();
    });

  function today() {
    return new Date().toISOString().slice(0, 10);
  }

  function fromUrl() {
    const params = new URLSearchParams(window.location.search);
    form.as_of.value = params.get("as_of") || today();
    form.known_at.value = (params.get("known_at") || "").replace(/Z$/, "").slice(0, 19);
    form.side.value = params.get("side") || "";
    form.kind.value = params.get("kind") || "";
    form.min_confidence.value = params.get("min_confidence") || "0";
  }

  function query() {
    const params = new URLSearchParams();
    params.set("as_of", form.as_of.value || today());
    if (form.known_at.value) params.set("known_at", form.known_at.value + "Z");
    if (form.side.value) params.set("side", form.side.value);
    if (form.kind.value) params.set("kind", form.kind.value);
    if (Number(form.min_confidence.value) > 0) {
      params.set("min_confidence", form.min_confidence.value);
    }
    return params;
  }

  async function page(params, offset) {
    const asked = new URLSearchParams(params);
    asked.set("limit", String(PAGE));
    asked.set("offset", String(offset));
    return window.claimledgerApi.call("/claims?" + asked, {
      headers: { accept: "application/geo+json" },
    });
  }

  function popup(feature, params) {
    const props = feature.properties;
    const box = document.createElement("div");
    const title = document.createElement("strong");
    title.textContent = props.name;
    box.append(title, document.createElement("br"));
    box.append(props.state + ", " + props.claims + " claim" + (props.claims === 1 ? "" : "s"));
    for (const [side, latest] of Object.entries(props.summary.latest)) {
      const line = document.createElement("div");
      line.textContent = side + ": " + latest.kind.replace("_", " ") + " by " +
        latest.actor_side + " (" + latest.claimed_on + ", " + latest.status + ")";
      box.append(line);
    }
    const open = document.createElement("a");
    const view = new URLSearchParams({ as_of: params.get("as_of") });
    if (params.get("known_at")) view.set("known_at", params.get("known_at"));
    open.href = "/place/" + encodeURIComponent(feature.id) + "?" + view;
    open.textContent = "open " + props.name;
    box.append(open);
    return box;
  }

  // The same places as links, for the keyboard and for screen readers: the disputed first.
  const ORDER = ["disputed", "contested", "held", "claimed", "withdrawn"];
  function listing(features, params) {
    const view = new URLSearchParams({ as_of: params.get("as_of") });
    if (params.get("known_at")) view.set("known_at", params.get("known_at"));
    const sorted = [...features].sort((a, b) =>
      ORDER.indexOf(a.properties.state) - ORDER.indexOf(b.properties.state) ||
      a.properties.name.localeCompare(b.properties.name));
    document.getElementById("places").replaceChildren(...sorted.map((feature) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = "/place/" + encodeURIComponent(feature.id) + "?" + view;
      link.textContent = feature.properties.name;
      item.append(link, " (" + feature.properties.state + ", " + feature.properties.claims +
        " claim" + (feature.properties.claims === 1 ? "" : "s") + ")");
      return item;
    }));
  }

  async function load() {
    const params = query();
    window.history.replaceState(null, "", "?" + params);
    status.textContent = "Loading...";
    try {
      const features = [];
      let answer = await page(params, 0);
      features.push(...answer.features);
      while (answer.offset + answer.limit < answer.total) {
        answer = await page(params, answer.offset + answer.limit);
        features.push(...answer.features);
      }
      layer.clearLayers();
      shown.clear();
      listing(features, params);
      for (const feature of features) {
        const [lon, lat] = feature.geometry.coordinates;
        const colour = COLOURS[feature.properties.state];
        L.circleMarker([lat, lon], {
          radius: 4 + 2 * Math.sqrt(feature.properties.claims),
          color: "#222",
          weight: 1,
          fillColor: colour,
          fillOpacity: 0.85,
        })
          .bindPopup(() => popup(feature, params))
          .addTo(layer);
        shown.set(feature.id, feature.properties.state);
      }
      status.textContent = features.length + " places with claims as of " +
        params.get("as_of") + (params.get("known_at") ? ", as known at " +
        params.get("known_at") : "") + ".";
    } catch (error) {
      status.textContent = "The map could not be loaded: " + error.message;
    }
    element.dataset.loaded = params.toString();
    // When the markers are on screen, in milliseconds since the page began to load.
    window.requestAnimationFrame(() => {
      element.dataset.drawnAt = String(Math.round(window.performance.now()));
    });
  }

  fromUrl();
  form.addEventListener("change", load);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  window.addEventListener("popstate", () => {
    fromUrl();
    load();
  });
  // For tests and for other scripts: each place shown, and its state.
  window.claimledgerMap = { map, shown };
  load();
})();
