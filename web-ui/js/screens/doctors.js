// Doctors: the table with each doctor's Zoom state, and the form that adds
// or edits one. After Save the bridge checks the Zoom user within 10 s: the
// table is read again a few times until no row is "unchecked".

import { call, get } from '../api.js';
import { announce, copyText, el, fromTemplate, row, when } from '../dom.js';
import { bindForm, clearErrors, showError } from '../forms.js';
import { confirmAction, confirmWithOption } from '../dialog.js';

const STATES = {
  ok: ['OK', 'state-ok'],
  zoom_user_not_found: ['Zoom user not found', 'state-bad'],
  not_connected: ['not connected', 'state-bad'],
  connected: ['connected', 'state-ok'],
  reconnect_needed: ['reconnect needed', 'state-bad'],
  disconnecting: ['disconnecting…', ''],
  unchecked: ['checking…', ''],
};
const AUTH = { s2s: 'Clinic Zoom account (S2S)', oauth: "Doctor's own Zoom account (OAuth)" };
const RECHECK_MS = 2000;
const RECHECKS = 6;

export function showDoctors(root) {
  root.append(fromTemplate('tpl-doctors'));
  const form = root.querySelector('#doctor-form');
  const screen = { root, form, timer: 0, rechecks: 0 };
  root.querySelector('#doctor-add').addEventListener('click', () => openForm(screen, null));
  root.querySelector('#doctor-close').addEventListener('click', () => closeForm(screen));
  root.querySelector('#connect-copy').addEventListener('click',
    () => copyText(root.querySelector('#connect-url'), 'link'));
  form.addEventListener('keydown', (event) => { if (event.key === 'Escape') closeForm(screen); });
  bindForm(form, async (values) => {
    const { id, ...doctor } = values;
    await call('PUT', '/doctors/' + encodeURIComponent(id), doctor);
    announce(`Saved ${doctor.name}. Checking the Zoom user…`);
    closeForm(screen);
    screen.rechecks = RECHECKS;
    await load(screen);
  });
  load(screen);
  loadZoomUsers(root);
  return () => clearTimeout(screen.timer);
}

async function load(screen) {
  clearTimeout(screen.timer);
  let doctors;
  try {
    doctors = (await get('/doctors')).doctors;
  } catch (error) {
    showError(screen.form, error);
    return;
  }
  const body = screen.root.querySelector('#doctor-table tbody');
  body.replaceChildren(...doctors.map((doctor) => doctorRow(screen, doctor)));
  screen.root.querySelector('#doctor-empty').hidden = doctors.length > 0;
  if (doctors.some((doctor) => doctor.state === 'unchecked') && screen.rechecks-- > 0) {
    screen.timer = setTimeout(() => load(screen), RECHECK_MS);
  }
}

function doctorRow(screen, doctor) {
  const [state, css] = STATES[doctor.state] || [doctor.state, ''];
  // Which Zoom account a doctor connected (their own: it may differ from
  // the Zoom user typed here when matching is off).
  const label = doctor.zoom_email ? `${state} as ${doctor.zoom_email}` : state;
  const actions = el('span', {},
    el('button', { type: 'button', text: 'Edit', onclick: () => openForm(screen, doctor) }),
    doctor.auth === 'oauth'
      ? el('button', { type: 'button', text: 'Connect to Zoom', onclick: () => connect(screen, doctor) })
      : null,
    doctor.auth === 'oauth'
      ? el('button', { type: 'button', text: 'Disconnect', class: 'danger', onclick: () => disconnect(screen, doctor) })
      : null,
    el('button', { type: 'button', text: 'Remove', class: 'danger', onclick: () => remove(screen, doctor) }));
  return row(doctor.id, doctor.name, doctor.zoom_user, AUTH[doctor.auth] || doctor.auth,
    el('span', { class: css, text: label }), actions);
}

function openForm(screen, doctor) {
  const { form } = screen;
  clearErrors(form);
  form.hidden = false;
  form.querySelector('#doctor-form-title').textContent = doctor ? `Edit ${doctor.name}` : 'Add doctor';
  const id = form.querySelector('#doctor-id');
  id.value = doctor ? doctor.id : '';
  id.readOnly = Boolean(doctor);
  form.querySelector('#doctor-name').value = doctor ? doctor.name : '';
  form.querySelector('#doctor-zoom-user').value = doctor ? doctor.zoom_user : '';
  form.querySelector('#doctor-auth').value = doctor ? doctor.auth : 's2s';
  (doctor ? form.querySelector('#doctor-name') : id).focus();
}

function closeForm(screen) {
  screen.form.hidden = true;
  screen.root.querySelector('#doctor-add').focus();
}

async function remove(screen, doctor) {
  const yes = await confirmAction(`Remove ${doctor.name}?`,
    'The bridge forgets this doctor. Appointments that still need the doctor keep it from being removed.',
    'Remove doctor');
  if (!yes) return;
  try {
    await call('DELETE', '/doctors/' + encodeURIComponent(doctor.id));
    announce(`Removed ${doctor.name}.`);
    await load(screen);
    screen.root.querySelector('#doctor-add').focus();
  } catch (error) {
    screen.form.hidden = true;
    announce(error.message);
  }
}

// A single-use link the doctor opens to connect their own Zoom account,
// shown until the screen is left (the admin copies it into a message).
async function connect(screen, doctor) {
  try {
    const answer = await call('POST', '/doctors/' + encodeURIComponent(doctor.id) + '/connect');
    const panel = screen.root.querySelector('#connect-panel');
    panel.querySelector('#connect-title').textContent =
      `Send this link to ${doctor.name}. It works once, until ${when(answer.expires_at)}.`;
    panel.querySelector('#connect-url').textContent = answer.connect_url;
    panel.hidden = false;
    panel.querySelector('#connect-copy').focus();
  } catch (error) {
    announce(error.message);
  }
}

// Ends the doctor's Zoom connection: the bridge revokes it at Zoom and
// forgets its tokens; the meetings stay unless the box is ticked.
async function disconnect(screen, doctor) {
  const answer = await confirmWithOption(`Disconnect ${doctor.name} from Zoom?`,
    'The bridge stops all Zoom work for this doctor at once and revokes its access. ' +
    'Appointments wait until the doctor connects again.',
    'Disconnect', "Also delete this doctor's Zoom meetings");
  if (!answer) return;
  try {
    const result = await call('POST', '/doctors/' + encodeURIComponent(doctor.id) + '/disconnect',
      { delete_meetings: answer.option });
    announce(result.meetings_to_delete > 0
      ? `Disconnected ${doctor.name}: deleting ${result.meetings_to_delete} Zoom meetings first.`
      : `Disconnected ${doctor.name} from Zoom.`);
    await load(screen);
  } catch (error) {
    announce(error.message);
  }
}

// The Zoom user picker: the account's users, when the app may list them.
async function loadZoomUsers(root) {
  try {
    const answer = await get('/zoom/users');
    if (!answer.available) return;
    root.querySelector('#zoom-users').replaceChildren(...answer.users.map((user) =>
      el('option', { value: user.email, label: user.name ? `${user.name} (${user.email})` : user.email })));
  } catch { /* the picker is a convenience: typing the user works without it */ }
}
