// A multiplayer table: one socket, the server's events applied in order, and the shared wall.
// The server judges every guess and owns the clock; this script shows what it says, and
// reconnects by itself (resuming from the last event seen) when the connection drops.
import { arrange, clock, el, rackKeys, shuffled } from '/static/tiles.js';

const root = document.getElementById('table');
const id = root.dataset.id;
const $ = (selector) => document.getElementById(selector);
const ENDINGS = { time_up: 'Time is up', all_solved: 'All solved!', gave_up: 'The round was ended' };
const TOKEN = `tilebag-table-${id}`;
let order = root.dataset.order || 'alphabetical';
let table = null;
let you = null;
let socket = null;
let retry = 0;
let req = 0;
const pending = new Map();
let deadline = 0;
let ticking = null;
let dealt = '';
let arranged = [];
let leaving = false;

function say(text, tone = '') {
  $('message').textContent = text;
  $('message').className = `message ${tone}`;
}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function member(memberId) {
  return table.members.find((m) => m.id === memberId);
}

function renderMembers() {
  const rows = table.members.map((m) => {
    const marks = [m.id === table.host ? '★ host' : '', m.role === 'spectator' ? 'watching' : (m.ready ? 'ready' : ''), m.here ? '' : 'away'].filter(Boolean);
    return el('li', { class: `member${m.id === you ? ' me' : ''}${m.here ? '' : ' away'}` },
      el('span', { class: 'who' }, m.id === you ? `${m.name} (you)` : m.name),
      el('span', { class: 'marks' }, marks.join(' · ')),
      m.role === 'player' ? el('span', { class: 'score', title: 'words · alphagrams this round' }, `${m.words} · ${m.alphagrams}`) : '');
  });
  $('members').replaceChildren(...(rows.length ? rows : [el('li', { class: 'member' }, 'No one yet: take a seat.')]));
}

function renderGrid() {
  const round = table.round;
  const questions = round ? round.questions : [];
  const key = questions.map((q) => q.alphagram).join(' ');
  if (key !== dealt) {
    dealt = key;
    arranged = questions.map((q) => arrange(q.alphagram, order));
    $('grid').replaceChildren(...questions.map((q, i) => el('div', { class: 'tile', 'data-question': i, title: 'Click to shuffle' },
      el('div', { class: 'letters' }, arranged[i]), el('span', { class: 'left', title: 'words left' }), el('ul', { class: 'found' }))));
  }
  questions.forEach((q, i) => {
    const tile = $('grid').children[i];
    const left = q.answers - q.found.length;
    tile.classList.toggle('done', left === 0);
    tile.querySelector('.left').textContent = left === 0 ? '✓' : String(left);
    tile.querySelector('.found').replaceChildren(...q.found.map((f) => el('li', { title: `found by ${f.name}` }, f.word, el('span', { class: 'by' }, ` ${f.name}`))));
  });
}

function renderSolutions() {
  const solutions = (table.round && table.round.solutions) || [];
  const head = el('thead', {}, el('tr', {}, ...['Prob.', 'Alphagram', 'Front', 'Word', 'Back', 'Found by'].map((h) => el('th', {}, h))));
  const groups = solutions.map((q) => {
    const words = q.solutions.length ? q.solutions : [null];
    return el('tbody', { class: q.missed ? 'missed-row' : 'solved-row' }, ...words.map((s, j) => {
      const row = el('tr', {});
      if (j === 0) {
        const span = String(words.length);
        row.append(el('td', { class: 'prob', rowspan: span }, String(q.probability ?? '')), el('td', { class: 'alphagram', rowspan: span }, q.alphagram));
      }
      if (s) {
        row.append(el('td', { class: 'hook front' }, s.front_hooks), el('td', { class: 'word' }, el('span', { class: s.found ? 'w found' : 'w missed' }, s.word)),
          el('td', { class: 'hook back' }, s.back_hooks), el('td', { class: 'by' }, s.by || '—'));
      }
      return row;
    }));
  });
  $('solutions').replaceChildren(head, ...groups);
}

