// The account card. Only one is shown; opening another drops any answer still on its way for the first
// (sequence number + abort), and the activation code lives only in this module's `code` and in the DOM
// while shown: hiding it, closing the card or wiping removes the node. The renewal code (renewal.js) follows
// the same rule: opening or closing a card forgets it.
import * as api from './api.js';
import { activationBadge, goneBadge } from './badges.js';
import { clear, el } from './dom.js';
import { codeGroups, dateAndTime, formatDay, formatInstant, listText, nameNodes, profileName, olderThanDays } from './format.js';
import { errorText, has, t } from './i18n.js';
import { createSheetDialog } from './sheet-dialog.js';
import { createRenewal } from './renewal.js';
import { createEmail } from './email.js';

const LOADING_AFTER_MS = 300;

export function createCard({ pane, panes, hint, staleDataDays, mailEnabled = () => false, onBack }) {
  let sequence = 0;
  let controller = null;
  let current = null; // {account, dataDate}, never holding the code
  let code = null; // the revealed activation code of current.account, or null
  let codeState = 'hidden'; // 'hidden' | 'loading' | 'shown' | 'error'
  let codeError = null;
  let loadError = null;
  let cameFrom = null; // the login whose card linked here (a parent, to preselect as the sheet's recipient)
  const sheetDialog = createSheetDialog();
  const renewal = createRenewal({ rerender: (focusTestId) => render(focusTestId) });
  const email = createEmail({ rerender: () => render(), enabled: mailEnabled });

  async function open(login, from = null) {
    controller?.abort();
    controller = new AbortController();
    const mine = ++sequence;
    // A renewal code on screen goes at once, not when the next card arrives.
    if (renewal.reset()) render();
    if (email.reset()) render();
    const waiting = setTimeout(() => {
      if (mine !== sequence) return;
      if (current) pane.firstElementChild?.classList.add('is-waiting');
      else show([el('p', { class: 'pane-hint' }, t('card.loading'))]);
    }, LOADING_AFTER_MS);
    try {
      const answer = await api.account(login, controller.signal);
      if (mine !== sequence) return;
      current = withoutCode(answer);
      cameFrom = from;
      code = null;
      codeState = 'hidden';
      loadError = null;
      render('card-name');
    } catch (failure) {
      if (api.isAbort(failure) || mine !== sequence || failure.code === 'not-signed-in') return;
      current = null;
      code = null;
      loadError = failure;
      render();
    } finally {
      clearTimeout(waiting);
    }
  }

  async function reveal() {
    const login = current.account.login;
    const mine = sequence;
    // Gone from the export: the server reveals the code only to a reviewer who ticked the box (as for its sheet).
    const confirmGone = Boolean(pane.querySelector('[data-testid="card-confirm-gone"]')?.checked);
    codeState = 'loading';
    render('reveal-code');
    try {
      const answer = await api.accountWithCode(login, controller?.signal, confirmGone);
      if (mine !== sequence) return;
      code = answer?.account?.activationCode ?? null;
      current = withoutCode(answer);
      codeState = code ? 'shown' : 'hidden';
      render(code ? 'hide-code' : 'card-name');
    } catch (failure) {
      if (api.isAbort(failure) || mine !== sequence || failure.code === 'not-signed-in') return;
      codeState = 'error';
      codeError = failure;
      render('reveal-code');
    }
  }

  function hideCode() {
    code = null;
    codeState = 'hidden';
    render('reveal-code');
  }

  function show(nodes) {
    pane.replaceChildren(...nodes);
    panes.classList.toggle('has-card', true);
  }

  /** Draws the card from the state, then focuses the element with the given data-testid, if any. */
  function render(focusTestId) {
    if (loadError) {
      show([el('div', { class: 'card' },
        el('div', { class: 'card-body card-error' }, el('p', { class: 'notice notice-error', role: 'alert' }, errorText(loadError))),
        backBar())]);
      return;
    }
    if (!current) return;
    show([cardNode(current)]);
    if (focusTestId) pane.querySelector(`[data-testid="${focusTestId}"]`)?.focus();
  }

  function cardNode({ account, dataDate, ent }) {
    const summary = [profileName(account.profile), listText(account.classes)].filter(Boolean).join(' · ');
    return el('article', { class: 'card', testid: 'account-card', 'aria-labelledby': 'card-name' },
      el('header', { class: 'card-head' },
        el('h2', { class: 'card-name', id: 'card-name', testid: 'card-name', tabindex: '-1' }, nameNodes(account)),
        el('p', { class: 'card-summary' },
          el('span', {}, summary),
          account.federatedWith ? federatedBadge() : activationBadge(ent?.checked ? ent.activated : account.activated),
          goneBadge(account.goneFromFeed))),
      el('div', { class: 'card-body' },
        account.goneFromFeed
          ? el('p', { class: 'notice notice-warn card-notice', testid: 'card-gone' },
            t('card.gone', { date: formatDay(account.goneFromFeed) }), ' ', t('card.goneRefused'))
          : null,
        entNotice(ent, dataDate),
        renewal.panel(account),
        el('div', { class: 'handover' }, loginBox(account), activationBox(account, ent)),
        relatives(account),
        facts(account),
        dataDateNode(dataDate)),
      backBar(account));
  }

  function loginBox(account) {
    // A federated account has no login to hand over: say what it signs in with instead.
    if (account.federatedWith) {
      return el('section', { class: 'handover-row', testid: 'card-federated' },
        el('h3', { class: 'box-title' }, t('card.federatedTitle')),
        el('div', { class: 'handover-value' },
          el('p', { class: 'login-value' }, listOr(account.federatedWith.map((s) => t(`federation.${s}`)))),
          el('p', { class: 'box-text' }, t('card.federatedText'))));
    }
    return el('section', { class: 'handover-row' },
      el('h3', { class: 'box-title' }, t('card.login')),
      el('div', { class: 'handover-value' },
        el('p', { class: 'login-value mono' }, account.login),
        account.alias ? el('p', { class: 'alias' }, `${t('card.alias')} : `, el('span', { class: 'mono' }, account.alias)) : null));
  }

  function activationBox(account, ent) {
    if (account.federatedWith) return null;
    return el('section', { class: 'handover-row' },
      el('h3', { class: 'box-title' }, t('card.activation')),
      el('div', { class: 'handover-value' }, activationContent(account, ent)));
  }

  // With the ENT connection, the card carries the ENT's state of now (`ent`): checked, or why it could not be asked.
  // Checked, it decides whether the account is activated (someone may have activated it since the export); not
  // checked, the card says so and follows the export.
  function entNotice(ent, dataDate) {
    if (!ent) return null;
    if (ent.checked) {
      if (ent.blocked) {
        return el('p', { class: 'notice notice-error card-notice', role: 'alert', testid: 'card-ent', 'data-state': 'blocked' },
          t('card.entBlocked'));
      }
      return el('p', { class: 'data-date-text', testid: 'card-ent', 'data-state': 'checked' },
        t('card.entChecked', dateAndTime(ent.checkedAt)));
    }
    if (ent.code === 'ent-not-listed') {
      return el('p', { class: 'notice notice-warn card-notice', testid: 'card-ent', 'data-state': ent.code },
        t('card.entNotListed'));
    }
    // Why, in the desk's words: the ENT is silent, or the IT contact must act (sign-in refused, MFA demanded…).
    const why = ent.code === 'ent-unreachable' ? t('card.entSilent') : has(`error.${ent.code}`) ? t(`error.${ent.code}`) : '';
    return el('p', { class: 'notice notice-warn card-notice', role: 'note', testid: 'card-ent', 'data-state': ent.code },
      t('card.entUnavailable', dataDate ? dateAndTime(dataDate) : {}), why ? ` ${why}` : '');
  }

  function activationContent(account, ent) {
    // An activated account's code action is the renewal code: here, beside the state it follows from.
    // Gone from the export: no renewal (the server refuses it too: 409 account-gone); federated accounts have no box.
    const live = ent?.checked ? ent : null;
    if (live && live.activated !== account.activated) {
      // The ENT of now differs from the export: its state decides (the sheet prints the ENT's, too).
      if (!live.activated) return el('p', { class: 'box-text', testid: 'card-ent-state' }, t('card.entNotActivated'));
      return [el('p', { class: 'box-text', testid: 'card-ent-state' }, t('card.entActivated')),
        live.blocked ? null : renewal.button({ ...account, activated: true })];
    }
    if (account.activated) {
      return [el('p', { class: 'box-text' }, t('card.activatedText')),
        account.goneFromFeed || live?.blocked ? null : renewal.button(account)];
    }
    if (!account.hasActivationCode) return el('p', { class: 'box-text' }, t('card.noCodeText'));
    if (codeState === 'shown' && code) {
      const groups = codeGroups(code).map((group) => el('span', { class: 'code-group' }, group));
      return el('div', { class: 'code-line' },
        el('p', { class: 'code-value mono', testid: 'activation-code' }, groups.flatMap((n, i) => (i ? [' ', n] : [n]))),
        el('button', { type: 'button', class: 'btn btn-secondary', testid: 'hide-code', on: { click: hideCode } }, t('card.hide')));
    }
    const busy = codeState === 'loading';
    return [
      el('p', { class: 'box-text' }, t('card.codeHidden')),
      codeState === 'error' ? el('p', { class: 'notice notice-error', role: 'alert', testid: 'code-error' }, errorText(codeError)) : null,
      account.goneFromFeed
        ? el('label', { class: 'choice' },
          el('input', { type: 'checkbox', name: 'confirmGone', testid: 'card-confirm-gone' }),
          el('span', {}, t('card.revealGoneConfirm')))
        : null,
      el('button', {
        type: 'button', class: 'btn btn-primary', testid: 'reveal-code', disabled: busy, on: { click: reveal },
      }, busy ? t('card.revealing') : t('card.reveal')),
    ];
  }

  function facts(account) {
    const rows = [
      [t('card.structures'), listText(account.structures)],
      [t('card.functions'), listText(account.functions)],
      [t('card.email'), account.emailMasked ?? t('card.emailNone'), account.emailMasked ? 'mono' : 'muted'],
      [t('card.phone'), account.phoneMasked ?? t('card.phoneNone'), account.phoneMasked ? 'mono' : 'muted'],
      [t('card.lastConnection'), account.lastConnection ? formatInstant(account.lastConnection) : t('card.neverConnected'),
        account.lastConnection ? '' : 'muted'],
    ].filter(([, value]) => value);
    return el('dl', { class: 'facts' },
      rows.map(([label, value, kind]) => el('div', { class: 'fact' }, el('dt', {}, label), el('dd', { class: kind || null }, value))));
  }

  function relatives(account) {
    const groups = [[t('card.parents'), account.parents], [t('card.children'), account.children]]
      .filter(([, people]) => people?.length);
    if (groups.length === 0) return null;
    return el('div', { class: 'relatives' }, groups.map(([title, people]) => el('section', { class: 'relative-group' },
      el('h3', { class: 'box-title' }, title),
      el('ul', { class: 'relative-list' }, people.map((person) => el('li', {}, relativeLink(person)))))));
  }

  function relativeLink(person) {
    return el('button', {
      type: 'button', class: 'relative', testid: 'relative-link', data: { login: person.login },
      on: { click: () => open(person.login, current?.account?.login ?? null) },
    },
    el('span', { class: 'relative-name' }, nameNodes(person)),
    el('span', { class: 'relative-details' }, listText(person.classes)),
    activationBadge(person.activated, person.profile));
  }

  function dataDateNode(dataDate) {
    if (!dataDate) return null;
    const stale = olderThanDays(dataDate, staleDataDays());
    return el('div', { class: 'data-date' },
      el('p', { class: 'data-date-text' }, t('card.dataDate', dateAndTime(dataDate))),
      stale ? el('p', { class: 'notice notice-warn', role: 'note' }, t('card.stale', { days: staleDataDays() })) : null);
  }

  function backBar(account = current?.account) {
    // The action area: "Imprimer la fiche" always; "Envoyer par e-mail" when an address is on file and [mail] is
    // configured. ("Code de renouvellement" sits in the activation box.)
    return el('footer', { class: 'card-actions', 'aria-label': t('card.actions') },
      el('button', { type: 'button', class: 'btn btn-secondary', testid: 'back-to-results', on: { click: onBack } },
        `← ${t('card.back')}`),
      el('div', { class: 'card-actions-main', testid: 'card-actions' },
        account ? el('button', {
          type: 'button', class: 'btn btn-primary', testid: 'print-sheet',
          on: { click: () => sheetDialog.open(account, cameFrom) },
        }, t('card.printSheet')) : null,
        // Gone from the export: no e-mail, no renewal (the server refuses them too: 409 account-gone);
        // federated: no renewal (409 account-federated).
        account && !account.goneFromFeed ? email.button(account) : null),
      account ? email.status(account) : null);
  }

  /** Closes the card and drops anything on its way: the card's and the code's nodes leave the DOM. */
  function close() {
    sheetDialog.close();
    controller?.abort();
    controller = null;
    sequence += 1;
    current = null;
    cameFrom = null;
    code = null;
    codeState = 'hidden';
    loadError = null;
    renewal.reset();
    email.reset();
    clear(pane);
    pane.append(hint);
    panes.classList.remove('has-card');
  }

  return {
    open,
    close,
    isOpen: () => current !== null || loadError !== null,
    refresh: () => render(),
  };
}

function federatedBadge() {
  return el('span', { class: 'badge badge-ok', testid: 'badge-federated' }, t('badge.federated'));
}

/** "EduConnect ou FranceConnect". */
function listOr(items) {
  if (items.length < 2) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${t('list.or')} ${items[items.length - 1]}`;
}

function withoutCode(answer) {
  if (!answer?.account) return answer;
  const { activationCode, ...account } = answer.account;
  return { ...answer, account };
}
