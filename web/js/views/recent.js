// The caller's recent comparisons or target searches, with what each asked and answered.
import { ANALYSTS, api, can } from '../api.js';
import { esc, int, localTime } from '../format.js';
import { RECRUITMENT, sweepName } from '../input-labels.js';
import { deleteCell, noteHtml, runsTable, statusBadge, view, wireDeletes } from '../ui.js';
import { goalText, yearTested } from './target.js';

/** What the row (or a detail page) asks before deleting a comparison or a target search. */
export const COMPARISON_QUESTION = 'Delete this comparison, its variants and their results, for good?';
export const TARGET_QUESTION = 'Delete this target search and its answer, for good?';

/**
 * Comparisons as a table, newest first, each a link to its result; with an Action column (Delete, asking first) for
 * a finance officer or commissioner, on the comparisons they made (the API lets only the creator delete one).
 * Shared by the Compare page and the Region page.
 */
export function comparisonsTable(items, { id, caption }) {
  return runsTable({
    id,
    caption,
    columns: [{ head: 'Created' }, { head: 'Status' }, { head: 'Variants', text: true }, { head: 'Runs' }],
    items,
    cells: (c) => [
      `<a href="#/comparisons/${encodeURIComponent(c.id)}">${esc(localTime(c.createdAt))}</a>`,
      statusBadge(c.status),
      esc((c.variants ?? []).join('; ')),
      int.format(c.runs ?? 0),
    ],
    action: can(...ANALYSTS)
      ? (c) => deleteCell('data-delete-comparison', c, `comparison made ${localTime(c.createdAt)}`)
      : undefined,
  });
}

/**
 * Wires the Delete buttons of a comparisons table in `root`: asks in the row, deletes the comparison (its variants and
 * results go with it), then `redraw(note)` draws the list again with what happened.
 */
export function wireComparisonDeletes(root, redraw) {
  wireDeletes(root, 'data-delete-comparison', {
    question: COMPARISON_QUESTION,
    remove: async (id) => {
      await api('DELETE', `/comparisons/${encodeURIComponent(id)}`);
      await redraw('Comparison deleted.');
    },
  });
}
/**
 * The caller's recent comparisons or target searches under their form, newest first, each a link to its result;
 * Delete (asking first) on the ones the user made, for a finance officer or commissioner.
 */
export async function showRecent(kind) {
  const section = document.createElement('section');
  section.id = 'recent';
  view().append(section);
  await fillRecent(section, kind);
}

async function fillRecent(section, kind, note = '') {
  const said = noteHtml(note);
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
    section.innerHTML = `${runsTable({
      id: 'recent-targets',
      caption: 'Recent target searches',
      columns: [
        { head: 'Created' },
        { head: 'Status' },
        { head: 'Goal', text: true },
        { head: 'Financial year' },
        { head: 'Answer' },
      ],
      items: full.map((t, i) => ({ ...t, year: years[i] })),
      cells: (t) => {
        const a = t.answer;
        return [
          `<a href="#/targets/${encodeURIComponent(t.id)}">${esc(localTime(t.createdAt))}</a>`,
          statusBadge(t.status),
          esc(t.goal ? goalText(t.goal) : (t.metric ?? '')),
          esc(t.year ?? '–'),
          esc(!a ? '–' : a.reachable ? answerValue(t.search?.path, a.value) : 'not reachable in the range'),
        ];
      },
      action: can(...ANALYSTS)
        ? (t) => deleteCell('data-delete-target', t, `target search made ${localTime(t.createdAt)}`)
        : undefined,
    })}${said}`;
    // a search still running stops and stores nothing (DELETE /targets/{id})
    wireDeletes(section, 'data-delete-target', {
      question: TARGET_QUESTION,
      remove: async (id) => {
        await api('DELETE', `/targets/${encodeURIComponent(id)}`);
        await fillRecent(section, kind, 'Target search deleted.');
      },
    });
  } catch {
    // the list is a convenience: the form works without it
  }
}

/** A target search's answer in a list: "24 a year" for recruitment (the page's own search), else the input's words. */
const answerValue = (path, value) =>
  path === undefined || path === RECRUITMENT ? `${value} a year` : sweepName(path, value);
