// The menu's Review link shows how many cards are due now (reviews and learning steps).
const badge = document.getElementById('due-badge');
if (badge) {
  fetch('/api/v1/review/queue?limit=0', { credentials: 'same-origin' })
    .then((response) => (response.ok ? response.json() : null))
    .then((queue) => {
      if (!queue) return;
      const due = queue.due + queue.learning;
      if (due > 0) {
        badge.textContent = due > 999 ? '999+' : String(due);
        badge.hidden = false;
        badge.title = `${due} due`;
      }
    })
    .catch(() => {});
}
