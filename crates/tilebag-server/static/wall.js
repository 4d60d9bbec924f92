// The wall: tiles, timer and guesses. The server judges every guess and owns the clock;
// this script only shows what the server says.
import { call } from '/static/api.js';

const root = document.getElementById('wall');
const id = root.dataset.id;
const csrf = root.dataset.csrf;
const $ = (selector) => document.getElementById(selector);
const VOWELS = new Set(['A', 'E', 'I', 'O', 'U']);
let wall = null;
let order = root.dataset.order || 'alphabetical';
let deadline = 0;
let ticking = null;

function arrange(letters) {
  const chars = [...letters];
  if (order === 'random') {
    for (let i = chars.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [chars[i], chars[j]] = [chars[j], chars[i]];
    }
  } else if (order === 'vowels_first') {
    chars.sort((a, b) => (VOWELS.has(b) - VOWELS.has(a)) || a.localeCompare(b));
  }
  return chars.join('');
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

function renderGrid() {
  const grid = $('grid');
  grid.replaceChildren(...wall.questions.map((q, i) => {
    const left = q.answers - q.found.length;
    const tile = el('div', { class: `tile${left === 0 ? ' done' : ''}`, 'data-question': i },
      el('div', { class: 'letters' }, arrange(q.alphagram)),
      el('div', { class: 'left', title: 'words left' }, String(left)),
      el('ul', { class: 'found' }, ...q.found.map((w) => el('li', {}, w))));
    return tile;
  }));
  $('score').textContent = wall.solved;
  $('total').textContent = wall.total;
  $('wrong').textContent = wall.wrong;
}

function hooks(word) {
  const dot = (inner) => (inner ? '·' : '');
  return el('span', {},
    el('span', { class: 'hook' }, word.front_hooks), ' ',
    el('b', { class: word.found ? 'found' : 'missed' }, `${dot(word.inner_front_hook)}${word.word}${dot(word.inner_back_hook)}`), ' ',
    el('span', { class: 'hook' }, word.back_hooks));
}

function renderSolutions() {
  const table = $('solutions');
  const head = el('thead', {}, el('tr', {}, ...['Prob.', 'Alphagram', 'Words', 'Definitions', 'Missed'].map((h) => el('th', {}, h))));
  const rows = wall.questions.map((q, i) => {
    const box = el('input', { type: 'checkbox', 'aria-label': `mark ${q.alphagram} missed` });
    box.checked = q.missed;
    box.addEventListener('change', () => mark(i, box.checked));
    return el('tr', { class: q.missed ? 'missed-row' : 'solved-row', 'data-question': i },
      el('td', {}, String(q.probability ?? '')),
      el('td', { class: 'alphagram' }, q.alphagram),
      el('td', {}, ...(q.solutions || []).flatMap((s) => [hooks(s), el('br')])),
      el('td', { class: 'definitions' }, ...(q.solutions || []).flatMap((s) => [s.definition || '', el('br')])),
      el('td', {}, box));
  });
  table.replaceChildren(head, el('tbody', {}, ...rows));
}

function render() {
  renderGrid();
  const over = wall.ended !== null;
  $('after').hidden = !over;
  $('guess').disabled = over;
  $('give-up').disabled = over;
  if (over) {
    renderSolutions();
    if (wall.challenge) {
      const link = $('challenge-link');
      link.querySelector('a').href = wall.challenge.leaderboard;
      link.querySelector('a').textContent = `${wall.challenge.title}: see the leaderboard`;
      link.hidden = false;
      $('after-actions').hidden = true;
    }
    stopClock();
    $('timer').textContent = '0:00';
    $('message').textContent = { time_up: 'Time is up.', all_solved: 'All solved!', gave_up: 'Round over.' }[wall.ended];
  } else {
    deadline = Date.now() + wall.remaining_ms;
    startClock();
  }
}

function startClock() {
  stopClock();
  const tick = () => {
    const left = Math.max(0, deadline - Date.now());
    const seconds = Math.ceil(left / 1000);
    $('timer').textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    if (left === 0) { stopClock(); refresh(); }
  };
  tick();
  ticking = setInterval(tick, 250);
}

function stopClock() {
  if (ticking) clearInterval(ticking);
  ticking = null;
}

async function refresh() {
  wall = await call(`/api/v1/walls/${id}`);
  render();
}

async function act(path, body) {
  try {
    wall = await call(path, { method: 'POST', body, csrf });
    render();
  } catch (e) {
    $('message').textContent = e.message;
  }
}

async function guess(word) {
  if (!word) return;
  try {
    const answer = await call(`/api/v1/walls/${id}/guess`, { method: 'POST', body: { word }, csrf });
    const messages = { solved: `${answer.word} ✓`, already_solved: `${answer.word}: already found`, wrong: `${answer.word} ✗`, late: 'Too late: time is up.', over: 'The round is over.' };
    $('message').textContent = messages[answer.result];
    if (answer.result === 'solved') {
      const q = wall.questions[answer.question];
      q.found.push(answer.word);
      q.found.sort();
    }
    wall.solved = answer.solved;
    wall.wrong = answer.wrong;
    deadline = Date.now() + answer.remaining_ms;
    if (answer.ended) await refresh(); else renderGrid();
  } catch (e) {
    $('message').textContent = e.message;
  }
}

async function mark(question, missed) {
  await act(`/api/v1/walls/${id}/missed`, { question, missed });
}

$('guess-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('guess');
  const word = input.value.trim();
  input.value = '';
  guess(word);
});
$('guess').addEventListener('keydown', (event) => {
  const orders = { 1: 'alphabetical', 2: 'random', 3: 'vowels_first' };
  if (orders[event.key]) {
    event.preventDefault();
    order = orders[event.key];
    renderGrid();
  } else if (event.key === 'Escape') {
    $('guess').value = '';
  }
});
$('shuffle').addEventListener('click', () => { order = 'random'; renderGrid(); $('guess').focus(); });
$('give-up').addEventListener('click', () => act(`/api/v1/walls/${id}/give-up`));
$('next').addEventListener('click', () => act(`/api/v1/walls/${id}/next`, { deal: 'continue' }).then(() => $('guess').focus()));
$('quiz-missed').addEventListener('click', () => act(`/api/v1/walls/${id}/next`, { deal: 'missed' }).then(() => $('guess').focus()));
const save = $('save');
if (save) {
  save.addEventListener('click', async () => {
    try {
      const list = await call(`/api/v1/walls/${id}/save`, { method: 'POST', body: { name: $('list-name').value }, csrf });
      $('message').textContent = `Saved as “${list.name}”. It saves itself after every round.`;
    } catch (e) {
      $('message').textContent = e.message;
    }
  });
}

refresh();
