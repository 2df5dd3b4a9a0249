// 村务公开栏 (/public/{unitCode}): the objection forms' proof of work (Features/Residents/ProofOfWork.cs,
// solved by report-pow.js in a worker, as on the report form) and the print button. Without this file
// the page reads and prints the same; an objection then is refused with the report form's message.
(() => {
  'use strict';
  const print = document.querySelector('.print-button');
  if (print) {
    print.hidden = false;
    print.addEventListener('click', () => window.print());
  }
  const forms = Array.from(document.querySelectorAll('form.objection-form'));
  if (forms.length === 0) { return; }
  // Every form of the page carries the same challenge: solved once, used by the one form sent.
  const challenge = forms[0].elements.namedItem('challenge').value;
  let solution = null;
  let waiting = null;
  const accept = (data) => {
    if (!data || data.challenge !== challenge) { return; }
    solution = data.solution;
    for (const f of forms) { f.elements.namedItem('solution').value = solution; }
    if (waiting) { const f = waiting; waiting = null; HTMLFormElement.prototype.submit.call(f); }
  };
  let started = false;
  const start = () => {
    if (started) { return; }
    started = true;
    try {
      const worker = new Worker(forms[0].dataset.powWorker);
      worker.onmessage = (event) => accept(event.data);
      worker.onerror = () => accept({ challenge, solution: '' });
      worker.postMessage({ challenge });
    } catch {
      accept({ challenge, solution: '' });
    }
  };
  for (const form of forms) {
    // Solved while the resident types: opening a form starts it.
    form.closest('details')?.addEventListener('toggle', start);
    form.addEventListener('focusin', start);
    form.addEventListener('submit', (event) => {
      if (solution !== null) { return; }
      event.preventDefault();
      waiting = form;
      form.querySelector('button[type=submit]').disabled = true;
      const status = form.querySelector('.pow-status');
      if (status) { status.textContent = form.dataset.msgWorking; }
      start();
    });
  }
  if (document.querySelector('details.object[open]')) { start(); }
})();
