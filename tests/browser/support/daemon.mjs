// The real daemon for the browser tests: the built telemed-bridge on a
// fresh data dir, its HTTPS listener (the admin page and /api/v1) and its
// plain one on free 127.0.0.1 ports, against the project's fake Zoom run as
// a program (tests/tools/fake_zoom_server). Nothing leaves 127.0.0.1.
//
// TB_BINARY and TB_FAKE_ZOOM name the two programs (./dev.sh sets them to the
// ASan build's); by default build-test/ of this checkout.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BINARY = process.env.TB_BINARY || path.join(ROOT, 'build-test/telemed-bridge');
export const FAKE_ZOOM = process.env.TB_FAKE_ZOOM || path.join(ROOT, 'build-test/tests/fake_zoom_server');

// The fake's S2S app and user (tests/tools/fake_zoom_server.cc). The fake
// makes the secret at random each run: startFakeZoom fills it in.
export const ZOOM_APP = { account_id: 'fake-account-id', client_id: 'fake-client-id',
  client_secret: '' };
export const ZOOM_USER = 'u1@clinic.example';
// The fake's user OAuth app (doctors' own Zoom accounts); its secret is
// made per process and read from the fake's OUT_DIR.
export const OAUTH_CLIENT_ID = 'fake-oauth-client-id';

const STARTUP_LIMIT_MS = 30000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what, check, child) {
  const deadline = Date.now() + STARTUP_LIMIT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}: ${child.output()}`);
    if (await check().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`${what} did not start within ${STARTUP_LIMIT_MS} ms: ${child.output()}`);
}

// Starts `program` with its stdout and stderr kept for error messages.
function start(program, args, env) {
  if (!existsSync(program)) {
    throw new Error(`${program} does not exist: build it (cmake --build build-test --target ${path.basename(program)})`);
  }
  const child = spawn(program, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  child.output = () => output;
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return child;
}

// SIGTERM, and the exit status; a daemon that does not stop in 20 s is killed.
async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return child.exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
  const result = await child.exited;
  clearTimeout(timer);
  return result;
}

// Runs one CLI command to its end: { code, stdout, stderr }.
export function runCli(args, input = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(BINARY, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

export async function startFakeZoom() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb-fake-zoom-'));
  const child = start(FAKE_ZOOM, [dir]);
  await waitFor('fake_zoom_server', async () => existsSync(path.join(dir, 'url')), child);
  const url = readFileSync(path.join(dir, 'url'), 'utf8').trim();
  ZOOM_APP.client_secret = readFileSync(path.join(dir, 'client_secret'), 'utf8');
  return {
    url,
    caFile: path.join(dir, 'ca.pem'),
    oauthClientSecret: readFileSync(path.join(dir, 'oauth_client_secret'), 'utf8'),
    // A control of the fake (POST /_fake/users, /_fake/rotate, /_fake/authorize).
    async control(what, params) {
      const { status } = await requestTrusting('POST', `${url}/_fake/${what}?${new URLSearchParams(params)}`,
        path.join(dir, 'ca.pem'));
      if (status !== 204) throw new Error(`fake Zoom ${what}: ${status}`);
    },
    // The ids of the meetings the fake holds (GET /_fake/meetings).
    async meetingIds() {
      const { status, body } = await requestTrusting('GET', `${url}/_fake/meetings`, path.join(dir, 'ca.pem'));
      if (status !== 200) throw new Error(`fake Zoom meetings: ${status}`);
      return JSON.parse(body).ids;
    },
    // How many revokes of a doctor's grant the fake accepted (GET /_fake/revokes).
    async revokes() {
      const { status, body } = await requestTrusting('GET', `${url}/_fake/revokes`, path.join(dir, 'ca.pem'));
      if (status !== 200) throw new Error(`fake Zoom revokes: ${status}`);
      return JSON.parse(body).count;
    },
    async close() {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The fake's certificate is signed by its own throwaway CA, which fetch
// does not know: node's https module trusting that CA. Resolves to the
// status and the body.
function requestTrusting(method, url, caFile) {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method, ca: readFileSync(caFile) }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

export async function startDaemon(zoom) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tb-browser-'));
  const [httpsPort, plainPort] = [await freePort(), await freePort()];
  const zoomFlags = ['--zoom-oauth-url', zoom.url, '--zoom-api-url', `${zoom.url}/v2`, '--ca-file', zoom.caFile];
  // --public-url: connect links and the OAuth redirect URL lead back to
  // this listener.
  const child = start(BINARY, ['serve', '--data-dir', dataDir,
    '--listen', `127.0.0.1:${plainPort}`, '--https-listen', `127.0.0.1:${httpsPort}`,
    '--public-url', `https://127.0.0.1:${httpsPort}`, ...zoomFlags]);
  const apiUrl = `http://127.0.0.1:${plainPort}`;
  await waitFor('telemed-bridge serve', async () => (await fetch(`${apiUrl}/api/v1/health`)).ok, child);
  await waitFor('the HTTPS listener', () => new Promise((resolve) => {
    const socket = net.connect(httpsPort, '127.0.0.1', () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  }), child);
  const cli = (args, input) => runCli([...args, '--data-dir', dataDir], input);
  return {
    url: `https://127.0.0.1:${httpsPort}`,
    apiUrl,
    dataDir,
    cli,
    output: () => child.output(),
    async setupCode() {
      const { code, stdout, stderr } = await cli(['admin', 'setup-code']);
      if (code !== 0) throw new Error(`admin setup-code: ${stderr}`);
      return /[A-Z0-9]{4}(-[A-Z0-9]{4}){3}/.exec(stdout)[0];
    },
    // The admin made on the box's console (admin reset-password).
    async makeAdmin(password) {
      const { code, stderr } = await cli(['admin', 'reset-password'], `${password}\n`);
      if (code !== 0) throw new Error(`admin reset-password: ${stderr}`);
    },
    // The fake's app stored on the box's console (zoom s2s).
    async storeZoomApp() {
      const { code, stderr } = await cli(['zoom', 's2s', '--account-id', ZOOM_APP.account_id,
        '--client-id', ZOOM_APP.client_id, '--client-secret-file', '-', ...zoomFlags], ZOOM_APP.client_secret);
      if (code !== 0) throw new Error(`zoom s2s: ${stderr}`);
    },
    // An API key made on the console (apikey create NAME): its secret.
    async makeApiKey(name) {
      const { code, stdout, stderr } = await cli(['apikey', 'create', name]);
      if (code !== 0) throw new Error(`apikey create: ${stderr}`);
      return /tbk_\S+/.exec(stdout)[0];
    },
    // Stops the daemon; a non-zero exit (an ASan or UBSan report among
    // them) fails the test that closes it.
    async close() {
      const { code, signal } = await stop(child);
      rmSync(dataDir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`telemed-bridge serve exited with ${code ?? signal}: ${child.output()}`);
    },
  };
}
