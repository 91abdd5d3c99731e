// Appointments, newest first: filter by status, search by appointment or
// doctor id, page by the server's cursor, Retry on failed ones. Only one
// page is in the browser at a time, so 10,000 appointments cost nothing.

import { call, get } from '../api.js';
import { announce, el, fromTemplate, row } from '../dom.js';

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;
const STATUS = { pending: 'Pending', failed: 'Failed', synced: 'Synced' };

export function showAppointments(root) {
  root.append(fromTemplate('tpl-appointments'));
  // cursors[i] is the cursor of page i (page 0 has none).
  const view = { root, cursors: [''], page: 0, next: null, timer: 0, serial: 0 };
  const filter = root.querySelector('#appt-filter');
  filter.addEventListener('submit', (event) => { event.preventDefault(); restart(view); });
  root.querySelector('#appt-status').addEventListener('change', () => restart(view));
  root.querySelector('#appt-search').addEventListener('input', () => {
    clearTimeout(view.timer);
    view.timer = setTimeout(() => restart(view), SEARCH_DELAY_MS);
  });
  root.querySelector('#appt-prev').addEventListener('click', () => turn(view, -1));
  root.querySelector('#appt-next').addEventListener('click', () => turn(view, 1));
  load(view);
  return () => clearTimeout(view.timer);
}

function restart(view) {
  clearTimeout(view.timer);
  view.cursors = [''];
  view.page = 0;
  load(view);
}

function turn(view, step) {
  if (step > 0) {
    if (!view.next) return;
    view.cursors[view.page + 1] = view.next;
  }
  view.page = Math.max(0, view.page + step);
  load(view);
}

function query(view) {
  const params = new URLSearchParams({
    status: view.root.querySelector('#appt-status').value,
    limit: String(PAGE_SIZE),
  });
  const q = view.root.querySelector('#appt-search').value.trim();
  if (q) params.set('q', q);
  if (view.cursors[view.page]) params.set('cursor', view.cursors[view.page]);
  return params.toString();
}

async function load(view) {
  // A slow answer to an older query must not overwrite a newer one, and
  // the pager waits for the page it turned to: its cursor comes with it.
  const serial = ++view.serial;
  const { root } = view;
  root.querySelector('#appt-prev').disabled = true;
  root.querySelector('#appt-next').disabled = true;
  let answer;
  try {
    answer = await get('/appointments?' + query(view));
  } catch (error) {
    announce(error.message);
    root.querySelector('#appt-prev').disabled = view.page === 0;
    return;
  }
  if (serial !== view.serial) return;
  view.next = answer.next_cursor;
  root.querySelector('#appt-table tbody').replaceChildren(
    ...answer.appointments.map((appointment) => appointmentRow(view, appointment)));
  root.querySelector('#appt-empty').hidden = answer.appointments.length > 0;
  root.querySelector('#appt-prev').disabled = view.page === 0;
  root.querySelector('#appt-next').disabled = !view.next;
  root.querySelector('#appt-page').textContent = `Page ${view.page + 1}`;
}

function problemCell(error) {
  if (!error) return '';
  return el('span', {}, el('span', { class: 'state-bad', text: error.message }),
    error.action ? el('br') : null, error.action || '');
}

// Only an https link becomes clickable: a join URL is data from Zoom.
function meetingCell(appointment) {
  if (!appointment.meeting_id) return '—';
  const url = appointment.join_url || '';
  return el('span', {}, appointment.meeting_id, ' ', url.startsWith('https://')
    ? el('a', { href: url, target: '_blank', rel: 'noreferrer', text: 'Join link' }) : null);
}

function appointmentRow(view, appointment) {
  const retry = appointment.status === 'failed'
    ? el('button', { type: 'button', text: 'Retry', onclick: (event) => retryOne(view, appointment, event.target) })
    : '';
  return row(appointment.id, appointment.doctor_id, appointment.start_local,
    STATUS[appointment.status] || appointment.status, meetingCell(appointment),
    problemCell(appointment.error), retry);
}

async function retryOne(view, appointment, button) {
  button.disabled = true;
  try {
    const updated = await call('POST', `/appointments/${encodeURIComponent(appointment.id)}/retry`);
    const fresh = appointmentRow(view, updated);
    button.closest('tr').replaceWith(fresh);
    // The button is gone: keep a keyboard user's place on its row.
    fresh.cells[0].tabIndex = -1;
    fresh.cells[0].focus();
    announce(`Retrying ${appointment.id}.`);
  } catch (error) {
    button.disabled = false;
    announce(error.message);
  }
}
