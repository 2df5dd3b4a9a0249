// Administration pages, comfort only: the token reads and copies without this file.
(() => {
  'use strict';
  // A new API client's token: selected at once, and a button copies it.
  document.querySelectorAll('[data-select-on-focus]').forEach((input) => {
    input.addEventListener('focus', () => input.select());
    if (document.activeElement === input) { input.select(); }
  });
  document.querySelectorAll('button[data-copy]').forEach((button) => {
    const field = document.getElementById(button.dataset.copy);
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        button.textContent = button.dataset.copied || label;
        setTimeout(() => { button.textContent = label; }, 2000);
      } catch {
        field.focus();
        field.select();
      }
    });
  });
})();
