// The reviewer's batches of sheets: the ENT console's filters (classes grouped by level, profiles, activation,
// e-mail, presence in the export, creation dates), a live count with the first names, then "Imprimer le lot" (the
// PDF in a frame of a dialog, as the sheet dialog does) or "Exporter en CSV" (a download through an object URL).
// Closing the view, for whatever reason (back to the desk, idle lock, sign-out), takes the names, the dialog and
// every object URL away.
import * as api from './api.js';
import { byId, clear, el, setMessage } from './dom.js';
import { errorText, t } from './i18n.js';
import { classChips, classPair, entryLevel, previewTexts, printDialog, setClassEntries } from './batch-view.js';
import { mailBatchDialog } from './mail-batch.js';
import { batchListDialog } from './batch-list.js';

/** Milliseconds after the last change before counting: a few clicks in a row cost one request. */
const PREVIEW_DELAY = 250;

/** A cité scolaire's structures by their short names (the export's in the tooltip): one chip each, above the classes. */
function structureChips(entries) {
  const short = new Map((entries ?? []).filter((e) => e.structure).map((e) => [e.structure, e.structureShort ?? e.structure]));
  if (short.size < 2) return [];
  return [el('div', { class: 'batch-level batch-structures', testid: 'batch-structures' },
    [...short].map(([name, label]) => el('label', { class: 'chip chip-level', title: name },
      el('input', { type: 'checkbox', name: 'structure', value: name, testid: 'batch-structure' }), el('span', {}, label))))];
}

