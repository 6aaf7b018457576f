// The caller's recent comparisons or target searches.
import { api } from '../api.js';
import { esc, int } from '../format.js';
import { statusBadge, view } from '../ui.js';

/** The caller's recent comparisons or target searches under their form, newest first, each a link to its result. */
export async function showRecent(kind) {
  const section = document.createElement('section');
  section.id = 'recent';
  view().append(section);
  try {
    const page = await api('GET', `/${kind}?limit=10`);
    const items = page.items ?? [];
    if (items.length === 0) return;
    const isComparison = kind === 'comparisons';
    const metricName = {
      pOverBudget: 'chance over budget',
      residential: 'residential',
      agencyFoster: 'agency fostering',
      cost: 'cost',
    };
    section.innerHTML = `<table><caption>Recent ${isComparison ? 'comparisons' : 'target searches'}</caption><thead><tr><th scope="col">Created</th><th scope="col">Status</th><th scope="col">${isComparison ? 'Variants' : 'Goal'}</th><th scope="col">Runs</th></tr></thead><tbody>
      ${items
        .map(
          (c) =>
            `<tr><th scope="row"><a href="#/${kind}/${encodeURIComponent(c.id)}">${esc((c.createdAt ?? '').slice(0, 16).replace('T', ' '))}</a></th><td>${statusBadge(c.status)}</td><td>${esc(isComparison ? (c.variants ?? []).join('; ') : (metricName[c.metric] ?? c.metric))}</td><td>${int.format(c.runs ?? 0)}</td></tr>`,
        )
        .join('')}</tbody></table>`;
  } catch {
    // the list is a convenience: the form works without it
  }
}
