// Every screen by its link, every control by its exact name, keyboard-only
// use, the widths the page must fit, and the Appointments filters, on one
// real daemon with a Zoom app, two doctors and a few appointments (made
// through the CLI and /api/v1, as the box's admin and the clinic software
// would). Each test has a fresh browser context; any script error or CSP
// violation fails it.

import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { assertNoSecrets, button, DESKTOP, field, launchBrowser, link, openPage, PHONE } from '../support/browser.mjs';
import { ZOOM_APP, ZOOM_USER } from '../support/daemon.mjs';
import { PASSWORD, signIn } from '../support/flows.mjs';
import { startServer } from '../support/server.mjs';

const CONTROLS = {
  Overview: { fields: [], buttons: [] },
  Zoom: {
    fields: ['Account ID', 'Client ID', 'Client secret', 'OAuth client ID', 'OAuth client secret'],
    buttons: ['Save', 'Test connection', 'Forget Zoom app', 'Save OAuth app'],
  },
  Doctors: { fields: [], buttons: ['Add doctor'] },
  Appointments: { fields: ['Status', 'Search'], buttons: ['Previous page', 'Next page'] },
  'API keys': { fields: ['Key name'], buttons: ['Create key'] },
  System: {
    fields: ['Password', 'Current password', 'New password', 'Confirm password'],
    buttons: ['Download backup', 'Download secret key', 'Change password', 'Sign out everywhere'],
  },
};
const SYNC_LIMIT_MS = 30000;

