// The reviewer's journal view: pick a day (and an agent or an action), read it, print the report, sign the day off.
// Closing it, for whatever reason (back to the desk, idle lock, sign-out), removes everything it showed.
import * as api from './api.js';
import { byId, clear, el, setMessage } from './dom.js';
import { errorText, t } from './i18n.js';
import { actionName, journalNodes } from './journal-view.js';

export function createJournal() {
  const section = byId('journal');
  const dayInput = byId('journal-day');
  const staffSelect = byId('journal-staff');
  const actionSelect = byId('journal-action');
  const report = byId('journal-report');
  const signOffButton = byId('journal-signoff');
  const status = byId('journal-status');
  const body = byId('journal-body');
  let sequence = 0;
  let review = null; // the last answer
  let options = { byStaff: [], byAction: [] }; // the unfiltered day's counts, for the two selects
  let notice = null; // {kind: 'ok' | 'error', text}
  let busy = false;

  function filters() {
    return { day: dayInput.value, staff: staffSelect.value, action: actionSelect.value };
  }

  async function load({ resetFilters = false } = {}) {
    if (resetFilters) {
      staffSelect.value = '';
      actionSelect.value = '';
    }
    const mine = ++sequence;
    const query = filters();
    setMessage(status, t('journal.loading'));
    status.className = 'notice notice-info';
    try {
      const answer = await api.journal(query);
      if (mine !== sequence) return;
      review = answer;
      if (!query.staff && !query.action) options = { byStaff: answer.byStaff, byAction: answer.byAction };
      if (!dayInput.value) dayInput.value = answer.day;
      render();
    } catch (failure) {
      if (mine !== sequence || failure.code === 'not-signed-in') return;
      review = null;
      notice = { kind: 'error', text: errorText(failure) };
      render();
    }
  }

  async function signOff() {
    if (busy || !dayInput.value) return;
    busy = true;
    render();
    try {
      const done = await api.signOffDay(dayInput.value);
      notice = { kind: 'ok', text: t('journal.signedOff', { upTo: done.upTo, day: done.day }) };
    } catch (failure) {
      if (failure.code === 'not-signed-in') return;
      notice = { kind: 'error', text: errorText(failure) };
    } finally {
      busy = false;
    }
    await load();
  }

  function fillSelect(select, counts, allKey, label) {
    const chosen = select.value;
    select.replaceChildren(
      el('option', { value: '' }, t(allKey)),
      ...counts.filter((c) => c.name).map((c) => el('option', { value: c.name }, `${label(c.name)} (${c.count})`)));
    select.value = [...select.options].some((o) => o.value === chosen) ? chosen : '';
  }

  function render() {
    fillSelect(staffSelect, options.byStaff, 'journal.allStaff', (name) => name);
    fillSelect(actionSelect, options.byAction, 'journal.allActions', actionName);
    report.href = `/api/v1/journal/report?day=${encodeURIComponent(dayInput.value)}`;
    // Nothing new since the last sign-off of this day: signing again would be refused.
    const head = review?.head;
    signOffButton.disabled = busy || !head || (review.signOffs ?? []).some((s) => s.upTo === head.seq);
    signOffButton.textContent = t(busy ? 'journal.signingOff' : 'journal.signoff');
    if (notice) {
      setMessage(status, notice.text);
      status.className = `notice ${notice.kind === 'ok' ? 'notice-ok' : 'notice-error'}`;
    } else {
      setMessage(status, '');
    }
    body.replaceChildren(...(review ? journalNodes(review) : []));
  }

  dayInput.addEventListener('change', () => {
    notice = null;
    if (dayInput.value) load({ resetFilters: true });
  });
  staffSelect.addEventListener('change', () => { notice = null; load(); });
  actionSelect.addEventListener('change', () => { notice = null; load(); });
  signOffButton.addEventListener('click', signOff);

  return {
    isOpen: () => !section.hidden,
    /** Shows today's journal (the server's today, in the school's time zone). */
    open() {
      section.hidden = false;
      dayInput.value = '';
      notice = null;
      load({ resetFilters: true });
      dayInput.focus();
    },
    /** Hides the view and takes every entry out of the DOM. */
    close() {
      sequence++;
      section.hidden = true;
      review = null;
      options = { byStaff: [], byAction: [] };
      notice = null;
      clear(body);
      setMessage(status, '');
    },
    refresh() {
      if (!section.hidden) render();
    },
  };
}
