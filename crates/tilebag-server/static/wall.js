// The wall: tiles, timer and guesses, then the round's solutions. The server judges every
// guess and owns the clock; this script only shows what the server says.
import { call } from '/static/api.js';
import { attach, fill } from '/static/add_to_deck.js';
import { arrange, clock, el, rackKeys, shuffled } from '/static/tiles.js';

const root = document.getElementById('wall');
const id = root.dataset.id;
const csrf = root.dataset.csrf;
const me = root.dataset.user || '';
const $ = (selector) => document.getElementById(selector);
const ENDINGS = { time_up: 'Time is up', all_solved: 'All solved!', gave_up: 'You gave up' };
let wall = null;
let order = root.dataset.order || 'alphabetical';
let arranged = [];
let dealt = '';
let deadline = 0;
let ticking = null;
let warned = false;
let confirming = false;
let shown = false;

function say(text, tone = '') {
  const message = $('message');
  message.textContent = text;
  message.title = text;
  message.className = `message ${tone}`;
}

function renderHead() {
  const c = wall.challenge;
  $('wall-title').textContent = c ? c.title : (wall.source || 'Wall');
  const about = [wall.lexicon];
  if (!c && wall.round && wall.rounds) about.push(`round ${wall.round} of ${wall.rounds}`);
  about.push(`${wall.alphagrams_solved} of ${wall.alphagrams_total} alphagrams solved`);
  $('wall-about').textContent = about.join(' · ');
  const status = $('challenge-status');
  status.hidden = !c;
  if (c) {
    status.textContent = c.counts ? `This attempt counts for the leaderboard: ${c.why}.` : `Practice, not on the leaderboard: ${c.why}.`;
    status.className = `challenge-status ${c.counts ? 'counts' : 'practice'}`;
  }
  $('score').textContent = wall.solved;
  $('total').textContent = wall.total;
  $('alpha-solved').textContent = wall.alphagrams_solved;
  $('alpha-total').textContent = wall.alphagrams_total;
  $('wrong').textContent = wall.wrong;
}

function fillTile(tile, q) {
  const left = q.answers - q.found.length;
  tile.classList.toggle('done', left === 0);
  tile.querySelector('.left').textContent = left === 0 ? '✓' : String(left);
  tile.querySelector('.found').replaceChildren(...q.found.map((w) => el('li', {}, w)));
}

function renderGrid() {
  const key = wall.questions.map((q) => q.alphagram).join(' ');
  if (key !== dealt) {
    dealt = key;
    arranged = wall.questions.map((q) => arrange(q.alphagram, order));
    $('grid').replaceChildren(...wall.questions.map((q, i) => el('div', { class: 'tile', 'data-question': i, title: 'Click to shuffle' },
      el('div', { class: 'letters' }, arranged[i]),
      el('span', { class: 'left', title: 'words left' }),
      el('ul', { class: 'found' }))));
  }
  wall.questions.forEach((q, i) => fillTile($('grid').children[i], q));
}

function rearrange() {
  arranged = wall.questions.map((q) => arrange(q.alphagram, order));
  [...$('grid').children].forEach((tile, i) => { tile.querySelector('.letters').textContent = arranged[i]; });
}

function wordCell(s) {
  const dot = (inner) => (inner ? '·' : '');
  const cell = el('td', { class: 'word' },
    el('span', { class: s.found ? 'w found' : 'w missed' }, `${dot(s.inner_front_hook)}${s.word}${dot(s.inner_back_hook)}`, s.found ? ' ✓' : ''));
  if (wall.definitions && s.definition) cell.append(el('div', { class: 'word-def' }, s.definition));
  return cell;
}

function renderSolutions() {
  const compare = wall.questions.some((q) => (q.solutions || []).some((s) => s.symbol !== undefined));
  const heads = [['Prob.', 'Probability rank'], ['Alphagram', ''], ['Front', 'Front hooks'], ['Word', 'Found words are marked ✓; · marks an inner hook'], ['Back', 'Back hooks']];
  if (wall.definitions) heads.push(['Definition', '']);
  if (compare) heads.push(['Lex.', 'Lexicon symbol']);
  heads.push(['Missed', 'Count as missed']);
  const head = el('thead', {}, el('tr', {}, ...heads.map(([h, title]) => el('th', { class: `col-${h.toLowerCase().replace('.', '')}`, title }, h))));
  const groups = wall.questions.map((q, i) => {
    const solutions = q.solutions && q.solutions.length ? q.solutions : [null];
    const span = String(solutions.length);
    const rows = solutions.map((s, j) => {
      const row = el('tr', {});
      if (j === 0) {
        const rank = String(q.probability ?? '');
        row.append(el('td', { class: 'prob', rowspan: span }, rank),
          el('td', { class: 'alphagram', rowspan: span, 'data-alphagram': q.alphagram }, q.alphagram, el('span', { class: 'alpha-prob' }, rank && `#${rank}`)));
      }
      if (s) {
        row.append(el('td', { class: 'hook front' }, s.front_hooks), wordCell(s), el('td', { class: 'hook back' }, s.back_hooks));
        if (wall.definitions) row.append(el('td', { class: 'def' }, s.definition || ''));
        if (compare) row.append(el('td', { class: 'symbol' }, s.symbol || ''));
      } else {
        row.append(el('td', { colspan: String(heads.length - 3) }, ''));
      }
      if (j === 0) {
        const box = el('input', { type: 'checkbox', 'aria-label': `count ${q.alphagram} as missed`, 'data-question': i });
        box.checked = q.missed;
        box.addEventListener('change', () => mark(i, box.checked));
        row.append(el('td', { class: 'missed-box', rowspan: span }, box));
      }
      return row;
    });
    return el('tbody', { class: q.missed ? 'missed-row' : 'solved-row', 'data-question': i }, ...rows);
  });
  $('solutions').replaceChildren(head, ...groups);
}

