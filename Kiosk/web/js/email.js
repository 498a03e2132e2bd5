// "Envoyer par e-mail": the account's sheet sent to the address on file (never one typed here: the request has no
// field for it). The card shows the masked address, then the relay's answer, polled until final.
import * as api from './api.js';
import { el } from './dom.js';
import { errorText, t } from './i18n.js';

const POLL_MS = 1000;
const FINAL = new Set(['sent', 'failed', 'unknown']);

export function createEmail({ rerender, enabled }) {
  let sequence = 0; // bumped by reset(): an answer for a card left since is dropped
  let login = null;
  let delivery = null; // the last answer: {delivery, state, addressMasked, smtpCode, error}
  let error = null;
  let timer = null;

  /** Forgets the delivery on screen (another card, closing, the idle lock); returns true when there was one. */
  function reset() {
    const had = login !== null;
    sequence += 1;
    clearTimeout(timer);
    (login = null), (delivery = null), (error = null);
    return had;
  }

  async function send(account) {
    reset();
    const mine = sequence;
    login = account.login;
    delivery = { state: 'queued', addressMasked: account.emailMasked };
    rerender('email-status');
    try {
      const queued = await api.emailSheet(account.login);
      if (mine !== sequence) return;
      delivery = { ...delivery, ...queued };
      poll(mine, queued.delivery);
    } catch (e) {
      if (mine !== sequence) return;
      (delivery = null), (error = errorText(e));
    }
    rerender('email-status');
  }

  function poll(mine, id) {
    timer = setTimeout(async () => {
      try {
        const answer = await api.delivery(id);
        if (mine !== sequence) return;
        delivery = answer;
        rerender('email-status');
        if (!FINAL.has(answer.state)) poll(mine, id);
      } catch (e) {
        if (mine !== sequence) return;
        error = errorText(e);
        rerender('email-status');
      }
    }, POLL_MS);
  }

  /** The button, only when e-mail is configured and the account has an address on file. */
  function button(account) {
    if (!enabled() || !account.emailMasked) return null;
    const busy = login === account.login && delivery && !FINAL.has(delivery.state);
    return el('button', {
      type: 'button', class: 'btn btn-secondary', testid: 'email-sheet', disabled: busy ? '' : null,
      title: t('email.to', { address: account.emailMasked }),
      on: { click: () => send(account) },
    }, t('email.send'));
  }

  /** The line under the actions: where it goes, then what the relay said. */
  function status(account) {
    if (login !== account.login || (!delivery && !error)) return null;
    if (error) return el('p', { class: 'notice notice-error', role: 'alert', testid: 'email-status' }, error);
    const address = delivery.addressMasked ?? account.emailMasked;
    const text = {
      queued: t('email.queued', { address }),
      sending: t('email.queued', { address }),
      sent: t('email.sent', { address }),
      failed: t('email.failed', { address, error: delivery.error ?? '' }),
      unknown: t('email.unknown', { address }),
    }[delivery.state] ?? t('email.queued', { address });
    const kind = delivery.state === 'sent' ? 'notice-ok' : FINAL.has(delivery.state) ? 'notice-error' : 'notice-info';
    return el('p', { class: `notice ${kind}`, role: 'status', testid: 'email-status', 'data-state': delivery.state }, text);
  }

  return { reset, button, status };
}
