// The few states the real daemon cannot reach in a test's time, on the
// in-memory mock of docs/admin-api.md (support/mock-admin-api.mjs):
// - 10,000 and 120 appointments with a failure every seventh: through the
//   daemon that is 10,000 PUTs and Zoom creates, and the fake Zoom (like
//   Zoom) allows a host 100 creates a day;
// - a join URL that is not https: the fake Zoom only makes https ones;
// - the admin removed while the page is open: the daemon has no way to
//   remove the admin;
// - a certificate 30 days before and after its expiry: the daemon's own is
//   valid 825 days and an imported one must be valid when imported;
// - Disconnect's dialog and request: a connected OAuth doctor needs a doctor
//   signing in at Zoom (the daemon's side is tested in C++, including the
//   same request through the admin route).
// Everything else is tested against the daemon (the other test files).

import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';

import { button, field, launchBrowser, link, openPage } from '../support/browser.mjs';
import { PASSWORD, signIn } from '../support/flows.mjs';
import { seedAppointments, startMock } from '../support/mock-admin-api.mjs';

describe('mock', () => {
  let server;
  let browser;
  let opened;
  let page;

  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });
  beforeEach(async () => {
    server = await startMock();
    server.state.password = PASSWORD;
    opened = await openPage(browser, server.url);
    page = opened.page;
  });
  afterEach(async () => {
    await opened?.context.close();
    await server?.close();
    assert.deepEqual(opened.problems, []);
  });

  test('Appointments: 120 are paged 50 at a time; Retry on a failed one; a join URL not https is no link', async () => {
    await signIn(page);
    seedAppointments(server.state, 120);
    server.state.appointments[118].join_url = 'javascript:alert(1)';
    await link(page, 'Appointments').click();
    const rows = page.locator('#appt-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 50);
    assert.match(await rows.first().textContent(), /appt-00119/);
    assert.equal(await link(rows.nth(1), 'Join link').count(), 0);
    await button(page, 'Next page').click();
    await page.getByText('Page 2').waitFor();
    assert.match(await rows.first().textContent(), /appt-00069/);
    await button(page, 'Previous page').click();
    await page.getByText('Page 1').waitFor();

    await field(page, 'Status').selectOption({ label: 'Failed' });
    await page.waitForFunction(() => document.querySelectorAll('#appt-table tbody tr').length === 17);
    await field(page, 'Search').fill('appt-00003');
    await page.waitForFunction(() => document.querySelectorAll('#appt-table tbody tr').length === 1);
    const row = rows.first();
    await button(row, 'Retry').click();
    await row.getByText('Pending', { exact: true }).waitFor();
    // The button is gone: the keyboard's place is its row.
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'appt-00003');
  });

  test('Appointments: 10,000 of them are paged by the server, 50 at a time', async () => {
    await signIn(page);
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

  test('Sign in after the admin was removed elsewhere goes to Set up', async () => {
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    server.state.password = null;
    await field(page, 'Password').fill(PASSWORD);
    await button(page, 'Sign in').click();
    await page.getByRole('heading', { name: 'Set up', exact: true }).waitFor();
  });

  test('Overview: the certificate warning shows from 30 days before expiry, and once expired', async () => {
    await signIn(page);
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

  test('Doctors: Disconnect asks first, and may also delete the meetings', async () => {
    server.state.doctors.set('dr-o', { id: 'dr-o', name: 'Dr O', zoom_user: '', auth: 'oauth',
      state: 'not_connected', checked_at: null });
    server.state.doctors.set('dr-s', { id: 'dr-s', name: 'Dr S', zoom_user: 's@clinic.example', auth: 's2s',
      state: 'ok', checked_at: null });
    await signIn(page);
    await link(page, 'Doctors').click();
    const row = page.locator('#doctor-table tbody tr', { hasText: 'dr-o' });
    await row.waitFor();
    // Only an OAuth doctor has the button.
    const s2sRow = page.locator('#doctor-table tbody tr', { hasText: 'dr-s' });
    assert.equal(await button(s2sRow, 'Disconnect').count(), 0);

    const dialog = page.getByRole('dialog');
    await button(row, 'Disconnect').click();
    await dialog.getByText('Disconnect Dr O from Zoom?').waitFor();
    const box = dialog.getByLabel("Also delete this doctor's Zoom meetings", { exact: true });
    assert.equal(await box.isChecked(), false);
    await button(dialog, 'Cancel').click();
    assert.deepEqual(server.state.disconnects, []);

    await button(row, 'Disconnect').click();
    await button(dialog, 'Disconnect').click();
    await page.getByText('Disconnected Dr O from Zoom.').waitFor();
    await button(row, 'Disconnect').click();
    assert.equal(await box.isChecked(), false);
    await box.check();
    await button(dialog, 'Disconnect').click();
    await page.getByText('Disconnected Dr O: deleting 2 Zoom meetings first.').waitFor();
    assert.deepEqual(server.state.disconnects,
      [{ id: 'dr-o', delete_meetings: false }, { id: 'dr-o', delete_meetings: true }]);

    // Other confirmations show no box.
    await button(row, 'Remove').click();
    await dialog.getByText('Remove Dr O?').waitFor();
    assert.equal(await box.isVisible(), false);
    await button(dialog, 'Cancel').click();
  });
});
