// From a fresh box to a working sync, on one real daemon against the fake
// Zoom, in the order an admin goes: Set up, the Zoom app, doctors, an API
// key for the clinic software, an appointment that fails and is fixed on
// the page, the key revoked. The tests share the daemon and the signed-in
// page and run in order. At the end, every answer the browser received is
// searched for the secrets it must never carry.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertNoSecrets, button, field, launchBrowser, link, openPage } from '../support/browser.mjs';
import { ZOOM_APP, ZOOM_USER } from '../support/daemon.mjs';
import { PASSWORD, saveZoomApp, setUp, waitForText as waitForTextOn } from '../support/flows.mjs';
import { startServer } from '../support/server.mjs';

const REFUSED_SECRET = 'not-the-apps-secret';
const ROTATED_SECRET = 'rotated-client-secret';
const SYNC_LIMIT_MS = 30000;

describe('workflow', () => {
  let server;
  let browser;
  let opened;
  let page;
  let apiKey = '';

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    opened = await openPage(browser, server.url);
    page = opened.page;
    await setUp(page, await server.setupCode());
  });
  after(async () => {
    await opened?.context.close();
    await browser?.close();
    await server?.close();
  });

  const heading = (name) => page.getByRole('heading', { name, exact: true, level: 1 });
  const show = async (screen) => {
    await link(page, screen).click();
    await heading(screen).waitFor();
  };
  // Shows `screen` again until `scope` shows `text`: the daemon works in
  // the background (the Zoom user lookup, the sync).
  const waitForText = (scope, text, screen) => waitForTextOn(scope, text, () => show(screen), SYNC_LIMIT_MS);
  // The clinic software's side: /api/v1 on the HTTPS listener, with a key.
  const api = (method, path, body, key = apiKey) => opened.context.request.fetch(`${server.url}/api/v1${path}`, {
    method, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    data: body === undefined ? undefined : JSON.stringify(body),
  });

  test('Zoom: a secret Zoom refuses is said under Client secret and not stored', async () => {
    await show('Zoom');
    await saveZoomApp(page, REFUSED_SECRET);
    await page.locator('#zoom-secret-error').waitFor();
    assert.notEqual(await page.locator('#zoom-secret-error').textContent(), '');
    assert.equal(await field(page, 'Account ID').inputValue(), ZOOM_APP.account_id);
    await page.reload();
    await heading('Zoom').waitFor();
    assert.equal(await button(page, 'Test connection').isVisible(), false);
  });

  test('Zoom: the right secret is saved (checked with Zoom) and never shown back', async () => {
    await show('Zoom');
    await saveZoomApp(page);
    await page.getByText('An app is stored.', { exact: false }).waitFor();
    assert.equal(await secretError(), '');
    assert.equal(await field(page, 'Client secret').inputValue(), '');
    await page.reload();
    await heading('Zoom').waitFor();
    assert.equal(await field(page, 'Client secret').inputValue(), '');
    assert.equal(await field(page, 'Client ID').inputValue(), ZOOM_APP.client_id);
  });

  test('Zoom: Test connection passes, then fails with the reason once Zoom stops taking the secret', async () => {
    await show('Zoom');
    await button(page, 'Test connection').click();
    await page.getByText('Everything works.', { exact: false }).waitFor();
    assert.ok(await page.locator('#zoom-verdicts .state-ok').count() > 0);

    // The app's secret is changed on Zoom's side: every token stops working.
    await server.zoom.control('rotate', { client_secret: ROTATED_SECRET });
    await button(page, 'Test connection').click();
    await page.getByText('Something needs attention.', { exact: false }).waitFor();
    const problem = page.locator('#zoom-verdicts li').filter({ has: page.locator('.state-bad') }).first();
    assert.match(await problem.textContent(), /^Problem: \S.* — \S/);

    // The admin pastes the new secret: all is well again.
    await saveZoomApp(page, ROTATED_SECRET);
    await page.waitForFunction(() => document.querySelector('#zoom-secret').value === '');
    assert.equal(await secretError(), '');
    await button(page, 'Test connection').click();
    await page.getByText('Everything works.', { exact: false }).waitFor();
  });

  test('Zoom: Forget Zoom app asks first; Cancel keeps it', async () => {
    await show('Zoom');
    await button(page, 'Forget Zoom app').click();
    const dialog = page.getByRole('dialog');
    await button(dialog, 'Cancel').click();
    await dialog.waitFor({ state: 'hidden' });
    await page.reload();
    await heading('Zoom').waitFor();
    assert.equal(await button(page, 'Test connection').isVisible(), true);
  });

  test('Doctors: one added from the user picker becomes OK; one with an unknown Zoom user is flagged', async () => {
    await server.zoom.control('users', { id: 'u2', email: 'kim@clinic.example' });
    await show('Doctors');
    await button(page, 'Add doctor').click();
    await field(page, 'Doctor ID').fill('dr-lee');
    await field(page, 'Name').fill('Dr Lee');
    await page.waitForFunction(() => document.querySelectorAll('#zoom-users option').length >= 2);
    const options = await page.locator('#zoom-users option').evaluateAll((list) => list.map((o) => o.value));
    assert.ok(options.includes(ZOOM_USER), options.join());
    assert.ok(options.includes('kim@clinic.example'), options.join());
    await field(page, 'Zoom user').fill(ZOOM_USER);
    await field(page, 'Connection').selectOption({ label: 'Clinic Zoom account (S2S)' });
    await button(page, 'Save').click();
    const lee = page.getByRole('row').filter({ hasText: 'dr-lee' });
    await waitForText(lee, 'OK', 'Doctors');

    await button(page, 'Add doctor').click();
    await field(page, 'Doctor ID').fill('dr-ray');
    await field(page, 'Name').fill('Dr Ray');
    await field(page, 'Zoom user').fill('ray@old-clinic.example');
    await button(page, 'Save').click();
    const ray = page.getByRole('row').filter({ hasText: 'dr-ray' });
    await waitForText(ray, 'Zoom user not found', 'Doctors');
  });

  test('API keys: created on the page, shown once, used by the clinic software', async () => {
    await show('API keys');
    await field(page, 'Key name').fill('reception-pc');
    await button(page, 'Create key').click();
    await button(page, 'Copy').waitFor();
    apiKey = (await page.locator('#key-secret-value').textContent()).trim();
    assert.ok(apiKey.length >= 20, apiKey);
    const status = await api('GET', '/status');
    assert.equal(status.status(), 200, await status.text());
    await show('API keys');
    assert.equal(await page.locator('#key-secret-value').isVisible(), false);
    const row = page.getByRole('row').filter({ hasText: 'reception-pc' });
    assert.doesNotMatch(await row.textContent(), /never/);
  });

  test('Appointments: one for an unknown Zoom user fails, is fixed on the page, retried until Synced', async () => {
    const put = await api('PUT', '/appointments/appt-1001', {
      doctor_id: 'dr-ray', start_time: '2030-06-03T10:00:00+02:00', duration_minutes: 30,
      timezone: 'Europe/Berlin', topic: 'Follow-up',
    });
    assert.ok([200, 201].includes(put.status()), await put.text());

    await show('Appointments');
    const row = page.locator('#appt-table tbody tr').filter({ hasText: 'appt-1001' });
    await waitForText(row, 'Failed', 'Appointments');
    assert.match(await row.textContent(), /2030-06-03 10:00 Europe\/Berlin/);
    assert.match(await row.textContent(), /Doctors/); // what to do: fix the doctor

    // Fixed on the page: the doctor's Zoom user is corrected.
    await show('Doctors');
    const ray = page.getByRole('row').filter({ hasText: 'dr-ray' });
    await button(ray, 'Edit').click();
    await field(page, 'Zoom user').fill('kim@clinic.example');
    await button(page, 'Save').click();
    await waitForText(ray, 'OK', 'Doctors');

    await show('Appointments');
    await row.waitFor();
    if (await button(row, 'Retry').count()) await button(row, 'Retry').click();
    await waitForText(row, 'Synced', 'Appointments');
    assert.match(await row.textContent(), /\d{6,}/); // the meeting id
    const read = await (await api('GET', '/appointments/appt-1001')).json();
    assert.equal(read.sync_status, 'synced');
    assert.equal(await link(row, 'Join link').getAttribute('href'), read.meeting.join_url);
  });

  test('API keys: revoked after a confirmation, then refused by /api/v1', async () => {
    await show('API keys');
    const row = page.getByRole('row').filter({ hasText: 'reception-pc' });
    await button(row, 'Revoke').click();
    const dialog = page.getByRole('dialog');
    await button(dialog, 'Revoke key').click();
    await page.getByText('No API keys.').waitFor();
    const refused = await api('GET', '/status');
    assert.equal(refused.status(), 401);
  });

  test('a state-changing call without the CSRF token is refused, and with an API key too', async () => {
    const answer = await page.evaluate(async () => {
      const response = await fetch('/admin/api/keys', { method: 'POST',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'forged' }) });
      return { status: response.status, body: await response.json() };
    });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'csrf_invalid');
    // /api/v1 does not take the page's session cookie either.
    const cookieOnly = await opened.context.request.get(`${server.url}/api/v1/status`);
    assert.equal(cookieOnly.status(), 401);
    await show('API keys');
    await page.getByText('No API keys.').waitFor();
  });

  test('System: the audit log lists what was done; backup and secret key downloads', async () => {
    await show('System');
    for (const action of ['zoom_app_saved', 'doctor_added', 'doctor_changed', 'api_key_created', 'api_key_revoked']) {
      await page.getByRole('cell', { name: action, exact: true }).first().waitFor();
    }
    const [backup] = await Promise.all([page.waitForEvent('download'), button(page, 'Download backup').click()]);
    assert.match(backup.suggestedFilename(), /^telemed-bridge-\d{8}-\d{6}\.db$/);
    await field(page, 'Password').fill('wrong password!');
    await button(page, 'Download secret key').click();
    await page.locator('#secret-password-error').waitFor();
    await field(page, 'Password').fill(PASSWORD);
    const [key] = await Promise.all([page.waitForEvent('download'), button(page, 'Download secret key').click()]);
    assert.equal(key.suggestedFilename(), 'telemed-bridge-secret.key');
  });

  test('Zoom: Forget Zoom app, confirmed in its dialog, removes the app', async () => {
    await show('Zoom');
    await button(page, 'Forget Zoom app').click();
    await button(page.getByRole('dialog'), 'Forget Zoom app').click();
    await page.getByText('No app is stored', { exact: false }).waitFor();
    assert.equal(await field(page, 'Account ID').inputValue(), '');
    const zoom = await page.evaluate(async () => (await fetch('/admin/api/zoom')).json());
    assert.equal(zoom.s2s.configured, false);
  });

  test('no page, asset or /admin/api answer carried a client secret, a Zoom token, an API key or the session id', async () => {
    const [cookie] = await opened.context.cookies();
    const own = opened.answers.filter((answer) => answer.url.startsWith(server.url));
    assert.ok(own.length > 50, `only ${own.length} answers were collected`);
    // The search sees the bodies: the key's creation answer does hold it.
    assert.ok(own.some((answer) => answer.text.includes(apiKey)));
    assertNoSecrets(own, server.url, [ZOOM_APP.client_secret, ROTATED_SECRET, REFUSED_SECRET, apiKey, cookie.value],
      (answer, secret) => secret === apiKey && answer.method === 'POST' && answer.url.endsWith('/admin/api/keys')
        && answer.status === 201);
    assert.deepEqual(opened.problems, []);
  });

  // The error under Client secret, '' when there is none.
  async function secretError() {
    const error = page.locator('#zoom-secret-error');
    return (await error.count()) ? error.textContent() : '';
  }
});
