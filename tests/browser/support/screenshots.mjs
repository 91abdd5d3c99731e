// Writes the PNGs of docs/admin-guide.md into the folder given as the first
// argument (docs/img/ by `./dev.sh browser-test --screenshots`): the real
// daemon against the fake Zoom, set up the way the guide tells an admin to,
// at 1280x720 and one at a phone's width. Every value on them (setup code,
// fingerprint, API key) belongs to a throwaway data dir.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { button, field, launchBrowser, link, openPage, PHONE } from './browser.mjs';
import { OAUTH_CLIENT_ID, ZOOM_USER } from './daemon.mjs';
import { PASSWORD, saveZoomApp, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const out = path.resolve(process.argv[2] || '../../docs/img');
mkdirSync(out, { recursive: true });

// The status line of an earlier step (it stays until the next one) is
// cleared, so that each picture shows only its own screen.
// `of` (a locator) takes only that part of the screen.
async function shoot(page, name, { keepStatus = false, of = page } = {}) {
  await page.waitForLoadState('networkidle');
  if (!keepStatus) await page.evaluate(() => { document.getElementById('status').textContent = ''; });
  await of.screenshot({ path: path.join(out, `admin-${name}.png`) });
  console.log(`wrote ${path.join(out, `admin-${name}.png`)}`);
}

// A page of the bridge the doctor sees (no status line), in a small window.
async function shootDoctorPage(page, name) {
  await page.screenshot({ path: path.join(out, `connect-${name}.png`) });
  console.log(`wrote ${path.join(out, `connect-${name}.png`)}`);
}

// Connecting a doctor's own Zoom account, as the guide's section tells it:
// the OAuth app on Zoom, Connect to Zoom on Doctors, the doctor's pages in
// a browser of their own, and the doctor connected.
async function shootConnecting(browser, page, server) {
  await show(page, 'Zoom');
  await page.waitForLoadState('networkidle');
  await field(page, 'OAuth client ID').fill(OAUTH_CLIENT_ID);
  await field(page, 'OAuth client secret').fill(server.zoom.oauthClientSecret);
  await button(page, 'Save OAuth app').click();
  await page.getByText('An OAuth app is stored.', { exact: false }).waitFor();
  await shoot(page, 'zoom-oauth', { of: page.locator('section', { has: page.locator('#oauth-form') }).last() });

  await show(page, 'Doctors');
  await button(page, 'Add doctor').click();
  await field(page, 'Doctor ID').fill('dr-ana');
  await field(page, 'Name').fill('Dr Ana');
  await field(page, 'Zoom user').fill('ana@clinic.example');
  await field(page, 'Connection').selectOption('oauth');
  await button(page, 'Save').click();
  const row = page.getByRole('row').filter({ hasText: 'dr-ana' });
  await row.getByText('not connected', { exact: true }).waitFor();
  await button(row, 'Connect to Zoom').click();
  await page.locator('#connect-url').filter({ hasText: '/oauth/connect/' }).waitFor();
  const connectUrl = (await page.locator('#connect-url').textContent()).trim();
  await shoot(page, 'doctor-connect');

  const doctor = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 800, height: 260 } });
  const doctorPage = await doctor.newPage();
  await doctorPage.goto(connectUrl);
  await button(doctorPage, 'Continue to Zoom').waitFor();
  await shootDoctorPage(doctorPage, 'continue');
  await button(doctorPage, 'Continue to Zoom').click();
  await doctorPage.getByRole('heading', { name: 'Zoom connected', exact: true }).waitFor();
  await shootDoctorPage(doctorPage, 'connected');
  await doctorPage.goto(connectUrl);
  await doctorPage.getByRole('heading', { name: 'Zoom was not connected', exact: true }).waitFor();
  await shootDoctorPage(doctorPage, 'refused');
  await doctor.close();

  await showUntil(page, 'Doctors', 'connected as ana@clinic.example');
  await shoot(page, 'doctors-connected');
}

async function show(page, screen) {
  await link(page, screen).click();
  await page.getByRole('heading', { name: screen, exact: true, level: 1 }).waitFor();
}

