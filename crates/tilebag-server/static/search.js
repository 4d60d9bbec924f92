// The search page: empty fields stay out of the address, and the results (or the error)
// come into view after a search.
const form = document.getElementById('search-form');
form.addEventListener('formdata', (event) => {
  for (const [name, value] of [...event.formData.entries()]) {
    if (typeof value === 'string' && value.trim() === '') event.formData.delete(name);
  }
});

// After the browser's own jump to #results: the field in error, else the results.
const results = document.getElementById('results');
const show = () => {
  const invalid = form.querySelector('[aria-invalid="true"]');
  if (invalid) {
    invalid.scrollIntoView({ block: 'center' });
    invalid.focus({ preventScroll: true });
  } else {
    results.scrollIntoView({ block: 'start' });
    results.focus({ preventScroll: true });
  }
};
if (results.childElementCount > 0) {
  show();
  if (document.readyState !== 'complete') window.addEventListener('load', show, { once: true });
}
