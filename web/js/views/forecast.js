// Overview: "now" (this financial year, the budget position to date), then the latest forecast's charts and tables.
import { can } from '../api.js';
import { loadBaseline, baselinePicker, wirePicker } from '../baseline.js';
import { childrenSpec, costSpec, figure, targetRef } from '../charts.js';
import { nowOf } from '../derive.js';
import { esc, int, localTime, longMonth, money, pct, shortMoney } from '../format.js';
import { costTable, horizonTable, warningsBlock } from '../tables.js';
import { view } from '../ui.js';
import { careTarget, councilProfile } from './service.js';

/** The "now" panel: which financial year this is, and where the budget stands by the forecast. */
export function nowPanel(result, today = new Date()) {
  const n = nowOf(result, today);
  const f = n.fy;
  const head = n.inForecast
    ? `Today is in <strong>${esc(n.thisYear)}</strong>, month ${n.elapsed + 1} of 12 of the financial year.`
    : `Today is in ${esc(n.thisYear)}, outside this forecast (it covers ${esc(result.cost.financialYears[0]?.label)} to ${esc(result.cost.financialYears.at(-1)?.label)}); its first year, <strong>${esc(f.label)}</strong>, stands in for “this year”.`;
  const over =
    f.pOverBudget !== undefined
      ? `There is a <strong>${pct(f.pOverBudget)}</strong> chance of exceeding the ${shortMoney(f.budget)} budget.`
      : 'No budget is set for this year.';
  const toDate =
    n.inForecast && n.elapsed > 0 && n.budgetToDate !== undefined
      ? `<li id="budget-to-date">Budget to date, pro rata (${n.elapsed} of 12 months of the year’s budget, not a profiled budget): <strong>${money(n.budgetToDate)}</strong>; forecast cost of the months to date that the forecast covers: <strong>${money(n.costToDate)}</strong>. This is not actual spend: the service holds no ledger figures, so compare with the spend your finance system records.</li>`
      : '';
  return `<section class="now panel" aria-labelledby="now-h"><h3 id="now-h">Now</h3>
    <p>${head}</p>
    <ul>
      <li>Placements are forecast to cost <strong>${shortMoney(f.p50)}</strong> in ${esc(f.label)}${f.partial ? ` (the ${f.months} forecast months)` : ''}, between ${shortMoney(f.p10)} and ${shortMoney(f.p90)} (8 in 10 futures). ${over}</li>
      ${toDate}
      <li>Children in care at the end of ${esc(longMonth(result.months[0]))}: <strong>${int.format(Math.round(result.population.total.p50[0]))}</strong> (median).</li>
    </ul></section>`;
}

export async function forecastView(scenarioId) {
  view().innerHTML = '<h2>Overview</h2><p>Loading…</p>';
  const base = await loadBaseline(scenarioId);
  if (!base) {
    view().innerHTML = `<h2>Overview</h2><p>No forecast has been made yet. ${
      can('data-manager')
        ? '<a href="#/datasets">Run the monthly forecast now</a> from the datasets page.'
        : 'A data manager can run the monthly forecast now.'
    } ${can('finance', 'commissioner') ? 'Meanwhile, <a href="#/new">run a scenario</a>.' : ''}</p>`;
    return;
  }
  const r = base.result;
  const rec = base.record;
  const target = careTarget(await councilProfile());
  const acc = rec.accuracy;
  view().innerHTML = `<h2>Overview</h2>
    ${await baselinePicker(base, 'forecast')}
    <p class="meta">${int.format(r.runs)} runs · ${esc(longMonth(r.months[0]))} to ${esc(longMonth(r.months.at(-1)))}${rec.createdAt ? ` · made ${esc(localTime(rec.createdAt))}` : ''}</p>
    ${acc ? `<p>How earlier forecasts did: ${pct(acc.coverage)} of actual figures fell inside P10–P90 (${acc.monthsCovered?.length ?? 0} months checked).</p>` : ''}
    ${nowPanel(r)}
    <div class="charts">
      ${figure(childrenSpec(r, 'total', target ? { ref: targetRef(r, target) } : {}))}
      ${figure(childrenSpec(r, 'residential'))}
      ${figure(costSpec(r))}
      ${figure(childrenSpec(r, 'agencyFoster'))}
    </div>
    ${costTable(r.cost.financialYears)}${horizonTable(r)}${warningsBlock(r)}`;
  wirePicker();
}
