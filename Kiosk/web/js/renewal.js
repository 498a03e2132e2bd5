// The renewal code of an activated account, shown once. It lives only in this module's `shown` and in the DOM
// while on screen: "Terminé", leaving the card, opening another one, the idle lock or a reload drop it for good —
// the server keeps only a keyed hash and no endpoint returns it again. "Imprimer ce code" sends it back once to
// render the one-time slip (the server checks it is still the live code).
import * as api from './api.js';
import { el } from './dom.js';
import { codeGroups, dateAndTime } from './format.js';
import { errorText, t } from './i18n.js';

const SLIP_URL_LIFETIME_MS = 60_000;

export function createRenewal({ rerender }) {
  let sequence = 0; // bumped by reset(): an answer for a card left since is dropped
  let login = null; // the account the code belongs to
  let state = 'idle'; // 'idle' | 'issuing' | 'shown' | 'error'
  let shown = null; // {code, expiresAt} while on screen, else null
  let error = null;
  let printing = false;
  let printError = null;

  /**
   * Forgets everything; the panel's nodes go with the next render (or with the card itself). Returns true when
   * there was something to forget, so that the caller re-renders at once.
   */
  function reset() {
    const had = state !== 'idle';
    sequence += 1;
    login = null;
    state = 'idle';
    shown = null;
    error = null;
    printing = false;
    printError = null;
    return had;
  }

  async function issue(forLogin) {
    reset();
    const mine = sequence;
    login = forLogin;
    state = 'issuing';
    rerender('renewal-issue');
    try {
      const answer = await api.issueRenewalCode(forLogin);
      if (mine !== sequence) return;
      shown = { code: answer.code, expiresAt: answer.expiresAt, source: answer.source };
      state = 'shown';
      rerender('renewal-title');
    } catch (failure) {
      if (mine !== sequence || failure.code === 'not-signed-in') return;
      state = 'error';
      error = failure;
      rerender('renewal-issue');
    }
  }

  async function print() {
    const mine = sequence;
    // Opened now, while the click still counts as the user's gesture (a window opened after an await is a pop-up
    // the browser may block); filled once the PDF arrives. A blob: URL, since the page's CSP allows no frame.
    const slipWindow = window.open('', '_blank');
    printing = true;
    printError = null;
    rerender('renewal-print');
    try {
      const pdf = await api.renewalSlip(login, shown.code);
      if (mine !== sequence) {
        slipWindow?.close();
        return;
      }
      const url = URL.createObjectURL(pdf);
      if (slipWindow) slipWindow.location.href = url;
      else window.open(url, '_blank');
      setTimeout(() => URL.revokeObjectURL(url), SLIP_URL_LIFETIME_MS);
    } catch (failure) {
      slipWindow?.close();
      if (mine !== sequence || failure.code === 'not-signed-in') return;
      printError = failure;
    }
    printing = false;
    rerender('renewal-print');
  }

  function done() {
    reset();
    rerender('renewal-issue');
  }

  /** The "Code de renouvellement" action for the card's action area, or null. */
  function button(account) {
    if (!account.activated || state === 'shown') return null;
    const busy = state === 'issuing';
    return el('button', {
      type: 'button', class: 'btn btn-primary', testid: 'renewal-issue', disabled: busy,
      on: { click: () => issue(account.login) },
    }, busy ? t('renewal.issuing') : t('renewal.issue'));
  }

  /** The panel at the top of the card: the code and its actions, or the issue's error. */
  function panel(account) {
    if (login !== account.login) return null;
    if (state === 'error') {
      return el('p', { class: 'notice notice-error card-notice', role: 'alert', testid: 'renewal-error' }, errorText(error));
    }
    if (state !== 'shown' || !shown) return null;
    const groups = codeGroups(shown.code).map((group) => el('span', { class: 'code-group' }, group));
    return el('section', { class: 'renewal', testid: 'renewal-panel', 'aria-labelledby': 'renewal-title' },
      el('h3', { class: 'box-title', id: 'renewal-title', testid: 'renewal-title', tabindex: '-1' }, t('renewal.title')),
      el('p', { class: 'code-value renewal-code mono', testid: 'renewal-code' }, groups.flatMap((n, i) => (i ? [' ', n] : [n]))),
      el('p', { class: 'renewal-expiry', testid: 'renewal-expiry' }, t('renewal.expiry', dateAndTime(shown.expiresAt))),
      el('p', { class: 'notice notice-warn', role: 'note' }, t('renewal.once')),
      // Where the code comes from says how it is redeemed: the ENT's own, or Guichet's (a connector must exist).
      el('p', { class: 'notice', role: 'note', testid: 'renewal-source', 'data-source': shown.source || 'guichet' },
        t(shown.source === 'ent' ? 'renewal.source-ent' : 'renewal.source-guichet')),
      printError ? el('p', { class: 'notice notice-error', role: 'alert' }, errorText(printError)) : null,
      el('div', { class: 'renewal-actions' },
        el('button', {
          type: 'button', class: 'btn btn-primary', testid: 'renewal-print', disabled: printing, on: { click: print },
        }, printing ? t('renewal.printing') : t('renewal.print')),
        el('button', { type: 'button', class: 'btn btn-secondary', testid: 'renewal-done', on: { click: done } },
          t('renewal.done'))));
  }

  return { reset, button, panel };
}