describe('screens', () => {
  let server;
  let browser;
  let opened;
  let page;
  let apiKey;

  // The scene: what a clinic has after a day of use.
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    await server.makeAdmin(PASSWORD);
    await server.storeZoomApp();
    const key = await server.makeApiKey('reception-pc');
    apiKey = key;
    const put = async (path, body) => {
      const answer = await fetch(`${server.apiUrl}/api/v1${path}`, { method: 'PUT', body: JSON.stringify(body),
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' } });
      assert.ok(answer.ok, `${path}: ${await answer.text()}`);
    };
    await put('/doctors/dr-lee', { name: 'Dr Lee', zoom_user: ZOOM_USER });
    await put('/doctors/dr-ray', { name: 'Dr Ray', zoom_user: 'ray@old-clinic.example' });
    for (let i = 0; i < 4; i++) {
      await put(`/appointments/appt-lee-${i}`, { doctor_id: 'dr-lee', start_time: `2030-06-0${i + 1}T09:00:00Z`,
        duration_minutes: 30, timezone: 'Europe/Berlin' });
    }
    await put('/appointments/appt-ray-0', { doctor_id: 'dr-ray', start_time: '2030-06-05T09:00:00Z',
      duration_minutes: 30, timezone: 'America/New_York' });
    // The sync runs in the background: wait until every appointment has its
    // verdict (4 synced, 1 failed).
    const deadline = Date.now() + SYNC_LIMIT_MS;
    for (;;) {
      const status = await (await fetch(`${server.apiUrl}/api/v1/status`,
        { headers: { Authorization: `Bearer ${key}` } })).json();
      if (status.queue.pending === 0 && status.queue.failed === 1) break;
      assert.ok(Date.now() < deadline, JSON.stringify(status.queue));
      await sleep(200);
    }
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    opened = await openPage(browser, server.url);
    page = opened.page;
    await signIn(page);
  });
  afterEach(async () => {
    const [cookie] = await opened.context.cookies();
    await opened?.context.close();
    // A CSP violation or a script error shows up here.
    assert.deepEqual(opened.problems, []);
    assertNoSecrets(opened.answers, server.url, [ZOOM_APP.client_secret, apiKey, cookie?.value]);
  });

  const heading = (name) => page.getByRole('heading', { name, exact: true, level: 1 });

  test('each screen is reachable by its link and has its controls, each field its own label', async () => {
    for (const [screen, { fields, buttons }] of Object.entries(CONTROLS)) {
      await link(page, screen).click();
      await heading(screen).waitFor();
      assert.equal(await link(page, screen).getAttribute('aria-current'), 'page');
      for (const name of fields) assert.equal(await field(page, name).count(), 1, `${screen}: ${name}`);
      for (const name of buttons) assert.equal(await button(page, name).count(), 1, `${screen}: ${name}`);
      assert.equal(await button(page, 'Sign out').count(), 1);
      const unlabelled = await page.evaluate(() => [...document.querySelectorAll('main input, main select')]
        .filter((input) => !input.id || !document.querySelector(`label[for="${input.id}"]`))
        .map((input) => input.outerHTML));
      assert.deepEqual(unlabelled, [], screen);
    }
  });

  test('Overview shows the queue, the doctors\' quota and the certificate fingerprint of `web cert`', async () => {
    await page.waitForLoadState('networkidle');
    const text = await page.locator('main').innerText();
    const cert = await server.cli(['web', 'cert']);
    const fingerprint = /([0-9A-F]{2}:){31}[0-9A-F]{2}/.exec(cert.stdout)[0];
    assert.ok(text.includes(fingerprint), text);
    assert.match(text, /Pending\s+0\b/);
    assert.match(text, /Failed\s+1\b/);
    assert.match(text, /Dr Lee \(dr-lee\)\s+4\s+100/); // 4 creates of the day's 100
  });

  test('Doctors: a server refusal is said next to its field, what was typed stays', async () => {
    await link(page, 'Doctors').click();
    await button(page, 'Add doctor').click();
    await field(page, 'Doctor ID').fill('bad id!');
    await field(page, 'Name').fill('Dr X');
    await field(page, 'Zoom user').fill('x@clinic.example');
    await button(page, 'Save').click();
    await page.locator('#doctor-id-error').waitFor();
    assert.notEqual(await page.locator('#doctor-id-error').textContent(), '');
    assert.equal(await field(page, 'Name').inputValue(), 'Dr X');
    const row = page.getByRole('row').filter({ hasText: 'dr-ray' });
    await row.getByText('Zoom user not found', { exact: true }).waitFor();
  });

  test('Appointments: newest first, Status and Search filter, the failure said with what to do', async () => {
    await link(page, 'Appointments').click();
    const rows = page.locator('#appt-table tbody tr');
    await page.waitForFunction(() => document.querySelectorAll('#appt-table tbody tr').length === 5);
    assert.match(await rows.first().textContent(), /appt-ray-0/);
    assert.match(await rows.first().textContent(), /2030-06-05 05:00 America\/New_York/);
    assert.match(await rows.nth(1).textContent(), /appt-lee-3.*Synced/);
    const joinUrl = await link(rows.nth(1), 'Join link').getAttribute('href');
    assert.match(joinUrl, /^https:\/\//);

    await field(page, 'Status').selectOption({ label: 'Failed' });
    await page.waitForFunction(() => document.querySelectorAll('#appt-table tbody tr').length === 1);
    assert.match(await rows.first().textContent(), /appt-ray-0/);
    assert.equal(await button(rows.first(), 'Retry').count(), 1);
    assert.match(await rows.first().textContent(), /Doctors/); // where to fix it
    assert.equal(await button(page, 'Next page').isDisabled(), true);

    await field(page, 'Status').selectOption({ label: 'All' });
    await field(page, 'Search').fill('lee-2');
    // The Failed list also has one row: wait for the searched one, not a count.
    await page.waitForFunction(() => {
      const shown = document.querySelectorAll('#appt-table tbody tr');
      return shown.length === 1 && shown[0].textContent.includes('appt-lee-2');
    });
  });

  test('keyboard only: add a doctor with Tab, typing, Enter; Escape cancels a dialog', async () => {
    await link(page, 'Doctors').focus();
    await page.keyboard.press('Enter');
    await heading('Doctors').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Add doctor');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'doctor-id');
    await page.keyboard.type('dr-kim');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Dr Kim');
    await page.keyboard.press('Tab');
    await page.keyboard.type(ZOOM_USER);
    await page.keyboard.press('Enter');
    const row = page.getByRole('row').filter({ hasText: 'dr-kim' });
    await row.waitFor();
    await button(row, 'Remove').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await link(page, 'Doctors').click();
    await row.waitFor();
    // Removed after all, with the dialog's button.
    await button(row, 'Remove').click();
    await button(page.getByRole('dialog'), 'Remove doctor').click();
    await row.waitFor({ state: 'detached' });
  });

  test('at 1280x720 and on a phone: every screen fits the width', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      await page.setViewportSize(viewport);
      for (const screen of Object.keys(CONTROLS)) {
        await link(page, screen).click();
        await heading(screen).waitFor();
        await page.waitForLoadState('networkidle');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${screen} at ${viewport.width} px is ${overflow} px too wide`);
      }
    }
  });

  test('answers carry the security headers: CSP, nosniff, no-referrer, no-store on HTML and /admin/api', async () => {
    const pageAnswer = await opened.context.request.get(`${server.url}/`);
    const apiAnswer = await opened.context.request.get(`${server.url}/admin/api/session`);
    for (const answer of [pageAnswer, apiAnswer]) {
      const headers = answer.headers();
      assert.equal(headers['content-security-policy'], "default-src 'self'; frame-ancestors 'none'");
      assert.equal(headers['x-content-type-options'], 'nosniff');
      assert.equal(headers['referrer-policy'], 'no-referrer');
      assert.match(headers['cache-control'], /no-store/);
      // A self-signed certificate: no HSTS that would lock admins out after a renewal.
      assert.equal(headers['strict-transport-security'], undefined);
    }
  });
});
