// The latest monthly forecast.
import { api } from '../api.js';
import { clientCharts } from '../charts.js';
import { esc, int, pct } from '../format.js';
import { costTable, horizonTable } from '../tables.js';
import { statusBadge, view } from '../ui.js';

export async function forecastView() {
  view().innerHTML = '<h2>Latest monthly forecast</h2><p>Loading…</p>';
  const page = await api('GET', '/forecasts');
  const items = page.items ?? page;
  if (!items?.length) {
    view().innerHTML =
      '<h2>Latest monthly forecast</h2><p>No monthly forecast has been made yet. A data manager can run one now; meanwhile, <a href="#/new">run a scenario</a>.</p>';
    return;
  }
  const latest = items[0];
  const f = await api('GET', `/forecasts/${encodeURIComponent(latest.month ?? latest.id)}`);
  const result = f.result;
  let html = `<h2>Latest monthly forecast: ${esc(f.month ?? latest.month)}</h2><p>Status ${statusBadge(f.status)}${f.dataEnd ? ` · data to ${esc(f.dataEnd)}` : ''}${f.runs ? ` · ${int.format(f.runs)} runs` : ''}</p>`;
  if (f.accuracy)
    html += `<p>Accuracy of this forecast so far: ${pct(f.accuracy.coverage)} of actual figures fell inside P10–P90 (${f.accuracy.monthsCovered?.length ?? 0} months covered).</p>`;
  if (result) html += clientCharts(result) + costTable(result.cost.financialYears) + horizonTable(result);
  view().innerHTML = html;
}
