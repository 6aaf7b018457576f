// Finance: this year and the next four against budget, gross and net, by budget holder, the chance of overspend,
// and what drives the change from an earlier forecast (numbers, mix, unit costs).
import { api } from '../api.js';
import { baselinePicker, completeScenarios, loadBaseline, wirePicker } from '../baseline.js';
import { costSpec, figure, WIDE } from '../charts.js';
import { BUDGET_HOLDERS, byBudgetHolder, changeDrivers, grossNet, nowOf } from '../derive.js';
import { esc, localTime, longMonth, money, pct, shortMoney, signedMoney } from '../format.js';
import { warningsBlock } from '../tables.js';
import { summarySentence } from '../words.js';
import { $, view } from '../ui.js';
import { nowPanel } from './forecast.js';

export { summarySentence };

function yearsTable(years) {
  const gn = years.map(grossNet);
  const hasNet = gn.some(Boolean);
  return `<table class="finance-table"><caption>Cost by financial year against budget (£). P10–P90 holds 8 in 10 simulated futures; budget holders show the mean.</caption>
    <thead><tr><th scope="col">Financial year</th><th scope="col">P10</th><th scope="col">P50 (median)</th><th scope="col">P90</th><th scope="col">Budget</th><th scope="col">Chance over budget</th>
    ${hasNet ? '<th scope="col">Gross (P50)</th><th scope="col">Grant</th><th scope="col">Net (P50)</th>' : ''}
    ${Object.values(BUDGET_HOLDERS)
      .map((h) => `<th scope="col">${esc(h.name)} (mean)</th>`)
      .join('')}</tr></thead>
    <tbody>${years
      .map((f, i) => {
        const h = byBudgetHolder(f);
        const g = gn[i];
        return `<tr><th scope="row">${esc(f.label)}${f.partial ? ` <span class="hint">(${f.months} months)</span>` : ''}</th><td>${money(f.p10)}</td><td>${money(f.p50)}</td><td>${money(f.p90)}</td><td>${money(f.budget)}</td><td>${pct(f.pOverBudget)}</td>
        ${hasNet ? `<td>${money(g?.gross)}</td><td>${money(g?.grant)}</td><td>${money(g?.net)}</td>` : ''}
        ${Object.keys(BUDGET_HOLDERS)
          .map((k) => `<td>${money(h[k])}</td>`)
          .join('')}</tr>`;
      })
      .join('')}</tbody></table>
    ${hasNet ? '' : '<p class="hint">Gross, grant and net appear here when the council profile sets the UASC grant and other income.</p>'}`;
}

function driversBlock(d, earlierTitle) {
  if (!d)
    return `<p>The two forecasts do not share a whole financial year, so the change cannot be split. Choose a forecast that covers the same year.</p>`;
  const row = (name, v, what) =>
    `<tr><th scope="row">${esc(name)}</th><td>${signedMoney(v)}</td><td class="text">${esc(what)}</td></tr>`;
  return `<p>Mean cost of ${esc(d.label)}: ${money(d.before)} in ${esc(earlierTitle)}, ${money(d.after)} now — a change of <strong>${d.change >= 0 ? '+' : '−'}${shortMoney(Math.abs(d.change))}</strong>.</p>
    <table class="drivers-table"><caption>What drives the change in ${esc(d.label)} (the parts add up to the change)</caption>
    <thead><tr><th scope="col">Driver</th><th scope="col">Effect on cost</th><th scope="col" class="text">What it means</th></tr></thead><tbody>
    ${row('Numbers', d.numbers, `child-months in care: ${Math.round(d.childMonths[0]).toLocaleString('en-GB')} → ${Math.round(d.childMonths[1]).toLocaleString('en-GB')}`)}
    ${row('Mix', d.mix, 'the same children spread differently across placements (more or fewer in dearer ones)')}
    ${row('Unit costs', d.unitCosts, 'what a month in each placement costs (prices, inflation)')}
    ${row('Total change', d.change, '')}</tbody></table>`;
}

export async function financeView(scenarioId) {
  view().innerHTML = '<h2>Finance</h2><p>Loading…</p>';
  const base = await loadBaseline(scenarioId);
  if (!base) {
    view().innerHTML =
      '<h2>Finance</h2><p>No forecast yet: <a href="#/new">run a scenario</a> or ask a data manager to run the monthly forecast.</p>';
    return;
  }
  const r = base.result;
  const n = nowOf(r, new Date());
  const years = r.cost.financialYears.slice(n.fyIndex, n.fyIndex + 5);
  const hasNet = years.some((f) => grossNet(f)?.net !== undefined);
  // earlier forecasts to explain the change against: other monthly forecasts and complete scenarios
  const earlier = [
    ...(base.others ?? [])
      .filter((f) => (f.month ?? f.id) !== base.id && (!f.status || f.status === 'complete'))
      .map((f) => ({ value: `forecast:${f.month ?? f.id}`, text: `Monthly forecast ${longMonth(f.month ?? f.id)}` })),
    ...(await completeScenarios(30).catch(() => []))
      .filter((s) => !(base.kind === 'scenario' && s.id === base.id))
      .map((s) => ({ value: `scenario:${s.id}`, text: `Scenario “${s.name ?? s.id}” (${localTime(s.createdAt)})` })),
  ];
  view().innerHTML = `<h2>Finance: cost against budget</h2>
    ${await baselinePicker(base, 'finance')}
    <p class="lead" id="finance-summary">${esc(summarySentence(n.fy))}</p>
    ${nowPanel(r)}
    ${yearsTable(years)}
    <div class="charts one">${figure(costSpec(r, { size: WIDE }), { filename: 'cost-by-financial-year' })}
    ${hasNet ? figure(costSpec(r, { size: WIDE, net: true }), { filename: 'net-cost-by-financial-year' }) : ''}</div>
    <section aria-labelledby="drivers-h"><h3 id="drivers-h">What drives the change from an earlier forecast</h3>
    ${
      earlier.length
        ? `<div class="form"><label for="drivers-pick">Compare with</label><select id="drivers-pick">${earlier.map((e) => `<option value="${esc(e.value)}">${esc(e.text)}</option>`).join('')}</select></div><div id="drivers-out" aria-live="polite"></div>`
        : '<p>There is no earlier forecast or scenario to compare with yet. Next month’s forecast will be explained against this one.</p>'
    }</section>
    ${warningsBlock(r)}`;
  wirePicker();
  const pick = $('#drivers-pick');
  if (!pick) return;
  const show = async () => {
    const [kind, id] = pick.value.split(/:(.*)/s);
    const other =
      kind === 'forecast'
        ? (await api('GET', `/forecasts/${encodeURIComponent(id)}`)).result
        : (await api('GET', `/scenarios/${encodeURIComponent(id)}`)).result;
    const text = pick.options[pick.selectedIndex].text;
    const label = other?.cost.financialYears.find(
      (f) => !f.partial && r.cost.financialYears.some((g) => g.label === f.label && !g.partial),
    )?.label;
    $('#drivers-out').innerHTML =
      other && label
        ? driversBlock(
            changeDrivers(r, other, n.inForecast ? n.thisYear : label) ?? changeDrivers(r, other, label),
            text,
          )
        : driversBlock(undefined, text);
  };
  pick.addEventListener('change', () => show().catch(() => {}));
  await show().catch(() => {});
}
