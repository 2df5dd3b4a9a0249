// 一览清 without reload: /board/events says "changed" (no data) when cases change; the board is
// fetched again (same address, same period) and its live part swapped in. Without JavaScript, or
// without EventSource, the page is the same and a reload shows the news.
(() => {
  'use strict';
  const first = document.querySelector('[data-live-refresh][data-events]');
  if (!first || !('EventSource' in window)) { return; }
  let busy = false;
  let again = false;
  let stale = false;

  async function refresh() {
    if (document.visibilityState !== 'visible') { stale = true; return; }
    if (busy) { again = true; return; }
    busy = true;
    try {
      const response = await fetch(location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (!response.ok) { return; }
      const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
      const fresh = doc.querySelector('[data-live-refresh]');
      const live = document.querySelector('[data-live-refresh]');
      if (fresh && live) {
        const note = fresh.querySelector('[data-live-note]');
        if (note) { note.hidden = false; }
        live.replaceWith(fresh);
      }
    } catch { /* keep the numbers on screen */ } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }

  const source = new EventSource(first.dataset.events);
  source.addEventListener('changed', refresh);
  source.addEventListener('open', () => {
    const note = document.querySelector('[data-live-note]');
    if (note) { note.hidden = false; }
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && stale) { stale = false; refresh(); }
  });
  window.addEventListener('pagehide', () => source.close());
})();
