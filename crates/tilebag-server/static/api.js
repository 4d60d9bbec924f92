// Small helpers shared by the page scripts: JSON calls with the CSRF token, and errors.
// A body is sent as JSON, except text and files (a Blob), which are sent as they are.
export async function call(path, { method = 'GET', body, csrf = '' } = {}) {
  const headers = { 'x-csrf-token': csrf };
  const raw = typeof body === 'string' || body instanceof Blob;
  if (body instanceof Blob) headers['content-type'] = 'application/octet-stream';
  else if (body !== undefined && !raw) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined || raw ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new Error(data && data.error ? data.error.message : `request failed (${response.status})`);
  }
  return data;
}
