// Set up, Sign in, Sign out, the lockout, and what the session cookie is,
// against the real daemon: each test starts a fresh one (no admin yet).

import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';

import { button, field, launchBrowser, link, openPage } from '../support/browser.mjs';
import { PASSWORD, setUp, signIn } from '../support/flows.mjs';
import { startServer } from '../support/server.mjs';

describe('access', () => {
  let server;
  let browser;
  let opened;

  before(async () => {
    browser = await launchBrowser();
  });
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await opened?.context.close();
    opened = undefined;
    await server?.close();
  });
  after(async () => {
    await browser?.close();
  });

  async function open() {
    opened = await openPage(browser, server.url);
    return opened.page;
  }

  test('first run offers only Set up, checks the form and the setup code, then creates the admin', async () => {
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

    // A well-formed code that the box did not print: the daemon refuses it,
    // under the field, and what was typed stays.
    await field(page, 'Setup code').fill('AAAA-BBBB-CCCC-DDDD');
    await field(page, 'Confirm password').fill(PASSWORD);
    await button(page, 'Create admin').click();
    await page.locator('#setup-code-error').waitFor();
    assert.match(await page.locator('#setup-code-error').textContent(), /setup code/i);
    assert.equal(await field(page, 'Setup code').inputValue(), 'AAAA-BBBB-CCCC-DDDD');
    assert.equal(await field(page, 'Password').inputValue(), PASSWORD);
    assert.equal(await field(page, 'Setup code').getAttribute('aria-invalid'), 'true');

    // The code `telemed-bridge admin setup-code` prints on the box.
    await setUp(page, await server.setupCode());
    for (const name of ['Overview', 'Zoom', 'Doctors', 'Appointments', 'API keys', 'System']) {
      assert.equal(await link(page, name).count(), 1, name);
    }
    assert.equal(await button(page, 'Sign out').count(), 1);
    // The code is used up, and no second admin can be set up.
    const again = await server.cli(['admin', 'setup-code']);
    assert.equal(again.code, 1, again.stdout);
    assert.deepEqual(opened.problems, []);
  });

  test('the session cookie is __Host-, Secure, HttpOnly, SameSite=Strict, Path=/', async () => {
    const page = await open();
    await setUp(page, await server.setupCode());
    const cookies = await opened.context.cookies();
    assert.equal(cookies.length, 1, JSON.stringify(cookies));
    const [session] = cookies;
    assert.equal(session.name, '__Host-tb_session');
    assert.equal(session.secure, true);
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.path, '/');
    assert.equal(session.domain, '127.0.0.1');
    // 256 random bits, whatever the encoding: at least 43 characters.
    assert.ok(session.value.length >= 43, session.value);
  });

  test('sign in, a wrong password said next to the field, sign out ends the session', async () => {
    await server.makeAdmin(PASSWORD);
    const page = await open();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await field(page, 'Password').fill('not the password');
    await button(page, 'Sign in').click();
    await page.locator('#signin-password-error').waitFor();
    assert.match(await page.locator('#signin-password-error').textContent(), /password is wrong/i);
    assert.equal(await field(page, 'Password').inputValue(), 'not the password');

    await signIn(page);
    const [cookie] = await opened.context.cookies();
    await page.reload();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    await button(page, 'Sign out').click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    // The old cookie, sent again by hand, no longer opens anything.
    const answer = await opened.context.request.get(`${server.url}/admin/api/overview`,
      { headers: { Cookie: `${cookie.name}=${cookie.value}` } });
    assert.equal(answer.status(), 401);
    assert.deepEqual(opened.problems, []);
  });

  test('after 5 wrong passwords the page says when to try again (429)', async () => {
    await server.makeAdmin(PASSWORD);
    const page = await open();
    for (let i = 0; i < 5; i++) {
      await field(page, 'Password').fill(`wrong password ${i}`);
      await button(page, 'Sign in').click();
      await page.locator('#signin-password-error').waitFor();
      await page.waitForFunction(() => !document.querySelector('#signin-form button[type=submit]')?.disabled);
    }
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/admin/api/login')),
      (async () => {
        await field(page, 'Password').fill(PASSWORD);
        await button(page, 'Sign in').click();
      })(),
    ]);
    assert.equal(answer.status(), 429);
    assert.match(answer.headers()['retry-after'], /^\d+$/);
    await page.getByText(/^Too many attempts: try again in \d+ s\.$/).waitFor();
    const line = await page.locator('#signin-form .form-error').textContent();
    const seconds = Number(/try again in (\d+) s/.exec(line)[1]);
    assert.ok(seconds > 0 && seconds <= 900, line);
    // Even the right password is refused while the address is locked out.
    assert.equal(await page.getByRole('heading', { name: 'Sign in', exact: true }).count(), 1);
  });

  test('a session ended on the box (admin reset-password) sends the page back to Sign in', async () => {
    await server.makeAdmin(PASSWORD);
    const page = await open();
    await signIn(page);
    await server.makeAdmin('another long password');
    await link(page, 'Doctors').click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    assert.equal(await page.locator('#signin-notice').textContent(), 'Your session has ended. Sign in again.');
    await signIn(page, 'another long password', 'Doctors');
  });

  test('the current screen\'s link shows changes made elsewhere (a key made with the CLI)', async () => {
    await server.makeAdmin(PASSWORD);
    const page = await open();
    await signIn(page);
    await link(page, 'API keys').click();
    await page.getByText('No API keys.').waitFor();
    const made = await server.cli(['apikey', 'create', 'made-by-the-cli']);
    assert.equal(made.code, 0, made.stderr);
    await link(page, 'API keys').click();
    await page.getByRole('cell', { name: 'made-by-the-cli', exact: true }).waitFor();
  });

  test('System: Change password ends the other sessions, keeps this one; Sign out everywhere ends all', async () => {
    await server.makeAdmin(PASSWORD);
    const other = await openPage(browser, server.url);
    try {
      await signIn(other.page);
      const page = await open();
      await signIn(page);
      await link(page, 'System').click();
      await field(page, 'Current password').fill(PASSWORD);
      await field(page, 'New password').fill('a new long password');
      await field(page, 'Confirm password').fill('a new long password');
      await button(page, 'Change password').click();
      await page.waitForFunction(() => document.getElementById('status').textContent.includes('Password changed'));
      await page.getByRole('cell', { name: 'password_changed', exact: true }).first().waitFor();

      await link(other.page, 'Doctors').click();
      await other.page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
      await signIn(other.page, 'a new long password', 'Doctors');

      await button(page, 'Sign out everywhere').click();
      await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
      await link(other.page, 'Zoom').click();
      await other.page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
      assert.deepEqual(opened.problems, []);
    } finally {
      await other.context.close();
    }
  });
});
