// The caller's recent comparisons or target searches, with what each asked and answered.
import { ANALYSTS, api, can, subject } from '../api.js';
import { esc, int, localTime } from '../format.js';
import { confirmInCell, deleteCell, statusBadge, view } from '../ui.js';
import { goalText, yearTested } from './target.js';

/**
 * Comparisons as a table, newest first, each a link to its result; with an Action column (Delete, asking first) for
 * a finance officer or commissioner, on the comparisons they made (the API lets only the creator delete one).
 * Shared by the Compare page and the Region page.
 */
export function comparisonsTable(items, { id, caption }) {
  const actions = can(...ANALYSTS);
  const me = subject();
  return `<table id="${id}"><caption>${esc(caption)}</caption><thead><tr><th scope="col">Created</th><th scope="col">Status</th><th scope="col" class="text">Variants</th><th scope="col">Runs</th>${actions ? '<th scope="col">Action</th>' : ''}</tr></thead><tbody>
      ${items
        .map(
          (c) =>
            `<tr><th scope="row"><a href="#/comparisons/${encodeURIComponent(c.id)}">${esc(localTime(c.createdAt))}</a></th><td>${statusBadge(c.status)}</td><td class="text">${esc((c.variants ?? []).join('; '))}</td><td>${int.format(c.runs ?? 0)}</td>${actions ? deleteCell('data-delete-comparison', c, `comparison made ${localTime(c.createdAt)}`, c.createdBy !== undefined && c.createdBy === me) : ''}</tr>`,
        )
        .join('')}</tbody></table>`;
}

/**
 * Wires the Delete buttons of a comparisons table in `root`: asks in the row, deletes the comparison (its variants and
 * results go with it), then `redraw(note)` draws the list again with what happened.
 */
export function wireComparisonDeletes(root, redraw) {
  root.querySelectorAll('[data-delete-comparison]').forEach((b) =>
    confirmInCell(b, {
      question: 'Delete this comparison, its variants and their results, for good?',
      rewire: (cell) => wireComparisonDeletes(cell, redraw),
      remove: async () => {
        await api('DELETE', `/comparisons/${encodeURIComponent(b.dataset.deleteComparison)}`);
        await redraw('Comparison deleted.');
      },
    }),
  );
}

/** The caller's recent comparisons or target searches under their form, newest first, each a link to its result. */
export async function showRecent(kind) {
  const section = document.createElement('section');
  section.id = 'recent';
  view().append(section);
  await fillRecent(section, kind);
}

async function fillRecent(section, kind, note = '') {
  const said = note ? `<p class="note" role="status">${esc(note)}</p>` : '';
  try {
    const page = await api('GET', `/${kind}?limit=10`);
    const items = page.items ?? [];
    if (items.length === 0) {
      section.innerHTML = said;
      return;
    }
    if (kind === 'comparisons') {
      section.innerHTML = `${comparisonsTable(items, { id: 'recent-comparisons', caption: 'Recent comparisons' })}${said}`;
      wireComparisonDeletes(section, (done) => fillRecent(section, kind, done));
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
