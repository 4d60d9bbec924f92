// Small helpers shared by the page scripts: JSON calls with the CSRF token, and errors.
export async function call(path, { method = 'GET', body, csrf = '' } = {}) {
  const headers = { 'x-csrf-token': csrf };
  if (body !== undefined && typeof body !== 'string') headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new Error(data && data.error ? data.error.message : `request failed (${response.status})`);
  }
  return data;
}
