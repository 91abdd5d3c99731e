// Overview: is Zoom reachable, does the queue move, is the certificate
// about to expire. Read-only; a visit fetches it fresh.

import { get } from '../api.js';
import { el, fillList, fromTemplate, row, when, duration } from '../dom.js';

export function showOverview(root) {
  root.append(fromTemplate('tpl-overview'));
  get('/overview').then((data) => render(root, data), (error) => {
    root.querySelector('h1').after(el('p', { class: 'warning', text: error.message }));
  });
}

// OAuth doctors who must connect (or connect again) their own Zoom account.
function toConnectLine(zoom) {
  const names = (zoom.doctors_to_connect || []).map((doctor) =>
    `${doctor.id} (${doctor.state === 'reconnect_needed' ? 'reconnect needed' : 'not connected'})`);
  return names.length ? [['Doctors to connect', el('span', { class: 'state-bad', text: names.join(', ') })]] : [];
}

function zoomLines(zoom) {
  // Every doctor connects their own Zoom account: no app is needed.
  if (zoom.s2s_app_needed === false) {
    const state = el('span', { class: 'state-ok', text: 'No Server-to-Server app needed: every doctor connects their own Zoom account' });
    return [['State', state], ...toConnectLine(zoom)];
  }
  if (!zoom.configured) return [['State', 'No Zoom app stored. Add it on the Zoom screen.'], ...toConnectLine(zoom)];
  const state = zoom.ok ? el('span', { class: 'state-ok', text: 'Connected' })
    : el('span', { class: 'state-bad', text: 'Failing: run Test connection on the Zoom screen' });
  const scopes = zoom.missing_scopes && zoom.missing_scopes.length ? zoom.missing_scopes.join(', ') : 'none';
  return [['State', state], ['Last check', when(zoom.checked_at)], ['Missing scopes', scopes], ...toConnectLine(zoom)];
}

function render(root, data) {
  // The admin may have gone to another screen while this loaded.
  if (!root.querySelector('#ov-zoom')) return;
  fillList(root.querySelector('#ov-zoom'), zoomLines(data.zoom));
  const queue = data.queue;
  fillList(root.querySelector('#ov-queue'), [
    ['Pending', String(queue.pending)],
    ['Failed', String(queue.failed)],
    ['Deletions pending', String(queue.deletions_pending)],
    ['Next attempt', queue.next_attempt_at ? when(queue.next_attempt_at) : 'none due'],
  ]);
  const cert = data.certificate;
  fillList(root.querySelector('#ov-box'), [['Version', data.version], ['Uptime', duration(data.uptime_s)]]);
  // The fingerprint is what a browser shows for the certificate: compare
  // the two before trusting the page on a new PC.
  fillList(root.querySelector('#ov-cert'), [
    ['SHA-256 fingerprint', el('code', { text: cert.fingerprint_sha256 })],
    ['Expires', `${when(cert.not_after)} (${cert.imported ? 'imported' : 'self-signed'})`],
  ]);
  if (cert.expires_in_days <= 30) certificateWarning(root.querySelector('#cert-warning'), cert);
  const body = root.querySelector('#ov-doctors tbody');
  for (const doctor of data.doctors) {
    body.append(row(`${doctor.name} (${doctor.id})`, String(doctor.writes_today), String(doctor.write_limit)));
  }
}

// Shown from 30 days before expiry (the daemon logs it daily too), and
// once it expired, with what to run on the box.
function certificateWarning(warning, cert) {
  const state = cert.expires_in_days < 0 ? `expired on ${when(cert.not_after)}`
    : `expires in ${cert.expires_in_days} days (${when(cert.not_after)})`;
  const fix = cert.imported
    ? 'Import a new one on the box (telemed-bridge web cert --import CERT KEY) or make a self-signed one'
    : 'Renew it on the box';
  warning.textContent = `The page's certificate ${state}. ${fix} with: telemed-bridge web cert --renew`;
  warning.hidden = false;
}
