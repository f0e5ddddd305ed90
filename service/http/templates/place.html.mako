<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Claimledger: ${name | h}</title>
  <link rel="stylesheet" href="/static/workbench/workbench.css">
</head>
<body>
  <header>
    <h1><a href="/">Claimledger</a>: ${name | h} <small><a href="/review?place=${place_id | u}">review its evidence</a></small></h1>
    <form id="filters" aria-label="As of when">
      <label>As of <input type="date" name="as_of" required></label>
      <label>As known at (UTC) <input type="datetime-local" name="known_at" step="1"></label>
    </form>
    <p id="status" role="status" aria-live="polite"></p>
  </header>
  <main id="place" data-place="${place_id | h}">
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">Claims in claim time</h2>
      <div id="timeline"></div>
      <p class="hint">Each row is a side's claims; shaded stretches are those in which the two
        sides' latest claims contradict each other. A ring marks a contested claim, a cross
        a withdrawn one.</p>
    </section>
    <section aria-labelledby="claims-title">
      <h2 id="claims-title">The claims and their evidence</h2>
      <ol id="claims"></ol>
    </section>
  </main>
  <script src="/static/workbench/api.js"></script>
  <script src="/static/workbench/place.js"></script>
</body>
</html>
