// Steps several tests share: the first admin, signing in, a stored Zoom app.

import { button, field } from './browser.mjs';
import { SETUP_CODE } from './mock-admin-api.mjs';

export const PASSWORD = 'correct horse battery';

export async function setUp(page, password = PASSWORD) {
  await field(page, 'Setup code').fill(SETUP_CODE);
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

// The mock's state with an admin, a Zoom app and, optionally, more.
export function prepare(state, { zoom = true } = {}) {
  state.password = PASSWORD;
  if (zoom) {
    state.zoom = { configured: true, account_id: 'acc-1', client_id: 'client-1', client_secret: 's3cret-value' };
  }
}
