// Set up (the first admin, with the code `telemed-bridge admin setup-code`
// prints on the box) and Sign in.

import { call } from '../api.js';
import { fromTemplate } from '../dom.js';
import { bindForm } from '../forms.js';

export function showSetup(root, app) {
  root.append(fromTemplate('tpl-setup'));
  bindForm(root.querySelector('#setup-form'), async (values) => {
    const answer = await call('POST', '/setup', values).catch(restartOn('already_set_up'));
    app.signedIn(answer.csrf_token);
  });
}

export function showSignIn(root, app, notice) {
  root.append(fromTemplate('tpl-signin'));
  if (notice) {
    const line = root.querySelector('#signin-notice');
    line.textContent = notice;
    line.hidden = false;
  }
  bindForm(root.querySelector('#signin-form'), async (values) => {
    const answer = await call('POST', '/login', values).catch(restartOn('setup_needed'));
    app.signedIn(answer.csrf_token);
  });
  root.querySelector('#signin-password').focus();
}

// Someone else finished the setup (or the admin was reset) meanwhile: start
// over from the session probe, which shows the right screen.
function restartOn(code) {
  return (error) => {
    if (error.code === code) location.reload();
    throw error;
  };
}
