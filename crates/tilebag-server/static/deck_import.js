// A deck's import form: sends the chosen Zyzzyva cardbox to the API as it is, with the
// session's CSRF token, and shows what was imported, already present and skipped.
import { call } from '/static/api.js';

const root = document.getElementById('deck-files');
const csrf = root.dataset.csrf;
const form = document.getElementById('deck-import');
const summary = document.getElementById('deck-import-summary');
const reasons = document.getElementById('deck-import-reasons');
const error = document.getElementById('deck-import-error');

const cards = (n) => (n === 1 ? '1 card' : `${n} cards`);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = '';
  summary.textContent = '';
  reasons.replaceChildren();
  const file = document.getElementById('deck-import-file').files[0];
  if (!file) { error.textContent = 'Choose a file first.'; return; }
  const kind = document.getElementById('deck-import-kind').value;
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    const report = await call(`/api/v1/decks/${root.dataset.deck}/import?kind=${encodeURIComponent(kind)}`,
      { method: 'POST', body: file, csrf });
    let text = `Imported ${cards(report.imported)}; ${cards(report.present)} already in the deck; ${report.skipped} skipped.`;
    if (!report.had_cardboxes) text += ' The file has no cardboxes (Zyzzyva before 0.14), so its questions came in as new cards.';
    summary.textContent = text;
    for (const reason of report.reasons) {
      const item = document.createElement('li');
      item.textContent = reason;
      reasons.append(item);
    }
    if (report.more_skipped > 0) {
      const item = document.createElement('li');
      item.textContent = `and ${report.more_skipped} more`;
      reasons.append(item);
    }
  } catch (e) {
    error.textContent = e.message;
  } finally {
    button.disabled = false;
  }
});
