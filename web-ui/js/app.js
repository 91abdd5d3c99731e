// The admin page's start: ask the bridge for the session first, then show
// Set up, Sign in, or the screen the address names (#overview, #zoom ...).
// One URL; the screens are <template>s of index.html filled by the modules
// under screens/.

import { call, get, setCsrfToken, whenSessionEnds } from './api.js';
import { showSetup, showSignIn } from './screens/access.js';
import { showOverview } from './screens/overview.js';
import { showZoom } from './screens/zoom.js';
import { showDoctors } from './screens/doctors.js';
import { showAppointments } from './screens/appointments.js';
import { showKeys } from './screens/keys.js';
import { showSystem } from './screens/system.js';

const screens = {
  overview: showOverview,
  zoom: showZoom,
  doctors: showDoctors,
  appointments: showAppointments,
  keys: showKeys,
  system: showSystem,
};

const main = document.getElementById('screen');
const nav = document.getElementById('nav');
const signOut = document.getElementById('sign-out');
let signedIn = false;
let leaveScreen = () => {};

// Replaces the screen; `show(root, app)` may return a function that stops
// what the screen started (timers).
function mount(show) {
  leaveScreen();
  leaveScreen = () => {};
  main.replaceChildren();
  const stop = show(main, app);
  if (typeof stop === 'function') leaveScreen = stop;
  const heading = main.querySelector('h1');
  if (heading && !main.contains(document.activeElement)) heading.focus();
}

function setSignedIn(on) {
  signedIn = on;
  nav.hidden = !on;
  signOut.hidden = !on;
  if (!on) setCsrfToken('');
}

function currentScreen() {
  const name = location.hash.slice(1);
  return screens[name] ? name : 'overview';
}

function showScreen() {
  const name = currentScreen();
  for (const link of nav.querySelectorAll('a')) {
    if (link.getAttribute('href') === '#' + name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${link(name)} · telemed-bridge`;
  mount(screens[name]);
}

function link(name) {
  return nav.querySelector(`a[href="#${name}"]`).textContent;
}

// What the screens may ask of the page.
const app = {
  // A session began (setup, sign-in, password change).
  signedIn(token) {
    setCsrfToken(token);
    setSignedIn(true);
    showScreen();
  },
  // Back to Sign in, with a line saying why (optional).
  signedOut(notice) {
    setSignedIn(false);
    document.title = 'Sign in · telemed-bridge';
    mount((root) => showSignIn(root, app, notice));
  },
  refresh() { if (signedIn) showScreen(); },
};

async function start() {
  let session;
  try {
    session = await get('/session');
  } catch (error) {
    main.replaceChildren();
    main.append(Object.assign(document.createElement('p'), { className: 'warning', textContent: error.message }));
    return;
  }
  if (session.state === 'setup_needed') {
    document.title = 'Set up · telemed-bridge';
    mount((root) => showSetup(root, app));
  } else if (session.state === 'signed_in') {
    app.signedIn(session.csrf_token);
  } else {
    app.signedOut();
  }
}

whenSessionEnds((code) => {
  if (!signedIn) return;
  app.signedOut(code === 'session_expired' ? 'Your session has ended. Sign in again.' : 'Please sign in.');
});

window.addEventListener('hashchange', () => { if (signedIn) showScreen(); });
// The current screen's link shows it again, fresh (changes made through the
// CLI or the API appear); the address does not change, so no hashchange.
nav.addEventListener('click', (event) => {
  if (event.target.closest('a')?.getAttribute('href') === location.hash) showScreen();
});

signOut.addEventListener('click', async () => {
  try { await call('POST', '/logout'); } catch { /* signed out either way */ }
  app.signedOut('You have signed out.');
});

start();
