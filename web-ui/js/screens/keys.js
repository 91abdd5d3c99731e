// API keys: create one (its secret shown once, with Copy), list, revoke.

import { call, get } from '../api.js';
import { announce, copyText, el, fromTemplate, row, when } from '../dom.js';
import { bindForm } from '../forms.js';
import { confirmAction } from '../dialog.js';

export function showKeys(root) {
  root.append(fromTemplate('tpl-keys'));
  const form = root.querySelector('#key-form');
  bindForm(form, async (values) => {
    const answer = await call('POST', '/keys', values);
    form.querySelector('#key-name').value = '';
    root.querySelector('#key-secret-value').textContent = answer.secret;
    root.querySelector('#key-secret').hidden = false;
    root.querySelector('#key-copy').focus();
    await load(root);
  });
  root.querySelector('#key-copy').addEventListener('click', () => copySecret(root));
  load(root);
}

async function load(root) {
  let keys;
  try {
    keys = (await get('/keys')).keys;
  } catch (error) {
    announce(error.message);
    return;
  }
  root.querySelector('#key-table tbody').replaceChildren(...keys.map((key) => row(
    key.name, when(key.created_at), key.last_used_at ? when(key.last_used_at) : 'never',
    el('button', { type: 'button', class: 'danger', text: 'Revoke', onclick: () => revoke(root, key) }))));
  root.querySelector('#key-empty').hidden = keys.length > 0;
}

async function revoke(root, key) {
  const yes = await confirmAction(`Revoke "${key.name}"?`,
    'Clinic software using this key is refused from now on.', 'Revoke key');
  if (!yes) return;
  try {
    await call('DELETE', '/keys/' + encodeURIComponent(key.id));
    announce(`Revoked "${key.name}".`);
  } catch (error) {
    announce(error.message);
  }
  await load(root);
  root.querySelector('#key-name').focus();
}

function copySecret(root) {
  return copyText(root.querySelector('#key-secret-value'), 'key');
}
