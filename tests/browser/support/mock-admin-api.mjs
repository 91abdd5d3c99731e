// A stand-in for the daemon's admin page until the daemon serves it: the
// endpoints of docs/admin-api.md kept in memory, and web-ui/ served from
// disk with the headers the daemon sends. HTTPS with a throwaway
// self-signed certificate when the openssl command exists, else HTTP; on
// 127.0.0.1 and a free port either way.
//
// Tests steer it through `state` (see newState): the setup code, the Zoom
// secret Zoom refuses, the account's users, appointments to list.

import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_UI_DIR = fileURLToPath(new URL('../../../web-ui/', import.meta.url));

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };
const COOKIE = '__Host-tb_session';
const LOCK_FAILURES = 5;
const LOCK_WINDOW_S = 900;

export const SETUP_CODE = 'K7QX-M2PD-9RTA';
export const REFUSED_SECRET = 'refused-by-zoom';

export function newState() {
  return {
    setupCode: SETUP_CODE,
    password: null,
    sessions: new Map(), // session id -> csrf token
    failures: new Map(), // address -> [ms of each failed attempt]
    zoom: { configured: false, account_id: '', client_id: '', client_secret: '' },
    oauth: { configured: false, client_id: '' },
    zoomUsers: [{ id: 'u1', email: 'lee@clinic.example', name: 'Dr Lee' },
      { id: 'u2', email: 'kim@clinic.example', name: 'Dr Kim' }],
    lastTest: null,
    doctors: new Map(),
    disconnects: [], // the bodies of POST /doctors/{id}/disconnect, with the id
    appointments: [],
    keys: [],
    audit: [],
    log: [{ at: new Date().toISOString(), severity: 'info', text: 'telemed-bridge started' }],
    checkDelayMs: 200,
    certificate: { fingerprint_sha256: 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89',
      not_after: '2029-03-08T10:00:00Z', imported: false, expires_in_days: 824 },
  };
}

// `count` appointments for `doctor`, one an hour, every seventh failed.
export function seedAppointments(state, count, doctor = 'dr-lee') {
  const start = Date.parse('2026-12-01T08:00:00Z');
  for (let i = 0; i < count; i++) {
    const failed = i % 7 === 3;
    const at = new Date(start + i * 3600000);
    state.appointments.push({
      id: `appt-${String(i).padStart(5, '0')}`, doctor_id: doctor, start_time: at.toISOString(),
      timezone: 'Europe/Berlin', start_local: `${at.toISOString().slice(0, 16).replace('T', ' ')} Europe/Berlin`,
      status: failed ? 'failed' : 'synced', meeting_id: failed ? null : String(81000000000 + i),
      join_url: failed ? null : `https://zoom.example/j/${81000000000 + i}`,
      error: failed ? { code: 'zoom_user_not_found', message: 'Zoom does not know this doctor\'s Zoom user.',
        action: 'Fix the Zoom user on the Doctors screen, then press Retry.' } : null,
    });
  }
}

