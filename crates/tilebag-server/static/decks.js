// The decks pages: make a deck; add cards; suspend, move and delete cards; save settings.
import { call } from '/static/api.js';

const root = document.getElementById('decks') || document.getElementById('deck');
const csrf = root.dataset.csrf;
const error = document.getElementById('decks-error') || document.getElementById('deck-error');
const deck = root.dataset.deck;

function guard(action) {
  return async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      await action(event);
    } catch (e) {
      error.textContent = e.message;
    }
  };
}

for (const time of root.querySelectorAll('time[data-ms]')) {
  const at = new Date(Number(time.dataset.ms));
  time.dateTime = at.toISOString();
  time.textContent = at <= new Date() ? 'now' : at.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

const newDeck = document.getElementById('new-deck');
if (newDeck) {
  newDeck.addEventListener('submit', guard(async () => {
    const form = new FormData(newDeck);
    const made = await call('/api/v1/decks', { method: 'POST', body: { name: form.get('name'), lexicon: form.get('lexicon') }, csrf });
    window.location.href = `/decks/${made.id}`;
  }));
}

function plural(n, one, many) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

// "Added 5 cards (2 already there); line 3: “ZZZQ” ..." from an answer of the API.
export function describeAdded(report) {
  let text = `Added ${plural(report.added, 'card', 'cards')}`;
  if (report.present) text += ` (${plural(report.present, 'was', 'were')} already there)`;
  text += '.';
  if (report.skipped.length) {
    const shown = report.skipped.slice(0, 20).map((s) => `line ${s.line}: ${s.reason}`);
    const more = report.skipped.length - shown.length;
    text += ` Skipped ${report.skipped.length}: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`;
  }
  return text;
}

const addCards = document.getElementById('add-cards');
if (addCards) {
  addCards.addEventListener('submit', guard(async () => {
    const form = new FormData(addCards);
    const kind = form.get('kind');
    const file = form.get('file');
    let report;
    if (file && file.size > 0) {
      report = await call(`/api/v1/decks/${deck}/upload?kind=${kind}`, { method: 'POST', body: await file.text(), csrf });
    } else {
      const words = String(form.get('words')).split(/[\s,]+/).filter((w) => w);
      if (!words.length) throw new Error('Type some words or alphagrams, or choose a file.');
      report = await call(`/api/v1/decks/${deck}/cards`, { method: 'POST', body: { kind, words }, csrf });
    }
    document.getElementById('add-result').textContent = `${describeAdded(report)} Reload the page to see them.`;
  }));
}

const ticked = () => [...root.querySelectorAll('input[name=card]:checked')].map((box) => Number(box.value));
const all = document.getElementById('all-cards');
if (all) {
  all.addEventListener('change', () => {
    for (const box of root.querySelectorAll('input[name=card]')) box.checked = all.checked;
  });
}

const actions = document.getElementById('card-actions');
if (actions) {
  actions.addEventListener('click', guard(async (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const cards = ticked();
    if (!cards.length) throw new Error('Tick some cards first.');
    const action = button.dataset.action;
    if (action === 'delete' && !window.confirm(`Delete ${plural(cards.length, 'card', 'cards')} and their reviews?`)) return;
    const body = { cards };
    let path = '/api/v1/cards/delete';
    if (action === 'suspend' || action === 'unsuspend') {
      path = '/api/v1/cards/suspend';
      body.suspended = action === 'suspend';
    } else if (action === 'move') {
      path = '/api/v1/cards/move';
      body.deck = Number(new FormData(actions).get('to'));
    }
    await call(path, { method: 'POST', body, csrf });
    window.location.reload();
  }));
}

function minutes(text, name) {
  const steps = String(text).split(/[\s,]+/).filter((s) => s).map(Number);
  if (steps.some((m) => !(m > 0))) throw new Error(`${name}: give minutes as numbers, e.g. 1 10.`);
  return steps.map((m) => Math.round(m * 60));
}

const settings = document.getElementById('deck-settings');
if (settings) {
  settings.addEventListener('submit', guard(async () => {
    const form = new FormData(settings);
    const body = {
      name: form.get('name'),
      settings: {
        desired_retention: Number(form.get('retention')) / 100,
        new_per_day: Number(form.get('new_per_day')),
        maximum_interval_days: Number(form.get('maximum_interval_days')),
        learning_steps_secs: minutes(form.get('learning'), 'Learning steps'),
        relearning_steps_secs: minutes(form.get('relearning'), 'Relearning steps'),
        leech_threshold: Number(form.get('leech_threshold')),
        suspend_leeches: form.get('suspend_leeches') === 'on',
        fuzz: form.get('fuzz') === 'on',
      },
    };
    const saved = await call(`/api/v1/decks/${deck}`, { method: 'PATCH', body, csrf });
    for (const name of root.querySelectorAll('.deck-name')) name.textContent = saved.name;
    document.getElementById('settings-result').textContent = 'Saved ✓';
  }));
}

const remove = document.getElementById('delete-deck');
if (remove) {
  remove.addEventListener('click', guard(async () => {
    if (!window.confirm('Delete this deck with all its cards and their reviews?')) return;
    await call(`/api/v1/decks/${deck}`, { method: 'DELETE', csrf });
    window.location.href = '/decks';
  }));
}
