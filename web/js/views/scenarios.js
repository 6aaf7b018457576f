// The list of scenarios and one scenario's result: charts with their tables, cost against budget, inputs, downloads.
import { ANALYSTS, api, can, download } from '../api.js';
import { capacitySpec, childrenSpec, costSpec, figure, overflowSpec, uascSpec, WIDE } from '../charts.js';
import { esc, int, LABELS, localTime, longMonth } from '../format.js';
import { costTable, horizonTable, inputsTable, uncertaintyBlock, warningsBlock } from '../tables.js';
import {
  $,
  announce,
  backToList,
  deleteBox,
  deleteCell,
  errorBlock,
  noteHtml,
  poll,
  runsTable,
  statusBadge,
  takeNote,
  view,
  wireDeletes,
} from '../ui.js';
import { summarySentence } from './finance.js';

/**
 * The council's scenarios, newest first; a finance officer or commissioner gets an Action column with Delete (asking
 * first) on the scenarios they ran (the API lets only the creator delete one; a scenario still running stops).
 * `note`: what was just deleted (from this list, or from a scenario's own page).
 */
export async function scenariosView(note = takeNote()) {
  view().innerHTML = '<h2>Scenarios</h2><p>Loading…</p>';
  const page = await api('GET', '/scenarios?limit=50');
  const items = page.items ?? [];
  const canRun = can(...ANALYSTS);
  view().innerHTML = `<h2>Scenarios</h2>${noteHtml(note, 'scenarios-note')}${canRun ? '<p><a href="#/new">Run a new scenario</a></p>' : ''}
    ${runsTable({
      id: 'scenarios-table',
      caption: 'Scenarios, newest first',
      columns: [{ head: 'Name' }, { head: 'Status' }, { head: 'Runs' }, { head: 'First month' }, { head: 'Created' }],
      items,
      cells: (s) => [
        `<a href="#/scenarios/${encodeURIComponent(s.id)}">${esc(s.name ?? s.id)}</a>`,
        `${statusBadge(s.status)}${s.status === 'running' ? ` ${s.progress ?? 0}%` : ''}`,
        int.format(s.runs ?? 0),
        esc(longMonth(s.start)),
        esc(localTime(s.createdAt)),
      ],
      action: canRun ? (s) => deleteCell('data-delete-scenario', s, `scenario ${s.name ?? s.id}`) : undefined,
      empty: `No scenarios yet${canRun ? ': <a href="#/new">run one</a>' : ''}.`,
    })}`;
  const names = new Map(items.map((s) => [s.id, s.name ?? s.id]));
  wireDeletes(view(), 'data-delete-scenario', {
    question: SCENARIO_QUESTION,
    remove: async (id) => {
      await api('DELETE', `/scenarios/${encodeURIComponent(id)}`);
      await scenariosView(deletedNote(names.get(id)));
    },
  });
}

const SCENARIO_QUESTION = 'Delete this scenario and its result, for good?';
const deletedNote = (name) => `Scenario “${name}” deleted.`;

/**
 * One scenario, followed while it is queued or running; its creator (a finance officer or commissioner) has Delete
 * under the status, asking first, which goes back to the list saying what was deleted. The status and the result are
 * redrawn as the run goes on; the Delete box is not, so a question asked stays asked.
 */
export async function scenarioView(id) {
  view().innerHTML =
    '<div id="scn-head"><h2>Scenario</h2><p>Loading…</p></div><div id="scn-delete"></div><div id="scn-body"></div>';
  // the page's own parts: a tick that lands after the page has gone draws into nothing
  const head = $('#scn-head');
  const box = $('#scn-delete');
  const body = $('#scn-body');
  let boxDrawn = false;
  poll(async () => {
    const s = await api('GET', `/scenarios/${encodeURIComponent(id)}`);
    const name = s.name ?? s.scenario?.name ?? id;
    announce(`Scenario ${name}: ${s.status}`);
    if (!boxDrawn) {
      boxDrawn = true;
      box.innerHTML = deleteBox('data-delete-scenario', s, 'Delete this scenario');
      wireDeletes(box, 'data-delete-scenario', {
        question: SCENARIO_QUESTION,
        remove: async () => {
          await api('DELETE', `/scenarios/${encodeURIComponent(id)}`);
          backToList('#/scenarios', deletedNote(name));
        },
      });
    }
    if (s.status !== 'complete') {
      head.innerHTML = `<h2>${esc(name)}</h2><p>Status ${statusBadge(s.status)} ${s.status === 'running' || s.status === 'queued' ? `<progress max="100" value="${s.progress ?? 0}" aria-label="progress">${s.progress ?? 0}%</progress> ${s.progress ?? 0}%` : ''}</p>`;
      body.innerHTML = s.reason ? `<p class="error">${esc(s.reason)}</p>` : '';
      return s.status === 'queued' || s.status === 'running';
    }
    const r = s.result;
    const first = r.cost.financialYears.find((f) => !f.partial) ?? r.cost.financialYears[0];
    head.innerHTML = `<h2>${esc(name)}</h2><p>Status ${statusBadge(s.status)} · ${int.format(r.runs)} runs · ${esc(longMonth(r.months[0]))} to ${esc(longMonth(r.months.at(-1)))} · made ${esc(localTime(s.completedAt ?? s.createdAt))}</p>`;
    body.innerHTML = `<p class="lead">${esc(summarySentence(first))}</p>
      <div class="downloads">
        <button type="button" data-dl="xlsx">Download Excel</button>
        <button type="button" class="secondary" data-dl="csv">Download CSV</button>
        <button type="button" class="secondary" data-dl="docx">Download committee report (Word)</button>
      </div>
      <div class="charts">
        ${figure(childrenSpec(r, 'total'))}
        ${figure(childrenSpec(r, 'residential'))}
        ${figure(childrenSpec(r, 'agencyFoster'))}
        ${figure(costSpec(r))}
      </div>
      <div class="form"><label for="series-pick">Fan chart of another placement category</label>
        <select id="series-pick">${Object.entries(LABELS)
          .map(([k, l]) => `<option value="${k}"${k === 'kinship' ? ' selected' : ''}>${esc(l)}</option>`)
          .join('')}</select></div>
      <div class="charts one" id="series-chart">${figure(childrenSpec(r, 'kinship', { size: WIDE }))}</div>
      ${costTable(r.cost.financialYears)}${horizonTable(r)}
      ${r.inHouse || r.uasc ? `<div class="charts">${r.inHouse ? figure(capacitySpec(r)) + figure(overflowSpec(r)) : ''}${r.uasc ? figure(uascSpec(r)) : ''}</div>` : ''}
      ${uncertaintyBlock(r)}${inputsTable(r)}${warningsBlock(r)}`;
    $('#series-pick').addEventListener('change', (ev) => {
      $('#series-chart').innerHTML = figure(childrenSpec(r, ev.target.value, { size: WIDE }));
    });
    body.querySelectorAll('[data-dl]').forEach((b) =>
      b.addEventListener('click', () => {
        const kind = b.dataset.dl;
        const path = kind === 'docx' ? `/scenarios/${id}/report.docx` : `/scenarios/${id}/export.${kind}`;
        download(path, `scenario-${id}.${kind}`).catch((e) => view().insertAdjacentHTML('beforeend', errorBlock(e)));
      }),
    );
    return false;
  });
}
