// Zoom: the clinic's S2S app, and the OAuth app doctors connect their own
// Zoom accounts to. Client secrets are write-only: the fields are always
// empty, whatever is stored.

import { call, get } from '../api.js';
import { announce, el, fromTemplate, when } from '../dom.js';
import { bindForm, clearErrors, showError } from '../forms.js';
import { confirmAction, confirmWithOption } from '../dialog.js';

export function showZoom(root, app) {
  root.append(fromTemplate('tpl-zoom'));
  const form = root.querySelector('#zoom-form');
  get('/zoom').then((data) => render(root, data), (error) => showError(form, error));

  bindForm(form, async (values) => {
    const data = await call('PUT', '/zoom/s2s', values);
    form.querySelector('#zoom-secret').value = '';
    render(root, data);
    announce('Zoom accepted the app; it is saved.');
  });
  const oauthForm = root.querySelector('#oauth-form');
  bindForm(oauthForm, async (values) => {
    const data = await call('PUT', '/zoom/oauth-app', values);
    oauthForm.querySelector('#oauth-secret').value = '';
    render(root, data);
    announce('The OAuth app is saved. Doctors can now be connected on the Doctors screen.');
  });
  root.querySelector('#oauth-forget').addEventListener('click', () => forgetOAuthApp(root, oauthForm));
  root.querySelector('#zoom-test').addEventListener('click', () => runTest(root, form));
  root.querySelector('#zoom-forget').addEventListener('click', async () => {
    const yes = await confirmAction('Forget the Zoom app?',
      'The bridge stops creating and changing meetings until an app is saved again.', 'Forget Zoom app');
    if (!yes) return;
    try {
      await call('DELETE', '/zoom/s2s');
      announce('The Zoom app is forgotten.');
      app.refresh();
    } catch (error) { showError(form, error); }
  });
}

function render(root, data) {
  const s2s = data.s2s;
  root.querySelector('#zoom-state').textContent = s2s.configured
    ? 'An app is stored.' : 'No app is stored yet.';
  root.querySelector('#zoom-account').value = s2s.account_id || '';
  root.querySelector('#zoom-client').value = s2s.client_id || '';
  root.querySelector('#zoom-forget').hidden = !s2s.configured;
  // A clinic of OAuth doctors only has no S2S app: the test then tries the
  // doctors' own connections.
  root.querySelector('#zoom-test').hidden = !s2s.configured && !(data.oauth && data.oauth.configured);
  if (data.oauth) renderOAuth(root, data.oauth);
  if (data.last_test) showVerdicts(root, data.last_test);
}

function renderOAuth(root, oauth) {
  root.querySelector('#oauth-state').textContent = oauth.configured
    ? 'An OAuth app is stored.' : 'No OAuth app is stored yet.';
  root.querySelector('#oauth-client').value = oauth.client_id || '';
  root.querySelector('#oauth-redirect').textContent = oauth.redirect_url;
  const forget = root.querySelector('#oauth-forget');
  forget.hidden = !oauth.configured;
  forget.dataset.connected = (oauth.connected_doctors || []).join(', ');
}

// As `zoom oauth-app --forget`; doctors still connected are named, and
// the box disconnects them with it (--force).
async function forgetOAuthApp(root, form) {
  clearErrors(form);
  const connected = root.querySelector('#oauth-forget').dataset.connected;
  const text = 'Doctors with their own Zoom account cannot connect until an OAuth app is saved again.' +
    (connected ? ` Connected now: ${connected}. Their tokens are deleted (not revoked at Zoom), and their` +
      ' appointments wait until they connect again.' : '');
  const answer = await confirmWithOption('Forget the OAuth app?', text, 'Forget OAuth app',
    connected ? 'Also disconnect these doctors' : '');
  if (answer === null) return;
  try {
    const result = await call('DELETE', '/zoom/oauth-app' + (answer.option ? '?disconnect_doctors=true' : ''));
    announce(result.disconnected.length
      ? `The OAuth app is forgotten; disconnected ${result.disconnected.join(', ')}.`
      : 'The OAuth app is forgotten.');
    render(root, await get('/zoom'));
  } catch (error) { showError(form, error); }
}

async function runTest(root, form) {
  clearErrors(form);
  const button = root.querySelector('#zoom-test');
  button.disabled = true;
  try {
    showVerdicts(root, await call('POST', '/zoom/test'));
  } catch (error) {
    showError(form, error);
  } finally {
    button.disabled = false;
  }
}

function showVerdicts(root, test) {
  root.querySelector('#zoom-result').hidden = false;
  root.querySelector('#zoom-result-summary').textContent =
    `${test.ok ? 'Everything works.' : 'Something needs attention.'} Checked ${when(test.checked_at)}.`;
  const list = root.querySelector('#zoom-verdicts');
  list.replaceChildren(...test.items.map((item) => el('li', {},
    el('strong', { class: item.ok ? 'state-ok' : 'state-bad', text: `${item.ok ? 'OK' : 'Problem'}: ${item.subject}` }),
    item.detail ? ` — ${item.detail}` : '')));
}
