// Confirmations: the page's one <dialog>, whose buttons are named after the
// action (e.g. "Revoke key") and "Cancel". Cancel has the focus, so Enter or
// Escape right away changes nothing.

export function confirmAction(title, text, actionLabel) {
  return confirmWithOption(title, text, actionLabel, '').then((answer) => answer !== null);
}

// The same with a checkbox labelled `optionLabel` (unticked; none when it
// is ''): null when cancelled, else { option: whether it was ticked }.
export function confirmWithOption(title, text, actionLabel, optionLabel) {
  const dialog = document.getElementById('confirm');
  const option = document.getElementById('confirm-option');
  const box = document.getElementById('confirm-option-box');
  option.hidden = !optionLabel;
  box.checked = false;
  document.getElementById('confirm-option-text').textContent = optionLabel;
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-action').textContent = actionLabel;
  const opener = document.activeElement;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (opener && opener.isConnected) opener.focus();
      resolve(dialog.returnValue === 'confirm' ? { option: box.checked } : null);
    }, { once: true });
  });
}
