// The caller's recent comparisons or target searches, with what each asked and answered.
import { api } from '../api.js';
import { esc, int, localTime } from '../format.js';
import { statusBadge, view } from '../ui.js';
import { goalText, yearTested } from './target.js';

/** The caller's recent comparisons or target searches under their form, newest first, each a link to its result. */
export async function showRecent(kind) {
  const section = document.createElement('section');
  section.id = 'recent';
  view().append(section);
  try {
    const page = await api('GET', `/${kind}?limit=10`);
    const items = page.items ?? [];
    if (items.length === 0) return;
    if (kind === 'comparisons') {
      section.innerHTML = `<table><caption>Recent comparisons</caption><thead><tr><th scope="col">Created</th><th scope="col">Status</th><th scope="col" class="text">Variants</th><th scope="col">Runs</th></tr></thead><tbody>
      ${items
        .map(
          (c) =>
            `<tr><th scope="row"><a href="#/comparisons/${encodeURIComponent(c.id)}">${esc(localTime(c.createdAt))}</a></th><td>${statusBadge(c.status)}</td><td class="text">${esc((c.variants ?? []).join('; '))}</td><td>${int.format(c.runs ?? 0)}</td></tr>`,
        )
        .join('')}</tbody></table>`;
      return;
    }
    // a target search's goal, year and answer live on the search itself: read the newest few
    const full = await Promise.all(
      items.map((t) => api('GET', `/targets/${encodeURIComponent(t.id)}`).catch(() => ({ ...t, goal: undefined }))),
    );
    const years = await Promise.all(full.map((t) => yearTested(t).catch(() => undefined)));
    section.innerHTML = `<table id="recent-targets"><caption>Recent target searches</caption><thead><tr><th scope="col">Created</th><th scope="col">Status</th><th scope="col" class="text">Goal</th><th scope="col">Financial year</th><th scope="col">Answer</th></tr></thead><tbody>
      ${full
        .map((t, i) => {
          const a = t.answer;
          const answer = !a ? '–' : a.reachable ? `${a.value} a year` : 'not reachable in the range';
          return `<tr><th scope="row"><a href="#/targets/${encodeURIComponent(t.id)}">${esc(localTime(t.createdAt))}</a></th><td>${statusBadge(t.status)}</td><td class="text">${esc(t.goal ? goalText(t.goal) : (t.metric ?? ''))}</td><td>${esc(years[i] ?? '–')}</td><td>${esc(answer)}</td></tr>`;
        })
        .join('')}</tbody></table>`;
  } catch {
    // the list is a convenience: the form works without it
  }
}