class Refusal extends Error {
  constructor(status, code, message, field, extra = {}) {
    super(message);
    Object.assign(this, { status, code, field, extra });
  }
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store', ...headers,
    ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

function cookieSession(req) {
  const match = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`).exec(req.headers.cookie || '');
  return match ? match[1] : '';
}

function newSession(state, res) {
  const id = randomBytes(32).toString('hex');
  const csrf = randomBytes(32).toString('hex');
  state.sessions.set(id, csrf);
  res.setHeader('Set-Cookie', `${COOKIE}=${id}; Secure; HttpOnly; SameSite=Strict; Path=/`);
  return { csrf_token: csrf };
}

function audit(state, action, req, detail = '') {
  state.audit.unshift({ id: state.audit.length + 1, at: new Date().toISOString(), action,
    address: req.socket.remoteAddress, detail });
}

// Sign-in limits: 429 with the seconds left once an address has failed
// LOCK_FAILURES times within LOCK_WINDOW_S.
function checkLock(state, address) {
  const now = Date.now();
  const recent = (state.failures.get(address) || []).filter((t) => now - t < LOCK_WINDOW_S * 1000);
  state.failures.set(address, recent);
  if (recent.length >= LOCK_FAILURES) {
    const retry = Math.ceil((recent[0] + LOCK_WINDOW_S * 1000 - now) / 1000);
    throw new Refusal(429, 'too_many_attempts', 'Too many failed attempts.', '',
      { retry_after_s: retry, header: { 'Retry-After': String(retry) } });
  }
}

function checkPassword(state, req, given, field) {
  checkLock(state, req.socket.remoteAddress);
  if (given === state.password) return;
  state.failures.get(req.socket.remoteAddress).push(Date.now());
  audit(state, 'sign_in_failed', req);
  throw new Refusal(401, 'password_wrong', 'The password is wrong.', field);
}

function checkNewPassword(password, confirm, field) {
  if (typeof password !== 'string' || [...password].length < 12) {
    throw new Refusal(422, 'password_too_short', 'The password needs at least 12 characters.', field);
  }
  if (password !== confirm) {
    throw new Refusal(422, 'password_mismatch', 'The two passwords differ.', 'confirm_password');
  }
}

function text(body, field, max = 200) {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Refusal(422, 'field_required', 'Required.', field);
  }
  if ([...value].length > max) throw new Refusal(422, 'field_too_long', `At most ${max} characters.`, field);
  return value.trim();
}

function zoomView(state) {
  const { configured, account_id, client_id } = state.zoom;
  const oauth = { ...state.oauth, redirect_url: 'https://bridge.local:8443/oauth/callback', connected_doctors: [] };
  return { s2s: { configured, account_id, client_id }, oauth, last_test: state.lastTest };
}

function zoomTest(state) {
  const ok = state.zoom.configured;
  state.lastTest = { checked_at: new Date().toISOString(), ok, items: [
    { subject: 'Token', ok, detail: ok ? 'Zoom issued a token.' : 'No Zoom app is stored: save one first.' },
    { subject: 'Scopes', ok, detail: ok ? 'Every scope the bridge needs is granted.' : 'Not checked.' },
  ] };
  return state.lastTest;
}

function scheduleDoctorCheck(state, id) {
  setTimeout(() => {
    const doctor = state.doctors.get(id);
    if (!doctor) return;
    const known = state.zoomUsers.some((u) => u.email === doctor.zoom_user || u.id === doctor.zoom_user);
    doctor.state = doctor.auth === 'oauth' ? 'not_connected' : known ? 'ok' : 'zoom_user_not_found';
    doctor.checked_at = new Date().toISOString();
  }, state.checkDelayMs).unref();
}

function listAppointments(state, query) {
  const status = query.get('status') || 'all';
  if (!['all', 'pending', 'failed', 'synced'].includes(status)) {
    throw new Refusal(400, 'invalid_status', 'status is all, pending, failed or synced.', 'status');
  }
  const q = query.get('q') || '';
  const limit = Number(query.get('limit') || 50);
  const offset = Number(query.get('cursor') || 0);
  const matching = [...state.appointments]
    .sort((a, b) => b.start_time.localeCompare(a.start_time))
    .filter((a) => status === 'all' || a.status === status)
    .filter((a) => !q || a.id.includes(q) || a.doctor_id.includes(q));
  const page = matching.slice(offset, offset + limit);
  const next = offset + limit < matching.length ? String(offset + limit) : null;
  return { appointments: page, next_cursor: next };
}

// Routes: [method, pattern, needs a session, handler(ctx) -> [status, body]].
const ROUTES = [
  ['GET', /^\/session$/, false, ({ state, session }) => [200, state.password === null
    ? { state: 'setup_needed' } : session ? { state: 'signed_in', csrf_token: state.sessions.get(session) }
      : { state: 'signed_out' }]],
  ['POST', /^\/setup$/, false, ({ state, body, req, res }) => {
    if (state.password !== null) throw new Refusal(409, 'already_set_up', 'An admin exists already.');
    checkLock(state, req.socket.remoteAddress);
    if (body.setup_code !== state.setupCode) {
      (state.failures.get(req.socket.remoteAddress) || []).push(Date.now());
      throw new Refusal(400, 'setup_code_invalid', 'The setup code is wrong or has expired.', 'setup_code');
    }
    checkNewPassword(body.password, body.confirm_password, 'password');
    state.password = body.password;
    audit(state, 'sign_in', req, 'first admin');
    return [201, newSession(state, res)];
  }],
  ['POST', /^\/login$/, false, ({ state, body, req, res }) => {
    if (state.password === null) throw new Refusal(409, 'setup_needed', 'No admin exists yet.');
    checkPassword(state, req, body.password, 'password');
    audit(state, 'sign_in', req);
    return [200, newSession(state, res)];
  }],
  ['POST', /^\/logout$/, true, ({ state, session, res }) => {
    state.sessions.delete(session);
    res.setHeader('Set-Cookie', `${COOKIE}=; Secure; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return [204];
  }],
  ['POST', /^\/logout-everywhere$/, true, ({ state }) => { state.sessions.clear(); return [204]; }],
  ['POST', /^\/password$/, true, ({ state, body, req, res }) => {
    checkPassword(state, req, body.current_password, 'current_password');
    checkNewPassword(body.new_password, body.confirm_password, 'new_password');
    state.password = body.new_password;
    state.sessions.clear();
    return [200, newSession(state, res)];
  }],
  ['GET', /^\/audit$/, true, ({ state, query }) => {
    const limit = Number(query.get('limit') || 50);
    const before = Number(query.get('before') || Infinity);
    const entries = state.audit.filter((e) => e.id < before).slice(0, limit);
    const last = entries.at(-1);
    return [200, { entries, next_before: last && last.id > 1 ? last.id : null }];
  }],
  ['GET', /^\/overview$/, true, ({ state }) => [200, {
    version: '0.2.0', uptime_s: 3725,
    zoom: { configured: state.zoom.configured, s2s_app_needed: true,
      checked_at: state.lastTest?.checked_at ?? null, ok: state.zoom.configured, missing_scopes: [],
      doctors_to_connect: [] },
    queue: { pending: state.appointments.filter((a) => a.status === 'pending').length,
      failed: state.appointments.filter((a) => a.status === 'failed').length, deletions_pending: 0,
      next_attempt_at: null },
    doctors: [...state.doctors.values()].map((d) => ({ id: d.id, name: d.name, writes_today: 3, write_limit: 100 })),
    certificate: state.certificate,
  }]],
  ['GET', /^\/zoom$/, true, ({ state }) => [200, zoomView(state)]],
  ['PUT', /^\/zoom\/s2s$/, true, ({ state, body, req }) => {
    const account = text(body, 'account_id'); const client = text(body, 'client_id');
    const secret = text(body, 'client_secret');
    if (secret === REFUSED_SECRET) {
      throw new Refusal(422, 'zoom_credentials_refused',
        'Zoom refused these credentials: check the Client secret on the app\'s page in the Zoom Marketplace.', 'client_secret');
    }
    state.zoom = { configured: true, account_id: account, client_id: client, client_secret: secret };
    zoomTest(state);
    audit(state, 'zoom_app_saved', req);
    return [200, zoomView(state)];
  }],
  ['PUT', /^\/zoom\/oauth-app$/, true, ({ state, body, req }) => {
    const client = text(body, 'client_id');
    text(body, 'client_secret');
    state.oauth = { configured: true, client_id: client };
    audit(state, 'oauth_app_saved', req);
    return [200, zoomView(state)];
  }],
  ['DELETE', /^\/zoom\/oauth-app$/, true, ({ state, req }) => {
    state.oauth = { configured: false, client_id: '' };
    audit(state, 'oauth_app_forgotten', req);
    return [200, { disconnected: [] }];
  }],
  ['POST', /^\/zoom\/test$/, true, ({ state }) => [200, zoomTest(state)]],
  ['DELETE', /^\/zoom\/s2s$/, true, ({ state, req }) => {
    state.zoom = { configured: false, account_id: '', client_id: '', client_secret: '' };
    state.lastTest = null;
    audit(state, 'zoom_app_forgotten', req);
    return [204];
  }],
  ['GET', /^\/zoom\/users$/, true, ({ state }) => [200, state.zoom.configured
    ? { available: true, users: state.zoomUsers } : { available: false, users: [] }]],
  ['GET', /^\/doctors$/, true, ({ state }) => [200, { doctors: [...state.doctors.values()] }]],
  ['PUT', /^\/doctors\/([^/]+)$/, true, ({ state, body, params, req }) => {
    const id = decodeURIComponent(params[0]);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) {
      throw new Refusal(422, 'invalid_id', 'Letters, digits, dot, dash and underscore only.', 'id');
    }
    const auth = body.auth === 'oauth' ? 'oauth' : 's2s';
    const doctor = { id, name: text(body, 'name'), zoom_user: text(body, 'zoom_user'), auth,
      state: 'unchecked', checked_at: null };
    const created = !state.doctors.has(id);
    state.doctors.set(id, doctor);
    scheduleDoctorCheck(state, id);
    audit(state, created ? 'doctor_added' : 'doctor_changed', req, id);
    return [created ? 201 : 200, doctor];
  }],
  ['DELETE', /^\/doctors\/([^/]+)$/, true, ({ state, params, req }) => {
    const id = decodeURIComponent(params[0]);
    if (!state.doctors.delete(id)) throw new Refusal(404, 'not_found', 'No such doctor.');
    audit(state, 'doctor_removed', req, id);
    return [204];
  }],
  ['POST', /^\/doctors\/([^/]+)\/connect$/, true, ({ state, params }) => {
    const doctor = state.doctors.get(decodeURIComponent(params[0]));
    if (!doctor) throw new Refusal(404, 'not_found', 'No such doctor.');
    if (doctor.auth !== 'oauth') throw new Refusal(409, 'doctor_not_oauth', 'This doctor uses the clinic account.');
    return [200, { connect_url: `https://bridge.local:8443/oauth/connect/mock-${doctor.id}`,
      expires_at: new Date(Date.now() + 15 * 60 * 1000).toISOString().replace(/\.\d+Z$/, 'Z') }];
  }],
  ['POST', /^\/doctors\/([^/]+)\/disconnect$/, true, ({ state, body, params, req }) => {
    const doctor = state.doctors.get(decodeURIComponent(params[0]));
    if (!doctor) throw new Refusal(404, 'not_found', 'No such doctor.');
    if (doctor.auth !== 'oauth') throw new Refusal(409, 'doctor_not_oauth', 'This doctor uses the clinic account.');
    const deleteMeetings = body?.delete_meetings === true;
    state.disconnects.push({ id: doctor.id, delete_meetings: deleteMeetings });
    audit(state, 'doctor_disconnected', req, doctor.id);
    return [200, { state: deleteMeetings ? 'disconnecting' : 'not_connected', meetings_to_delete: deleteMeetings ? 2 : 0 }];
  }],
  ['GET', /^\/appointments$/, true, ({ state, query }) => [200, listAppointments(state, query)]],
  ['POST', /^\/appointments\/([^/]+)\/retry$/, true, ({ state, params }) => {
    const appointment = state.appointments.find((a) => a.id === decodeURIComponent(params[0]));
    if (!appointment) throw new Refusal(404, 'not_found', 'No such appointment.');
    if (appointment.status !== 'failed') throw new Refusal(409, 'not_failed', 'It has not failed.');
    Object.assign(appointment, { status: 'pending', error: null });
    return [202, appointment];
  }],
  ['GET', /^\/keys$/, true, ({ state }) => [200, { keys: state.keys }]],
  ['POST', /^\/keys$/, true, ({ state, body, req }) => {
    const key = { id: `key-${state.keys.length + 1}`, name: text(body, 'name', 100),
      created_at: new Date().toISOString(), last_used_at: null };
    state.keys.push(key);
    audit(state, 'key_created', req, key.name);
    return [201, { key, secret: 'tb_' + randomBytes(24).toString('base64url') }];
  }],
  ['DELETE', /^\/keys\/([^/]+)$/, true, ({ state, params, req }) => {
    const index = state.keys.findIndex((k) => k.id === decodeURIComponent(params[0]));
    if (index < 0) throw new Refusal(404, 'not_found', 'No such key.');
    audit(state, 'key_revoked', req, state.keys[index].name);
    state.keys.splice(index, 1);
    return [204];
  }],
  ['GET', /^\/system\/log$/, true, ({ state }) => [200, { lines: state.log }]],
];

