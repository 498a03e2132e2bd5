// The desk's keyboard layer (issue 21): from the query to a printed sheet without the mouse, and the screen made
// ready for the next person once the sheet is out. One document-level listener, in the capture phase so that it sees a
// key before the focused control does; it acts by clicking the page's own buttons, so a shortcut does exactly what the
// button does (the journal, the preselected recipient, the busy states) and the other modules know nothing of it.
//
//   search box   ↑ ↓ choose a row, Entrée opens its card (js/search.js)
//   card         Ctrl+P  "Imprimer la fiche" — or, while a renewal code is shown, "Imprimer ce code"
//                Ctrl+M  "Afficher le code d'activation" / "Masquer"
//                Ctrl+R  "Code de renouvellement"          Ctrl+E  "Envoyer par e-mail"
//                a letter or a digit goes to the search box (the next query starts at once)
//   sheet dialog 1–6 the identity document (on an AZERTY keyboard too: the physical key counts), ↑ ↓ ← → the
//                recipient, Entrée prints; once printed, Entrée: next person now, Échap: stay on the card
//   anywhere     Échap goes back one step: dialog → card → code hidden → results → empty search box
//
// Ctrl+P never reaches the browser's own printing, on any screen. Each button shows its shortcut: `data-shortcut`
// (drawn by app.css as a key cap) and `aria-keyshortcuts`, set here on every render through a MutationObserver, so the
// buttons' own text — and the other modules' code — stay as they are.
import { t } from './i18n.js';

const ID_KEYS = 6; // sheet-dialog.js's six identity documents, in their order
const PENDING_PRINT_MS = 3000;
const TICK_MS = 250;

