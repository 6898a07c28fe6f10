// Live updates (#22, docs/live.md). The page works without this file: links and forms
// reload it. With it, the nav's #live-stream element holds htmx's SSE connection, whose
// events ("message", "notification", "read", "quote", "ping") are re-dispatched on <body>
// as "sse:<kind>" by the extension; badges and threads listen with `from:body`.
// Wherever the stream is not delivering (no Redis, a buffering proxy, a dropped
// connection) the same elements are refreshed by a "live-poll" event every 20 seconds.
(function () {
  const POLL_MS = 20000;
  // The stream sends a heartbeat every 15 s; none for this long means it is not delivering.
  const STALE_MS = 25000;
  let lastEventAt = 0;

  function poll() {
    if (document.hidden) return;
    document.body.dispatchEvent(new CustomEvent("live-poll", { bubbles: true }));
  }

  document.addEventListener("htmx:sseMessage", () => {
    lastEventAt = Date.now();
    // Said on the page, for whoever needs to know events arrive (the browser tests).
    document.body.dataset.liveDelivering = "true";
  });
  document.addEventListener("htmx:sseOpen", () => {
    lastEventAt = Date.now();
    // Whatever happened between this page's render (or a lost connection) and now.
    poll();
  });
  window.setInterval(() => {
    if (Date.now() - lastEventAt > STALE_MS) poll();
  }, POLL_MS);
  // Coming back to a tab that was hidden: catch up at once.
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && Date.now() - lastEventAt > STALE_MS) poll();
  });
})();
