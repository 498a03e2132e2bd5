// The JSON API under /api/v1, same origin. Every failure becomes an ApiError carrying the server's stable
// code ({"code", "hint", "detail"}), so the page words it from i18n. A 401 "not-signed-in" from any call
// means the session is gone: the listener set with onSessionExpired() wipes the screen.

const BASE = '/api/v1';
let csrfToken = null;
let sessionExpired = () => {};

export class ApiError extends Error {
  constructor(status, code, hint = '', detail = '') {
    super(`${status} ${code}${hint ? `: ${hint}` : ''}`);
    this.status = status;
    this.code = code;
    this.hint = hint;
    this.detail = detail;
  }
}

export function onSessionExpired(listener) {
  sessionExpired = listener;
}

export function isAbort(error) {
  return error?.name === 'AbortError';
}

/**
 * request('GET', 'accounts', {query: {q: 'zoe'}, signal}) → the parsed JSON body, or null for 204.
 * `sessionCall` marks the calls on /session itself, whose 401 is an answer, not an expiry; `blob` returns a
 * successful body as a Blob (a PDF) rather than parsed JSON; `file` returns {blob, headers} (a CSV and its number).
 */
export async function request(method, path, { query, body, signal, sessionCall = false, blob = false, file = false } = {}) {
  const url = new URL(`${BASE}/${path}`, document.baseURI);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
  }
  const headers = { Accept: 'application/json, application/pdf' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError(0, 'network', error?.message ?? '');
  }
  if (response.status === 204) return null;
  if (response.ok && blob) return response.blob();
  if (response.ok && file) return { blob: await response.blob(), headers: response.headers };
  // A sheet comes back as a PDF: handed over as a Blob, with the number the server gave it.
  if (response.ok && (response.headers.get('Content-Type') ?? '').startsWith('application/pdf')) {
    return { pdf: await response.blob(), sheet: response.headers.get('X-Guichet-Sheet'), count: response.headers.get('X-Guichet-Count') };
  }
  const payload = await response.json().catch(() => null);
  if (response.ok) return payload;

  const error = new ApiError(
    response.status,
    payload?.code ?? (response.status >= 500 ? 'internal' : `http-${response.status}`),
    payload?.hint ?? '',
    payload?.detail ?? '',
  );
  if (error.code === 'not-signed-in') {
    csrfToken = null;
    if (!sessionCall) sessionExpired(error);
  }
  throw error;
}

// Sessions.

function remember(session) {
  csrfToken = session?.csrfToken ?? null;
  return session;
}

/** The current session ({csrfToken, staff}) or null when nobody is signed in. */
export async function currentSession() {
  try {
    return remember(await request('GET', 'session', { sessionCall: true }));
  } catch (error) {
    if (error.status === 401) return null;
    throw error;
  }
}

export async function signIn(login, password) {
  return remember(await request('POST', 'session', { body: { login, password }, sessionCall: true }));
}

/**
 * Ends the session on the server; errors are ignored (the screen is wiped whatever happens).
 * The request takes the token synchronously, then the token is forgotten at once, so a sign-in that
 * completes while this DELETE is still on its way keeps its own new token.
 */
export async function signOut(reason) {
  // The server ends the session before it journals the sign-out; a network failure is tried again (3 times), with
  // the token kept for it. `reason=idle` tells the journal that the idle lock did it.
  const token = csrfToken;
  csrfToken = null;
  const query = reason === 'locked' ? { reason: 'idle' } : undefined;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const current = csrfToken;
    csrfToken = token;
    const pending = request('DELETE', 'session', { query, sessionCall: true });
    csrfToken = current;
    try {
      await pending;
      return;
    } catch (error) {
      if (error?.status >= 400 && error.status < 500) return; /* already over */
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
  }
}

// Configuration and accounts.

export const config = () => request('GET', 'config');

export const searchAccounts = (q, signal, limit = 20) => request('GET', 'accounts', { query: { q, limit }, signal });

