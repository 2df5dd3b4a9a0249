// The plan editor's "add a row" button: copies the last row with the next index (works without it: blank rows are already there).
document.addEventListener('click', (e) => {
  const button = e.target.closest('[data-add-step]');
  if (!button) return;
  const body = document.querySelector('table.plan-editor tbody');
  const last = body.lastElementChild;
  const index = body.children.length;
  const row = last.cloneNode(true);
  row.querySelectorAll('input, select').forEach((el) => {
    el.name = el.name.replace(/Steps\[\d+\]/, `Steps[${index}]`);
    el.id = el.id.replace(/Steps_\d+__/, `Steps_${index}__`);
    el.value = '';
    el.removeAttribute('aria-invalid');
  });
  row.querySelectorAll('.field-error').forEach((el) => el.remove());
  row.querySelector('th').textContent = String(index + 1);
  body.appendChild(row);
});
