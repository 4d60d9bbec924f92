// What a wall and a table share: racks arranged in the player's order, the clock, elements,
// and the keys of the guess box (1 A–Z, 2 shuffle, 3 vowels first, Space enters, Esc clears).
const VOWELS = new Set(['A', 'E', 'I', 'O', 'U']);

export function shuffled(letters) {
  const chars = [...letters];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

export function arrange(letters, order) {
  if (order === 'random') return shuffled(letters);
  const chars = [...letters];
  if (order === 'vowels_first') chars.sort((a, b) => (VOWELS.has(b) - VOWELS.has(a)) || a.localeCompare(b));
  return chars.join('');
}

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

export function clock(ms) {
  const seconds = Math.ceil(Math.max(0, ms) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

// The guess box's keys; `reorder` is told the order chosen.
export function rackKeys(input, form, reorder) {
  input.addEventListener('keydown', (event) => {
    const orders = { 1: 'alphabetical', 2: 'random', 3: 'vowels_first' };
    if (orders[event.key]) {
      event.preventDefault();
      reorder(orders[event.key]);
    } else if (event.key === ' ') {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === 'Escape') {
      input.value = '';
    }
  });
}
