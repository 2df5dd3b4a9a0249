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

  // Hotline: the caller's earlier cases appear once a whole number is typed. A POST with the form's
  // antiforgery token: the number never goes into a URL. Look-ups are counted per person, so only a
  // complete number is looked up, once; a landline that may still grow a digit waits a little longer.
  // As soon as the number no longer is the one looked up, the panel forgets that caller.
  const history = document.querySelector('[data-caller-lookup]');
  const phone = document.getElementById('phone');
  if (phone && history) {
    let timer = 0;
    let last = '';
    // A known caller's name (from their last case) goes into an empty name field, and out again with
    // that caller unless the operator has changed it meanwhile.
    const name = document.getElementById('name');
    let filled = '';
    const forget = () => {
      const p = document.createElement('p');
      p.className = 'muted';
      p.textContent = history.dataset.hint || '';
      history.replaceChildren(p);
      if (name && filled !== '' && name.value === filled) { name.value = ''; }
      filled = '';
    };
    const fillName = () => {
      const known = history.querySelector('[data-caller-name]');
      if (name && known && name.value.trim() === '') {
        name.value = known.dataset.callerName || '';
        filled = name.value;
      }
    };
    const complete = /^(?:\+86|0086)?-?(?:1\d{10}|0\d{2,3}-?\d{7,8})$/;
    const mayGrow = /^(?:\+86|0086)?-?0\d{2,3}-?\d{7}$/;
    const lookup = async (value) => {
      if (value === last) { return; }
      last = value;
      const body = new URLSearchParams({ phone: value });
      const token = phone.form && phone.form.querySelector('input[name="__RequestVerificationToken"]');
      if (token) { body.set('__RequestVerificationToken', token.value); }
      try {
        const response = await fetch(history.dataset.callerLookup, {
          method: 'POST', body, headers: { Accept: 'text/html' }, credentials: 'same-origin',
        });
        if (value !== last) { return; }
        if (response.ok) {
          history.innerHTML = await response.text();
          fillName();
        } else if (response.status === 429) {
          const p = document.createElement('p');
          p.className = 'field-error';
          p.dataset.history = 'limited';
          p.textContent = await response.text();
          history.replaceChildren(p);
        }
      } catch { /* the explicit look-up button still works */ }
    };
    phone.addEventListener('input', () => {
      clearTimeout(timer);
      const value = phone.value.replace(/\s/g, '');
      if (value !== last && (last !== '' || history.querySelector('[data-history]'))) { last = ''; forget(); }
      if (!complete.test(value)) { return; }
      timer = setTimeout(() => lookup(value), mayGrow.test(value) ? 1500 : 250);
    });
  }

  // 登记事项: the meeting picker shows (and is required) only for 会议点; without this it is always
  // there and the server checks it.
  const deskChannel = document.querySelector('[data-desk-channel]');
  const meetingField = document.querySelector('[data-meeting-field]');
  if (deskChannel && meetingField) {
    const meeting = meetingField.querySelector('select');
    const sync = () => {
      const atMeeting = deskChannel.value === 'Meeting';
      meetingField.hidden = !atMeeting;
      if (meeting) { meeting.required = atMeeting; }
    };
    deskChannel.addEventListener('change', sync);
    sync();
  }

  // 我的待办 in the header: the number refreshes every minute while the page is visible (none while
  // hidden; at once when it shows again after a minute or more). Without this, it is as of page load.
  const taskCount = document.querySelector('[data-task-count]');
  if (taskCount) {
    let counted = Date.now();
    const recount = async () => {
      counted = Date.now();
      try {
        const response = await fetch('/api/v1/tasks/counts', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
        if (!response.ok) { return; }
        const counts = await response.json();
        taskCount.textContent = String(counts.total);
        taskCount.dataset.taskCount = String(counts.total);
        taskCount.hidden = counts.total === 0;
        const link = taskCount.closest('a');
        if (link) { link.title = counts.summary; }
      } catch { /* keep the number on screen */ }
    };
    setInterval(() => { if (document.visibilityState === 'visible') { recount(); } }, 60000);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && Date.now() - counted >= 60000) { recount(); }
    });
  }

  // A page that answered a form (input refused, a password shown once) keeps the page's own address:
  // a reload or a bookmark is then a plain GET of the page, not "?handler=…".
  if (new URLSearchParams(location.search).has('handler')) {
    const url = new URL(location.href);
    url.searchParams.delete('handler');
    window.history.replaceState(window.history.state, '', url);
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
