// The kiosk page: loads the strings and the configuration, then moves between two screens,
// the gate (sign-in / lock screen) and the desk (search + card), with the journal view or the batches of sheets in
// place of the desk for reviewers. Leaving the desk, for whatever reason, wipes it: rows, card, code, journal entries
// and batch previews are removed from the DOM and the search box is emptied.
import * as api from './api.js';
import { createBatches } from './batches.js';
import { createCard } from './card.js';
import { byId, setMessage } from './dom.js';
import { createGate } from './gate.js';
import { createIdleLock } from './idle.js';
import { createJournal } from './journal.js';
import { createKeys } from './keys.js';
import { otherLanguage, savedLanguage, setLanguage, t, translatePage } from './i18n.js';
import { createSearch } from './search.js';
import { setFederatedProfiles } from './badges.js';
import { trackOpenedWindows } from './windows.js';

const DEFAULT_CONFIG = { schoolName: '', idleLockSeconds: 180, staleDataDays: 3, entUrl: '', mailEnabled: false, nextPersonSeconds: 5 };

let config = DEFAULT_CONFIG;
let onDesk = false;

const desk = byId('desk');
const agent = byId('agent');
const agentName = byId('agent-name');
const signoutButton = byId('signout');
const langToggle = byId('lang-toggle');
const journalToggle = byId('journal-toggle');
const batchesToggle = byId('batches-toggle');
const idleWarning = byId('idle-warning');
const narrow = window.matchMedia('(max-width: 1050px)'); // the breakpoint of app.css's one-pane layout

const gate = createGate({ onSignedIn: enterDesk });

const card = createCard({
  pane: byId('card-pane'),
  panes: byId('panes'),
  hint: byId('card-hint'),
  staleDataDays: () => config.staleDataDays,
  mailEnabled: () => config.mailEnabled === true,
  onBack: () => {
    card.close();
    search.focus();
  },
});

const search = createSearch({
  input: byId('search-input'),
  clearButton: byId('search-clear'),
  list: byId('results'),
  status: byId('search-status'),
  hint: byId('results-hint'),
  onOpen: (login) => card.open(login),
  // On a narrow screen the card hides the list: typing a new search brings the list back.
  onType: () => {
    if (narrow.matches && card.isOpen()) card.close();
  },
});

const journal = createJournal();
const batches = createBatches({ mailEnabled: () => config.mailEnabled === true });

/**
 * Between the desk, the journal view and the batches of sheets (the last two for reviewers only: the server refuses
 * them to agents anyway). Whatever is left is closed, which wipes it.
 */
function showView(view) {
  if (view !== 'desk') {
    search.reset();
    card.close();
  }
  if (view !== 'journal' && journal.isOpen()) journal.close();
  if (view !== 'batches' && batches.isOpen()) batches.close();
  desk.hidden = view !== 'desk';
  if (view === 'journal' && !journal.isOpen()) journal.open();
  if (view === 'batches' && !batches.isOpen()) batches.open();
  if (view === 'desk') search.focus();
  labelToggles();
}

/** Each reviewer button reads "Retour au guichet" while its own view is shown. */
function labelToggles() {
  journalToggle.dataset.i18n = journal.isOpen() ? 'header.desk' : 'header.journal';
  journalToggle.textContent = t(journalToggle.dataset.i18n);
  batchesToggle.dataset.i18n = batches.isOpen() ? 'header.desk' : 'header.batches';
  batchesToggle.textContent = t(batchesToggle.dataset.i18n);
}

const idle = createIdleLock({
  onLock: () => leaveDesk('locked'),
  onCountdown: (seconds) => setMessage(idleWarning, seconds === null ? '' : t('idle.warning', { s: seconds })),
});

function enterDesk(session) {
  onDesk = true;
  gate.hide();
  agentName.textContent = session?.staff?.name ?? '';
  agent.hidden = false;
  signoutButton.hidden = false;
  journalToggle.hidden = session?.staff?.role !== 'reviewer';
  batchesToggle.hidden = session?.staff?.role !== 'reviewer';
  desk.hidden = false;
  idle.start(config.idleLockSeconds);
  search.focus();
}

/** Wipes the desk and shows the gate. The DELETE leaves first (it carries the CSRF token), unawaited; it retries. */
function leaveDesk(reason) {
  if (!onDesk) return;
  onDesk = false;
  if (reason !== 'expired') api.signOut(reason);
  idle.stop();
  keys.reset();
  openedWindows.closeAll();
  search.reset();
  card.close();
  journal.close();
  batches.close();
  labelToggles();
  journalToggle.hidden = true;
  batchesToggle.hidden = true;
  agentName.textContent = '';
  agent.hidden = true;
  signoutButton.hidden = true;
  desk.hidden = true;
  gate.show(reason, { keepLogin: reason !== 'signedOut' });
}

api.onSessionExpired(() => leaveDesk('expired'));

signoutButton.addEventListener('click', () => leaveDesk('signedOut'));
journalToggle.addEventListener('click', () => showView(journal.isOpen() ? 'desk' : 'journal'));
batchesToggle.addEventListener('click', () => showView(batches.isOpen() ? 'desk' : 'batches'));

langToggle.addEventListener('click', async () => {
  await setLanguage(otherLanguage());
  translate();
  search.refresh();
  if (card.isOpen()) card.refresh();
  gate.refresh();
  journal.refresh();
  batches.refresh();
  keys.refresh();
});

const openedWindows = trackOpenedWindows(); // a renewal slip, a PDF: closed with the desk (js/windows.js)

// The keyboard (js/keys.js): Escape one step back, Ctrl+P the sheet, the next person once it is printed.
const keys = createKeys({
  searchInput: byId('search-input'),
  isDesk: () => onDesk && !desk.hidden,
  nextPersonSeconds: () => config.nextPersonSeconds,
  onBack: () => {
    card.close();
    search.focus();
  },
  onNextPerson: () => {
    card.close();
    search.reset();
    search.focus();
  },
});

function translate() {
  translatePage();
  langToggle.lang = otherLanguage();
  byId('school-name').textContent = config.schoolName;
  document.title = config.schoolName ? `Guichet — ${config.schoolName}` : 'Guichet';
}

async function boot() {
  await setLanguage(savedLanguage());
  let problem = null;
  try {
    config = { ...DEFAULT_CONFIG, ...(await api.config()) };
    setFederatedProfiles(config.federatedProfiles);
  } catch (error) {
    problem = error;
  }
  translate();
  let session = null;
  if (!problem) {
    try {
      session = await api.currentSession();
    } catch (error) {
      problem = error;
    }
  }
  document.body.classList.remove('is-booting');
  if (session) enterDesk(session);
  else gate.show('signin', { problem });
}

boot().catch((error) => {
  // Only the strings themselves can fail here: say so in both languages, with nothing else to rely on.
  document.body.classList.remove('is-booting');
  document.body.textContent = `Guichet : la page n'a pas pu se charger / the page could not load (${error.message}).`;
});
