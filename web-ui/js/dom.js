// Small DOM helpers shared by the screens.

// An element with attributes (`text` sets textContent, `on*` a listener)
// and children (strings become text nodes: never HTML).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

// A fresh copy of a <template>'s content from index.html.
export function fromTemplate(id) {
  return document.getElementById(id).content.cloneNode(true);
}

// `pairs` as <dt>/<dd> rows of the <dl> `list`.
export function fillList(list, pairs) {
  list.replaceChildren();
  for (const [term, value] of pairs) {
    list.append(el('dt', { text: term }), value instanceof Node ? el('dd', {}, value) : el('dd', { text: value }));
  }
}

// One <tr> of cells (strings or nodes).
export function row(...cells) {
  return el('tr', {}, ...cells.map((cell) => (cell instanceof Node ? el('td', {}, cell) : el('td', { text: cell ?? '' }))));
}

// "2026-12-03T10:15:00Z" in the browser's time zone, minutes precision.
export function when(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function duration(seconds) {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days) return `${days} d ${hours} h`;
  if (hours) return `${hours} h ${minutes} min`;
  return `${minutes} min`;
}

// A short message in the corner for actions that have no field to show it.
let toastTimer = 0;
export function announce(message) {
  const status = document.getElementById('status');
  status.textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { status.textContent = ''; }, 5000);
}

// Copies the text of `code` (a <code>); where the browser refuses the
// clipboard (an older browser, or plain HTTP) the text is selected so that
// Ctrl+C copies it.
export async function copyText(code, what) {
  try {
    await navigator.clipboard.writeText(code.textContent);
    announce('Copied.');
  } catch {
    getSelection().selectAllChildren(code);
    announce(`Press Ctrl+C to copy the selected ${what}.`);
  }
}
