// The sign-in form, which is also the lock screen (same form, with the "Session verrouillée" notice).
import * as api from './api.js';
import { byId, setMessage } from './dom.js';
import { errorText, t } from './i18n.js';

/** mode: 'signin' (first visit), 'locked' (idle lock), 'signedOut', 'expired' (the server dropped the session). */
const INFO = { signin: null, locked: null, signedOut: 'gate.signedOut', expired: 'gate.expired' };

export function createGate({ onSignedIn }) {
  const section = byId('gate');
  const form = byId('signin-form');
  const login = byId('login-input');
  const password = byId('password-input');
  const button = byId('signin-button');
  const failure = byId('signin-error');
  const info = byId('gate-info');
  const lock = byId('lock-notice');
  const title = byId('gate-title');
  let mode = 'signin';
  let error = null; // an ApiError, or {missing: true}
  let busy = false;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    if (login.value.trim() === '' || password.value === '') {
      error = { missing: true };
      refresh();
      (login.value.trim() === '' ? login : password).focus();
      return;
    }
    busy = true;
    error = null;
    refresh();
    try {
      const session = await api.signIn(login.value.trim(), password.value);
      password.value = '';
      onSignedIn(session);
    } catch (failed) {
      error = failed;
      password.value = '';
      password.focus();
    } finally {
      busy = false;
      refresh();
    }
  });

  function refresh() {
    lock.hidden = mode !== 'locked';
    title.textContent = t(mode === 'locked' ? 'gate.lockedHeading' : 'gate.title');
    setMessage(info, INFO[mode] ? t(INFO[mode]) : '');
    setMessage(failure, error ? (error.missing ? t('gate.missing') : errorText(error)) : '');
    button.disabled = busy;
    button.textContent = t(busy ? 'gate.submitting' : 'gate.submit');
  }

  return {
    /** Shows the form; `keepLogin` leaves the agent's login filled in (after an idle lock). */
    show(newMode, { keepLogin = false, problem = null } = {}) {
      mode = newMode;
      error = problem;
      if (!keepLogin) login.value = '';
      password.value = '';
      section.hidden = false;
      refresh();
      (login.value ? password : login).focus();
    },
    hide() {
      section.hidden = true;
      password.value = '';
      error = null;
    },
    refresh,
  };
}
