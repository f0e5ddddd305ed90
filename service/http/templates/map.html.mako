<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Claimledger: the map</title>
  <link rel="stylesheet" href="/static/vendor/leaflet-1.9.4/leaflet.css">
  <link rel="stylesheet" href="/static/workbench/workbench.css">
</head>
<body>
  <header>
    <h1>Claimledger <small><a href="/review">review queue</a></small></h1>
    <form id="filters" aria-label="What the map shows">
      <label>As of <input type="date" name="as_of" required></label>
      <label>As known at (UTC) <input type="datetime-local" name="known_at" step="1"></label>
      <label>Side
        <select name="side">
          <option value="">any</option>
          <option value="russia">Russia</option>
          <option value="ukraine">Ukraine</option>
          <option value="third_party">third party</option>
          <option value="media">media</option>
        </select>
      </label>
      <label>Kind
        <select name="kind">
          <option value="">any</option>
          <option value="control">control</option>
          <option value="partial_control">partial control</option>
          <option value="advance">advance</option>
          <option value="encirclement">encirclement</option>
          <option value="withdrawal">withdrawal</option>
          <option value="repelled">repelled</option>
        </select>
      </label>
      <label>Confidence at least
        <input type="number" name="min_confidence" min="0" max="1" step="0.1" value="0">
      </label>
    </form>
    <p id="status" role="status" aria-live="polite"></p>
  </header>
  <main>
    <div id="map" data-tiles="${tiles | h}" role="region" aria-label="Places with claims"></div>
    <details id="listing">
      <summary>The places on the map, as a list</summary>
      <ol id="places"></ol>
    </details>
    <ul id="legend" aria-label="Legend">
      <li><span class="dot disputed"></span>disputed between the sides</li>
      <li><span class="dot contested"></span>contested</li>
      <li><span class="dot held"></span>held, uncontested</li>
      <li><span class="dot claimed"></span>advances or encirclements only</li>
      <li><span class="dot withdrawn"></span>every claim withdrawn</li>
    </ul>
  </main>
  <script src="/static/vendor/leaflet-1.9.4/leaflet.js"></script>
  <script src="/static/vendor/topojson-client-3.1.0/topojson-client.min.js"></script>
  <script src="/static/workbench/api.js"></script>
  <script src="/static/workbench/map.js"></script>
</body>
</html>
