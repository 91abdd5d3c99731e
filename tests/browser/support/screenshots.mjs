// Writes the PNGs of docs/admin-guide.md into the folder given as the first
// argument (docs/img/ by `./dev.sh browser-test --screenshots`): the real
// daemon against the fake Zoom, set up the way the guide tells an admin to,
// at 1280x720 and one at a phone's width. Every value on them (setup code,
// fingerprint, API key) belongs to a throwaway data dir.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { button, field, launchBrowser, link, openPage, PHONE } from './browser.mjs';
import { ZOOM_USER } from './daemon.mjs';
import { PASSWORD, saveZoomApp, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const out = path.resolve(process.argv[2] || '../../docs/img');
mkdirSync(out, { recursive: true });

// The status line of an earlier step (it stays until the next one) is
// cleared, so that each picture shows only its own screen.
async function shoot(page, name, { keepStatus = false } = {}) {
  await page.waitForLoadState('networkidle');
  if (!keepStatus) await page.evaluate(() => { document.getElementById('status').textContent = ''; });
  await page.screenshot({ path: path.join(out, `admin-${name}.png`) });
  console.log(`wrote ${path.join(out, `admin-${name}.png`)}`);
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
