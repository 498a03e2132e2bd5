// The console's "prétraitement": the batch's whole selection as a table in a dialog — Nom, Prénom, Profil, Classe,
// Identifiant, Code d'activation (masked; "Afficher" reads it through the card's route, which journals the reveal),
// Courriel (masked), Date de création — sorted by a click on a column's title, searched column by column, a page at a
// time. The server sorts, searches and pages (POST /api/v1/batches/preview with "list"): a batch of thousands sends
// one page. Closing the dialog takes every row and every revealed code away.
import * as api from './api.js';
import { el } from './dom.js';
import { formatDay, profileName } from './format.js';
import { errorText, t } from './i18n.js';
import { classLabel } from './batch-view.js';

const PAGE = 25;
const COLUMNS = ['lastName', 'firstName', 'profile', 'class', 'login', 'code', 'email', 'created'];
const SEARCH_DELAY = 250;

/** Opens the table for `selection` (the batch screen's request body). Returns {close}. */
export function batchListDialog(selection, { onClose }) {
  let query = { offset: 0, limit: PAGE, sort: null, descending: false, search: {} };
  let page = null;
  let failure = null;
  let controller = null;
  let timer = null;
  let closed = false;
  const codes = new Map(); // login → revealed code, while the dialog is open

  const table = el('table', { class: 'batch-table', testid: 'batch-table' });
  const status = el('p', { class: 'batch-table-status', testid: 'batch-table-status', role: 'status', 'aria-live': 'polite' });
  const previous = el('button', { type: 'button', class: 'btn btn-secondary', testid: 'batch-table-previous' }, t('batchList.previous'));
  const next = el('button', { type: 'button', class: 'btn btn-secondary', testid: 'batch-table-next' }, t('batchList.next'));
  const closeButton = el('button', { type: 'button', class: 'btn btn-primary', testid: 'batch-table-close' }, t('batch.close'));
  const searchRow = el('tr', { class: 'batch-table-search' }, COLUMNS.map((column) => el('th', {},
    el('input', { class: 'input input-small', type: 'search', 'aria-label': t('batchList.searchIn', { column: t(`batchList.${column}`) }),
      testid: `batch-search-${column}`, on: { input: (event) => search(column, event.target.value) } }))));
  const head = el('thead', {}, el('tr', {}, COLUMNS.map((column) => el('th', { scope: 'col' },
    el('button', { type: 'button', class: 'batch-sort', testid: `batch-sort-${column}`, on: { click: () => sortBy(column) } },
      t(`batchList.${column}`))))), searchRow);
  const body = el('tbody', {});
  table.append(head, body);

  const dialog = el('dialog', { class: 'sheet-dialog batch-dialog batch-list-dialog', testid: 'batch-list-dialog',
    'aria-labelledby': 'batch-list-title' },
  el('div', { class: 'batch-dialog-body' },
    el('h2', { class: 'sheet-title', id: 'batch-list-title' }, t('batchList.title')),
    el('div', { class: 'batch-table-wrap' }, table),
    el('div', { class: 'sheet-buttons batch-table-pager' }, status, previous, next, closeButton)));

  function search(column, text) {
    query = { ...query, offset: 0, search: { ...query.search, [column]: text } };
    clearTimeout(timer);
    timer = setTimeout(load, SEARCH_DELAY);
  }

  function sortBy(column) {
    query = { ...query, offset: 0, descending: query.sort === column ? !query.descending : false, sort: column };
    load();
  }

  async function load() {
    controller?.abort();
    controller = new AbortController();
    try {
      const answer = await api.previewBatch({ ...selection, list: query }, controller.signal);
      if (closed) return;
      page = answer.list;
      failure = null;
    } catch (error) {
      if (api.isAbort(error) || closed || error.code === 'not-signed-in') return;
      failure = error;
    }
    render();
  }

  async function reveal(login) {
    try {
      const answer = await api.accountWithCode(login);
      if (closed) return;
      codes.set(login, answer?.account?.activationCode ?? '');
    } catch (error) {
      if (closed) return;
      failure = error;
    }
    render();
  }

  function codeCell(row) {
    if (row.federated) return el('span', { class: 'muted' }, t('batchList.federated'));
    if (!row.hasCode) return el('span', { class: 'muted' }, t('batchList.noCode'));
    if (codes.has(row.login)) return el('span', { class: 'mono', testid: 'batch-table-code' }, codes.get(row.login));
    return el('button', { type: 'button', class: 'btn btn-secondary btn-small', testid: 'batch-table-reveal',
      on: { click: () => reveal(row.login) } }, `•••••••• ${t('batchList.reveal')}`);
  }

  function render() {
    for (const button of head.querySelectorAll('.batch-sort')) {
      const column = button.dataset.testid.replace('batch-sort-', '');
      button.setAttribute('aria-sort', query.sort === column ? (query.descending ? 'descending' : 'ascending') : 'none');
      button.classList.toggle('is-sorted', query.sort === column);
      button.textContent = t(`batchList.${column}`) + (query.sort === column ? (query.descending ? ' ▼' : ' ▲') : '');
    }
    body.replaceChildren(...(page?.rows ?? []).map((row) => el('tr', { testid: 'batch-table-row', data: { login: row.login } },
      el('td', { class: 'batch-cell-name' }, row.lastName, row.localAdmin ? el('span', { class: 'badge badge-todo' }, t('batchList.admin')) : null),
      el('td', {}, row.firstName),
      el('td', {}, profileName(row.profile)),
      el('td', {}, classLabel(row.class, row.structure)),
      el('td', { class: 'mono' }, row.login),
      el('td', {}, codeCell(row)),
      el('td', { class: row.emailMasked ? 'mono' : 'muted' }, row.emailMasked ?? '—'),
      el('td', {}, row.created ? formatDay(row.created) : ''))));
    const from = page && page.matching ? page.offset + 1 : 0;
    const to = page ? page.offset + page.rows.length : 0;
    status.textContent = failure ? errorText(failure)
      : page ? t('batchList.status', { from, to, matching: page.matching, total: page.total }) : t('batch.counting');
    status.classList.toggle('notice-error', Boolean(failure));
    previous.disabled = !page || page.offset === 0;
    next.disabled = !page || to >= page.matching;
  }

  previous.addEventListener('click', () => { query = { ...query, offset: Math.max(0, query.offset - PAGE) }; load(); });
  next.addEventListener('click', () => { query = { ...query, offset: query.offset + PAGE }; load(); });
  closeButton.addEventListener('click', () => dialog.close());
  function cleanUp() {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    controller?.abort();
    codes.clear();
    dialog.remove();
    onClose();
  }
  dialog.addEventListener('close', cleanUp);
  dialog.addEventListener('keydown', (event) => { if (event.key === 'Escape') event.stopPropagation(); });
  document.body.append(dialog);
  dialog.showModal();
  render();
  load();
  head.querySelector('input')?.focus();
  return {
    close() {
      if (dialog.open) dialog.close();
      cleanUp();
    },
  };
}