function renderActions() {
  const me = you === null ? null : member(you);
  const seated = Boolean(me);
  const between = table.phase === 'waiting' || table.phase === 'over';
  const host = seated && table.host === you;
  $('join').hidden = seated;
  $('seated').hidden = !seated;
  $('guess-form').hidden = !(seated && me.role === 'player' && table.phase === 'playing');
  $('ready').hidden = !(seated && me.role === 'player' && between);
  $('ready').textContent = me && me.ready ? 'Not ready' : 'Ready';
  $('start').hidden = !(host && between);
  $('start').textContent = table.phase === 'over' ? 'Next round' : 'Start round';
  $('start-missed').hidden = !(host && table.phase === 'over');
  $('chat-form').hidden = !seated;
}

function render() {
  $('table-about').textContent = [table.lexicon, `${table.settings.questions_per_round} questions`, `${table.settings.seconds} s a round`].join(' · ');
  const phases = { waiting: 'Waiting for players to get ready', countdown: 'Starting…', playing: 'Playing', over: table.round ? ENDINGS[table.ended] || 'Round over' : 'Round over' };
  $('phase').textContent = `${phases[table.phase]}${table.round ? ` · round ${table.round.number}` : ''}`;
  root.classList.toggle('over', table.phase !== 'playing');
  renderMembers();
  renderGrid();
  renderActions();
  $('after').hidden = !(table.phase === 'over' || table.phase === 'waiting') || !table.round || !table.round.solutions;
  if (!$('after').hidden) renderSolutions();
}

function startClock(ms) {
  if (ticking) clearInterval(ticking);
  deadline = Date.now() + ms;
  const tick = () => {
    const left = Math.max(0, deadline - Date.now());
    $('timer').textContent = clock(left);
    $('timer').classList.toggle('urgent', table.phase === 'playing' && left > 0 && left <= 10_000);
    if (left === 0) { clearInterval(ticking); ticking = null; send({ type: 'ping' }); }
  };
  tick();
  ticking = setInterval(tick, 250);
}

function chatLine(c) {
  return el('li', {}, el('b', {}, `${c.name}: `), c.text);
}

function renderChat() {
  $('chat-log').replaceChildren(...table.chat.map(chatLine));
  $('chat-log').scrollTop = $('chat-log').scrollHeight;
}

function applySnapshot(view) {
  table = view;
  table.ended = null;
  render();
  renderChat();
  if (table.phase === 'playing' && table.round) startClock(table.round.remaining_ms);
  else if (table.phase === 'countdown') startClock(table.starts_in_ms || 0);
  else { if (ticking) clearInterval(ticking); $('timer').textContent = '--:--'; }
}

const HANDLERS = {
  joined(e) { table.members.push({ id: e.id, name: e.name, role: e.role, ready: false, here: true, words: 0, alphagrams: 0 }); },
  left(e) { table.members = table.members.filter((m) => m.id !== e.id); if (e.id === you) you = null; },
  host(e) { table.host = e.id; },
  ready(e) { const m = member(e.id); if (m) m.ready = e.ready; },
  presence(e) { const m = member(e.id); if (m) m.here = e.state === 'here'; },
  countdown(e) { table.phase = 'countdown'; startClock(e.remaining_ms); say('Get ready…'); },
  round_started(e) {
    table.phase = 'playing';
    table.round = { number: e.round, remaining_ms: e.remaining_ms, questions: e.questions.map((q) => ({ ...q })), solutions: null };
    table.members.forEach((m) => { m.ready = false; m.words = 0; m.alphagrams = 0; });
    startClock(e.remaining_ms);
    say('Go!', 'ok');
    $('guess').focus();
  },
  solved(e) {
    const q = table.round.questions[e.question];
    if (q && !q.found.some((f) => f.word === e.word)) q.found.push({ word: e.word, by: e.by, name: e.name });
    const m = member(e.by);
    if (m) m.words += 1;
    if (e.by !== you) say(`${e.name} found ${e.word}`);
  },
  round_ended(e) {
    table.phase = 'over';
    table.ended = e.reason;
    table.round.solutions = e.solutions;
    for (const s of e.scores) { const m = member(s.id); if (m) Object.assign(m, s); }
    startClock(0);
    say(`${ENDINGS[e.reason]}.`);
  },
  chat(e) { table.chat.push({ seq: e.seq, by: e.by, name: e.name, text: e.text }); $('chat-log').append(chatLine(e)); $('chat-log').scrollTop = $('chat-log').scrollHeight; },
};

