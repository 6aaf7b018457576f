// Finding a recruitment target: the form and a search's answer.
import { api } from '../api.js';
import { curveChart } from '../charts.js';
import { count, esc, money, pct, pct1 } from '../format.js';
import {
  $,
  announce,
  newestDatasetId,
  numberOrUndefined,
  onCreate,
  poll,
  RUNS_FIELD,
  statusBadge,
  view,
} from '../ui.js';
import { showRecent } from './recent.js';

export function targetView() {
  view().innerHTML = `<h2>Find a recruitment target</h2>
  <p>The smallest number of new in-house carer households a year that meets a goal, tried with the same random streams at every value.</p>
  <form class="form panel" id="tgt-form" novalidate>
    <div class="grid">
      <div class="field"><label for="t-metric">Goal</label><select id="t-metric" name="metric">
        <option value="pOverBudget">Chance of overspending the budget at most…</option>
        <option value="residential">Children in residential at the end at most…</option>
        <option value="agencyFoster">Children in agency fostering at the end at most…</option>
        <option value="cost">Cost of the year at most… (£)</option></select></div>
      <div class="field"><label for="t-atmost">At most <span class="hint">for a chance: 0.2 means 20%</span></label><input id="t-atmost" name="atMost" type="number" min="0" step="any" value="0.2" required></div>
      <div class="field"><label for="t-prob">With probability <span class="hint">counts and cost only; e.g. 0.8</span></label><input id="t-prob" name="withProbability" type="number" min="0.01" max="0.99" step="0.01" placeholder="0.5"></div>
      <div class="field"><label for="t-fy">Financial year <span class="hint">cost and budget goals; e.g. 2020/21</span></label><input id="t-fy" name="financialYear" type="text" pattern="\\d{4}/\\d{2}" placeholder="first whole year"></div>
      <div class="field"><label for="t-min">Search from</label><input id="t-min" name="min" type="number" min="0" step="1" value="0"></div>
      <div class="field"><label for="t-max">Search to</label><input id="t-max" name="max" type="number" min="1" step="1" value="40"></div>
      ${RUNS_FIELD.replace(/f-runs/g, 't-runs')}
    </div>
    <button type="submit">Find the target</button>
    <div id="tgt-out" aria-live="polite"></div>
  </form>`;
  showRecent('targets');
  // a sensible starting goal for each measure (a probability, a count of children, pounds)
  const DEFAULT_AT_MOST = { pOverBudget: '0.2', residential: '30', agencyFoster: '80', cost: '20000000' };
  $('#t-metric').addEventListener('change', (ev) => {
    $('#t-atmost').value = DEFAULT_AT_MOST[ev.target.value] ?? '';
  });
  onCreate('#tgt-form', '#tgt-out', async (form) => {
    const datasetId = await newestDatasetId();
    const goal = { metric: form.elements.metric.value, atMost: numberOrUndefined(form, 'atMost') ?? 0 };
    const p = numberOrUndefined(form, 'withProbability');
    if (p !== undefined && goal.metric !== 'pOverBudget') goal.withProbability = p;
    const fy = form.elements.financialYear.value.trim();
    if (fy && (goal.metric === 'cost' || goal.metric === 'pOverBudget')) goal.financialYear = fy;
    const created = await api('POST', '/targets', {
      ...(datasetId ? { datasetId } : {}),
      overrides: { name: 'Target search', runs: numberOrUndefined(form, 'runs') ?? 1000 },
      search: {
        path: 'capacity.recruitmentPerYear',
        min: numberOrUndefined(form, 'min') ?? 0,
        max: numberOrUndefined(form, 'max') ?? 40,
      },
      goal,
    });
    return `#/targets/${encodeURIComponent(created.id)}`;
  });
}

export async function targetResultView(id) {
  view().innerHTML = '<h2>Target</h2><p>Loading…</p>';
  poll(async () => {
    const t = await api('GET', `/targets/${encodeURIComponent(id)}`);
    const g = t.goal ?? {};
    const what =
      {
        pOverBudget: 'chance of overspending the budget',
        residential: 'children in residential at the end',
        agencyFoster: 'children in agency fostering at the end',
        cost: 'cost of the year',
      }[g.metric] ?? g.metric;
    const goalText = `Goal: ${what}${g.financialYear ? ` (${g.financialYear})` : ''} at most ${g.metric === 'pOverBudget' ? pct(g.atMost) : g.metric === 'cost' ? money(g.atMost) : count(g.atMost)}${g.withProbability ? `, with probability ${pct(g.withProbability)}` : ''}; searching ${t.search?.path} from ${t.search?.min} to ${t.search?.max}.`;
    announce(`Target search ${t.status}`);
    const head = `<h2>Target search</h2><p>${esc(goalText)}</p><p>Status ${statusBadge(t.status)}${t.status === 'running' ? ` · ${t.progress ?? 0}% of the maximum number of tries` : ''}</p>`;
    if (t.status !== 'complete') {
      view().innerHTML = head + (t.reason ? `<p class="error">${esc(t.reason)}</p>` : '');
      return t.status === 'queued' || t.status === 'running';
    }
    const a = t.answer;
    const fmt = t.goal.metric === 'pOverBudget' ? pct1 : t.goal.metric === 'cost' ? money : count;
    view().innerHTML = `${head}
      <div class="headline"><div>${a.reachable ? `Smallest target<strong>${esc(a.value)} a year</strong>` : `<strong>Not reachable</strong> within ${esc(t.search.min)}–${esc(t.search.max)}`}</div></div>
      <p>${esc(a.message)}</p>${a.monotone ? '' : '<p class="error">The measure does not fall steadily as the target rises: read the curve before relying on the answer.</p>'}
      <div class="chart">${curveChart(a, t.goal)}</div>
      <table><caption>Values tried</caption><thead><tr><th scope="col">Households per year</th><th scope="col">Measure</th><th scope="col">Meets the goal</th></tr></thead>
      <tbody>${a.curve.map((p) => `<tr><th scope="row">${esc(p.value)}</th><td>${fmt(p.metric)}</td><td>${p.meets ? 'yes' : 'no'}</td></tr>`).join('')}</tbody></table>`;
    return false;
  });
}
