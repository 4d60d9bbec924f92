// Adding cards to a deck from where a player studies: a select of their decks in the
// lexicon (and "New deck…", which asks a name), a button, and what adding did. Boxes with
// data-source="list" or "search" work by themselves; the wall attaches its own.
import { call } from '/static/api.js';

const NEW = 'new';
let decks = null;
const loadDecks = () => (decks ??= call('/api/v1/decks'));

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function said(report) {
  let text = `Added ${plural(report.added, 'card', 'cards')}`;
  if (report.present) text += ` (${report.present} already there)`;
  const skipped = report.skipped || [];
  if (skipped.length) text += `; ${plural(skipped.length, 'was', 'were')} not made into cards: ${skipped[0].reason}`;
  return `${text}.`;
}

// Fills the box's select with the player's decks in its lexicon, keeping the choice.
export async function fill(box, chosen = box.querySelector('.deck-choice').value) {
  const select = box.querySelector('.deck-choice');
  const status = box.querySelector('.deck-status');
  try {
    const mine = (await loadDecks()).filter((d) => d.lexicon === box.dataset.lexicon);
    select.replaceChildren(...mine.map((d) => new Option(d.name, String(d.id))), new Option('New deck…', NEW));
    select.value = mine.some((d) => String(d.id) === chosen) ? chosen : select.options[0].value;
  } catch (e) {
    decks = null;
    status.className = 'deck-status bad';
    status.textContent = `Your decks could not be loaded (${e.message}).`;
  }
  box.querySelector('.deck-name').hidden = select.value !== NEW;
}

// Makes the box's button add what `source()` names ({wall: id}, {list: id}, {search: {...}}).
export function attach(box, csrf, source) {
  const select = box.querySelector('.deck-choice');
  const name = box.querySelector('.deck-name');
  const button = box.querySelector('.deck-add');
  const status = box.querySelector('.deck-status');
  select.addEventListener('change', () => {
    name.hidden = select.value !== NEW;
    if (!name.hidden) name.focus();
  });
  const add = async () => {
    const tell = (text, tone = '') => { status.className = `deck-status ${tone}`; status.textContent = text; };
    if (select.value === NEW && !name.value.trim()) {
      tell('Name the new deck first.', 'bad');
      name.focus();
      return;
    }
    button.disabled = true;
    tell('Adding…');
    try {
      let deck = select.value;
      if (deck === NEW) {
        const made = await call('/api/v1/decks', { method: 'POST', body: { name: name.value, lexicon: box.dataset.lexicon }, csrf });
        decks = Promise.resolve([...(await loadDecks()), made]);
        deck = String(made.id);
        name.value = '';
        await Promise.all([...document.querySelectorAll('.add-deck')].map((other) => (other === box ? fill(box, deck) : fill(other))));
      }
      const report = await call(`/api/v1/decks/${deck}/cards`, { method: 'POST', body: { kind: 'alphagram', ...source() }, csrf });
      tell(said(report), 'ok');
    } catch (e) {
      tell(e.message, 'bad');
    } finally {
      button.disabled = false;
    }
  };
  button.addEventListener('click', add);
  name.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') { event.preventDefault(); add(); }
  });
}

const SOURCES = {
  list: (box) => ({ list: Number(box.dataset.list) }),
  search: (box) => ({
    search: Object.fromEntries([...box.querySelectorAll('input[data-criterion]')].map((input) => [input.name, input.value])),
  }),
};
for (const box of document.querySelectorAll('.add-deck[data-source]')) {
  const source = SOURCES[box.dataset.source];
  if (!source) continue;
  attach(box, box.dataset.csrf, () => source(box));
  fill(box);
}