export function createBatches({ mailEnabled = () => false } = {}) {
  const section = byId('batches');
  const form = byId('batch-form');
  const classBox = byId('batch-classes');
  const classNote = byId('batch-classes-note');
  const count = byId('batch-count');
  const pages = byId('batch-pages');
  const names = byId('batch-names');
  const more = byId('batch-more');
  const status = byId('batch-status');
  const printButton = byId('batch-print');
  const csvButton = byId('batch-csv');
  const mailButton = byId('batch-mail');
  const listButton = byId('batch-list-open');
  let classes = []; // the school's classes ({name, level, structure, structureShort}), in school order
  let preview = null; // the last answer: {count, logins, first}
  let pending = false; // a change not yet counted
  let timer = null;
  let controller = null;
  let generation = 0; // bumped on close: an answer for an older generation is dropped
  let busy = null; // 'print' | 'csv'
  let notice = null; // {kind: 'ok' | 'error', text: () => string}: worded again after a change of language
  let dialog = null;
  let mailDialog = null;
  let listDialog = null;
  let downloadUrl = null;

  function inputs(name) {
    const item = form.elements.namedItem(name);
    if (!item) return [];
    return item instanceof RadioNodeList ? [...item] : [item];
  }

  const checkedValues = (name) => inputs(name).filter((input) => input.checked).map((input) => input.value);
  const yesNo = (name) => ({ yes: true, no: false })[form.elements[name].value] ?? null;

  /**
   * Levels and classes as the server reads them. The server requires both when both are given, so a whole level
   * chosen beside single classes of other levels is sent as that level's classes.
   */
  function classFilters() {
    const levels = checkedValues('level');
    const single = inputs('class').filter((input) => input.checked && !levels.includes(input.dataset.level))
      .map((input) => ({ name: input.value, structure: input.dataset.structure || null }));
    if (single.length === 0) return { levels, classes: [] };
    const whole = classes.filter((e) => levels.includes(entryLevel(e)));
    // Each class with its structure: a cité scolaire's two "2NDE 1" are told apart.
    return { levels: [], classes: [...whole, ...single].map(classPair) };
  }

  /** The body of every batch request, read from the form as it is now. */
  function selection() {
    const filters = { ...classFilters(), structures: checkedValues('structure'), profiles: checkedValues('profile'),
      activated: yesNo('activated'), hasEmail: yesNo('hasEmail'), gone: yesNo('gone') };
    // Gone accounts are left out unless asked: "Tous" asks for them too.
    if (filters.gone === null) filters.includeGone = true;
    const admins = yesNo('localAdmins');
    if (admins !== null) filters.localAdmins = admins;
    for (const name of ['createdAfter', 'createdBefore']) {
      if (form.elements[name].value) filters[name] = form.elements[name].value;
    }
    return { filters, sort: [form.elements.sort.value], perPage: Number(form.elements.perPage.value) };
  }

  /** A whole level ticked ticks its classes and locks them; unticked, it frees them. */
  function syncLevels() {
    const levels = new Set(checkedValues('level'));
    for (const input of inputs('class')) {
      const inLevel = levels.has(input.dataset.level);
      if (inLevel || input.disabled) input.checked = inLevel;
      input.disabled = inLevel;
    }
    const chosen = checkedValues('class').length;
    classNote.textContent = chosen === 0 ? t('batch.classesAll') : t(chosen === 1 ? 'batch.classesOne' : 'batch.classesMany', { n: chosen });
  }

  function schedule() {
    clearTimeout(timer);
    // A count still on its way is for the selection before this change: its answer must not show as this one's.
    controller?.abort();
    pending = true;
    notice = null;
    render();
    timer = setTimeout(countNow, PREVIEW_DELAY);
  }

  async function countNow() {
    controller?.abort();
    controller = new AbortController();
    const mine = generation;
    try {
      const answer = await api.previewBatch(selection(), controller.signal);
      if (mine !== generation) return;
      preview = answer;
    } catch (failure) {
      if (api.isAbort(failure) || mine !== generation || failure.code === 'not-signed-in') return;
      preview = null;
      notice = { kind: 'error', text: () => errorText(failure) };
    }
    pending = false;
    render();
  }

  async function loadClasses() {
    const mine = generation;
    classBox.replaceChildren(el('p', { class: 'muted' }, t('batch.classesLoading')));
    try {
      const answer = await api.classes();
      if (mine !== generation) return;
      classes = answer.entries ?? [];
      setClassEntries(answer.entries);
      classBox.replaceChildren(...structureChips(answer.entries), ...classChips(classes));
      syncLevels();
    } catch (failure) {
      if (mine !== generation || failure.code === 'not-signed-in') return;
      classBox.replaceChildren(el('p', { class: 'notice notice-error' }, errorText(failure)));
    }
  }

  /** Runs a print or an export: one at a time, its answer dropped if the view was closed meanwhile. */
  async function act(kind, work) {
    if (busy) return;
    busy = kind;
    notice = null;
    render();
    const mine = generation;
    try {
      await work(mine);
    } catch (failure) {
      if (mine !== generation || failure.code === 'not-signed-in') return;
      notice = { kind: 'error', text: () => errorText(failure) };
    } finally {
      if (mine === generation) {
        busy = null;
        render();
      }
    }
  }

  const print = () => act('print', async (mine) => {
    const answer = await api.printBatch(selection());
    if (mine !== generation) return;
    dialog?.close();
    dialog = printDialog(answer, { onClose: () => { dialog = null; if (!section.hidden) printButton.focus(); } });
  });

  const exportCSV = () => act('csv', async (mine) => {
    const answer = await api.exportBatchCSV(selection());
    if (mine !== generation) return;
    const file = `selection-${answer.number}.csv`;
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = URL.createObjectURL(answer.blob);
    const link = el('a', { href: downloadUrl, download: file, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    // The file's name kept on one line: a non-breaking hyphen in the sentence only.
    const shownFile = file.replace('-', '\u2011');
    notice = { kind: 'ok', text: () => t('batch.exported', { count: answer.count, file: shownFile, n: answer.number }) };
  });

  /** "Envoyer par e-mail": the dialog counts, asks, queues, then shows the progress; the selection is taken now. */
  function sendByMail() {
    if (busy || mailDialog) return;
    notice = null;
    render();
    mailDialog = mailBatchDialog(selection(), { onClose: () => { mailDialog = null; if (!section.hidden) mailButton.focus(); } });
  }

  function render() {
    const perPage = Number(form.elements.perPage.value);
    const texts = preview ? previewTexts(preview, perPage, notice ? 4 : 7) : { count: '', pages: '', names: [], more: '' };
    count.textContent = pending && !preview ? t('batch.counting') : texts.count;
    count.classList.toggle('is-waiting', pending);
    count.classList.toggle('is-empty', preview?.count === 0);
    pages.textContent = texts.pages;
    names.replaceChildren(...texts.names);
    names.classList.toggle('is-waiting', pending);
    more.textContent = texts.more;
    const empty = !preview || preview.count === 0;
    printButton.disabled = busy !== null || empty;
    csvButton.disabled = busy !== null || empty;
    printButton.textContent = t(busy === 'print' ? 'batch.printing' : 'batch.print');
    csvButton.textContent = t(busy === 'csv' ? 'batch.exporting' : 'batch.csv');
    mailButton.hidden = !mailEnabled();
    mailButton.disabled = busy !== null || empty;
    mailButton.textContent = t('email.send');
    listButton.disabled = empty;
    listButton.textContent = t('batchList.open');
    setMessage(status, notice?.text() ?? '');
    status.className = `notice ${notice?.kind === 'ok' ? 'notice-ok' : 'notice-error'}`;
  }

  section.addEventListener('change', (event) => {
    const name = event.target.name;
    if (name === 'level' || name === 'class') syncLevels();
    if (name === 'perPage') render();
    else schedule();
  });
  // A reset changes the inputs after its event: read them once it is done.
  form.addEventListener('reset', () => setTimeout(() => { syncLevels(); schedule(); }));
  printButton.addEventListener('click', print);
  csvButton.addEventListener('click', exportCSV);
  mailButton.addEventListener('click', sendByMail);
  listButton.addEventListener('click', () => {
    if (listDialog) return;
    listDialog = batchListDialog(selection(), { onClose: () => { listDialog = null; if (!section.hidden) listButton.focus(); } });
  });

  return {
    isOpen: () => !section.hidden,
    /** Shows the screen with the default filters (this school year's students, 8 to a page) and counts. */
    open() {
      section.hidden = false;
      form.reset();
      loadClasses();
      byId('batches-title').focus();
    },
    /** Hides the screen; the names, the class list, the dialog and the object URLs all go. */
    close() {
      generation++;
      clearTimeout(timer);
      controller?.abort();
      dialog?.close();
      dialog = null;
      mailDialog?.close();
      mailDialog = null;
      listDialog?.close();
      listDialog = null;
      if (downloadUrl) URL.revokeObjectURL(downloadUrl);
      downloadUrl = null;
      section.hidden = true;
      classes = [];
      preview = null;
      pending = false;
      busy = null;
      notice = null;
      clear(classBox);
      clear(names);
      render();
    },
    /** After a change of language: the level chips and the preview, reworded; the choices stay. */
    refresh() {
      if (section.hidden) return;
      for (const input of inputs('level')) input.nextElementSibling.textContent = t('batch.wholeLevel', { level: input.value });
      syncLevels();
      render();
      mailDialog?.refresh();
    },
  };
}
