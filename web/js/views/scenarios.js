// The list of scenarios and one scenario's result.
import { API, api, download, token } from '../api.js';
import { esc, int, LABELS } from '../format.js';
import { costTable, horizonTable } from '../tables.js';
import { $, announce, errorBlock, poll, statusBadge, view } from '../ui.js';

export async function scenariosView() {
  view().innerHTML = '<h2>Scenarios</h2><p>Loading…</p>';
  const page = await api('GET', '/scenarios?limit=50');
  const items = page.items ?? [];
  view().innerHTML = `<h2>Scenarios</h2><p><a href="#/new">Run a new scenario</a></p>
    <table><caption>Newest first</caption><thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Runs</th><th scope="col">Start</th><th scope="col">Created</th></tr></thead><tbody>
    ${items.length === 0 ? '<tr><td colspan="5">No scenarios yet: <a href="#/new">run one</a>.</td></tr>' : ''}
    ${items.map((s) => `<tr><th scope="row"><a href="#/scenarios/${encodeURIComponent(s.id)}">${esc(s.name ?? s.id)}</a></th><td>${statusBadge(s.status)}${s.status === 'running' ? ` ${s.progress ?? 0}%` : ''}</td><td>${int.format(s.runs ?? 0)}</td><td>${esc(s.start ?? '')}</td><td>${esc((s.createdAt ?? '').slice(0, 16).replace('T', ' '))}</td></tr>`).join('')}
    </tbody></table>`;
}

export async function serverChart(id, series) {
  const res = await fetch(`${API}/scenarios/${encodeURIComponent(id)}/chart.svg?series=${series}`, {
    headers: { authorization: `Bearer ${token()}` },
  });
  if (!res.ok) return `<p class="error">chart unavailable (${res.status})</p>`;
  const doc = new DOMParser().parseFromString(await res.text(), 'image/svg+xml');
  const svg = doc.documentElement;
  if (svg.nodeName !== 'svg') return '<p class="error">chart unreadable</p>';
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  return new XMLSerializer().serializeToString(svg);
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
    const result = s.result;
    const charts = await Promise.all(['total', 'residential', 'agencyFoster', 'cost'].map((k) => serverChart(id, k)));
    view().innerHTML = `<h2>${esc(name)}</h2><p>Status ${statusBadge(s.status)} · ${int.format(result.runs)} runs · ${esc(result.months[0])} to ${esc(result.months[result.months.length - 1])}</p>
      <div class="downloads">
        <button type="button" data-dl="xlsx">Download Excel</button>
        <button type="button" class="secondary" data-dl="csv">Download CSV</button>
        <button type="button" class="secondary" data-dl="svg">Download cost chart (SVG)</button>
      </div>
      <div class="charts">${charts.map((c) => `<div class="chart">${c}</div>`).join('')}</div>
      <div class="form"><label for="series-pick">Fan chart of another placement category</label>
        <select id="series-pick">${Object.entries(LABELS)
          .map(([k, l]) => `<option value="${k}"${k === 'kinship' ? ' selected' : ''}>${esc(l)}</option>`)
          .join('')}</select></div>
      <div class="chart" id="series-chart">${await serverChart(id, 'kinship')}</div>
      ${costTable(result.cost.financialYears)}${horizonTable(result)}
      ${result.warnings?.length ? `<h3>Warnings</h3><ul>${result.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}`;
    $('#series-pick').addEventListener('change', async (ev) => {
      $('#series-chart').innerHTML = await serverChart(id, ev.target.value);
    });
    view()
      .querySelectorAll('[data-dl]')
      .forEach((b) =>
        b.addEventListener('click', () => {
          const kind = b.dataset.dl;
          const path = kind === 'svg' ? `/scenarios/${id}/chart.svg?series=cost` : `/scenarios/${id}/export.${kind}`;
          download(path, `scenario-${id}.${kind}`).catch((e) => view().insertAdjacentHTML('beforeend', errorBlock(e)));
        }),
      );
    return false;
  });
}
