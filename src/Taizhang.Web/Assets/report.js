// The public form (/report). Without this file the form still posts, and the server answers that
// JavaScript is needed (the proof of work below is its anti-abuse check; see ProofOfWork.cs).
(() => {
  'use strict';

  // The answer: copy the tracking code.
  for (const button of document.querySelectorAll('button[data-copy-text]')) {
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener('click', async () => {
      const text = button.dataset.copyText;
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        // No clipboard API (plain http): select the code so that the phone offers to copy it.
        const code = document.getElementById('tracking-code');
        if (code) { window.getSelection().selectAllChildren(code); }
        document.execCommand('copy');
      }
      button.textContent = button.dataset.copied || label;
      setTimeout(() => { button.textContent = label; }, 2000);
    });
  }

  const form = document.getElementById('report-form');
  if (!form) { return; }
  const challenge = form.elements.namedItem('challenge');
  const solution = form.elements.namedItem('solution');
  const status = document.getElementById('pow-status');
  const submit = document.getElementById('submit');
  let solved = false;
  let waiting = false;

  const send = () => {
    submit.disabled = true;
    HTMLFormElement.prototype.submit.call(form);
  };

  const accept = (data) => {
    if (!data || data.challenge !== challenge.value) { return; }
    solution.value = data.solution;
    solved = true;
    if (waiting) { send(); }
  };

  // Solve while the resident types, so that sending is instant.
  // No worker (blocked, or too old a browser): the form posts unsolved and the server's answer says
  // what to do (the hotline), rather than the button waiting for ever.
  const giveUp = () => accept({ challenge: challenge.value, solution: '' });
  try {
    const worker = new Worker(form.dataset.powWorker);
    worker.onmessage = (event) => accept(event.data);
    worker.onerror = giveUp;
    worker.postMessage({ challenge: challenge.value });
  } catch {
    giveUp();
  }

  // Files: the count and size said before anything is sent (the server checks again).
  const files = document.getElementById('files');
  const filesCheck = document.getElementById('files-check');
  const checkFiles = () => {
    const chosen = Array.from(files.files || []);
    let message = '';
    if (chosen.length > Number(form.dataset.maxFiles)) {
      message = form.dataset.msgFiles;
    } else if (chosen.some((f) => f.size > Number(form.dataset.maxFileBytes))) {
      message = form.dataset.msgFileBig;
    }
    filesCheck.textContent = message;
    filesCheck.hidden = !message;
    return !message;
  };
  files.addEventListener('change', checkFiles);

  // Anonymous: no name to give.
  const anonymous = document.getElementById('anonymous');
  const name = document.getElementById('name');
  const syncName = () => {
    name.disabled = anonymous.checked;
    name.closest('[data-name-field]').hidden = anonymous.checked;
  };
  anonymous.addEventListener('change', syncName);
  syncName();

  // Back from the answer and send again: when the form holds the matter this tab last sent (the browser
  // restores what was typed, or it was typed again word for word), it goes under that form's
  // Idempotency-Key, so the answer is the same case and codes, not a second registration.
  const keyField = form.elements.namedItem('key');
  const description = document.getElementById('description');
  const sentKey = 'taizhang.report.sent';
  const reuseKey = () => {
    try {
      const last = JSON.parse(sessionStorage.getItem(sentKey) || 'null');
      const text = description.value.trim();
      if (last && typeof last.key === 'string' && text !== '' && text === last.description) {
        keyField.value = last.key;
      }
    } catch {
      // No session storage (private mode, blocked): nothing to reuse.
    }
  };
  reuseKey();
  window.addEventListener('pageshow', reuseKey);

  form.addEventListener('submit', (event) => {
    reuseKey();
    try {
      sessionStorage.setItem(sentKey, JSON.stringify({ key: keyField.value, description: description.value.trim() }));
    } catch {
      // As above.
    }
    if (!checkFiles()) {
      event.preventDefault();
      files.focus();
      return;
    }
    if (solved) {
      submit.disabled = true;
      return;
    }
    event.preventDefault();
    waiting = true;
    submit.disabled = true;
    status.textContent = form.dataset.msgWorking;
  });

  const errors = document.getElementById('form-errors');
  if (errors && !form.querySelector('[autofocus]')) { errors.focus(); }
})();
