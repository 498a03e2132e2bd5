// Search as you type. Three rules keep the list honest and calm:
// - a request leaves with each keystroke, and starting one aborts the previous one — each keystroke is answered within
//   100 ms end to end (issue 21: Tests/browser/test_desk_latency.py); keys closer together than any hand types (a
//   paste, a scanner, a test robot) wait until they pause for BURST_MS, so a burst asks once;
// - every request has a sequence number, and an answer that is not the latest one is dropped, so an older
//   response can never overwrite a newer one even if the abort comes too late;
// - the previous list stays until the new one arrives, and "Recherche…" appears only past 300 ms.
import * as api from './api.js';
import { activationBadge, goneBadge } from './badges.js';
import { clear, el } from './dom.js';
import { listText, nameNodes, profileName } from './format.js';
import { errorText, t } from './i18n.js';

const BURST_MS = 40;
const LOADING_AFTER_MS = 300;
const MIN_LENGTH = 2;
const LIMIT = 20;

export function createSearch({ input, clearButton, list, status, hint, onOpen, onType }) {
  let debounce = null;
  let loading = null;
  let controller = null;
  let sequence = 0;
  let inFlight = false;
  let shown = null; // {q, results, total, exact, widenedFrom}: what the list shows now
  let error = null;
  let selected = -1;
  let openOnArrival = false; // Enter pressed while the answer to the latest keystrokes was still on its way
  let lastInputAt = -Infinity;
  let drawn = null; // the results the rows were drawn from (JSON): the same answer again keeps the same nodes

  input.addEventListener('input', onInput);
  input.addEventListener('keydown', onKeydown);
  clearButton.addEventListener('click', () => {
    reset();
    input.focus();
  });
  list.addEventListener('click', (event) => {
    const row = event.target.closest('[data-testid="result-row"]');
    if (row) open(Number(row.dataset.index));
  });

  function onInput(event) {
    const typedAt = event.timeStamp;
    const burst = typedAt - lastInputAt < BURST_MS;
    lastInputAt = typedAt;
    onType();
    clearButton.hidden = input.value === '';
    const q = input.value.trim();
    cancel();
    if (q.length < MIN_LENGTH) {
      show(null);
      return;
    }
    if (burst) debounce = setTimeout(() => run(q, typedAt), BURST_MS);
    else run(q, typedAt); // at once: a task later is a wait on a busy machine
  }

  function onKeydown(event) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (debounce !== null || inFlight) openOnArrival = true;
      else open(selected);
    }
  }

  async function run(q, typedAt = performance.now()) {
    debounce = null;
    controller = new AbortController();
    const mine = ++sequence;
    inFlight = true;
    loading = setTimeout(() => {
      status.textContent = t('search.loading');
      list.classList.add('is-waiting');
    }, LOADING_AFTER_MS);
    try {
      const answer = await api.searchAccounts(q, controller.signal, LIMIT);
      if (mine !== sequence) return;
      show({
        q, results: answer?.results ?? [], total: answer?.total ?? 0, exact: answer?.totalIsExact !== false,
        widenedFrom: answer?.widenedFrom ?? null,
      });
      measure(typedAt, answer?.results?.length ?? 0);
      if (openOnArrival) open(selected);
    } catch (failure) {
      if (api.isAbort(failure) || mine !== sequence) return;
      if (failure.code === 'not-signed-in') return; // the app wipes everything and shows the sign-in
      error = failure;
      renderStatus();
    } finally {
      if (mine === sequence) settle();
    }
  }

  function settle() {
    clearTimeout(loading);
    loading = null;
    inFlight = false;
    openOnArrival = false;
    list.classList.remove('is-waiting');
  }

  /** Forgets any pending or running search: its answer, if it comes, will be dropped. */
  function cancel() {
    clearTimeout(debounce);
    debounce = null;
    controller?.abort();
    controller = null;
    sequence += 1;
    settle();
  }

  function show(answer) {
    const keep = shown?.results[selected]?.login;
    shown = answer;
    error = null;
    const index = answer ? answer.results.findIndex((r) => r.login === keep) : -1;
    selected = answer && answer.results.length > 0 ? Math.max(index, 0) : -1;
    render();
  }

  function render(redraw = false) {
    const results = shown?.results ?? [];
    const key = JSON.stringify([shown?.widenedFrom ?? null, results]);
    if (redraw === true || key !== drawn) {
      clear(list);
      results.forEach((account, index) => {
        // Near spellings and sound-alikes come last; say so, so that nobody takes one for the person asked for.
        if (index === shown.widenedFrom) list.append(widenedLabel());
        list.append(row(account, index));
      });
      drawn = key;
    }
    hint.hidden = shown !== null;
    input.setAttribute('aria-expanded', String(results.length > 0));
    renderStatus();
    highlight();
  }

  function renderStatus() {
    status.classList.toggle('is-error', error !== null);
    if (error) status.textContent = errorText(error);
    else if (!shown) status.textContent = '';
    else if (shown.total === 0 || shown.results.length === 0) status.textContent = t('search.none', { q: shown.q });
    else if (!shown.exact) {
      // Very common letters ("m", "ma l"): the search stops counting; its total is only a lower bound.
      status.textContent = t('search.moreThan', { shown: shown.results.length, total: shown.total });
    } else if (shown.total > shown.results.length) {
      status.textContent = t('search.more', { shown: shown.results.length, total: shown.total });
    } else status.textContent = t(shown.total === 1 ? 'search.one' : 'search.many', { n: shown.total });
  }

  function widenedLabel() {
    return el('li', { class: 'result-widened', role: 'presentation', testid: 'result-widened', data: { index: '-1' } },
      t('search.widened'));
  }

  function row(account, index) {
    const details = [profileName(account.profile), listText(account.classes)];
    const children = account.children?.length ?? 0;
    if (account.profile === 'Relative' && children > 0) {
      details.push(t(children === 1 ? 'row.children.one' : 'row.children.many', { n: children }));
    }
    return el('li', {
      id: `result-${index}`,
      class: 'result',
      role: 'option',
      'aria-selected': 'false',
      testid: 'result-row',
      data: { login: account.login, index: String(index) },
    },
    el('span', { class: 'result-name' }, nameNodes(account)),
    el('span', { class: 'result-badges' }, goneBadge(account.goneFromFeed), activationBadge(account.activated, account.profile)),
    el('span', { class: 'result-details' }, details.filter(Boolean).join(' · ')));
  }

  function move(delta) {
    const count = shown?.results.length ?? 0;
    if (count === 0) return;
    selected = Math.min(count - 1, Math.max(0, selected + delta));
    highlight();
  }

  function highlight() {
    let active = null;
    for (const node of list.children) {
      const on = Number(node.dataset.index) === selected;
      node.classList.toggle('is-selected', on);
      node.setAttribute('aria-selected', String(on));
      if (on) active = node;
    }
    if (active) {
      input.setAttribute('aria-activedescendant', active.id);
      active.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }

  function open(index) {
    const account = shown?.results[index];
    if (!account) return;
    selected = index;
    highlight();
    onOpen(account.login);
  }

  /** Empties the box and removes every row from the DOM. */
  function reset() {
    cancel();
    input.value = '';
    clearButton.hidden = true;
    show(null);
  }

  return {
    reset,
    focus: () => input.focus(),
    /** Re-words what is shown (after a language switch). */
    refresh: () => render(true),
  };
}

/**
 * The Performance API's "guichet:search" entries: from the keystroke to the frame after its rows were drawn (the desk's
 * browser test reads them). Durations and row counts only, never the query; the oldest are dropped past 500.
 */
function measure(typedAt, rows) {
  requestAnimationFrame(() => setTimeout(() => {
    if (performance.getEntriesByName('guichet:search').length >= 500) performance.clearMeasures('guichet:search');
    performance.measure('guichet:search', { start: typedAt, detail: { rows } });
  }, 0));
}
