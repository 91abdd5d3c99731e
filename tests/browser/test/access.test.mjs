// Set up, Sign in, Sign out, the lockout, and what the session cookie is.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { button, field, launchBrowser, link, openPage } from '../support/browser.mjs';
import { PASSWORD, prepare, setUp, signIn } from '../support/flows.mjs';
import { startServer } from '../support/server.mjs';

describe('access', () => {
  let server;
  let browser;
  let opened;

  before(async () => {
    browser = await launchBrowser();
  });
  // Each test starts from a fresh bridge (no admin yet).
  beforeEach(async () => {
    await server?.close();
    server = await startServer();
  });
  after(async () => {
    await opened?.context.close();
    await server?.close();
    await browser?.close();
  });

  async function open() {
    await opened?.context.close();
    opened = await openPage(browser, server.url);
    return opened.page;
  }

  test('first run offers only Set up, checks the form, then creates the admin', async () => {
    const page = await open();
    await page.getByRole('heading', { name: 'Set up', exact: true }).waitFor();
    assert.equal(await link(page, 'Overview').count(), 0);

    await button(page, 'Create admin').click();
    assert.equal(await page.locator('#setup-code-error').textContent(), 'Required.');

    await field(page, 'Setup code').fill('WRONG-CODE');
    await field(page, 'Password').fill('short');
    await field(page, 'Confirm password').fill('short');
    await button(page, 'Create admin').click();
    assert.equal(await page.locator('#setup-password-error').textContent(), 'At least 12 characters.');

    await field(page, 'Password').fill(PASSWORD);
    await field(page, 'Confirm password').fill(PASSWORD + 'x');
    await button(page, 'Create admin').click();
    assert.match(await page.locator('#setup-confirm-error').textContent(), /Does not match/);

    await field(page, 'Confirm password').fill(PASSWORD);
    await button(page, 'Create admin').click();
    // The server's error sits under the field it names; what was typed stays.
    await page.locator('#setup-code-error').waitFor();
    assert.match(await page.locator('#setup-code-error').textContent(), /setup code is wrong/);
    assert.equal(await field(page, 'Setup code').inputValue(), 'WRONG-CODE');
    assert.equal(await field(page, 'Password').inputValue(), PASSWORD);
    assert.equal(await field(page, 'Setup code').getAttribute('aria-invalid'), 'true');

    await setUp(page);
    assert.equal(server.state.password, PASSWORD);
    for (const name of ['Overview', 'Zoom', 'Doctors', 'Appointments', 'API keys', 'System']) {
      assert.equal(await link(page, name).count(), 1, name);
    }
    assert.equal(await button(page, 'Sign out').count(), 1);
  });

  test('the session cookie is Secure, HttpOnly and SameSite=Strict', async () => {
    const page = await open();
    await setUp(page);
    const cookies = await opened.context.cookies();
    const session = cookies.find((cookie) => cookie.name === '__Host-tb_session');
    assert.ok(session, JSON.stringify(cookies));
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.path, '/');
    if (server.url.startsWith('https:')) assert.equal(session.secure, true);
  });

  test('sign in, a wrong password said next to the field, sign out', async () => {
    prepare(server.state);
    const page = await open();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await field(page, 'Password').fill('not the password');
    await button(page, 'Sign in').click();
    await page.locator('#signin-password-error').waitFor();
    assert.equal(await page.locator('#signin-password-error').textContent(), 'The password is wrong.');
    assert.equal(await field(page, 'Password').inputValue(), 'not the password');

    await signIn(page);
    await page.reload();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    await button(page, 'Sign out').click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    assert.equal(server.state.sessions.size, 0);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  });

  test('after 5 wrong passwords the page says when to try again', async () => {
    prepare(server.state);
    const page = await open();
    for (let i = 0; i < 5; i++) {
      await field(page, 'Password').fill(`wrong password ${i}`);
      await button(page, 'Sign in').click();
      await page.locator('#signin-password-error').waitFor();
    }
    await field(page, 'Password').fill(PASSWORD);
    await button(page, 'Sign in').click();
    await page.getByText(/^Too many attempts: try again in \d+ s\.$/).waitFor();
    // The answer names no field: the line stands above the button.
    const line = await page.locator('#signin-form .form-error').textContent();
    const seconds = Number(/try again in (\d+) s/.exec(line)[1]);
    assert.ok(seconds > 800 && seconds <= 900, line);
  });

  test('an ended session sends the page back to Sign in', async () => {
    prepare(server.state);
    const page = await open();
    await signIn(page);
    server.state.sessions.clear();
    await link(page, 'Doctors').click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    assert.equal(await page.locator('#signin-notice').textContent(), 'Your session has ended. Sign in again.');
    await signIn(page, PASSWORD, 'Doctors');
  });

  test('Sign in after the admin was removed elsewhere goes to Set up', async () => {
    prepare(server.state);
    const page = await open();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    server.state.password = null;
    await field(page, 'Password').fill(PASSWORD);
    await button(page, 'Sign in').click();
    await page.getByRole('heading', { name: 'Set up', exact: true }).waitFor();
  });

  test('the current screen\'s link shows changes made elsewhere', async () => {
    prepare(server.state);
    const page = await open();
    await signIn(page);
    await link(page, 'API keys').click();
    await page.getByText('No API keys.').waitFor();
    server.state.keys.push({ id: 'key-9', name: 'made by the CLI', created_at: new Date().toISOString(),
      last_used_at: null });
    await link(page, 'API keys').click();
    await page.getByRole('cell', { name: 'made by the CLI', exact: true }).waitFor();
  });
});
