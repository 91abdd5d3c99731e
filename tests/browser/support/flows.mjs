// Steps several tests share: the first admin, signing in, a stored Zoom app.

import { setTimeout as sleep } from 'node:timers/promises';

import { button, field } from './browser.mjs';
import { ZOOM_APP } from './daemon.mjs';

export const PASSWORD = 'correct horse battery';

export async function setUp(page, setupCode, password = PASSWORD) {
  await field(page, 'Setup code').fill(setupCode);
  await field(page, 'Password').fill(password);
  await field(page, 'Confirm password').fill(password);
  await button(page, 'Create admin').click();
  await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
}

// Signs in and waits for the screen the address names (Overview by default).
export async function signIn(page, password = PASSWORD, screen = 'Overview') {
  await field(page, 'Password').fill(password);
  await button(page, 'Sign in').click();
  await page.getByRole('heading', { name: screen, exact: true }).waitFor();
}

// Fills the Zoom screen's form and presses Save (the screen must be open).
// The screen fills the IDs in from the daemon: typing starts after that.
export async function saveZoomApp(page, secret = ZOOM_APP.client_secret) {
  await page.waitForLoadState('networkidle');
  await field(page, 'Account ID').fill(ZOOM_APP.account_id);
  await field(page, 'Client ID').fill(ZOOM_APP.client_id);
  await field(page, 'Client secret').fill(secret);
  await button(page, 'Save').click();
}

// Shows the screen again (`reshow`) until `scope` shows `text`: the daemon
// works in the background (the Zoom user lookup, the sync).
export async function waitForText(scope, text, reshow, limitMs = 30000) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await scope.getByText(text, { exact: true }).count()) return;
    if (Date.now() > deadline) {
      throw new Error(`"${text}" not shown within ${limitMs} ms: ${await scope.textContent().catch(() => '')}`);
    }
    await sleep(500);
    await reshow();
    await scope.first().waitFor().catch(() => {});
  }
}