export function createKeys({ searchInput, isDesk, nextPersonSeconds, onBack, onNextPerson }) {
  let pendingPrint = 0; // until when a Ctrl+P pressed while the card was still loading stays armed
  let countdown = null; // {dialog, node, until, timer} while the screen waits to be handed to the next person
  let decorating = false;

  document.addEventListener('keydown', onKey, { capture: true });
  document.addEventListener('guichet:sheet-printed', (event) => startCountdown(event.target));
  searchInput.addEventListener('input', () => { pendingPrint = 0; });
  new MutationObserver(() => {
    if (decorating) return;
    decorating = true;
    queueMicrotask(() => {
      decorating = false;
      decorate();
      firePendingPrint();
    });
  }).observe(document.body, { childList: true, subtree: true });

  const find = (testid, root = document) => root.querySelector(`[data-testid="${testid}"]`);
  const usable = (node) => node && !node.disabled && !node.hidden && node.isConnected;
  const openDialog = () => document.querySelector('dialog[open][data-testid="sheet-dialog"]');

  function click(testid) {
    const node = find(testid);
    if (!usable(node)) return false;
    node.click();
    return true;
  }

  function onKey(event) {
    const ctrl = (event.ctrlKey || event.metaKey) && !event.altKey;
    const letter = event.key.length === 1 ? event.key.toLowerCase() : '';
    // The browser's page printing is never what the desk wants, on any screen.
    if (ctrl && letter === 'p') event.preventDefault();
    if (!isDesk()) return;

    const dialog = openDialog();
    if (dialog) {
      dialogKey(event, dialog, ctrl);
      return;
    }
    if (event.key === 'Escape') {
      if (document.querySelector('dialog[open]')) return; // another module's dialog closes itself
      event.preventDefault();
      back();
      return;
    }
    if (ctrl && !event.shiftKey) {
      const action = {
        p: () => click('renewal-print') || click('print-sheet') || armPrint(),
        m: () => click('reveal-code') || click('hide-code'),
        r: () => click('renewal-issue'),
        e: () => click('email-sheet'),
      }[letter];
      if (action) {
        event.preventDefault();
        action();
      }
      return;
    }
    // A letter or a digit typed while the focus is on the card (not in a field): the next query begins.
    if (!event.altKey && !ctrl && event.key.length === 1 && event.key !== ' ' && !typing(event.target)) {
      searchInput.focus();
      searchInput.select();
    }
  }

  /** Échap, one step at a time. */
  function back() {
    pendingPrint = 0;
    if (click('renewal-done') || click('hide-code')) return;
    if (find('account-card') || find('back-to-results')) {
      onBack(); // closes the card; the query and its rows stay, the box has the focus
      return;
    }
    if (searchInput.value !== '') onNextPerson(); // empties the box and its rows
    else searchInput.focus();
  }

  function armPrint() {
    pendingPrint = Date.now() + PENDING_PRINT_MS;
    return true;
  }

  function firePendingPrint() {
    if (!pendingPrint) return;
    if (Date.now() > pendingPrint || openDialog()) {
      pendingPrint = 0;
      return;
    }
    if (usable(find('print-sheet'))) {
      pendingPrint = 0;
      click('print-sheet');
    }
  }

  function dialogKey(event, dialog, ctrl) {
    if (event.key === 'Escape') {
      // The dialog closes itself (its own cancel); a countdown to the next person stops: the agent stays.
      stopCountdown();
      return;
    }
    if (ctrl || event.altKey) return;
    if (countdown?.dialog === dialog && event.key === 'Enter') {
      event.preventDefault();
      nextPerson();
      return;
    }
    const form = dialog.querySelector('form');
    if (!form || form.querySelector('fieldset:disabled')) return; // printed: the answers are recorded
    const digit = digitOf(event);
    if (digit >= 1 && digit <= ID_KEYS) {
      const choice = form.querySelectorAll('input[name="idCheck"]')[digit - 1];
      if (choice) {
        event.preventDefault();
        choice.checked = true;
        choice.focus();
      }
      return;
    }
    if (['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'].includes(event.key)) {
      event.preventDefault();
      const recipients = [...form.querySelectorAll('input[name="recipient"]')];
      const at = recipients.findIndex((r) => r.checked);
      const step = event.key === 'ArrowUp' || event.key === 'ArrowLeft' ? -1 : 1;
      const next = recipients[Math.min(recipients.length - 1, Math.max(0, at + step))];
      if (next) next.checked = true;
      return;
    }
    if (event.key === 'Enter' && !(event.target instanceof HTMLButtonElement)) {
      event.preventDefault();
      form.requestSubmit();
    }
  }

  // ——— The next person ———

  function startCountdown(dialog) {
    stopCountdown();
    const seconds = nextPersonSeconds();
    if (!(seconds > 0) || !dialog?.isConnected) return;
    const node = document.createElement('p');
    node.className = 'next-person';
    node.dataset.testid = 'next-person';
    node.setAttribute('role', 'status');
    const form = dialog.querySelector('form');
    form?.insertBefore(node, form.querySelector('.sheet-buttons'));
    countdown = { dialog, node, until: Date.now() + seconds * 1000, timer: setInterval(tick, TICK_MS) };
    dialog.addEventListener('close', stopCountdown, { once: true });
    // The frame's PDF viewer may have taken the focus: keys must reach the page (Entrée, Échap).
    find('sheet-cancel', dialog)?.focus();
    tick();
  }

  function tick() {
    if (!countdown) return;
    const left = Math.ceil((countdown.until - Date.now()) / 1000);
    if (left <= 0) {
      nextPerson();
      return;
    }
    countdown.node.textContent = t('keys.nextPerson', { s: left });
  }

  function stopCountdown() {
    if (!countdown) return;
    clearInterval(countdown.timer);
    countdown.node.remove();
    countdown = null;
  }

  /** The sheet is out: dialog and card closed, search box emptied and focused. */
  function nextPerson() {
    stopCountdown();
    pendingPrint = 0;
    onNextPerson();
  }

  // ——— The shortcuts shown on the buttons ———

  function decorate() {
    const ctrl = t('keys.ctrl');
    const renewalShown = usable(find('renewal-print'));
    mark(find('print-sheet'), renewalShown ? null : `${ctrl}+P`, 'Control+P');
    mark(find('renewal-print'), `${ctrl}+P`, 'Control+P');
    mark(find('reveal-code'), `${ctrl}+M`, 'Control+M');
    mark(find('hide-code'), `${ctrl}+M`, 'Control+M');
    mark(find('renewal-issue'), `${ctrl}+R`, 'Control+R');
    mark(find('email-sheet'), `${ctrl}+E`, 'Control+E');
    mark(find('renewal-done'), t('keys.escape'), 'Escape');
    // Échap first takes a code off the screen (see back()): the card's own Échap shows again once it has.
    const codeShown = renewalShown || usable(find('hide-code'));
    mark(find('back-to-results'), codeShown ? null : t('keys.escape'), 'Escape');
    const dialog = openDialog();
    if (!dialog) return;
    dialog.querySelectorAll('input[name="idCheck"]').forEach((input, index) => {
      if (index < ID_KEYS) mark(input.closest('label'), String(index + 1), String(index + 1));
    });
    const recipients = dialog.querySelectorAll('input[name="recipient"]');
    if (recipients.length > 1) mark(recipients[0].closest('fieldset')?.querySelector('legend'), '↑ ↓', 'ArrowUp ArrowDown');
    mark(find('sheet-submit', dialog), t('keys.enter'), 'Enter');
    mark(find('sheet-cancel', dialog), t('keys.escape'), 'Escape');
  }

  function mark(node, label, keys) {
    if (!node) return;
    if (label === null) {
      if (node.hasAttribute('data-shortcut')) node.removeAttribute('data-shortcut');
      if (node.hasAttribute('aria-keyshortcuts')) node.removeAttribute('aria-keyshortcuts');
      return;
    }
    // Only on change: an attribute write is not a childList mutation, but it is still work on every render.
    if (node.dataset.shortcut !== label) node.dataset.shortcut = label;
    if (keys && node.getAttribute('aria-keyshortcuts') !== keys) node.setAttribute('aria-keyshortcuts', keys);
  }

  return {
    /** Forgets any countdown or armed Ctrl+P (the idle lock, a sign-out). */
    reset() {
      stopCountdown();
      pendingPrint = 0;
    },
    /** Re-labels the key caps (after a language switch). */
    refresh: decorate,
  };
}

/** 1–9 from the key, or from the physical key when the layout gives a symbol (AZERTY's unshifted "&é\"'("). */
function digitOf(event) {
  if (/^[1-9]$/.test(event.key)) return Number(event.key);
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code ?? '');
  return match ? Number(match[1]) : 0;
}

function typing(target) {
  if (!(target instanceof Element)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
