// The small coloured labels shared by result rows, the card and relative links.
import { el } from './dom.js';
import { formatDay } from './format.js';
import { t } from './i18n.js';

let federated = new Set(); // profiles that sign in through a federation (GET /api/v1/config)

export function setFederatedProfiles(profiles) {
  federated = new Set(profiles ?? []);
}

/** "Activé" / "Non activé"; for a federated profile, "Connexion fédérée" (it has nothing to activate). */
export function activationBadge(activated, profile = null) {
  if (profile && federated.has(profile)) return el('span', { class: 'badge badge-ok' }, t('badge.federated'));
  return activated
    ? el('span', { class: 'badge badge-ok' }, t('badge.activated'))
    : el('span', { class: 'badge badge-todo' }, t('badge.notActivated'));
}

/** "Parti du flux" (with the day as a tooltip), or null when the account is still in the ENT's export. */
export function goneBadge(goneFromFeed) {
  if (!goneFromFeed) return null;
  return el('span', { class: 'badge badge-gone', title: t('card.gone', { date: formatDay(goneFromFeed) }) }, t('badge.gone'));
}
