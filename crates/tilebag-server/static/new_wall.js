// Starting a wall from an uploaded file: read it here, send it to the API, open the wall.
import { call } from '/static/api.js';

const form = document.getElementById('upload');
const error = document.getElementById('upload-error');
const csrf = document.querySelector('#new-wall input[name=csrf]').value;

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = '';
  const file = document.getElementById('upload-file').files[0];
  if (!file) { error.textContent = 'choose a file first'; return; }
  const params = new URLSearchParams({
    lexicon: document.querySelector('#new-wall select[name=lexicon]').value,
    questions_per_round: document.getElementById('questions_per_round').value,
    seconds: document.getElementById('seconds').value,
  });
  try {
    const wall = await call(`/api/v1/walls/upload?${params}`, { method: 'POST', body: await file.text(), csrf });
    window.location.href = `/walls/${wall.id}`;
  } catch (e) {
    error.textContent = e.message;
  }
});
