// Comfort only: a password shown once is also selectable by hand without this file.
(() => {
  'use strict';
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const field = document.getElementById(button.dataset.copy);
    if (!(field instanceof HTMLInputElement)) { continue; }
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(field.value);
      } catch {
        // No clipboard API (a plain-http address on the office network): the old way.
        field.select();
        document.execCommand('copy');
      }
      button.textContent = button.dataset.copied || label;
      setTimeout(() => { button.textContent = label; }, 2000);
    });
  }
})();
