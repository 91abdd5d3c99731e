// Debian's chromium driven by playwright-core: no browser download. The
// resolver rule stops Chromium's background lookups of Google hosts and
// keeps 127.0.0.1 and localhost resolvable.

import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.TB_CHROMIUM || '/usr/bin/chromium';
export const DESKTOP = { width: 1280, height: 720 };
export const PHONE = { width: 390, height: 844 };

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1'],
  });
}

// A fresh context (no cookies) on the page; the certificate is self-signed.
export async function openPage(browser, url, viewport = DESKTOP) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  // Every answer's body, for the check that no secret ever reaches the page.
  const answers = [];
  context.on('response', async (response) => {
    const request = response.request();
    const body = await response.body().catch(() => Buffer.alloc(0));
    answers.push({ method: request.method(), url: response.url(), status: response.status(),
      text: body.toString('latin1') });
  });
  page.on('pageerror', (error) => problems.push(error.message));
  // Refused calls (4xx) are logged by Chromium too: those are expected.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  await page.goto(url + '/');
  return { context, page, problems, answers };
}

// Exact-name lookups, as the issue asks: "Password" is never "Confirm password".
export const field = (scope, name) => scope.getByLabel(name, { exact: true });
export const button = (scope, name) => scope.getByRole('button', { name, exact: true });
export const link = (scope, name) => scope.getByRole('link', { name, exact: true });

// The fake Zoom's tokens: the app's access tokens ("fz." and a SHA-256 in
// hex) and a doctor's own access and refresh tokens ("fzu.", "fzr.").
const ZOOM_TOKEN = /fz[ur]?\.[0-9a-f]{16,}/;

// Fails when an answer from `origin` holds one of `secrets` or a Zoom token.
// `allowed(answer, secret)` names the answers meant to hold one (an API
// key's creation).
export function assertNoSecrets(answers, origin, secrets, allowed = () => false) {
  for (const answer of answers.filter((a) => a.url.startsWith(origin))) {
    for (const secret of secrets.filter(Boolean)) {
      if (answer.text.includes(secret) && !allowed(answer, secret)) {
        throw new Error(`${answer.method} ${answer.url} (${answer.status}) holds a secret: ${secret}`);
      }
    }
    if (ZOOM_TOKEN.test(answer.text)) throw new Error(`${answer.method} ${answer.url} holds a Zoom token`);
  }
}
