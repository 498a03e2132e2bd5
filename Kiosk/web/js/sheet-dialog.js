// "Imprimer la fiche": a modal dialog asking the two questions the journal records (which identity document
// was checked; who the sheet is handed to), then printing. A PDF answer is loaded into a frame of the dialog
// from an object URL (blob:, allowed by the CSP's frame-src for exactly this) and its print dialog opened; a
// printer answer shows the CUPS job. The object URL is revoked and the frame removed whenever the dialog closes.
import * as api from './api.js';
import { el } from './dom.js';
import { displayName } from './format.js';
import { errorText, t } from './i18n.js';

const ID_CHECKS = ['cni', 'passport', 'residence-permit', 'driving-licence', 'known', 'other'];

export function createSheetDialog() {
  let dialog = null;
  let pdfUrl = null;
  let busy = false;

  /** Opens the dialog for `account`; `preferredRecipient` is the parent whose card led here, if any. */
  function open(account, preferredRecipient) {
    close();
    const parents = account.parents ?? [];
    const preselected = parents.some((p) => p.login === preferredRecipient) ? preferredRecipient : 'self';
    const form = el('form', { class: 'sheet-form', testid: 'sheet-form', on: { submit: (event) => submit(event, account) } },
      el('h2', { class: 'sheet-title', id: 'sheet-title' }, t('sheet.title', { name: displayName(account) })),
      el('fieldset', { class: 'sheet-question' },
        el('legend', { class: 'field-label' }, t('sheet.idCheck')),
        el('div', { class: 'choices' }, ID_CHECKS.map((check) => choice('idCheck', check, t(`sheet.id.${check}`), false)))),
      el('fieldset', { class: 'sheet-question' },
        el('legend', { class: 'field-label' }, t('sheet.recipient')),
        el('div', { class: 'choices' },
          choice('recipient', 'self', t('sheet.recipientSelf', { name: displayName(account) }), preselected === 'self'),
          parents.map((p) => choice('recipient', p.login, t('sheet.recipientParent', { name: displayName(p) }), preselected === p.login)),
          // A parent's sheet may go home with the child ("remis à l'élève pour ses parents").
          account.profile === 'Relative'
            ? (account.children ?? []).map((c) => choice('recipient', c.login, t('sheet.recipientViaStudent', { name: displayName(c) }), false))
            : null)),
      account.goneFromFeed
        ? el('fieldset', { class: 'sheet-question sheet-gone', testid: 'sheet-gone' },
          el('p', { class: 'notice notice-warn' }, t('sheet.goneWarning')),
          el('label', { class: 'choice' },
            el('input', { type: 'checkbox', name: 'confirmGone', testid: 'sheet-confirm-gone' }),
            el('span', {}, t('sheet.goneConfirm'))))
        : null,
      el('p', { class: 'sheet-status', testid: 'sheet-status', role: 'status', 'aria-live': 'polite' }),
      el('div', { class: 'sheet-buttons' },
        el('button', { type: 'button', class: 'btn btn-secondary', testid: 'sheet-cancel', on: { click: close } }, t('sheet.cancel')),
        el('button', { type: 'submit', class: 'btn btn-primary', testid: 'sheet-submit' }, t('sheet.print'))));
    dialog = el('dialog', { class: 'sheet-dialog', testid: 'sheet-dialog', 'aria-labelledby': 'sheet-title',
      on: { close: cleanUp, keydown: onKey } }, form);
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector('input[name="idCheck"]')?.focus();
  }

  function choice(name, value, label, checked) {
    return el('label', { class: 'choice' },
      el('input', { type: 'radio', name, value, checked, testid: `sheet-${name}-${value}` }),
      el('span', {}, label));
  }

  /** Escape closes the dialog only: the desk's own Escape (which empties the search) must not see it. */
  function onKey(event) {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
  }

  async function submit(event, account) {
    event.preventDefault();
    if (busy) return;
    const form = event.currentTarget;
    const idCheck = form.elements.idCheck.value;
    const recipient = form.elements.recipient.value;
    const status = form.querySelector('.sheet-status');
    if (!idCheck) {
      showStatus(status, t('sheet.idMissing'), 'error');
      form.querySelector('input[name="idCheck"]')?.focus();
      return;
    }
    busy = true;
    const button = form.querySelector('[data-testid="sheet-submit"]');
    button.disabled = true;
    button.textContent = t('sheet.printing');
    showStatus(status, '', null);
    const mine = dialog;
    try {
      const confirmGone = Boolean(form.elements.confirmGone?.checked);
      const answer = await api.printSheet(account.login, idCheck, recipient, confirmGone);
      if (mine !== dialog) return; // closed (or wiped) meanwhile
      if (answer?.pdf) showPDF(answer, status);
      else showStatus(status, t('sheet.sentToPrinter', { n: answer?.sheet ?? '', job: answer?.job ?? '' }), 'ok');
      button.hidden = true;
      // The answers are now in the journal: shown as recorded, no longer editable.
      for (const fieldset of form.querySelectorAll('fieldset')) fieldset.disabled = true;
      form.querySelector('[data-testid="sheet-cancel"]').textContent = t('sheet.close');
      dialog.dispatchEvent(new CustomEvent('guichet:sheet-printed', { bubbles: true })); // js/keys.js: next person
    } catch (failure) {
      if (mine !== dialog || failure.code === 'not-signed-in') return;
      showStatus(status, errorText(failure), 'error');
      button.disabled = false;
      button.textContent = t('sheet.print');
    } finally {
      busy = false;
    }
  }

  /** Loads the PDF into a frame of the dialog and opens the browser's print dialog on it. */
  function showPDF({ pdf, sheet }, status) {
    pdfUrl = URL.createObjectURL(pdf);
    const frame = el('iframe', { class: 'sheet-frame', testid: 'sheet-frame', title: t('sheet.frameTitle', { n: sheet }), src: pdfUrl });
    frame.addEventListener('load', () => {
      try { frame.contentWindow?.print(); } catch { /* the viewer refused: "Ouvrir le PDF" is there */ }
    });
    showStatus(status, t('sheet.ready', { n: sheet }), 'ok');
    status.append(' ', el('a', { class: 'sheet-open', href: pdfUrl, target: '_blank', rel: 'noopener', testid: 'sheet-open' },
      t('sheet.open')));
    const form = dialog.querySelector('form');
    form.insertBefore(frame, form.querySelector('.sheet-buttons'));
  }

  function showStatus(node, text, kind) {
    node.textContent = text;
    node.className = `sheet-status${kind ? ` notice notice-${kind === 'error' ? 'error' : 'info'}` : ''}`;
    if (kind === 'error') node.setAttribute('role', 'alert');
    else node.setAttribute('role', 'status');
  }

  /** Closes the dialog; the frame, the PDF's object URL and the dialog's nodes all go. */
  function close() {
    if (dialog?.open) dialog.close();
    else cleanUp();
  }

  function cleanUp() {
    if (pdfUrl) URL.revokeObjectURL(pdfUrl);
    pdfUrl = null;
    dialog?.remove();
    dialog = null;
    busy = false;
  }

  return { open, close, isOpen: () => dialog !== null };
}