// Shows `screen` again until `text` is on it (the daemon works in the
// background).
async function showUntil(page, screen, text) {
  for (let tries = 0; tries < 60; tries++) {
    await show(page, screen);
    await page.waitForLoadState('networkidle');
    if (await page.getByText(text, { exact: true }).count()) return;
    await sleep(500);
  }
  throw new Error(`${screen} never showed "${text}"`);
}

async function addDoctor(page, id, name, zoomUser) {
  await button(page, 'Add doctor').click();
  await field(page, 'Doctor ID').fill(id);
  await field(page, 'Name').fill(name);
  await field(page, 'Zoom user').fill(zoomUser);
  await button(page, 'Save').click();
  await page.getByRole('row').filter({ hasText: id }).waitFor();
}

const server = await startServer();
const browser = await launchBrowser();
try {
  await server.zoom.control('users', { id: 'u2', email: 'kim@clinic.example' });
  await server.zoom.control('users', { id: 'u3', email: 'ana@clinic.example' });
  await server.zoom.control('authorize', { user: 'u3' });
  const { page, context } = await openPage(browser, server.url);
  await page.getByRole('heading', { name: 'Set up', exact: true }).waitFor();
  await field(page, 'Setup code').fill(await server.setupCode());
  await field(page, 'Password').fill(PASSWORD);
  await field(page, 'Confirm password').fill(PASSWORD);
  await shoot(page, 'setup');
  await button(page, 'Create admin').click();
  await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();

  await show(page, 'Zoom');
  await saveZoomApp(page);
  await page.getByText('An app is stored.', { exact: false }).waitFor();
  await button(page, 'Test connection').click();
  await page.getByText('Everything works.', { exact: false }).waitFor();
  await shoot(page, 'zoom');

  await show(page, 'Doctors');
  await addDoctor(page, 'dr-lee', 'Dr Lee', ZOOM_USER);
  await addDoctor(page, 'dr-kim', 'Dr Kim', 'kim@old-clinic.example');
  await showUntil(page, 'Doctors', 'Zoom user not found');
  await button(page, 'Add doctor').click();
  await field(page, 'Doctor ID').fill('dr-ray');
  await field(page, 'Name').fill('Dr Ray');
  await field(page, 'Zoom user').click();
  await shoot(page, 'doctor-form');
  await showUntil(page, 'Doctors', 'OK');
  await shoot(page, 'doctors');
  await shootConnecting(browser, page, server);

  await show(page, 'API keys');
  await field(page, 'Key name').fill('reception-pc');
  await button(page, 'Create key').click();
  await button(page, 'Copy').waitFor();
  const key = (await page.locator('#key-secret-value').textContent()).trim();
  await shoot(page, 'api-keys');

  // The clinic software's appointments, one of them for Dr Kim, whose Zoom
  // user is wrong.
  for (const [id, doctor, day] of [['appt-1001', 'dr-lee', 3], ['appt-1002', 'dr-lee', 4], ['appt-1003', 'dr-kim', 4]]) {
    const answer = await fetch(`${server.apiUrl}/api/v1/appointments/${id}`, {
      method: 'PUT', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ doctor_id: doctor, start_time: `2030-06-0${day}T10:00:00+02:00`, duration_minutes: 30,
        timezone: 'Europe/Berlin', topic: 'Consultation' }),
    });
    if (!answer.ok) throw new Error(`PUT ${id}: ${await answer.text()}`);
  }
  await showUntil(page, 'Appointments', 'Failed');
  await showUntil(page, 'Appointments', 'Synced');
  await shoot(page, 'appointments');

  await show(page, 'Overview');
  await shoot(page, 'overview');
  await show(page, 'System');
  await shoot(page, 'system');
  await button(page, 'Sign out').click();
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  await shoot(page, 'sign-in');
  await context.close();

  const phone = await openPage(browser, server.url, PHONE);
  await signIn(phone.page);
  await shoot(phone.page, 'phone-overview');
  await phone.context.close();
} finally {
  await browser.close();
  await server.close();
}
