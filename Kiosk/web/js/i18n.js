// All user-facing text lives in ../i18n/<lang>.json (flat "area.key" → sentence, with {placeholders}).
// French is the default; the choice is remembered in localStorage. Missing keys fall back to French.

const LANGUAGES = ['fr', 'en'];
const LOCALES = { fr: 'fr-FR', en: 'en-GB' };
const STORAGE_KEY = 'guichet.lang';

let lang = 'fr';
let strings = {};
let french = {};

async function fetchStrings(code) {
  const response = await fetch(`i18n/${code}.json`, { credentials: 'same-origin', cache: 'no-cache' });
  if (!response.ok) throw new Error(`i18n/${code}.json: HTTP ${response.status}`);
  return response.json();
}

export function savedLanguage() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return LANGUAGES.includes(saved) ? saved : 'fr';
  } catch {
    return 'fr'; // storage disabled: French, as by default
  }
}

/** Loads a language's strings (and French as the fallback), remembers the choice. */
export async function setLanguage(code) {
  if (!LANGUAGES.includes(code)) code = 'fr';
  if (Object.keys(french).length === 0) french = await fetchStrings('fr');
  strings = code === 'fr' ? french : await fetchStrings(code);
  lang = code;
  document.documentElement.lang = code;
  try { localStorage.setItem(STORAGE_KEY, code); } catch { /* not remembered, still switched */ }
}

export const currentLanguage = () => lang;
export const otherLanguage = () => (lang === 'fr' ? 'en' : 'fr');
export const locale = () => LOCALES[lang];

/** t('search.many', {n: 3}) → "3 résultats". An unknown key shows itself, so a gap is visible, never blank. */
export function t(key, params = {}) {
  const template = strings[key] ?? french[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

export function has(key) {
  return key in strings || key in french;
}

/** A sentence for an ApiError: the page's own wording of its stable code, else the server's English hint. */
export function errorText(error) {
  const code = error?.code ?? 'unknown';
  if (has(`error.${code}`)) return t(`error.${code}`);
  if (error?.hint) return error.hint;
  return t('error.unknown', { code });
}

/** Fills the static page: data-i18n (text), data-i18n-placeholder, data-i18n-aria-label, data-i18n-title. */
export function translatePage(root = document) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const [attr, data] of [['placeholder', 'i18nPlaceholder'], ['aria-label', 'i18nAriaLabel'], ['title', 'i18nTitle']]) {
    const selector = `[data-i18n-${attr}]`;
    for (const node of root.querySelectorAll(selector)) node.setAttribute(attr, t(node.dataset[data]));
  }
}
