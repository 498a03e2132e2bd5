// Drawing one day of the journal (GET /api/v1/journal): the chain head and sign-offs, counts per agent and per
// action, the flags, the entries. Pure rendering from the answer; journal.js owns the state and the requests.
import { el } from './dom.js';
import { dateAndTime } from './format.js';
import { has, t } from './i18n.js';

/** Entries drawn at most: a busy day has thousands of searches; the filters narrow it down. */
export const MAX_ENTRIES = 300;

export function actionName(action) {
  return has(`action.${action}`) ? t(`action.${action}`) : action;
}

const staffName = (name) => name ?? t('journal.noStaff');
const time = (instant) => dateAndTime(instant).time;

/** "3c9c91f6 738e3f46 …": the hash in groups of eight, as on the printed report. */
function grouped(hash) {
  return (hash ?? '').match(/.{1,8}/g)?.join(' ') ?? '';
}

function headPanel(review) {
  const head = review.head;
  const signOffs = review.signOffs ?? [];
  return el('section', { class: 'journal-panel journal-head', testid: 'journal-head' },
    el('h2', { class: 'box-title' }, t('journal.chain')),
    head
      ? [el('p', { class: 'journal-head-seq' }, t('journal.head', { seq: head.seq })),
         el('p', { class: 'mono journal-hash', testid: 'journal-hash' }, grouped(head.hash))]
      : el('p', { class: 'muted' }, t('journal.noHead')),
    signOffs.length === 0
      ? el('p', { class: 'journal-signoff-none', testid: 'journal-not-signed' }, t('journal.notSignedOff'))
      : el('ul', { class: 'journal-signoffs' }, signOffs.map((s) => el('li', { testid: 'journal-signoff-line' },
          t('journal.signOffLine', { by: s.by ?? '—', ...dateAndTime(s.at), upTo: s.upTo })))),
  );
}

function countTable(title, counts, label, testid) {
  return el('section', { class: 'journal-panel' },
    el('h2', { class: 'box-title' }, title),
    counts.length === 0
      ? el('p', { class: 'muted' }, t('journal.none'))
      : el('table', { class: 'journal-table journal-counts', testid },
          el('tbody', {}, counts.map((c) => el('tr', {},
            el('td', {}, label(c.name)),
            el('td', { class: 'num' }, String(c.count)))))),
  );
}

function flagItem(flag) {
  const span = flag.from === flag.to
    ? t('journal.at', { time: time(flag.from) })
    : t('journal.span', { from: time(flag.from), to: time(flag.to) });
  const seqs = flag.seqs.slice(0, 12).join(', ') + (flag.seqs.length > 12 ? '…' : '');
  const parts = [
    flag.target,
    flag.profile && has(`profile.${flag.profile}`) ? t(`profile.${flag.profile}`) : null,
    flag.staff ?? (flag.kind === 'outside-hours' ? t('journal.noStaff') : null),
    t('journal.times', { count: flag.count }),
    span,
    t('journal.seqs', { list: seqs }),
  ].filter(Boolean);
  return el('li', { class: 'journal-flag', testid: 'journal-flag', data: { kind: flag.kind } },
    el('strong', {}, has(`journal.flag.${flag.kind}`) ? t(`journal.flag.${flag.kind}`) : flag.kind),
    el('span', { class: 'journal-flag-text' }, parts.join(' · ')));
}

function flagsPanel(flags) {
  return el('section', { class: 'journal-panel journal-flags-panel' },
    el('h2', { class: 'box-title' }, t('journal.flags')),
    flags.length === 0
      ? el('p', { class: 'journal-ok', testid: 'journal-no-flags' }, t('journal.noFlags'))
      : el('ul', { class: 'journal-flags' }, flags.map(flagItem)));
}

/** The details worth a glance, as "key: value" pairs (the full JSON stays in exports). */
function detailsText(details) {
  return Object.entries(details ?? {})
    .filter(([, value]) => value !== null && typeof value !== 'object')
    .map(([key, value]) => `${key}: ${value}`)
    .join(' · ');
}

function entriesTable(entries) {
  const shown = entries.slice(0, MAX_ENTRIES);
  const columns = ['seq', 'time', 'staff', 'action', 'target', 'details'];
  return el('section', { class: 'journal-panel journal-entries' },
    el('h2', { class: 'box-title' }, t('journal.entries', { n: entries.length })),
    entries.length > MAX_ENTRIES ? el('p', { class: 'notice notice-info' }, t('journal.more', { shown: MAX_ENTRIES, total: entries.length })) : null,
    entries.length === 0
      ? el('p', { class: 'muted' }, t('journal.noEntries'))
      : el('table', { class: 'journal-table' },
          el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col' }, t(`journal.col.${c}`))))),
          el('tbody', {}, shown.map((e) => el('tr', { testid: 'journal-entry', data: { action: e.action } },
            el('td', { class: 'num' }, String(e.seq)),
            el('td', {}, time(e.at)),
            el('td', { class: 'nowrap' }, staffName(e.staff)),
            el('td', { class: 'nowrap' }, actionName(e.action)),
            el('td', { class: 'mono nowrap' }, e.target ?? ''),
            el('td', { class: 'journal-details' }, detailsText(e.details)))))),
  );
}

/** The whole body of the journal view for one answer. */
export function journalNodes(review) {
  return [
    headPanel(review),
    el('div', { class: 'journal-grid' },
      countTable(t('journal.byStaff'), review.byStaff ?? [], staffName, 'journal-by-staff'),
      countTable(t('journal.byAction'), review.byAction ?? [], actionName, 'journal-by-action'),
      flagsPanel(review.flags ?? [])),
    entriesTable(review.entries ?? []),
  ];
}
