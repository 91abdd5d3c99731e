// Confirmations: the page's one <dialog>, whose buttons are named after the
// action (e.g. "Revoke key") and "Cancel". Cancel has the focus, so Enter or
// Escape right away changes nothing.

export function confirmAction(title, text, actionLabel) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-action').textContent = actionLabel;
  const opener = document.activeElement;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (opener && opener.isConnected) opener.focus();
      resolve(dialog.returnValue === 'confirm');
    }, { once: true });
  });
}
