// The list of scenarios and one scenario's result: charts with their tables, cost against budget, inputs, downloads.
import { ANALYSTS, api, can, download } from '../api.js';
import { capacitySpec, childrenSpec, costSpec, figure, overflowSpec, uascSpec, WIDE } from '../charts.js';
import { esc, int, LABELS, localTime, longMonth } from '../format.js';
import { costTable, horizonTable, inputsTable, uncertaintyBlock, warningsBlock } from '../tables.js';
import { $, announce, errorBlock, poll, statusBadge, view } from '../ui.js';
import { summarySentence } from './finance.js';

export async function scenariosView() {
  view().innerHTML = '<h2>Scenarios</h2><p>Loading…</p>';
  const page = await api('GET', '/scenarios?limit=50');
  const items = page.items ?? [];
  const canRun = can(...ANALYSTS);
  view().innerHTML = `<h2>Scenarios</h2>${canRun ? '<p><a href="#/new">Run a new scenario</a></p>' : ''}
    <table><caption>Newest first</caption><thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Runs</th><th scope="col">First month</th><th scope="col">Created</th></tr></thead><tbody>
    ${items.length === 0 ? `<tr><td colspan="5">No scenarios yet${canRun ? ': <a href="#/new">run one</a>' : ''}.</td></tr>` : ''}
    ${items.map((s) => `<tr><th scope="row"><a href="#/scenarios/${encodeURIComponent(s.id)}">${esc(s.name ?? s.id)}</a></th><td>${statusBadge(s.status)}${s.status === 'running' ? ` ${s.progress ?? 0}%` : ''}</td><td>${int.format(s.runs ?? 0)}</td><td>${esc(longMonth(s.start))}</td><td>${esc(localTime(s.createdAt))}</td></tr>`).join('')}
    </tbody></table>`;
}

export async function scenarioView(id) {
  view().innerHTML = '<h2>Scenario</h2><p>Loading…</p>';
  poll(async () => {
    const s = await api('GET', `/scenarios/${encodeURIComponent(id)}`);
    const name = s.name ?? s.scenario?.name ?? id;
    announce(`Scenario ${name}: ${s.status}`);
    if (s.status !== 'complete') {
      view().innerHTML = `<h2>${esc(name)}</h2><p>Status ${statusBadge(s.status)} ${s.status === 'running' || s.status === 'queued' ? `<progress max="100" value="${s.progress ?? 0}" aria-label="progress">${s.progress ?? 0}%</progress> ${s.progress ?? 0}%` : ''}</p>${s.reason ? `<p class="error">${esc(s.reason)}</p>` : ''}`;
      return s.status === 'queued' || s.status === 'running';
    }
    const r = s.result;
    const first = r.cost.financialYears.find((f) => !f.partial) ?? r.cost.financialYears[0];
    view().innerHTML = `<h2>${esc(name)}</h2><p>Status ${statusBadge(s.status)} · ${int.format(r.runs)} runs · ${esc(longMonth(r.months[0]))} to ${esc(longMonth(r.months.at(-1)))} · made ${esc(localTime(s.completedAt ?? s.createdAt))}</p>
      <p class="lead">${esc(summarySentence(first))}</p>
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
    view()
      .querySelectorAll('[data-dl]')
      .forEach((b) =>
        b.addEventListener('click', () => {
          const kind = b.dataset.dl;
          const path = kind === 'docx' ? `/scenarios/${id}/report.docx` : `/scenarios/${id}/export.${kind}`;
          download(path, `scenario-${id}.${kind}`).catch((e) => view().insertAdjacentHTML('beforeend', errorBlock(e)));
        }),
      );
    return false;
  });
}
