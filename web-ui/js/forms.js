// Forms: checked in the browser first (required, minlength, a field that
// must equal another), then sent; an error is shown next to the field it
// names (the server's error.field is the field's JSON name, which is the
// input's name) or above the button. What was typed stays on a failure.

import { ApiError } from './api.js';

function fieldOf(input) { return input.closest('.field') || input.parentElement; }

function setFieldError(input, message) {
  const field = fieldOf(input);
  let error = field.querySelector('.error');
  if (!error) {
    error = document.createElement('p');
    error.className = 'error';
    error.id = input.id + '-error';
    field.append(error);
  }
  error.textContent = message;
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', error.id);
}

export function clearErrors(form) {
  for (const error of form.querySelectorAll('.error')) error.remove();
  for (const input of form.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
  const formError = form.querySelector('.form-error');
  if (formError) formError.textContent = '';
}

function problemOf(input) {
  const value = input.value;
  if (input.required && value.trim() === '') return 'Required.';
  const min = Number(input.getAttribute('minlength') || 0);
  if (min && [...value].length < min) return `At least ${min} characters.`;
  const other = input.dataset.equals && document.getElementById(input.dataset.equals);
  if (other && value !== other.value) return 'Does not match the password above.';
  return '';
}

// Shows every browser-side problem; true when there is none.
function validate(form) {
  let first = null;
  for (const input of form.querySelectorAll('input, select')) {
    const problem = problemOf(input);
    if (!problem) continue;
    setFieldError(input, problem);
    first = first || input;
  }
  if (first) first.focus();
  return !first;
}

// Shows a failed call's message next to its field, or for the whole form.
export function showError(form, error) {
  const message = error instanceof ApiError ? error.message : String(error);
  const input = error.field && form.querySelector(`[name="${CSS.escape(error.field)}"]`);
  if (input) {
    setFieldError(input, message);
    input.focus();
    return;
  }
  const formError = form.querySelector('.form-error');
  formError.textContent = message;
}

// The form's values by input name (trimmed, but never passwords).
export function valuesOf(form) {
  const values = {};
  for (const input of form.querySelectorAll('input[name], select[name]')) {
    values[input.name] = input.type === 'password' ? input.value : input.value.trim();
  }
  return values;
}

// Runs `submit(values)` on a valid submit; its ApiError lands on the form.
export function bindForm(form, submit) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!validate(form)) return;
    const buttons = form.querySelectorAll('button');
    buttons.forEach((button) => { button.disabled = true; });
    try {
      await submit(valuesOf(form));
    } catch (error) {
      if (form.isConnected) showError(form, error);
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
    }
  });
}