// The two downloads answer bytes, not JSON.
function sendFile(res, name, bytes) {
  res.writeHead(200, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store',
    'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename="${name}"` });
  res.end(bytes);
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 65536) throw new Refusal(413, 'body_too_large', 'The body is over 64 KiB.');
    chunks.push(chunk);
  }
  if (!size) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Refusal(400, 'invalid_json', 'The body is not JSON.');
  }
}

async function handleApi(state, scheme, req, res, url) {
  const route = url.pathname.slice('/admin/api'.length);
  const session = state.sessions.has(cookieSession(req)) ? cookieSession(req) : '';
  if (req.headers.authorization) throw new Refusal(401, 'api_key_not_accepted', 'API keys are not accepted here.');
  const changes = req.method !== 'GET' && req.method !== 'HEAD';
  if (route === '/setup' || route === '/login') {
    if (req.headers.origin !== `${scheme}://${req.headers.host}`) {
      throw new Refusal(403, 'origin_invalid', 'The request did not come from this page.');
    }
  } else if (route !== '/session') {
    if (!session) {
      throw new Refusal(401, cookieSession(req) ? 'session_expired' : 'session_required', 'Sign in first.');
    }
    if (changes && req.headers['x-csrf-token'] !== state.sessions.get(session)) {
      throw new Refusal(403, 'csrf_invalid', 'The page\'s CSRF token is missing or wrong.');
    }
  }
  const body = changes ? await readBody(req) : {};
  if (req.method === 'GET' && route === '/system/backup') {
    audit(state, 'backup_downloaded', req);
    return sendFile(res, 'telemed-bridge-20261203-101500.db', Buffer.from('SQLite format 3\0'));
  }
  if (req.method === 'POST' && route === '/system/secret-key') {
    checkPassword(state, req, body.password, 'password');
    return sendFile(res, 'telemed-bridge-secret.key', randomBytes(32));
  }
  for (const [method, pattern, needsSession, handler] of ROUTES) {
    const match = pattern.exec(route);
    if (!match || method !== req.method) continue;
    if (needsSession && !session) throw new Refusal(401, 'session_required', 'Sign in first.');
    const [status, answer] = handler({ state, body, req, res, session, params: match.slice(1), query: url.searchParams });
    return send(res, status, answer);
  }
  throw new Refusal(404, 'not_found', 'No such endpoint.');
}

