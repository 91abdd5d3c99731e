// System: backup and secret key downloads, password change, sign out
// everywhere, the daemon's last log lines and the audit log.

import { call, download, get } from '../api.js';
import { announce, fromTemplate, row, when } from '../dom.js';
import { bindForm } from '../forms.js';

const AUDIT_PAGE = 50;

export function showSystem(root, app) {
  root.append(fromTemplate('tpl-system'));
  root.querySelector('#sys-backup').addEventListener('click', () => downloadBackup(root));
  const secretForm = root.querySelector('#secret-form');
  bindForm(secretForm, async (values) => {
    const name = await download('POST', '/system/secret-key', values, 'telemed-bridge-secret.key');
    secretForm.querySelector('#secret-password').value = '';
    announce(`Saved ${name}. Keep it apart from the backups.`);
  });
  const passwordForm = root.querySelector('#password-form');
  bindForm(passwordForm, async (values) => {
    const answer = await call('POST', '/password', values);
    passwordForm.reset();
    announce('Password changed. Every other session has ended.');
    app.signedIn(answer.csrf_token);
  });
  root.querySelector('#sys-everywhere').addEventListener('click', async () => {
    try {
      await call('POST', '/logout-everywhere');
      app.signedOut('Every session has ended, this one too.');
    } catch (error) { announce(error.message); }
  });
  root.querySelector('#sys-audit-more').addEventListener('click', (event) =>
    loadAudit(root, event.target.dataset.before));
  loadLog(root);
  loadAudit(root, '');
}

async function downloadBackup(root) {
  const error = root.querySelector('#sys-backup-error');
  error.textContent = '';
  try {
    const name = await download('GET', '/system/backup', undefined, 'telemed-bridge-backup.db');
    announce(`Saved ${name}.`);
  } catch (failure) {
    error.textContent = failure.message;
  }
}

async function loadLog(root) {
  try {
    const { lines } = await get('/system/log');
    root.querySelector('#sys-log tbody').replaceChildren(
      ...lines.map((line) => row(when(line.at), line.severity, line.text)));
  } catch (error) { announce(error.message); }
}

async function loadAudit(root, before) {
  const params = new URLSearchParams({ limit: String(AUDIT_PAGE) });
  if (before) params.set('before', before);
  try {
    const answer = await get('/audit?' + params);
    root.querySelector('#sys-audit tbody').append(
      ...answer.entries.map((entry) => row(when(entry.at), entry.action, entry.address, entry.detail)));
    const more = root.querySelector('#sys-audit-more');
    more.hidden = answer.next_before === null || answer.next_before === undefined;
    more.dataset.before = more.hidden ? '' : String(answer.next_before);
  } catch (error) { announce(error.message); }
}
