// The new-wall page: ready-made lists take the lexicon and round settings chosen in the
// form; a file is read here, sent to the API, and its wall opened.
import { call } from '/static/api.js';

const settings = document.getElementById('new-wall');
const csrf = settings.querySelector('input[name=csrf]').value;
const chosen = (name) => settings.querySelector(`[name=${name}]`).value;

for (const ready of document.querySelectorAll('form.ready')) {
  ready.addEventListener('formdata', (event) => {
    event.formData.set('lexicon', chosen('lexicon'));
    for (const name of ['questions_per_round', 'seconds', 'mode', 'min_length']) {
      event.formData.set(name, chosen(name));
    }
  });
}

const form = document.getElementById('upload');
const error = document.getElementById('upload-error');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = '';
  const file = document.getElementById('upload-file').files[0];
  if (!file) { error.textContent = 'choose a file first'; return; }
  const params = new URLSearchParams({
    lexicon: chosen('lexicon'),
    questions_per_round: chosen('questions_per_round'),
    seconds: chosen('seconds'),
  });
  try {
    const wall = await call(`/api/v1/walls/upload?${params}`, { method: 'POST', body: await file.text(), csrf });
    window.location.href = `/walls/${wall.id}`;
  } catch (e) {
    error.textContent = e.message;
  }
});
