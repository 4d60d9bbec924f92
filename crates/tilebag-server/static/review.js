// The review page: the next due card, typed answers judged by the server, grades 1–4, undo,
// postpone. Every key works without the mouse: Space/Enter turn, 1–4 grade, N next word, U undo.
import { call } from '/static/api.js';

const root = document.getElementById('review');
const csrf = root.dataset.csrf;
const deck = root.dataset.deck;
const $ = (id) => document.getElementById(id);
const input = $('typed');
const state = { card: null, typed: [], turned: null, answer: null, revealed: 0, shownAt: 0, busy: false };

function fail(e) {
  $('review-error').textContent = e.message;
}

function say(text) {
  $('review-status').textContent = text;
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function plural(n, one, many) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

async function load() {
  const query = deck ? `deck=${deck}&` : '';
  const queue = await call(`/api/v1/review/queue?${query}limit=1`);
  $('counts').textContent = `${plural(queue.due, 'review', 'reviews')} due · ${queue.learning.toLocaleString()} learning · ${plural(queue.new, 'new card', 'new cards')} left today`;
  const card = queue.cards[0];
  $('card').hidden = !card;
  $('done').hidden = Boolean(card);
  if (card) {
    show(card);
  } else {
    // The focus was on the card just graded: keep it on the page, where U still undoes.
    $('done').focus();
  }
}

function tiles(target, letters) {
  target.replaceChildren(...[...letters].map((c) => el('span', c, 'tile')));
  target.setAttribute('aria-label', letters);
}

function show(card) {
  Object.assign(state, { card, typed: [], turned: null, answer: null, revealed: 0, shownAt: Date.now() });
  const prompt = card.prompt;
  $('question').textContent = prompt ? prompt.question : 'This card no longer fits its lexicon; delete it from its deck.';
  tiles($('front'), card.front);
  $('typed-list').replaceChildren();
  $('revealed').replaceChildren();
  $('back').hidden = true;
  $('typed-form').hidden = false;
  $('flip').disabled = false;
  $('one-more').hidden = !prompt || prompt.kind === 'word_or_phony';
  input.value = '';
  input.placeholder = prompt && prompt.kind === 'word_or_phony' ? 'valid or phony' : prompt && prompt.kind === 'hooks' ? 'hooked words, or hooks as CS/DRST' : 'words';
  input.focus();
}

function addTyped() {
  const words = input.value.split(/[\s,]+/).filter((w) => w);
  for (const word of words) {
    state.typed.push(word.toUpperCase());
    $('typed-list').append(el('li', word.toUpperCase()));
  }
  input.value = '';
  return words.length > 0;
}

function wait(ms) {
  const minutes = ms / 60000;
  if (minutes < 1) return '<1m';
  if (minutes < 60) return `${Math.round(minutes)}m`;
  const hours = minutes / 60;
  if (hours < 24) return `${Math.round(hours)}h`;
  const days = hours / 24;
  if (days < 31) return `${Math.round(days)}d`;
  if (days < 365) return `${(days / 30.4).toFixed(1)}mo`;
  return `${(days / 365).toFixed(1)}y`;
}

async function turn(typed) {
  const query = typed === undefined ? '' : `?typed=${encodeURIComponent(typed)}`;
  return call(`/api/v1/cards/${state.card.id}/answer${query}`);
}

function hookWord(facts) {
  const row = el('li', undefined, 'answer-word');
  row.append(el('span', facts.front_hooks, 'hooks front'));
  const word = el('span', facts.word, 'word');
  if (facts.inner_front) word.classList.add('inner-front');
  if (facts.inner_back) word.classList.add('inner-back');
  row.append(word, el('span', facts.back_hooks, 'hooks back'));
  if (facts.definition && root.dataset.definitions === 'true') row.append(el('span', facts.definition, 'definition'));
  return row;
}

function renderAnswer(answer) {
  const box = $('answer');
  box.replaceChildren();
  if (answer.kind === 'alphagram') {
    const list = el('ul', undefined, 'answer-words');
    list.append(...answer.words.map(hookWord));
    box.append(list);
  } else if (answer.kind === 'hooks') {
    const list = el('ul', undefined, 'answer-words');
    list.append(hookWord(answer.word));
    box.append(list);
    box.append(el('p', `In front: ${answer.front_words.join(' ') || 'none'}`));
    box.append(el('p', `After: ${answer.back_words.join(' ') || 'none'}`));
  } else {
    box.append(el('p', answer.valid ? `${answer.front} is a word.` : `${answer.front} is a phony${answer.source ? `, made from ${answer.source}` : ''}.`, 'verdict-word'));
    if (answer.facts) {
      const list = el('ul', undefined, 'answer-words');
      list.append(hookWord(answer.facts));
      box.append(list);
    }
  }
}

function renderVerdict(judgement) {
  const verdict = $('verdict');
  verdict.replaceChildren();
  if (!judgement) return;
  const part = (label, words, className) => {
    if (!words.length) return;
    const span = el('span', `${label}: ${words.join(' ')}`, className);
    verdict.append(span, ' ');
  };
  part('Right', judgement.right, 'right');
  part('Missing', judgement.missing, 'missing');
  part('Wrong', judgement.wrong, 'wrong');
}

async function flip() {
  if (!state.card || state.turned || state.busy) return;
  addTyped();
  state.busy = true;
  try {
    const typed = state.typed.length ? state.typed.join(' ') : undefined;
    const turned = await turn(typed);
    state.turned = turned;
    renderAnswer(turned.answer);
    renderVerdict(turned.judgement);
    $('typed-form').hidden = true;
    $('flip').disabled = true;
    $('one-more').hidden = true;
    $('back').hidden = false;
    const buttons = [...document.querySelectorAll('.grades button')];
    buttons.forEach((button, i) => {
      button.querySelector('.when').textContent = wait(turned.due_after[i] - turned.now);
      button.classList.remove('proposed');
    });
    const proposed = turned.judgement ? turned.judgement.proposed : 3;
    const chosen = buttons[proposed - 1];
    if (turned.judgement) {
      chosen.classList.add('proposed');
      say(`Proposed grade: ${chosen.firstChild.textContent.trim()}. Press Enter to take it, or 1–4.`);
    }
    chosen.focus();
  } finally {
    state.busy = false;
  }
}

async function oneMore() {
  if (!state.card || state.turned) return;
  if (!state.answer) state.answer = (await turn()).answer;
  const words = state.answer.kind === 'alphagram' ? state.answer.words.map((w) => w.word) : [...state.answer.front_words, ...state.answer.back_words];
  if (state.revealed < words.length) {
    $('revealed').append(el('li', words[state.revealed]));
    state.revealed += 1;
    say(`${state.revealed} of ${words.length} shown`);
  }
  if (state.revealed >= words.length) await flip();
}

async function grade(rating) {
  if (!state.turned || state.busy) return;
  state.busy = true;
  try {
    const took = Math.min(Date.now() - state.shownAt, 86400000);
    const done = await call(`/api/v1/cards/${state.card.id}/review`, { method: 'POST', body: { version: state.card.version, rating, took_ms: took }, csrf });
    say(`${state.card.front}: ${['Again', 'Hard', 'Good', 'Easy'][rating - 1]}.${done.became_leech ? ' It is now a leech.' : ''}`);
  } finally {
    state.busy = false;
  }
  await load();
}

async function undo() {
  const card = await call('/api/v1/review/undo', { method: 'POST', body: {}, csrf });
  say(`Undid the last grade of ${card.front}.`);
  await load();
}

function act(action) {
  $('review-error').textContent = '';
  action().catch(fail);
}

if (input) {
  $('typed-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!addTyped()) act(flip);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === ' ' && input.value.trim() === '') {
      event.preventDefault();
      act(flip);
    } else if (event.key === 'Escape') {
      input.blur();
    }
  });
  $('flip').addEventListener('click', () => act(flip));
  $('one-more').addEventListener('click', () => act(oneMore));
  $('undo').addEventListener('click', () => act(undo));
  for (const button of document.querySelectorAll('.grades button')) {
    button.addEventListener('click', () => act(() => grade(Number(button.dataset.rating))));
  }
  document.addEventListener('keydown', (event) => {
    if (event.target === input || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest('form#postpone, select, a')) return;
    const onButton = event.target.closest('button');
    if (!state.turned && (event.key === ' ' || event.key === 'Enter') && !onButton) {
      event.preventDefault();
      act(flip);
    } else if (state.turned && ['1', '2', '3', '4'].includes(event.key)) {
      event.preventDefault();
      act(() => grade(Number(event.key)));
    } else if (event.key === 'n' || event.key === 'N') {
      act(oneMore);
    } else if (event.key === 'u' || event.key === 'U') {
      act(undo);
    }
  });
  $('postpone').addEventListener('submit', (event) => {
    event.preventDefault();
    act(async () => {
      const form = new FormData(event.target);
      const body = { days: Number(form.get('days')) };
      if (deck) body.deck = Number(deck);
      if (form.get('count')) body.count = Number(form.get('count'));
      const done = await call('/api/v1/review/postpone', { method: 'POST', body, csrf });
      say(`Postponed ${plural(done.postponed, 'review', 'reviews')} by ${plural(body.days, 'day', 'days')}.`);
      await load();
    });
  });
  act(load);
}
