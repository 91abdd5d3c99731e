// Every screen by its link, every control by its exact name, and what each
// screen does: errors next to fields, dialogs, paging, downloads.

import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';

import { button, DESKTOP, field, launchBrowser, link, openPage, PHONE } from '../support/browser.mjs';
import { PASSWORD, prepare, signIn } from '../support/flows.mjs';
import { REFUSED_SECRET, seedAppointments } from '../support/mock-admin-api.mjs';
import { startServer } from '../support/server.mjs';

const CONTROLS = {
  Overview: { fields: [], buttons: [] },
  Zoom: { fields: ['Account ID', 'Client ID', 'Client secret'], buttons: ['Save', 'Test connection', 'Forget Zoom app'] },
  Doctors: { fields: [], buttons: ['Add doctor'] },
  Appointments: { fields: ['Status', 'Search'], buttons: ['Previous page', 'Next page'] },
  'API keys': { fields: ['Key name'], buttons: ['Create key'] },
  System: {
    fields: ['Password', 'Current password', 'New password', 'Confirm password'],
    buttons: ['Download backup', 'Download secret key', 'Change password', 'Sign out everywhere'],
  },
};

describe('screens', () => {
  let server;
  let browser;
  let opened;
  let page;

  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });
  beforeEach(async () => {
    server = await startServer();
    prepare(server.state);
    opened = await openPage(browser, server.url);
    page = opened.page;
    await signIn(page);
  });
  afterEach(async () => {
    await opened?.context.close();
    await server?.close();
    // A CSP violation or a script error shows up here.
    assert.deepEqual(opened.problems, []);
  });

  const heading = (name) => page.getByRole('heading', { name, exact: true, level: 1 });

  test('each screen is reachable by its link and has its controls', async () => {
    for (const [screen, { fields, buttons }] of Object.entries(CONTROLS)) {
      await link(page, screen).click();
      await heading(screen).waitFor();
      assert.equal(await link(page, screen).getAttribute('aria-current'), 'page');
      for (const name of fields) assert.equal(await field(page, name).count(), 1, `${screen}: ${name}`);
      for (const name of buttons) assert.equal(await button(page, name).count(), 1, `${screen}: ${name}`);
      assert.equal(await button(page, 'Sign out').count(), 1);
      // Every field is named by a <label for> of its own.
      const unlabelled = await page.evaluate(() => [...document.querySelectorAll('main input, main select')]
        .filter((input) => !input.id || !document.querySelector(`label[for="${input.id}"]`))
        .map((input) => input.outerHTML));
      assert.deepEqual(unlabelled, [], screen);
    }
  });

  test('Overview: the certificate warning shows from 30 days before expiry, and once expired', async () => {
    const warning = page.locator('#cert-warning');
    await link(page, 'Overview').click();
    await page.getByText('SHA-256 fingerprint', { exact: true }).waitFor();
    assert.equal(await warning.isVisible(), false);
    server.state.certificate = { ...server.state.certificate, not_after: '2027-01-01T00:00:00Z', expires_in_days: 30 };
    await link(page, 'Zoom').click();
    await link(page, 'Overview').click();
    await warning.waitFor();
    assert.match(await warning.textContent(), /certificate expires in 30 days .*Renew it on the box with: telemed-bridge web cert --renew/);
    server.state.certificate = { ...server.state.certificate, imported: true, expires_in_days: -2 };
    await link(page, 'Zoom').click();
    await link(page, 'Overview').click();
    await page.getByText(/certificate expired on/).waitFor();
    assert.match(await warning.textContent(), /Import a new one on the box \(telemed-bridge web cert --import CERT KEY\)/);
  });

  test('Zoom: a refused secret is said under Client secret, then Save, Test connection, Forget', async () => {
    server.state.zoom.configured = false;
    await link(page, 'Zoom').click();
    await heading('Zoom').waitFor();
    await field(page, 'Account ID').fill('acc-9');
    await field(page, 'Client ID').fill('client-9');
    await field(page, 'Client secret').fill(REFUSED_SECRET);
    await button(page, 'Save').click();
    await page.locator('#zoom-secret-error').waitFor();
    assert.match(await page.locator('#zoom-secret-error').textContent(), /Zoom refused/);
    assert.equal(await field(page, 'Account ID').inputValue(), 'acc-9');
    assert.equal(server.state.zoom.configured, false);

    await field(page, 'Client secret').fill('the-right-secret');
    await button(page, 'Save').click();
    await page.getByText('Everything works.', { exact: false }).waitFor();
    assert.equal(server.state.zoom.client_secret, 'the-right-secret');
    // Write-only: the secret is never shown back.
    assert.equal(await field(page, 'Client secret').inputValue(), '');
    assert.equal((await page.content()).includes('the-right-secret'), false);

    await button(page, 'Test connection').click();
    await page.getByText('OK: Token').waitFor();

    await button(page, 'Forget Zoom app').click();
    const dialog = page.getByRole('dialog');
    await button(dialog, 'Cancel').click();
    assert.equal(server.state.zoom.configured, true);
    await button(page, 'Forget Zoom app').click();
    await button(dialog, 'Forget Zoom app').click();
    await page.getByText('No app is stored yet.').waitFor();
    assert.equal(server.state.zoom.configured, false);
  });

  test('Doctors: one added from the user picker becomes OK; Edit; Remove asks first', async () => {
    await link(page, 'Doctors').click();
    await button(page, 'Add doctor').click();
    await field(page, 'Doctor ID').fill('dr-lee');
    await field(page, 'Name').fill('Dr Lee');
    const options = await page.locator('#zoom-users option').evaluateAll((list) => list.map((o) => o.value));
    assert.deepEqual(options, ['lee@clinic.example', 'kim@clinic.example']);
    await field(page, 'Zoom user').fill(options[0]);
    await field(page, 'Connection').selectOption({ label: 'Clinic Zoom account (S2S)' });
    await button(page, 'Save').click();
    const row = page.getByRole('row').filter({ hasText: 'dr-lee' });
    await row.getByText('OK', { exact: true }).waitFor();

    await button(row, 'Edit').click();
    await field(page, 'Zoom user').fill('nobody@clinic.example');
    await button(page, 'Save').click();
    await row.getByText('Zoom user not found').waitFor();

    await button(row, 'Remove').click();
    await button(page.getByRole('dialog'), 'Remove doctor').click();
    await page.getByText('No doctors yet.', { exact: false }).waitFor();
    assert.equal(server.state.doctors.size, 0);
  });

  test('Doctors: a server refusal is said next to its field', async () => {
    await link(page, 'Doctors').click();
    await button(page, 'Add doctor').click();
    await field(page, 'Doctor ID').fill('bad id!');
    await field(page, 'Name').fill('Dr X');
    await field(page, 'Zoom user').fill('x@clinic.example');
    await button(page, 'Save').click();
    await page.locator('#doctor-id-error').waitFor();
    assert.match(await page.locator('#doctor-id-error').textContent(), /Letters, digits/);
    assert.equal(await field(page, 'Name').inputValue(), 'Dr X');
  });

  test('Appointments: newest first, paged, filtered, searched, Retry on a failed one', async () => {
    seedAppointments(server.state, 120);
    server.state.appointments[118].join_url = 'javascript:alert(1)';
    await link(page, 'Appointments').click();
    const rows = page.locator('#appt-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 50);
    assert.match(await rows.first().textContent(), /appt-00119/);
    assert.equal(await link(rows.first(), 'Join link').getAttribute('href'), 'https://zoom.example/j/81000000119');
    // A join URL that is not https is shown as no link at all.
    assert.equal(await link(rows.nth(1), 'Join link').count(), 0);
    await button(page, 'Next page').click();
    await page.getByText('Page 2').waitFor();
    assert.match(await rows.first().textContent(), /appt-00069/);
    await button(page, 'Previous page').click();
    await page.getByText('Page 1').waitFor();

    await field(page, 'Status').selectOption({ label: 'Failed' });
    await page.getByText('Page 1').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('#appt-table tbody tr').length === 17);
    assert.equal(await button(page, 'Next page').isDisabled(), true);

    await field(page, 'Search').fill('appt-00003');
    await page.waitForFunction(() => document.querySelectorAll('#appt-table tbody tr').length === 1);
    const row = rows.first();
    assert.match(await row.textContent(), /Fix the Zoom user on the Doctors screen/);
    await button(row, 'Retry').click();
    await row.getByText('Pending', { exact: true }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'appt-00003');
    assert.equal(server.state.appointments[3].status, 'pending');
  });

  test('API keys: created and shown once, revoked after a confirmation', async () => {
    await link(page, 'API keys').click();
    await button(page, 'Create key').click();
    assert.equal(await page.locator('#key-name-error').textContent(), 'Required.');
    await field(page, 'Key name').fill('reception PC');
    await button(page, 'Create key').click();
    await button(page, 'Copy').waitFor();
    assert.match(await page.locator('#key-secret-value').textContent(), /^tb_/);
    const row = page.getByRole('row').filter({ hasText: 'reception PC' });
    assert.match(await row.textContent(), /never/);

    await button(row, 'Revoke').click();
    const dialog = page.getByRole('dialog');
    assert.equal(await button(dialog, 'Cancel').evaluate((b) => b === document.activeElement), true);
    await button(dialog, 'Revoke key').click();
    await page.getByText('No API keys.').waitFor();
    // The Revoke button is gone; the keyboard's place is the form again.
    await page.waitForFunction(() => document.activeElement.id === 'key-name');
    assert.equal(server.state.keys.length, 0);
  });

  test('System: backup and secret key downloads, the password asked again', async () => {
    await link(page, 'System').click();
    await page.getByText('telemed-bridge started').waitFor();
    const [backup] = await Promise.all([page.waitForEvent('download'), button(page, 'Download backup').click()]);
    assert.equal(backup.suggestedFilename(), 'telemed-bridge-20261203-101500.db');

    await field(page, 'Password').fill('wrong password!');
    await button(page, 'Download secret key').click();
    await page.locator('#secret-password-error').waitFor();
    await field(page, 'Password').fill(PASSWORD);
    const [key] = await Promise.all([page.waitForEvent('download'), button(page, 'Download secret key').click()]);
    assert.equal(key.suggestedFilename(), 'telemed-bridge-secret.key');
  });

  test('System: change password keeps this session; Sign out everywhere ends it', async () => {
    await link(page, 'System').click();
    await field(page, 'Current password').fill(PASSWORD);
    await field(page, 'New password').fill('a new long password');
    await field(page, 'Confirm password').fill('a new long password');
    await button(page, 'Change password').click();
    await heading('System').waitFor();
    await page.waitForFunction(() => document.getElementById('status').textContent.includes('Password changed'));
    assert.equal(server.state.password, 'a new long password');
    await page.getByRole('cell', { name: 'sign_in', exact: true }).first().waitFor();

    await button(page, 'Sign out everywhere').click();
    await heading('Sign in').waitFor();
    assert.equal(server.state.sessions.size, 0);
  });

  test('a state-changing call without the CSRF token is refused', async () => {
    const answer = await page.evaluate(async () => {
      const response = await fetch('/admin/api/keys', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'forged' }) });
      return { status: response.status, body: await response.json() };
    });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'csrf_invalid');
    // The page's own calls carry it.
    await link(page, 'API keys').click();
    await field(page, 'Key name').fill('real');
    await button(page, 'Create key').click();
    await button(page, 'Copy').waitFor();
  });

  test('keyboard only: add a doctor with Tab, typing, Enter and Escape', async () => {
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
    await page.keyboard.type('kim@clinic.example');
    await page.keyboard.press('Enter');
    const row = page.getByRole('row').filter({ hasText: 'dr-kim' });
    await row.getByText('OK', { exact: true }).waitFor();
    // The dialog: Escape cancels.
    await button(row, 'Remove').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    assert.equal(server.state.doctors.size, 1);
  });

  test('at 1280x720 and on a phone: every screen fits the width', async () => {
    seedAppointments(server.state, 60);
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

  test('Appointments: 10,000 of them are paged by the server, 50 at a time', async () => {
    seedAppointments(server.state, 10000);
    await link(page, 'Appointments').click();
    const rows = page.locator('#appt-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 50);
    for (let i = 0; i < 3; i++) await button(page, 'Next page').click();
    await page.getByText('Page 4').waitFor();
    assert.match(await rows.first().textContent(), /appt-09849/);
    await field(page, 'Search').fill('appt-0000');
    await page.waitForFunction(() => document.querySelectorAll('#appt-table tbody tr').length === 10);
    await page.getByText('Page 1').waitFor();
  });
});