async function handleAsset(req, res, url) {
  const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
  const file = path.resolve(WEB_UI_DIR, name);
  if (!file.startsWith(WEB_UI_DIR) || name === 'README.md') throw new Refusal(404, 'not_found', 'No such file.');
  let bytes;
  try { bytes = await readFile(file); } catch { throw new Refusal(404, 'not_found', 'No such file.'); }
  const etag = `"${createHash('sha256').update(bytes).digest('hex')}"`;
  const type = TYPES[path.extname(file)] || 'application/octet-stream';
  const headers = { ...SECURITY_HEADERS, ETag: etag, 'Content-Type': type,
    'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'no-cache' };
  if (req.headers['if-none-match'] === etag) { res.writeHead(304, headers); res.end(); return; }
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

function makeCertificate() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb-mock-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
  } catch {
    return null; // no openssl: plain HTTP
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Starts the mock; resolves to { url, state, close() }.
export async function startMock() {
  const state = newState();
  const tls = makeCertificate();
  const scheme = tls ? 'https' : 'http';
  const onRequest = async (req, res) => {
    const url = new URL(req.url, `${scheme}://${req.headers.host}`);
    try {
      if (url.pathname.startsWith('/admin/api/')) await handleApi(state, scheme, req, res, url);
      else await handleAsset(req, res, url);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      const { header, ...extra } = error.extra;
      send(res, error.status, { error: { code: error.code, message: error.message,
        ...(error.field ? { field: error.field } : {}) }, ...extra }, header);
    }
  };
  const server = tls ? https.createServer(tls, onRequest) : http.createServer(onRequest);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `${scheme}://127.0.0.1:${server.address().port}`,
    state,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

// `node support/mock-admin-api.mjs` runs it by hand, to look at the page.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mock = await startMock();
  seedAppointments(mock.state, 120);
  console.log(`admin page mock on ${mock.url}/ (setup code ${SETUP_CODE}); Ctrl+C stops it`);
}
