// The lists page: play, rename, delete through the API.
import { call } from '/static/api.js';

const root = document.getElementById('lists');
const csrf = root.dataset.csrf;
const error = document.getElementById('lists-error');

for (const time of root.querySelectorAll('time[data-unix]')) {
  time.textContent = new Date(Number(time.dataset.unix) * 1000).toLocaleString();
}

root.addEventListener('click', async (event) => {
  const button = event.target.closest('button');
  const row = event.target.closest('tr[data-list]');
  if (!button || !row) return;
  const id = row.dataset.list;
  error.textContent = '';
  try {
    if (button.dataset.deal) {
      const wall = await call(`/api/v1/lists/${id}/walls`, { method: 'POST', body: { deal: button.dataset.deal }, csrf });
      window.location.href = `/walls/${wall.id}`;
    } else if (button.dataset.action === 'rename') {
      const name = window.prompt('New name', row.querySelector('.list-name').textContent);
      if (name) {
        await call(`/api/v1/lists/${id}`, { method: 'PATCH', body: { name }, csrf });
        row.querySelector('.list-name').textContent = name;
      }
    } else if (button.dataset.action === 'delete' && window.confirm('Delete this list?')) {
      await call(`/api/v1/lists/${id}`, { method: 'DELETE', csrf });
      row.remove();
    }
  } catch (e) {
    error.textContent = e.message;
  }
});