function renderSummary() {
  const pct = wall.alphagrams_total ? Math.round((100 * wall.alphagrams_solved) / wall.alphagrams_total) : 0;
  const facts = [
    ['Alphagrams solved', `${wall.alphagrams_solved} of ${wall.alphagrams_total} (${pct}%)`],
    ['Words solved', `${wall.solved} of ${wall.total}`],
    ['Wrong guesses', String(wall.wrong)],
    ['Time used', `${clock(wall.used_ms)} of ${clock(wall.settings.seconds * 1000)}`],
  ];
  $('summary').replaceChildren(...facts.map(([term, value]) => el('div', {}, el('dt', {}, term), el('dd', {}, value))));
  const c = wall.challenge;
  $('result-heading').textContent = `${ENDINGS[wall.ended]}${c ? ` · ${c.title}` : ''}`;
}

async function showLeaderboard() {
  const c = wall.challenge;
  const link = $('challenge-link');
  link.querySelector('a').href = c.leaderboard;
  link.hidden = false;
  $('after-actions').hidden = true;
  try {
    const board = await call(c.leaderboard_api);
    const head = el('thead', {}, el('tr', {}, ...['Place', 'Player', 'Solved', 'Wrong', 'Time left'].map((h) => el('th', {}, h))));
    const rows = board.map((s) => {
      const mine = c.counts && s.username === me;
      return el('tr', mine ? { class: 'me' } : {},
        el('td', {}, String(s.place)), el('td', {}, mine ? `${s.username} (you)` : s.username),
        el('td', {}, `${s.solved}/${s.total}`), el('td', {}, String(s.wrong)), el('td', {}, clock(s.remaining_ms)));
    });
    $('leaderboard-table').replaceChildren(head, el('tbody', {}, ...rows));
    $('leaderboard-heading').textContent = board.length ? 'Leaderboard' : 'Leaderboard: nobody has finished yet';
    $('leaderboard').hidden = false;
  } catch (e) {
    link.prepend(`The leaderboard could not be loaded (${e.message}). `);
  }
}

function renderSaved() {
  const save = $('save');
  if (!save || !wall.list_id) return;
  save.textContent = 'Saved ✓';
  save.disabled = true;
  $('list-name').hidden = true;
  if (!$('save-status').textContent) $('save-status').textContent = 'It saves itself after every round.';
}

// "Add missed to deck", for a player, once a round with missed alphagrams is over.
const addMissed = $('add-missed');
if (addMissed) attach(addMissed, csrf, () => ({ wall: Number(id) }));

function renderAddMissed(over) {
  if (!addMissed) return;
  const missed = over && wall.questions.some((q) => q.missed);
  if (missed && addMissed.hidden) {
    addMissed.dataset.lexicon = wall.lexicon;
    fill(addMissed);
  }
  if (!over) addMissed.querySelector('.deck-status').textContent = '';
  addMissed.hidden = !missed;
}

function render() {
  renderHead();
  renderGrid();
  const over = wall.ended !== null;
  root.classList.toggle('over', over);
  $('after').hidden = !over;
  $('give-up').disabled = over;
  $('shuffle').disabled = over;
  $('guess').placeholder = over && !wall.challenge ? 'Enter: next round' : '';
  $('after-keys').hidden = Boolean(wall.challenge);
  cancelGiveUp();
  renderSaved();
  renderAddMissed(over);
  if (over) {
    stopClock();
    $('timer').textContent = '0:00';
    $('timer').classList.remove('urgent');
    renderSummary();
    renderSolutions();
    if (!shown) {
      shown = true;
      say(`${ENDINGS[wall.ended]}.`);
      if (wall.challenge) showLeaderboard();
      $('after').scrollIntoView({ block: 'start' });
      (wall.challenge ? $('result-heading') : $('next')).focus({ preventScroll: true });
    }
  } else {
    shown = false;
    deadline = Date.now() + wall.remaining_ms;
    startClock();
  }
}

