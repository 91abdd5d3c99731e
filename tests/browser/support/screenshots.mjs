// Writes a PNG of each screen of the admin page into the folder given as
// the first argument (docs/img/ by `./dev.sh browser-test --screenshots`),
// at 1280x720 and one at a phone's width, for docs and review.
//
// From the mock (support/mock-admin-api.mjs) with a few doctors,
// appointments and keys in it, so the screens show what they look like in
// use.

import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { button, field, launchBrowser, link, openPage, PHONE } from './browser.mjs';
import { prepare, signIn } from './flows.mjs';
import { seedAppointments } from './mock-admin-api.mjs';
import { startServer } from './server.mjs';

const out = path.resolve(process.argv[2] || '../../docs/img');
mkdirSync(out, { recursive: true });

function fill(state) {
  prepare(state);
  state.lastTest = { checked_at: new Date().toISOString(), ok: true, items: [
    { subject: 'Token', ok: true, detail: 'Zoom issued a token.' },
    { subject: 'Scopes', ok: true, detail: 'Every scope the bridge needs is granted.' }] };
  for (const [id, name, zoomUser, doctorState] of [
    ['dr-lee', 'Dr Lee', 'lee@clinic.example', 'ok'],
    ['dr-kim', 'Dr Kim', 'kim@old-clinic.example', 'zoom_user_not_found']]) {
    state.doctors.set(id, { id, name, zoom_user: zoomUser, auth: 's2s', state: doctorState,
      checked_at: new Date().toISOString() });
  }
  seedAppointments(state, 80);
  state.keys.push({ id: 'key-1', name: 'reception PC', created_at: '2026-11-20T09:00:00Z',
    last_used_at: new Date().toISOString() });
}

async function shoot(page, name) {
  await page.screenshot({ path: path.join(out, `admin-${name}.png`) });
  console.log(`wrote docs/img/admin-${name}.png`);
}

async function screen(page, linkName, name) {
  await link(page, linkName).click();
  await page.getByRole('heading', { name: linkName, exact: true, level: 1 }).waitFor();
  await page.waitForLoadState('networkidle');
  await shoot(page, name);
}

const server = await startServer();
const browser = await launchBrowser();
try {
  let { page, context } = await openPage(browser, server.url);
  await page.getByRole('heading', { name: 'Set up', exact: true }).waitFor();
  await shoot(page, 'setup');
  fill(server.state);
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  await shoot(page, 'sign-in');
  await signIn(page);
  await page.waitForLoadState('networkidle');
  await shoot(page, 'overview');
  await screen(page, 'Zoom', 'zoom');
  await screen(page, 'Doctors', 'doctors');
  await screen(page, 'Appointments', 'appointments');
  await link(page, 'API keys').click();
  await field(page, 'Key name').fill('billing PC');
  await button(page, 'Create key').click();
  await button(page, 'Copy').waitFor();
  await page.waitForLoadState('networkidle');
  await shoot(page, 'api-keys');
  await screen(page, 'System', 'system');
  await context.close();

  ({ page, context } = await openPage(browser, server.url, PHONE));
  await signIn(page);
  await page.waitForLoadState('networkidle');
  await shoot(page, 'phone-overview');
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
