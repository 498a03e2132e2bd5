// "Envoyer par e-mail" on the batch screen (reviewers, only when [mail] is configured): a modal dialog that first
// counts (how many e-mails will leave, how many accounts have no address and get nothing), then, once confirmed,
// queues the batch and shows its progress (sent / failed / waiting), polled every second until every message is
// final, with the per-message CSV report to download. The server sends in the background: closing the dialog stops
// the polling only, never the sending.
import * as api from './api.js';
import { el } from './dom.js';
import { errorText, t } from './i18n.js';

const POLL_MS = 1000;

const number = (n) => Number(n ?? 0).toLocaleString('fr-FR');
/** replaceChildren() would write a null as the text "null": the absent parts are left out. */
const fill = (node, ...children) => node.replaceChildren(...children.filter(Boolean));
const plural = (n, one, many) => t(n === 1 ? one : many, { n: number(n) });

/** Opens the dialog for `selection` (the batch body); returns {close}. `onClose` runs once it is gone. */
export function mailBatchDialog(selection, { onClose }) {
  let closed = false;
  let timer = null;
  let stage = 'counting'; // counting | confirm | queuing | progress | error
  let preview = null; // {toSend, withoutAddress}
  let progress = null; // {batch, total, queued, sending, sent, failed, unknown, done}
  let problem = null; // a message from errorText()

  const title = el('h2', { class: 'sheet-title', id: 'mail-dialog-title' });
  const body = el('div', { class: 'mail-body' });
  const buttons = el('div', { class: 'sheet-buttons' });
  const dialog = el('dialog', { class: 'sheet-dialog mail-dialog', testid: 'mail-dialog', 'aria-labelledby': 'mail-dialog-title' },
    el('div', { class: 'sheet-form' }, title, body, buttons));

  function button(testid, text, kind, handler, disabled = false) {
    return el('button', { type: 'button', class: `btn ${kind} btn-large`, testid, disabled: disabled ? '' : null, on: { click: handler } }, text);
  }

  function figure(testid, value, label, kind = '') {
    return el('div', { class: `mail-figure ${kind}`, testid, data: { value: String(value ?? 0) } },
      el('span', { class: 'mail-figure-value' }, number(value)),
      el('span', { class: 'mail-figure-label' }, label));
  }

  function render() {
    if (closed) return;
    const close = button('mail-close', t(stage === 'progress' && progress?.done ? 'batch.close' : 'mail.cancel'), 'btn-secondary', () => dialog.close());
    if (stage === 'counting' || stage === 'queuing') {
      title.textContent = t('mail.title');
      fill(body, el('p', { class: 'mail-wait', role: 'status' }, t(stage === 'counting' ? 'batch.counting' : 'mail.queuing')));
      fill(buttons, close);
    } else if (stage === 'confirm') {
      title.textContent = t('mail.title');
      const none = preview.toSend === 0;
      fill(body,
        el('div', { class: 'mail-figures' },
          figure('mail-to-send', preview.toSend, plural(preview.toSend, 'mail.toSendOne', 'mail.toSendMany'), 'is-main'),
          figure('mail-without-address', preview.withoutAddress,
            plural(preview.withoutAddress, 'mail.withoutAddressOne', 'mail.withoutAddressMany'), preview.withoutAddress ? 'is-warn' : '')),
        el('p', { class: `notice ${none ? 'notice-warn' : 'notice-info'}`, testid: 'mail-confirm-note' },
          t(none ? 'mail.nothingToSend' : 'mail.confirmNote')));
      const send = button('mail-confirm', none ? t('mail.send') : plural(preview.toSend, 'mail.sendOne', 'mail.sendMany'),
        'btn-primary', queue, none);
      fill(buttons, close, send);
      if (!none) send.focus();
    } else if (stage === 'progress') {
      const p = progress;
      const waiting = (p.queued ?? 0) + (p.sending ?? 0);
      const failed = (p.failed ?? 0) + (p.unknown ?? 0);
      const finished = (p.total ?? 0) - waiting;
      title.textContent = t('mail.progressTitle', { n: p.batch });
      const bar = el('progress', { class: 'mail-bar', testid: 'mail-bar', max: String(Math.max(p.total ?? 0, 1)), value: String(finished) });
      const summary = !p.done ? t('mail.sending', { done: number(finished), total: number(p.total) })
        : failed === 0 ? t('mail.doneAllSent', { n: number(p.sent) })
          : t('mail.doneWithFailures', { n: number(failed) });
      const report = api.mailBatchReportUrl(p.batch);
      fill(body,
        bar,
        el('div', { class: 'mail-figures mail-figures-3' },
          figure('mail-sent', p.sent, t('mail.sent'), 'is-ok'),
          figure('mail-failed', failed, t('mail.failed'), failed ? 'is-error' : ''),
          figure('mail-waiting', waiting, t('mail.waiting'))),
        el('p', { class: `notice ${!p.done ? 'notice-info' : failed ? 'notice-warn' : 'notice-ok'}`, role: 'status',
          testid: 'mail-summary', data: { done: p.done ? 'yes' : 'no' } }, summary),
        p.unknown ? el('p', { class: 'mail-note' }, t('mail.unknownNote', { n: number(p.unknown) })) : null);
      fill(buttons,
        el('a', { class: 'btn btn-secondary btn-large mail-report', href: report, download: `envoi-${p.batch}.csv`, testid: 'mail-report' },
          t(p.done ? 'mail.report' : 'mail.reportSoFar')),
        close);
    } else {
      title.textContent = t('mail.title');
      fill(body, el('p', { class: 'notice notice-error', role: 'alert', testid: 'mail-error' }, problem),
        progress ? el('p', { class: 'mail-note' }, t('mail.stillSending')) : null);
      // Once queued, the batch is sent whatever happens here: its report stays at hand.
      fill(buttons, progress
        ? el('a', { class: 'btn btn-secondary btn-large mail-report', href: api.mailBatchReportUrl(progress.batch),
          download: `envoi-${progress.batch}.csv`, testid: 'mail-report' }, t('mail.reportSoFar'))
        : null, close);
    }
  }

  function fail(failure) {
    if (closed || failure.code === 'not-signed-in') return;
    problem = errorText(failure);
    stage = 'error';
    render();
  }

  async function count() {
    try {
      preview = await api.previewMailBatch(selection);
      if (closed) return;
      stage = 'confirm';
      render();
    } catch (failure) { fail(failure); }
  }

  async function queue() {
    stage = 'queuing';
    render();
    try {
      const queued = await api.queueMailBatch(selection);
      if (closed) return;
      progress = { batch: queued.batch, total: queued.queued, queued: queued.queued, sending: 0, sent: 0, failed: 0, unknown: 0, done: queued.queued === 0 };
      stage = 'progress';
      render();
      poll();
    } catch (failure) { fail(failure); }
  }

  function poll() {
    timer = setTimeout(async () => {
      try {
        const answer = await api.mailBatch(progress.batch);
        if (closed) return;
        progress = answer;
        render();
        if (!answer.done) poll();
      } catch (failure) { fail(failure); }
    }, POLL_MS);
  }

  function cleanUp() {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    dialog.remove();
    onClose();
  }
  dialog.addEventListener('close', cleanUp);
  dialog.addEventListener('keydown', (event) => { if (event.key === 'Escape') event.stopPropagation(); });
  render();
  document.body.append(dialog);
  dialog.showModal();
  count();
  return {
    close() {
      if (dialog.open) dialog.close();
      cleanUp();
    },
    refresh: render,
  };
}