function startClock() {
  stopClock();
  const tick = () => {
    const left = Math.max(0, deadline - Date.now());
    const urgent = left > 0 && left <= 10_000;
    $('timer').textContent = `${urgent ? '⚠ ' : ''}${clock(left)}`;
    $('timer').classList.toggle('urgent', urgent);
    if (urgent && !warned) {
      warned = true;
      $('alert').textContent = '10 seconds left';
    }
    if (left === 0) { stopClock(); refresh(); }
  };
  warned = deadline - Date.now() <= 10_000;
  $('alert').textContent = '';
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
    return true;
  } catch (e) {
    say(e.message, 'bad');
    return false;
  }
}

async function deal(how) {
  if (wall.challenge) return;
  if (await act(`/api/v1/walls/${id}/next`, { deal: how })) {
    say(`Round ${wall.round ?? ''} dealt${how === 'missed' ? ' from the missed ones' : ''}.`);
    window.scrollTo(0, 0);
    $('guess').focus();
  }
}

async function guess(word) {
  if (wall.ended !== null) {
    if (!word) deal('continue');
    else say('The round is over: press Enter in the empty box for the next round.');
    return;
  }
  if (!word) return;
  try {
    const answer = await call(`/api/v1/walls/${id}/guess`, { method: 'POST', body: { word }, csrf });
    const messages = {
      solved: [`✓ ${answer.word}`, 'ok'],
      already_solved: [`• ${answer.word}: already found`, ''],
      wrong: [`✗ ${answer.word}: not an answer`, 'bad'],
      late: ['Too late: time is up.', 'bad'],
      over: ['The round is over.', ''],
    };
    say(...messages[answer.result]);
    if (answer.result === 'solved') {
      const q = wall.questions[answer.question];
      q.found.push(answer.word);
      q.found.sort();
      if (q.found.length === q.answers) wall.alphagrams_solved += 1;
      const tile = $('grid').children[answer.question];
      $('grid').querySelector('.hit')?.classList.remove('hit');
      tile.classList.add('hit');
    }
    wall.solved = answer.solved;
    wall.wrong = answer.wrong;
    deadline = Date.now() + answer.remaining_ms;
    if (answer.ended) await refresh(); else { renderHead(); renderGrid(); }
  } catch (e) {
    say(e.message, 'bad');
  }
}

async function mark(question, missed) {
  if (await act(`/api/v1/walls/${id}/missed`, { question, missed })) {
    $('solutions').querySelector(`input[data-question="${question}"]`)?.focus();
  }
}

function askGiveUp() {
  if (confirming) {
    act(`/api/v1/walls/${id}/give-up`);
    return;
  }
  confirming = true;
  const counted = wall.challenge && wall.challenge.counts;
  say(counted ? 'This attempt counts: end it with what you have?' : 'Give up and see the answers?', 'bad');
  $('give-up').textContent = 'Yes, give up';
  $('shuffle').hidden = true;
  $('keep-playing').hidden = false;
  $('give-up').focus();
}

function cancelGiveUp() {
  if (!confirming) return;
  confirming = false;
  $('give-up').textContent = 'Give up';
  $('keep-playing').hidden = true;
  $('shuffle').hidden = false;
}

$('guess-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('guess');
  const word = input.value.trim();
  input.value = '';
  guess(word);
});
rackKeys($('guess'), $('guess-form'), (chosen) => { order = chosen; rearrange(); });
$('grid').addEventListener('click', (event) => {
  const tile = event.target.closest('.tile');
  if (!tile || !wall) return;
  const i = Number(tile.dataset.question);
  arranged[i] = shuffled(wall.questions[i].alphagram);
  tile.querySelector('.letters').textContent = arranged[i];
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && confirming) {
    cancelGiveUp();
    say('Playing on.');
    $('guess').focus();
    return;
  }
  const typing = event.target.matches('input:not([type=checkbox]), textarea, select');
  if (!wall || wall.ended === null || typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === 'n' || event.key === 'N') deal('continue');
  if (event.key === 'm' || event.key === 'M') deal('missed');
});
$('shuffle').addEventListener('click', () => { order = 'random'; rearrange(); $('guess').focus(); });
$('give-up').addEventListener('click', askGiveUp);
$('keep-playing').addEventListener('click', () => { cancelGiveUp(); say('Playing on.'); $('guess').focus(); });
$('next').addEventListener('click', () => deal('continue'));
$('quiz-missed').addEventListener('click', () => deal('missed'));
const save = $('save');
if (save) {
  save.addEventListener('click', async () => {
    const status = $('save-status');
    try {
      const list = await call(`/api/v1/walls/${id}/save`, { method: 'POST', body: { name: $('list-name').value }, csrf });
      wall.list_id = list.id;
      status.className = 'save-status ok';
      status.textContent = `Saved as “${list.name}”; it saves itself after every round.`;
      renderSaved();
      $('next').focus();
    } catch (e) {
      status.className = 'save-status bad';
      status.textContent = e.message;
      $('list-name').focus();
    }
  });
}

refresh();
