// How people, dates and codes are written on screen. French administrative habits: "NOM Prénom".
import { el } from './dom.js';
import { has, locale, t } from './i18n.js';

/** "N'DIAYE Nathanaël": the last name in capitals (accents kept: GÉRARD), the first name as is. */
export function displayName(person) {
  const last = (person.lastName ?? '').toLocaleUpperCase('fr-FR');
  return [last, person.firstName ?? ''].filter(Boolean).join(' ');
}

/** The same, as nodes, so the last name can be set apart: <span class=name-last>N'DIAYE</span> Nathanaël. */
export function nameNodes(person) {
  return [
    el('span', { class: 'name-last' }, (person.lastName ?? '').toLocaleUpperCase('fr-FR')),
    ' ',
    el('span', { class: 'name-first' }, person.firstName ?? ''),
  ];
}

export function profileName(profile) {
  return has(`profile.${profile}`) ? t(`profile.${profile}`) : (profile ?? '');
}

export function listText(values) {
  return (values ?? []).join(', ');
}

/** "2026-11-02" (a calendar day, no time zone) → "02/11/2026". */
export function formatDay(isoDay) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDay ?? '');
  if (!match) return isoDay ?? '';
  const day = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Intl.DateTimeFormat(locale(), { day: '2-digit', month: '2-digit', year: 'numeric' }).format(day);
}

/** An instant ("2026-11-21T05:30:00Z") → {date: "21/11/2026", time: "06:30"} in the desk's own time zone. */
export function dateAndTime(isoInstant) {
  const instant = new Date(isoInstant);
  if (Number.isNaN(instant.getTime())) return { date: isoInstant ?? '', time: '' };
  return {
    date: new Intl.DateTimeFormat(locale(), { day: '2-digit', month: '2-digit', year: 'numeric' }).format(instant),
    time: new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(instant),
  };
}

export function formatInstant(isoInstant) {
  return t('date.at', dateAndTime(isoInstant));
}

/** True when an instant is more than `days` days before now. */
export function olderThanDays(isoInstant, days) {
  const instant = new Date(isoInstant).getTime();
  return !Number.isNaN(instant) && Date.now() - instant > days * 86_400_000;
}

/** "k7qx4m2p" → ["k7qx", "4m2p"]: read aloud four characters at a time. */
export function codeGroups(code) {
  return (code ?? '').match(/.{1,4}/g) ?? [];
}
