<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Claimledger: review</title>
  <link rel="stylesheet" href="/static/workbench/workbench.css">
</head>
<body>
  <header>
    <h1><a href="/">Claimledger</a>: what the reader recorded, to review</h1>
    <form id="filters" aria-label="Which evidence to review">
      <label>Place <input type="text" name="place" maxlength="200" placeholder="any"></label>
      <label>Claimed from <input type="date" name="from"></label>
      <label>to <input type="date" name="to"></label>
      <label>Reviewer <input type="text" name="by" maxlength="200" required
        autocomplete="name" placeholder="your name"></label>
      <button type="submit">Show</button>
    </form>
    <p id="status" role="status" aria-live="polite"></p>
  </header>
  <main id="review">
    <p class="hint">Least confident first. Confirm what the article says; reject what it does
      not (with a reason); correct a claim by rejecting it and recording the claim as it should
      have been read, on the same quote. Each verdict is one event in the ledger's feed.</p>
    <ol id="queue"></ol>
    <button type="button" id="more" hidden>More</button>
  </main>
  <script src="/static/workbench/api.js"></script>
  <script src="/static/workbench/review.js"></script>
</body>
</html>