const RESULTS = { solved: ['✓ yours', 'ok'], already_solved: ['• already found', ''], wrong: ['✗ not an answer', 'bad'], late: ['Too late: time is up.', 'bad'], over: ['No round is on.', ''] };

function receive(message) {
  if (message.type === 'snapshot') { applySnapshot(message.table); return; }
  if (message.type === 'welcome') {
    you = message.you;
    sessionStorage.setItem(TOKEN, message.token);
    retry = 0;
    for (const [n, word] of pending) send({ type: 'guess', word, req: n });
    render();
    return;
  }
  if (message.type === 'guess_result') {
    const word = pending.get(message.req);
    pending.delete(message.req);
    const [text, tone] = RESULTS[message.result];
    say(`${word}: ${text}`, tone);
    return;
  }
  if (message.type === 'error') {
    if (message.code === 'not_joined' || message.code === 'bad_token') sessionStorage.removeItem(TOKEN);
    say(message.message, 'bad');
    return;
  }
  const handle = HANDLERS[message.type];
  if (!handle || !table || message.seq <= table.seq) return;
  table.seq = message.seq;
  handle(message);
  render();
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  socket = new WebSocket(`${scheme}://${location.host}/api/v1/tables/${id}/ws`);
  socket.addEventListener('open', () => {
    $('connection').textContent = '';
    const token = sessionStorage.getItem(TOKEN);
    if (token && table) send({ type: 'resume', token, last_seq: table.seq });
    else if (token) send({ type: 'resume', token, last_seq: 0 });
  });
  socket.addEventListener('message', (event) => receive(JSON.parse(event.data)));
  socket.addEventListener('close', (event) => {
    if (leaving) { location.href = '/tables'; return; }
    if (event.code === 4000) { $('connection').textContent = 'This table has closed.'; return; }
    if (you !== null) { const m = member(you); if (m) m.here = false; }
    $('connection').textContent = 'Disconnected: reconnecting…';
    const wait = Math.min(10_000, 500 * 2 ** retry);
    retry += 1;
    setTimeout(connect, wait);
  });
}

function join(as) {
  const name = $('join-name').value.trim();
  send({ type: 'join', as, ...(name ? { name } : {}) });
}

$('join-play').addEventListener('click', () => join('player'));
$('join-watch').addEventListener('click', () => join('spectator'));
$('ready').addEventListener('click', () => { const m = member(you); send({ type: 'ready', ready: !(m && m.ready) }); });
$('start').addEventListener('click', () => send({ type: 'start' }));
$('start-missed').addEventListener('click', () => send({ type: 'start', deal: 'missed' }));
$('leave').addEventListener('click', () => { leaving = true; sessionStorage.removeItem(TOKEN); send({ type: 'leave' }); });
$('guess-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const word = $('guess').value.trim().toUpperCase();
  $('guess').value = '';
  if (!word) return;
  req += 1;
  pending.set(req, word);
  send({ type: 'guess', word, req });
});
rackKeys($('guess'), $('guess-form'), (chosen) => {
  order = chosen;
  arranged = table.round.questions.map((q) => arrange(q.alphagram, order));
  [...$('grid').children].forEach((tile, i) => { tile.querySelector('.letters').textContent = arranged[i]; });
});
$('grid').addEventListener('click', (event) => {
  const tile = event.target.closest('.tile');
  if (!tile || !table.round) return;
  const i = Number(tile.dataset.question);
  tile.querySelector('.letters').textContent = shuffled(table.round.questions[i].alphagram);
});
$('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('chat-text').value.trim();
  $('chat-text').value = '';
  if (text) send({ type: 'chat', text });
});

fetch(`/api/v1/tables/${id}`, { credentials: 'same-origin' })
  .then((response) => (response.ok ? response.json() : Promise.reject(new Error('this table has closed'))))
  .then((view) => { applySnapshot(view); connect(); })
  .catch((e) => say(e.message, 'bad'));
