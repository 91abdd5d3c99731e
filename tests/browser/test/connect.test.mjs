// A doctor connects their own Zoom account, end to end through the daemon's
// HTTPS listener and the fake Zoom's /oauth/authorize: the admin saves the
// OAuth app on the Zoom screen and makes a connect link on Doctors; the
// doctor, in a browser of their own, opens it, continues to Zoom and comes
// back to the bridge's callback; the doctor's appointment then syncs as
// them. Then the refusals a doctor meets: the link opened again,
// declining at Zoom, and signing in to Zoom as someone else. Last, how a
// connection ends: Disconnect with the doctor's meetings deleted, Remove of
// a connected doctor, and Forget OAuth app while a doctor is connected.
// The tests share one daemon and run in order.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { assertNoSecrets, button, DESKTOP, field, launchBrowser, link, openPage } from '../support/browser.mjs';
import { OAUTH_CLIENT_ID, ZOOM_APP } from '../support/daemon.mjs';
import { setUp, waitForText as waitForTextOn } from '../support/flows.mjs';
import { startServer } from '../support/server.mjs';

const DOCTOR = { id: 'dr-kim', name: 'Dr Kim', email: 'kim@clinic.example' };
const SECOND = { id: 'dr-ana', name: 'Dr Ana', email: 'ana@clinic.example' };
const SYNC_LIMIT_MS = 30000;
// A disconnect that deletes meetings ends when the daemon's housekeeping
// (every 30 s) finds them deleted: it revokes and purges the grant then.
const DISCONNECT_LIMIT_MS = 75000;

