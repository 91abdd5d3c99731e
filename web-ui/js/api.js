// The admin page's one door to /admin/api (docs/admin-api.md): JSON in and
// out, the CSRF token on every state-changing call, and the two answers
// every screen treats alike: an ended session sends the page back to
// Sign in, and 429 becomes "try again in N s".

let csrfToken = '';
let onSessionEnded = () => {};

export function setCsrfToken(token) { csrfToken = token || ''; }

// `handler(code)` runs when a call is refused for want of a session.
export function whenSessionEnds(handler) { onSessionEnded = handler; }

// A failed call: `code`, `message` and `field` as the server sent them.
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || '';
  }
}

function headersFor(method, hasBody) {
  const headers = { Accept: 'application/json' };
  if (hasBody) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return headers;
}

async function send(method, path, body) {
  let response;
  try {
    response = await fetch('/admin/api' + path, {
      method,
      headers: headersFor(method, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'unreachable', 'The bridge cannot be reached. Check the box and the network, then try again.');
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

async function errorOf(response) {
  let payload = {};
  try { payload = await response.json(); } catch { /* not JSON: use the status */ }
  const error = payload.error || {};
  const code = error.code || 'http_' + response.status;
  let message = error.message || `The bridge answered ${response.status}.`;
  if (response.status === 429) {
    const seconds = payload.retry_after_s ?? Number(response.headers.get('Retry-After'));
    message = `Too many attempts: try again in ${Number.isFinite(seconds) ? seconds : 60} s.`;
  }
  if (response.status === 401 && code.startsWith('session_')) onSessionEnded(code);
  return new ApiError(response.status, code, message, error.field);
}

// The decoded JSON answer (null for 204).
export async function call(method, path, body) {
  const response = await send(method, path, body);
  if (response.status === 204) return null;
  return response.json();
}

export const get = (path) => call('GET', path);

// Saves the answer as a file through a blob, named as the server says.
export async function download(method, path, body, fallbackName) {
  const response = await send(method, path, body);
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = /filename="?([^";]+)"?/.exec(disposition);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = match ? match[1] : fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return link.download;
}
