// Drawing the batch screen's parts: the class chips grouped by level, the preview (count, pages, first names) and
// the dialog that prints a batch's PDF. Pure rendering; batches.js owns the state and the requests.
import { el } from './dom.js';
import { nameNodes, profileName } from './format.js';
import { t } from './i18n.js';

let levels = new Map(); // class name → level, from the server's table (GET /api/v1/classes "entries")
let shortNames = new Map(); // structure as the export names it → its short name ("Jean-Jaurès", "Collège")
let shared = new Set(); // class names (upper case) that several structures have

const upper = (name) => name.toLocaleUpperCase('fr-FR');

/** Takes the server's class entries ({name, level, structure}): "TG2" is a TLE, "2GT4" a 2NDE, "BTS1 CG" a BTS1. */
export function setClassEntries(entries) {
  levels = new Map((entries ?? []).filter((e) => e.level).map((e) => [e.name, e.level]));
  shortNames = new Map((entries ?? []).filter((e) => e.structure).map((e) => [e.structure, e.structureShort ?? e.structure]));
  const seen = new Set();
  shared = new Set();
  for (const e of entries ?? []) {
    if (!e.structure) continue;
    if (seen.has(upper(e.name))) shared.add(upper(e.name));
    seen.add(upper(e.name));
  }
}

/** "2NDE 1 · Jean-Jaurès" when two structures have a "2NDE 1", else the name alone (the preview, the table). */
export function classLabel(name, structure) {
  if (!name) return '';
  return structure && shared.has(upper(name)) ? `${name} · ${shortNames.get(structure) ?? structure}` : name;
}

/** "2NDE 3" → "2NDE", "TG2" → "TLE": the server's level, else the first word of the name. */
export function levelOf(className) {
  return levels.get(className) ?? className.trim().split(/\s+/)[0].toLocaleUpperCase('fr-FR');
}

/** What a batch body names a class by: {structure, name}, or the name alone when the server knows no structure. */
export function classPair(entry) {
  return entry.structure ? { structure: entry.structure, name: entry.name } : entry.name;
}

/** The entry's level: the server's, else the first word of the name. */
export function entryLevel(entry) {
  return entry.level ?? levelOf(entry.name);
}

/** Consecutive entries of one level (the server lists them in school order): [[level, [entries]], …]. */
function byLevel(entries) {
  const groups = [];
  for (const entry of entries) {
    const level = entryLevel(entry);
    if (groups.length === 0 || groups[groups.length - 1][0] !== level) groups.push([level, []]);
    groups[groups.length - 1][1].push(entry);
  }
  return groups;
}

function chip(name, value, label, { extraClass = '', testid, data } = {}) {
  return el('label', { class: `chip${extraClass}` },
    el('input', { type: 'checkbox', name, value, testid, data }),
    el('span', {}, label));
}

/**
 * One row per level: "Toutes les 2NDE" (when the level has several classes), then each class; a name that several
 * structures have says whose it is ("2NDE 1 · Lycée"), with the structure's whole name as its tooltip.
 */
export function classChips(entries) {
  if (entries.length === 0) return [el('p', { class: 'muted' }, t('batch.noClasses'))];
  const isShared = (e) => e.structure && shared.has(upper(e.name));
  return byLevel(entries).map(([level, group]) => el('div', { class: 'batch-level', data: { level } },
    group.length > 1
      ? chip('level', level, t('batch.wholeLevel', { level }), { extraClass: ' chip-level', testid: `batch-level-${level}` })
      : null,
    group.map((e) => {
      const label = isShared(e)
        ? [e.name, el('small', { class: 'chip-structure', testid: 'batch-class-structure' }, e.structureShort ?? e.structure)]
        : e.name;
      // The value is the name; the structure rides beside it (a cité scolaire's two "2NDE 1" are two chips).
      const node = chip('class', e.name, label, { testid: 'batch-class', data: { level, structure: e.structure ?? '' } });
      if (isShared(e)) node.title = e.structure;
      return node;
    })));
}

const plural = (n, none, one, many) => t(n === 0 ? none : n === 1 ? one : many, { n: n.toLocaleString('fr-FR') });

/**
 * The count ("143 comptes"), the pages it makes, the first `shown` names, and how many more. `shown` is what fits
 * above the layout and the buttons at 1366×768: fewer while a notice takes its share of the column.
 */
export function previewTexts(preview, perPage, shown) {
  const n = preview.count;
  const first = (preview.first ?? []).slice(0, shown);
  return {
    count: plural(n, 'batch.countNone', 'batch.countOne', 'batch.countMany'),
    pages: n === 0 ? t('batch.noneHint') : plural(Math.ceil(n / perPage), 'batch.pagesMany', 'batch.pagesOne', 'batch.pagesMany'),
    names: first.map((p) => el('li', { class: 'batch-name', testid: 'batch-name', data: { login: p.login } },
      el('span', { class: 'batch-name-text' }, nameNodes(p)),
      el('span', { class: 'batch-name-details' }, [classLabel(p.class, p.structure), profileName(p.profile)].filter(Boolean).join(' · ')))),
    more: n > first.length
      ? plural(n - first.length, 'batch.moreMany', 'batch.moreOne', 'batch.moreMany')
      : '',
  };
}

/**
 * Shows a batch's PDF in a modal dialog and opens the browser's print dialog on it (the frame's source is an object
 * URL, which the CSP's frame-src blob: allows). Closing it revokes the URL and removes every node. Returns {close}.
 */
export function printDialog({ pdf, sheet, count }, { onClose }) {
  const url = URL.createObjectURL(pdf);
  const frame = el('iframe', { class: 'batch-frame', testid: 'batch-frame', title: t('batch.frameTitle', { n: sheet }), src: url });
  frame.addEventListener('load', () => {
    try { frame.contentWindow?.print(); } catch { /* the viewer refused: "Ouvrir le PDF" is there */ }
  });
  const closeButton = el('button', { type: 'button', class: 'btn btn-primary', testid: 'batch-dialog-close' }, t('batch.close'));
  const dialog = el('dialog', { class: 'sheet-dialog batch-dialog', testid: 'batch-dialog', 'aria-labelledby': 'batch-dialog-title' },
    el('div', { class: 'batch-dialog-body' },
      el('h2', { class: 'sheet-title', id: 'batch-dialog-title' }, t('batch.dialogTitle', { n: sheet, count: count ?? '' })),
      el('p', { class: 'notice notice-info', testid: 'batch-ready' }, t('batch.ready'), ' ',
        el('a', { class: 'sheet-open', href: url, target: '_blank', rel: 'noopener', testid: 'batch-open' }, t('batch.open'))),
      frame,
      el('div', { class: 'sheet-buttons' }, closeButton)));
  let closed = false;
  function cleanUp() {
    if (closed) return;
    closed = true;
    URL.revokeObjectURL(url);
    dialog.remove();
    onClose();
  }
  closeButton.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', cleanUp);
  // Escape closes the dialog only, not the view beneath it.
  dialog.addEventListener('keydown', (event) => { if (event.key === 'Escape') event.stopPropagation(); });
  document.body.append(dialog);
  dialog.showModal();
  closeButton.focus();
  return {
    close() {
      if (dialog.open) dialog.close();
      cleanUp();
    },
  };
}
