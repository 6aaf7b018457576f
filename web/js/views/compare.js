// Comparing recruitment targets: the form and a comparison's result.
import { api, download } from '../api.js';
import { savingChart } from '../charts.js';
import { compactMoney, count, esc, money, pct } from '../format.js';
import {
  $,
  announce,
  errorBlock,
  newestDatasetId,
  numberOrUndefined,
  onCreate,
  poll,
  RUNS_FIELD,
  statusBadge,
  view,
} from '../ui.js';
import { showRecent } from './recent.js';

export function compareView() {
  view().innerHTML = `<h2>Compare recruitment targets</h2>
  <p>Each target is run with the same random streams as the base (common random numbers), so the differences you see are the targets' effect, not Monte Carlo noise.</p>
  <form class="form panel" id="cmp-form" novalidate>
    <div class="grid">
      <div class="field"><label for="c-values">New in-house carer households per year <span class="hint">targets to compare, separated by commas</span></label><input id="c-values" name="values" type="text" inputmode="decimal" value="0, 12, 24" required></div>
      ${RUNS_FIELD.replace(/f-runs/g, 'c-runs')}
    </div>
    <button type="submit">Compare</button>
    <div id="cmp-out" aria-live="polite"></div>
  </form>`;
  showRecent('comparisons');
  onCreate('#cmp-form', '#cmp-out', async (form) => {
    const values = form.elements.values.value
      .split(/[,\s]+/)
      .filter(Boolean)
      .map(Number);
    if (!values.length || values.some((v) => !Number.isFinite(v) || v < 0)) {
      $('#cmp-out').innerHTML = '<p class="error" role="alert">Enter numbers of households, e.g. "0, 12, 24".</p>';
      return undefined;
    }
    const datasetId = await newestDatasetId();
    const runs = numberOrUndefined(form, 'runs') ?? 1000;
    const created = await api('POST', '/comparisons', {
      ...(datasetId ? { datasetId } : {}),
      overrides: { name: 'Recruitment targets', runs },
      sweep: { path: 'capacity.recruitmentPerYear', values },
    });
    return `#/comparisons/${encodeURIComponent(created.id)}`;
  });
}

/** The first whole financial year: a part year's cost is not comparable with a budget for the whole year. */
export const firstWholeYear = (summary) =>
  summary.financialYears.find((_, i) => !summary.variants[0].financialYears[i]?.partial) ?? summary.financialYears[0];

export function comparisonTable(summary, fy = firstWholeYear(summary)) {
  const fi = summary.financialYears.indexOf(fy);
  return `<table id="comparison-table"><caption>At ${esc(summary.horizonMonth)} and in ${esc(fy)}; savings are paired differences against the base (positive = cheaper)</caption>
    <thead><tr><th scope="col">Variant</th><th scope="col">Residential</th><th scope="col">Agency fostering</th><th scope="col">In-house overflow</th><th scope="col">Cost ${esc(fy)} (P50)</th><th scope="col">Chance over budget ${esc(fy)}</th><th scope="col">Saving ${esc(fy)}</th><th scope="col">Saving, whole forecast</th></tr></thead>
    <tbody>${summary.variants
      .map((v) => {
        const f = v.financialYears[fi] ?? {};
        const s = v.saving;
        const range = (a, b, fmt) => `<span class="num-range">${fmt(a)} to ${fmt(b)}</span>`;
        return `<tr><th scope="row">${esc(v.name)}</th>
        <td>${count(v.horizon.residential.p50)}${range(v.horizon.residential.p10, v.horizon.residential.p90, count)}</td>
        <td>${count(v.horizon.agencyFoster.p50)}${range(v.horizon.agencyFoster.p10, v.horizon.agencyFoster.p90, count)}</td>
        <td>${v.overflowTotal ? count(v.overflowTotal.p50) : '–'}</td>
        <td>${money(f.p50)}${range(f.p10, f.p90, compactMoney)}</td>
        <td>${pct(f.pOverBudget)}</td>
        <td>${s ? money(s.financialYears[fi]?.mean) + range(s.financialYears[fi]?.p10, s.financialYears[fi]?.p90, compactMoney) : 'base'}</td>
        <td>${s ? money(s.horizon.mean) + range(s.horizon.p10, s.horizon.p90, compactMoney) : 'base'}</td></tr>`;
      })
      .join('')}</tbody></table>`;
}

export async function comparisonView(id) {
  view().innerHTML = '<h2>Comparison</h2><p>Loading…</p>';
  poll(async () => {
    const c = await api('GET', `/comparisons/${encodeURIComponent(id)}`);
    announce(`Comparison ${c.status}, ${c.progress ?? 0}%`);
    const head = `<h2>Comparison of ${esc(c.variants?.length ?? '')} variants</h2><p>Status ${statusBadge(c.status)} <progress max="100" value="${c.progress ?? 0}" aria-label="progress">${c.progress ?? 0}%</progress> ${c.progress ?? 0}%</p>`;
    if (c.status !== 'complete') {
      view().innerHTML = `${head}${c.reason ? `<p class="error">${esc(c.reason)}</p>` : ''}
        <ul>${(c.variants ?? []).map((v) => `<li>${esc(v.name)}: ${statusBadge(v.status)}</li>`).join('')}</ul>`;
      return c.status === 'queued' || c.status === 'running';
    }
    view().innerHTML = `${head}
      <div class="downloads"><button type="button" id="cmp-xlsx">Download Excel</button></div>
      <div class="form"><label for="cmp-year">Financial year shown</label>
        <select id="cmp-year">${c.summary.financialYears.map((y) => `<option${y === firstWholeYear(c.summary) ? ' selected' : ''}>${esc(y)}</option>`).join('')}</select></div>
      <div id="cmp-table">${comparisonTable(c.summary)}</div>
      <div class="chart">${savingChart(c.summary)}</div>`;
    $('#cmp-year').addEventListener('change', (ev) => {
      $('#cmp-table').innerHTML = comparisonTable(c.summary, ev.target.value);
    });
    $('#cmp-xlsx').addEventListener('click', () =>
      download(`/comparisons/${id}/export.xlsx`, `comparison-${id}.xlsx`).catch((e) =>
        view().insertAdjacentHTML('beforeend', errorBlock(e)),
      ),
    );
    return false;
  });
}
