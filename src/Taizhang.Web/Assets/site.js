// Comfort only: every page reads and acts without this file.
(() => {
  'use strict';
  // Keyboard shortcuts: "/" focuses the page's search box; Alt+letter jumps to a section (data-key).
  document.addEventListener('keydown', (e) => {
    const typing = e.target instanceof HTMLElement && e.target.closest('input, textarea, select, [contenteditable]');
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      const search = document.querySelector('[data-search]');
      if (search) { e.preventDefault(); search.focus(); search.select(); }
      return;
    }
    if (e.altKey && !e.ctrlKey && !e.metaKey && e.key.length === 1) {
      const target = document.querySelector(`[data-key="${CSS.escape(e.key.toLowerCase())}"]`);
      if (target) { e.preventDefault(); target.click(); }
      return;
    }
    // Ctrl+Enter submits the form being typed in, from a textarea too.
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && typing) {
      const form = e.target.closest('form');
      if (form) { e.preventDefault(); form.requestSubmit(); }
    }
  });

  // A submitted form's buttons are disabled, so a double click does not send it twice.
  document.addEventListener('submit', (e) => {
    const form = e.target;
    if (form instanceof HTMLFormElement && form.method.toLowerCase() === 'post') {
      setTimeout(() => form.querySelectorAll('button[type=submit], button:not([type])').forEach((b) => { b.disabled = true; }), 0);
    }
  });

  // Hotline: the caller's earlier cases appear while the number is typed.
  const phone = document.querySelector('[data-caller-lookup]');
  const history = document.getElementById('caller-history');
  if (phone && history) {
    let timer = 0;
    let last = '';
    const lookup = async () => {
      const value = phone.value.replace(/[\s-]/g, '');
      if (value === last) { return; }
      last = value;
      if (value.length < 7) { return; }
      const url = new URL(phone.dataset.callerLookup, location.href);
      url.searchParams.set('phone', value);
      try {
        const response = await fetch(url, { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
        if (response.ok && value === last) { history.innerHTML = await response.text(); }
      } catch { /* the explicit lookup button still works */ }
    };
    phone.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(lookup, 250); });
  }

  // Board: counts refresh every minute while the tab is visible.
  if (document.querySelector('[data-live-refresh]')) {
    setInterval(async () => {
      const live = document.querySelector('[data-live-refresh]');
      if (!live || document.visibilityState !== 'visible') { return; }
      try {
        const response = await fetch(location.href, { credentials: 'same-origin' });
        if (!response.ok) { return; }
        const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
        const fresh = doc.querySelector('[data-live-refresh]');
        if (fresh) { live.replaceWith(fresh); }
      } catch { /* keep the numbers on screen */ }
    }, 60000);
  }
})();
