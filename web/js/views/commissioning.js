// Commissioning: recruitment targets side by side across all years, savings with their uncertainty, the target for
// an 80% chance of staying within budget, in-house capacity and overflow over time, and the region where there is one.
import { api } from '../api.js';
import { baselinePicker, loadBaseline, wirePicker } from '../baseline.js';
import { capacitySpec, figure, overflowSpec, savingSpec } from '../charts.js';
import { esc, localTime } from '../format.js';
import { view } from '../ui.js';
import { horizonCompareTable, yearsCompareTable } from './compare.js';
import { answerSentence, yearTested } from './target.js';

async function latestComparison() {
  const page = await api('GET', '/comparisons?limit=10').catch(() => ({ items: [] }));
  const done = (page.items ?? []).find((c) => c.status === 'complete');
  return done ? api('GET', `/comparisons/${encodeURIComponent(done.id)}`) : undefined;
}

/** The newest complete search for "chance of exceeding the budget at most 20%". */
async function eightyPercentTarget() {
  const page = await api('GET', '/targets?limit=20').catch(() => ({ items: [] }));
  for (const item of (page.items ?? []).filter((t) => t.status === 'complete' && t.metric === 'pOverBudget')) {
    const t = await api('GET', `/targets/${encodeURIComponent(item.id)}`);
    if (t.goal && Math.abs(t.goal.atMost - 0.2) < 1e-9) return t;
  }
  return undefined;
}

/** The region the council plans with (GET /regions), and a link to the regional view; or that there is none. */
async function regionalBlock() {
  const res = await api('GET', '/regions?limit=1').catch(() => ({ items: [] }));
  const r = (res.items ?? [])[0];
  if (!r)
    return '<section aria-labelledby="region-h"><h3 id="region-h">Region</h3><p>Your council is not in a region: regional views appear here when it plans with other councils.</p></section>';
  const others = r.councils.length - 1;
  return `<section aria-labelledby="region-h"><h3 id="region-h">Region</h3><p id="region-line">Your council is in <strong>${esc(r.name)}</strong>${others > 0 ? ` with ${others} other ${others === 1 ? 'council' : 'councils'}` : ''}, which share the UASC rota and may commission places together. <a href="#/region">See the region</a>.</p></section>`;
}

export async function commissioningView(scenarioId) {
  view().innerHTML = '<h2>Commissioning</h2><p>Loading…</p>';
  const [base, cmp, t80, region] = await Promise.all([
    loadBaseline(scenarioId),
    latestComparison(),
    eightyPercentTarget(),
    regionalBlock(),
  ]);
  const year80 = t80 ? await yearTested(t80).catch(() => undefined) : undefined;
  const targets = cmp
    ? `<p>From the comparison made ${esc(localTime(cmp.createdAt))} (<a href="#/comparisons/${encodeURIComponent(cmp.id)}">open it</a>).</p>
       ${horizonCompareTable(cmp)}${yearsCompareTable(cmp)}
       <div class="charts one">${figure(savingSpec(cmp.summary, cmp.sweep?.baseValue, cmp.sweep?.path), { filename: 'recruitment-savings' })}</div>`
    : '<p>No comparison of recruitment targets yet. <a href="#/compare">Compare targets</a> to see them side by side across every year.</p>';
  const eighty = t80
    ? `<p class="lead" id="target-80">${esc(answerSentence(t80, year80))}</p><p><a href="#/targets/${encodeURIComponent(t80.id)}">See the search</a> · <a href="#/target/80">Search again</a></p>`
    : '<p id="target-80">No search for the 80% target yet. <a href="#/target/80">Find the number of new households a year that gives an 80% chance of staying within budget</a>.</p>';
  const capacity = base?.result?.inHouse
    ? `<div class="charts">${figure(capacitySpec(base.result))}${figure(overflowSpec(base.result))}</div>
         <p>Over the whole forecast, a median of <strong>${Math.round(base.result.inHouse.overflowTotal.p50).toLocaleString('en-GB')}</strong> children would need an in-house place and find none (P10–P90: ${Math.round(base.result.inHouse.overflowTotal.p10)} to ${Math.round(base.result.inHouse.overflowTotal.p90)}); each is placed with an agency or in residential care instead, at about twice the cost or more.</p>`
    : '<p>This forecast does not model in-house capacity.</p>';
  view().innerHTML = `<h2>Commissioning: sufficiency and recruitment</h2>
    ${base ? await baselinePicker(base, 'commissioning') : ''}
    <section aria-labelledby="t80-h"><h3 id="t80-h">The target for an 80% chance of staying within budget</h3>${eighty}</section>
    <section aria-labelledby="targets-h"><h3 id="targets-h">Recruitment targets side by side</h3>${targets}</section>
    <section aria-labelledby="cap-h"><h3 id="cap-h">In-house capacity and overflow</h3>${capacity}</section>
    ${region}
    <p class="hint">Savings are paired against the base run by run: a positive saving means the target costs less than today’s plan.</p>`;
  wirePicker();
}
