// 可能重复的事项 (hotline and desk pages): while the clerk types the title or description or picks the
// village, the open cases that read like it appear (POST /api/v1/cases/similar, debounced; the typed text
// stays out of URLs). The form's antiforgery token goes in the header the API expects. Without this file
// the registration stops once on likely duplicates and the server renders the same panel.
(() => {
  'use strict';
  const panel = document.getElementById('likely-duplicates');
  if (!panel) { return; }
  const form = panel.closest('form');
  if (!form) { return; }
  const field = (name) => form.elements.namedItem(name);
  const title = field('title');
  const description = field('description');
  const orgUnit = field('orgUnit');
  const phone = field('phone');
  const token = form.querySelector('input[name="__RequestVerificationToken"]');
  const statuses = JSON.parse(panel.dataset.statuses || '{}');
  const completePhone = /^(?:\+86|0086)?-?(?:1\d{10}|0\d{2,3}-?\d{7,8})$/;
  let timer = 0;
  let asked = '';
  let seq = 0;

  const text = (tag, className, value) => {
    const el = document.createElement(tag);
    if (className) { el.className = className; }
    el.textContent = value;
    return el;
  };

  const render = (suggestions) => {
    const box = document.getElementById('confirmNew');
    const confirmed = box instanceof HTMLInputElement && box.checked;
    if (suggestions.length === 0) {
      panel.replaceChildren();
      return;
    }
    const section = document.createElement('section');
    section.className = 'dup-panel';
    section.setAttribute('aria-labelledby', 'dup-heading');
    const h = text('h2', '', panel.dataset.heading || '');
    h.id = 'dup-heading';
    section.append(h, text('p', 'muted', panel.dataset.hint || ''));
    const list = document.createElement('ol');
    list.className = 'history dup-list';
    for (const s of suggestions) {
      const li = document.createElement('li');
      li.dataset.suggestionId = String(s.id);
      const a = text('a', 'code', s.trackingCode);
      a.href = '/cases/' + encodeURIComponent(String(s.id));
      const why = [];
      if (s.sameCaller) { why.push(panel.dataset.sameCaller); }
      if (s.sameVillage) { why.push(panel.dataset.sameVillage); }
      if (s.similarText || why.length === 0) { why.push(panel.dataset.similarText); }
      why.push(s.daysAgo === 0 ? panel.dataset.today : (panel.dataset.daysAgo || '{0}').replace('{0}', String(s.daysAgo)));
      li.append(a, ' ', text('span', 'title', s.title), ' ', text('span', 'badge', statuses[s.status] || s.status), ' ',
        text('span', 'why', why.join(panel.dataset.separator || ' · ')));
      list.append(li);
    }
    const confirm = document.createElement('p');
    confirm.className = 'check confirm-new';
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.id = 'confirmNew';
    input.name = 'confirmNew';
    input.value = 'true';
    input.checked = confirmed;
    const label = text('label', '', panel.dataset.confirm || '');
    label.htmlFor = 'confirmNew';
    confirm.append(input, ' ', label);
    section.append(list, confirm);
    panel.replaceChildren(section);
  };

  const ask = async () => {
    const p = phone instanceof HTMLInputElement ? phone.value.replace(/\s/g, '') : '';
    const draft = {
      title: title ? title.value.trim() : '',
      description: description ? description.value.trim() : '',
      orgUnit: orgUnit ? orgUnit.value : '',
      // Only a whole number (as the caller look-up); the server uses it only for people who may look up callers.
      phone: completePhone.test(p) ? p : null,
    };
    const key = JSON.stringify(draft);
    if (key === asked) { return; }
    asked = key;
    if (draft.title.length + draft.description.length < 2 || !draft.orgUnit) { render([]); return; }
    const mine = ++seq;
    try {
      const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
      if (token) { headers['X-XSRF-TOKEN'] = token.value; }
      const response = await fetch(panel.dataset.similar, {
        method: 'POST', body: key, headers, credentials: 'same-origin',
      });
      if (mine !== seq || !response.ok) { return; }
      render(await response.json());
    } catch { /* the submit still checks */ }
  };

  const later = () => { clearTimeout(timer); timer = setTimeout(ask, 400); };
  for (const el of [title, description]) { if (el) { el.addEventListener('input', later); } }
  if (orgUnit) { orgUnit.addEventListener('change', later); }
  if (phone) { phone.addEventListener('change', later); }
})();