export const account = (login, signal) => request('GET', `accounts/${encodeURIComponent(login)}`, { signal });

// confirmGone: a reviewer's confirmation that the account left the export and its code is wanted anyway.
export const accountWithCode = (login, signal, confirmGone = false) =>
  request('GET', `accounts/${encodeURIComponent(login)}`,
    { query: confirmGone ? { reveal: 'code', confirmGone: 'yes' } : { reveal: 'code' }, signal });

/**
 * Prints an account's sheet: {pdf: Blob, sheet} when the page is to print it, or {printed: true, job, sheet}
 * when the server sent it to its printer (CUPS).
 */
export const printSheet = (login, idCheck, recipient, confirmGone = false) =>
  request('POST', `accounts/${encodeURIComponent(login)}/sheet`,
    { body: confirmGone ? { idCheck, recipient, confirmGone: true } : { idCheck, recipient } });

// Renewal codes: issued once (the answer is the only copy), printed once from the code the page still holds.

export const emailSheet = (login) => request('POST', `accounts/${encodeURIComponent(login)}/email`, { body: {} });

export const delivery = (id) => request('GET', `deliveries/${encodeURIComponent(id)}`);

export const issueRenewalCode = (login) => request('POST', `accounts/${encodeURIComponent(login)}/renewal-code`);

export const renewalSlip = (login, code) =>
  request('POST', `accounts/${encodeURIComponent(login)}/renewal-slip`, { body: { code }, blob: true });

// The journal review (reviewers only; an agent gets 403 "forbidden").

/** One day of the journal: {day, entries, byStaff, byAction, flags, head, signOffs}; empty values are left out. */
export const journal = ({ day, staff, action }, signal) => request('GET', 'journal', { query: { day, staff, action }, signal });

/** "Valider la journée": records the sign-off of `day` and returns it ({seq, upTo, head, by, at, day}). */
export const signOffDay = (day) => request('POST', 'journal/signoff', { body: { day } });

// Batches of sheets (reviewers only). `selection` is {filters: {...}, sort: [...], perPage}, as the server reads it.

/** The school's class names in school order (any signed-in staff): {classes: [...]}. */
export const classes = (signal) => request('GET', 'classes', { signal });

/** What a batch would hold, printing nothing: {count, logins, first: [{login, lastName, firstName, profile, class}]}. */
export const previewBatch = (selection, signal) => request('POST', 'batches/preview', { body: selection, signal });

/** The batch's PDF, journalled: {pdf: Blob, sheet, count} (`sheet` is the batch's number, `count` its sheets). */
export const printBatch = (selection) => request('POST', 'batches', { body: selection });

/** The selection as the ENT console's CSV list, journalled: {blob, number, count}. */
export async function exportBatchCSV(selection) {
  const { blob, headers } = await request('POST', 'batches/csv', { body: selection, file: true });
  return { blob, number: headers.get('X-Guichet-Journal'), count: Number(headers.get('X-Guichet-Count')) };
}

// Batches by e-mail (reviewers, when [mail] is configured): the same selection body.

/** {toSend, withoutAddress, logins, loginsWithoutAddress}: what the batch would send, queuing nothing. */
export const previewMailBatch = (selection) => request('POST', 'mail-batches/preview', { body: selection });

/** Queues one e-mail per selected account with an address: {batch, queued, withoutAddress, journalSeq}. */
export const queueMailBatch = (selection) => request('POST', 'mail-batches', { body: selection });

/** A batch's progress: {batch, total, queued, sending, sent, failed, unknown, done, …}. */
export const mailBatch = (id) => request('GET', `mail-batches/${encodeURIComponent(id)}`);

/** The per-message report (a GET with the session cookie: a plain link downloads it). */
export const mailBatchReportUrl = (id) => new URL(`${BASE}/mail-batches/${encodeURIComponent(id)}/report.csv`, document.baseURI).href;