describe('connect', () => {
  let server;
  let browser;
  let opened;
  let page;
  let connectUrl = '';
  // Every answer the doctors' browsers got, for the secrets check.
  const doctorAnswers = [];

  before(async () => {
    server = await startServer();
    await server.zoom.control('users', { id: 'u2', email: DOCTOR.email });
    await server.zoom.control('users', { id: 'u3', email: SECOND.email });
    await server.zoom.control('authorize', { user: 'u2' });
    await server.storeZoomApp();
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

  const heading = (scope, name, level = 1) => scope.getByRole('heading', { name, exact: true, level });
  const show = async (screen) => {
    await link(page, screen).click();
    await heading(page, screen).waitFor();
  };
  // Shows `screen` again until `scope` shows `text`: the daemon works in
  // the background (the Zoom user lookup, the sync).
  const waitForText = (scope, text, screen) => waitForTextOn(scope, text, () => show(screen), SYNC_LIMIT_MS);
  const doctorRow = (doctor = DOCTOR) => page.getByRole('row').filter({ hasText: doctor.id });
  const dialog = () => page.getByRole('dialog');
  // Polls `check` (no fixed wait) until it holds: what the daemon does in
  // the background (revokes, meeting deletions) shows at the fake Zoom.
  async function eventually(check, what, limitMs = SYNC_LIMIT_MS) {
    const deadline = Date.now() + limitMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`not within ${limitMs} ms: ${what}`);
      await sleep(200);
    }
  }

  // Add doctor on Doctors, connecting with their own Zoom account.
  async function addOAuthDoctor(doctor) {
    await show('Doctors');
    await button(page, 'Add doctor').click();
    await field(page, 'Doctor ID').fill(doctor.id);
    await field(page, 'Name').fill(doctor.name);
    await field(page, 'Zoom user').fill(doctor.email);
    await field(page, 'Connection').selectOption('oauth');
    await button(page, 'Save').click();
    await doctorRow(doctor).getByText('not connected', { exact: true }).waitFor();
  }

  // The admin's Connect to Zoom: the link the panel shows, new each time.
  async function makeConnectLink(doctor = DOCTOR) {
    await show('Doctors');
    const previous = (await page.locator('#connect-url').textContent()) || '';
    await button(doctorRow(doctor), 'Connect to Zoom').click();
    await page.waitForFunction((before) => {
      const shown = document.querySelector('#connect-url')?.textContent || '';
      return shown.includes('/oauth/connect/') && shown !== before;
    }, previous);
    return (await page.locator('#connect-url').textContent()).trim();
  }

  // The doctor's own browser (no session of the admin's), at `url`; the
  // main frame's navigations are kept, to see the way through Zoom.
  async function openAsDoctor(url) {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: DESKTOP });
    const doctorPage = await context.newPage();
    doctorPage.setDefaultTimeout(10000);
    const visited = [];
    doctorPage.on('framenavigated', (frame) => { if (frame === doctorPage.mainFrame()) visited.push(frame.url()); });
    doctorPage.on('request', (request) => {
      if (request.isNavigationRequest()) visited.push(request.url());
    });
    context.on('response', async (response) => {
      const body = await response.body().catch(() => Buffer.alloc(0));
      doctorAnswers.push({ method: response.request().method(), url: response.url(), status: response.status(),
        text: body.toString('latin1') });
    });
    await doctorPage.goto(url);
    return { context, page: doctorPage, visited };
  }

  test('Zoom: the OAuth app is saved on the page, which shows the redirect URL to enter at Zoom', async () => {
    await show('Zoom');
    await page.getByText('No OAuth app is stored yet.', { exact: false }).waitFor();
    assert.equal((await page.locator('#oauth-redirect').textContent()).trim(), `${server.url}/oauth/callback`);
    await field(page, 'OAuth client ID').fill(OAUTH_CLIENT_ID);
    await field(page, 'OAuth client secret').fill(server.zoom.oauthClientSecret);
    await button(page, 'Save OAuth app').click();
    await page.getByText('An OAuth app is stored.', { exact: false }).waitFor();
    assert.equal(await field(page, 'OAuth client secret').inputValue(), '');
    await page.reload();
    await heading(page, 'Zoom').waitFor();
    await page.getByText('An OAuth app is stored.', { exact: false }).waitFor();
    assert.equal(await field(page, 'OAuth client ID').inputValue(), OAUTH_CLIENT_ID);
  });

  test('Doctors: an OAuth doctor is added, shown not connected, and Connect to Zoom gives a link to send', async () => {
    await addOAuthDoctor(DOCTOR);
    connectUrl = await makeConnectLink();
    assert.match(connectUrl, new RegExp(`^${server.url.replace(/\./g, '\\.')}/oauth/connect/[A-Za-z0-9_-]{43}$`));
    await page.getByText(`Send this link to ${DOCTOR.name}.`, { exact: false }).waitFor();
    assert.equal(await button(page, 'Copy link').isVisible(), true);
  });

  test('the doctor opens the link, continues to Zoom, and is connected as their Zoom account', async () => {
    const doctor = await openAsDoctor(connectUrl);
    try {
      await heading(doctor.page, 'Connect your Zoom account').waitFor();
      assert.match(await doctor.page.locator('body').textContent(), /for Dr Kim \(dr-kim\)\. The link works once\./);
      await button(doctor.page, 'Continue to Zoom').click();
      await heading(doctor.page, 'Zoom connected').waitFor();
      assert.match(await doctor.page.locator('body').textContent(), new RegExp(`The Zoom account ${DOCTOR.email} is now connected`));
      // The way went through the fake Zoom's authorize page, with PKCE and
      // the redirect URL the Zoom screen showed, and back with a code.
      const authorize = doctor.visited.map((url) => new URL(url)).find((url) => url.pathname === '/oauth/authorize');
      assert.ok(authorize, `no visit to Zoom: ${doctor.visited.join(' ')}`);
      assert.equal(authorize.origin, server.zoom.url);
      assert.equal(authorize.searchParams.get('client_id'), OAUTH_CLIENT_ID);
      assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
      assert.equal(authorize.searchParams.get('redirect_uri'), `${server.url}/oauth/callback`);
      assert.ok(doctor.visited.some((url) => url.startsWith(`${server.url}/oauth/callback?code=`)));
    } finally {
      await doctor.context.close();
    }
  });

  test('Doctors shows the doctor connected, and their appointment syncs to a meeting at Zoom', async () => {
    await waitForText(doctorRow(), `connected as ${DOCTOR.email}`, 'Doctors');
    const key = await server.makeApiKey('reception-pc');
    const put = await fetch(`${server.apiUrl}/api/v1/appointments/appt-2001`, {
      method: 'PUT', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ doctor_id: DOCTOR.id, start_time: '2030-06-03T10:00:00+02:00', duration_minutes: 30,
        timezone: 'Europe/Berlin', topic: 'Consultation' }),
    });
    assert.ok([200, 201].includes(put.status), await put.text());
    await show('Appointments');
    const row = page.locator('#appt-table tbody tr').filter({ hasText: 'appt-2001' });
    await waitForText(row, 'Synced', 'Appointments');
    const read = await (await fetch(`${server.apiUrl}/api/v1/appointments/appt-2001`,
      { headers: { Authorization: `Bearer ${key}` } })).json();
    assert.equal(read.sync_status, 'synced');
    assert.deepEqual(await server.zoom.meetingIds(), [String(read.meeting.id)]);
  });

  test('the same link opened again shows that it is used, and changes nothing', async () => {
    const doctor = await openAsDoctor(connectUrl);
    try {
      await heading(doctor.page, 'Zoom was not connected').waitFor();
      const text = await doctor.page.locator('body').textContent();
      assert.match(text, /unknown, used or expired: ask the clinic for a new one/);
      assert.equal(await button(doctor.page, 'Continue to Zoom').count(), 0);
    } finally {
      await doctor.context.close();
    }
    await show('Doctors');
    await doctorRow().getByText(`connected as ${DOCTOR.email}`, { exact: true }).waitFor();
  });

  test('declining at Zoom (access_denied) shows a clear refusal and keeps the connection', async () => {
    await server.zoom.control('authorize', { user: '' });
    const doctor = await openAsDoctor(await makeConnectLink());
    try {
      await button(doctor.page, 'Continue to Zoom').click();
      await heading(doctor.page, 'Zoom was not connected').waitFor();
      const text = await doctor.page.locator('body').textContent();
      assert.match(text, /Zoom did not grant access \(access_denied\): to try again, ask the clinic for a new connect link/);
      assert.match(text, /a Zoom account connected before stays connected/);
      assert.ok(doctor.visited.some((url) => url.startsWith(`${server.url}/oauth/callback?error=access_denied`)));
    } finally {
      await doctor.context.close();
    }
    await show('Doctors');
    await doctorRow().getByText(`connected as ${DOCTOR.email}`, { exact: true }).waitFor();
  });

  test('signing in to Zoom with another account than the doctor\'s is refused and keeps the connection', async () => {
    await server.zoom.control('authorize', { user: 'u1' });
    const doctor = await openAsDoctor(await makeConnectLink());
    try {
      await button(doctor.page, 'Continue to Zoom').click();
      await heading(doctor.page, 'Zoom was not connected').waitFor();
      assert.match(await doctor.page.locator('body').textContent(),
        new RegExp(`The Zoom account u1@clinic\\.example is not doctor ${DOCTOR.id}'s \\(${DOCTOR.email.replace('.', '\\.')}\\)`));
    } finally {
      await doctor.context.close();
    }
    await show('Doctors');
    await doctorRow().getByText(`connected as ${DOCTOR.email}`, { exact: true }).waitFor();
  });

  // Zoom user `user` connects `doctor` through a new link, in the doctor's
  // own browser; Doctors then shows the doctor connected.
  async function connectAs(doctor, user) {
    await server.zoom.control('authorize', { user });
    const opened = await openAsDoctor(await makeConnectLink(doctor));
    try {
      await button(opened.page, 'Continue to Zoom').click();
      await heading(opened.page, 'Zoom connected').waitFor();
    } finally {
      await opened.context.close();
    }
    await waitForText(doctorRow(doctor), `connected as ${doctor.email}`, 'Doctors');
  }

  test('Disconnect, with the doctor\'s meetings deleted: Zoom sees the revoke and the deletion, the row says not connected', async () => {
    assert.equal((await server.zoom.meetingIds()).length, 1);
    const revokes = await server.zoom.revokes();
    await show('Doctors');
    await button(doctorRow(), 'Disconnect').click();
    await dialog().getByText(`Disconnect ${DOCTOR.name} from Zoom?`).waitFor();
    await dialog().getByLabel("Also delete this doctor's Zoom meetings", { exact: true }).check();
    await button(dialog(), 'Disconnect').click();
    await page.getByText(`Disconnected ${DOCTOR.name}: deleting 1 Zoom meetings first.`).waitFor();
    await eventually(async () => (await server.zoom.meetingIds()).length === 0, 'the meeting deleted at Zoom');
    await waitForTextOn(doctorRow(), 'not connected', () => show('Doctors'), DISCONNECT_LIMIT_MS);
    await eventually(async () => (await server.zoom.revokes()) === revokes + 1, 'the grant revoked at Zoom',
      DISCONNECT_LIMIT_MS);
  });

  test('Remove of a connected OAuth doctor revokes the connection at Zoom and drops the row', async () => {
    await addOAuthDoctor(SECOND);
    await connectAs(SECOND, 'u3');
    const revokes = await server.zoom.revokes();
    await button(doctorRow(SECOND), 'Remove').click();
    await dialog().getByText(`Remove ${SECOND.name}?`).waitFor();
    await button(dialog(), 'Remove doctor').click();
    await page.getByText(`Removed ${SECOND.name}.`).waitFor();
    assert.equal(await doctorRow(SECOND).count(), 0);
    await eventually(async () => (await server.zoom.revokes()) === revokes + 1, 'the grant revoked at Zoom');
  });

  test('Forget OAuth app names the connected doctor, refuses without disconnecting them, and with the box forgets', async () => {
    await connectAs(DOCTOR, 'u2');
    await show('Zoom');
    await page.getByText('An OAuth app is stored.', { exact: false }).waitFor();
    await button(page, 'Forget OAuth app').click();
    await dialog().getByText('Forget the OAuth app?').waitFor();
    assert.match(await dialog().textContent(), new RegExp(`Connected now: ${DOCTOR.id}\\.`));
    const box = dialog().getByLabel('Also disconnect these doctors', { exact: true });
    assert.equal(await box.isChecked(), false);
    await button(dialog(), 'Forget OAuth app').click();
    await page.locator('#oauth-form').getByText(`doctors are connected through the OAuth app (${DOCTOR.id})`,
      { exact: false }).waitFor();
    await page.getByText('An OAuth app is stored.', { exact: false }).waitFor();

    await button(page, 'Forget OAuth app').click();
    await box.check();
    await button(dialog(), 'Forget OAuth app').click();
    await page.getByText(`The OAuth app is forgotten; disconnected ${DOCTOR.id}.`).waitFor();
    await page.getByText('No OAuth app is stored yet.', { exact: false }).waitFor();
    assert.equal(await button(page, 'Forget OAuth app').isVisible(), false);
    await show('Doctors');
    await doctorRow().getByText('not connected', { exact: true }).waitFor();
  });

  test('no answer from the bridge carried a client secret or a Zoom token', async () => {
    const own = [...opened.answers, ...doctorAnswers].filter((answer) => answer.url.startsWith(server.url));
    assert.ok(doctorAnswers.some((answer) => answer.url.startsWith(`${server.url}/oauth/callback`)));
    assertNoSecrets(own, server.url, [server.zoom.oauthClientSecret, ZOOM_APP.client_secret]);
    assert.deepEqual(opened.problems, []);
  });
});
