// The search page: empty fields stay out of the address, and the results (or the error)
// come into view after a search.
const form = document.getElementById('search-form');
form.addEventListener('formdata', (event) => {
  for (const [name, value] of [...event.formData.entries()]) {
    if (typeof value === 'string' && value.trim() === '') event.formData.delete(name);
  }
});

const results = document.getElementById('results');
if (results.childElementCount > 0) {
  const invalid = form.querySelector('[aria-invalid="true"]');
  if (invalid) {
    invalid.focus();
  } else {
    results.scrollIntoView({ block: 'start' });
    results.focus({ preventScroll: true });
  }
}
