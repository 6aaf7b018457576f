// Finding a recruitment target: the form (preset for "an 80% chance of staying within budget") and a search's answer,
// in plain words: which financial year was tested, what the chance or count was, and the curve behind it.
import { ANALYSTS, api, can } from '../api.js';
import { curveSpec, figure } from '../charts.js';
import { firstWholeYearAfter } from '../derive.js';
import { count, esc, localTime, money, pct1 } from '../format.js';
import { formatInput, parameterLabel, RECRUITMENT } from '../input-labels.js';
import {
  $,
  announce,
  backToList,
  deleteBox,
  newestDatasetId,
  noteHtml,
  numberOrUndefined,
  onCreate,
  poll,
  readOnlyNote,
  RUNS_FIELD,
  statusBadge,
  takeNote,
  view,
  wireDeletes,
} from '../ui.js';
import { showRecent, TARGET_QUESTION } from './recent.js';

const MEASURES = {
  pOverBudget: {
    title: 'Chance of exceeding the budget',
    what: 'the chance of exceeding the budget',
    format: 'percent',
  },
  residential: {
    title: 'Children in residential at the end',
    what: 'children in residential care at the end of the forecast',
    format: 'count',
  },
  agencyFoster: {
    title: 'Children in agency fostering at the end',
    what: 'children in agency fostering at the end of the forecast',
    format: 'count',
  },
  cost: { title: 'Cost of the year (£)', what: 'the cost of the year', format: 'money' },
};
const fmtOf = (metric) => (metric === 'pOverBudget' ? pct1 : metric === 'cost' ? money : count);

/** "Chance of exceeding the budget in 2019/20 at most 20.0% (an 80% chance of staying within it)" */
export function goalText(g, year) {
  const m = MEASURES[g.metric] ?? { what: g.metric };
  const y =
    g.metric === 'pOverBudget' || g.metric === 'cost' ? ` in ${year ?? g.financialYear ?? 'the first whole year'}` : '';
  const within =
    g.metric === 'pOverBudget' ? ` (at least a ${Math.round((1 - g.atMost) * 100)}% chance of staying within it)` : '';
  const prob = g.withProbability ? `, in ${Math.round(g.withProbability * 100)} of 100 simulated futures` : '';
  return `${m.what[0].toUpperCase()}${m.what.slice(1)}${y} at most ${fmtOf(g.metric)(g.atMost)}${within}${prob}`;
}

/** The financial year a cost or budget goal tested: the one named, else the first whole year after the data. */
export async function yearTested(t) {
  const g = t.goal ?? {};
  if (g.metric !== 'pOverBudget' && g.metric !== 'cost') return 'end of forecast';
  if (g.financialYear) return g.financialYear;
  if (!t.datasetId) return undefined;
  const d = await api('GET', `/datasets/${encodeURIComponent(t.datasetId)}`);
  const end = d?.period?.end ?? d?.summary?.period?.end;
  return end ? firstWholeYearAfter(end) : undefined;
}

/** The form and the user's recent target searches; `note`: what a target search's own page just deleted. */
export async function targetView(preset, note = takeNote()) {
  const said = noteHtml(note, 'deleted-note');
  if (!can(...ANALYSTS)) {
    view().innerHTML = `<h2>Find a recruitment target</h2>${said}${readOnlyNote('start a target search')}`;
    showRecent('targets');
    return;
  }
  const datasetId = await newestDatasetId().catch(() => undefined);
  const d = datasetId
    ? await api('GET', `/datasets/${encodeURIComponent(datasetId)}`).catch(() => undefined)
    : undefined;
  const firstYear = d?.period?.end ? firstWholeYearAfter(d.period.end) : '';
  view().innerHTML = `<h2>Find a recruitment target</h2>${said}
  <p>The smallest number of new in-house carer households a year that meets a goal, tried with the same random streams at every value.${preset === '80' ? ' Preset: the target that gives an 80% chance of staying within budget.' : ''}</p>
  <form class="form panel" id="tgt-form" novalidate>
    <div class="grid">
      <div class="field"><label for="t-metric">Goal</label><select id="t-metric" name="metric">
        <option value="pOverBudget">Chance of exceeding the budget at most…</option>
        <option value="residential">Children in residential at the end at most…</option>
        <option value="agencyFoster">Children in agency fostering at the end at most…</option>
        <option value="cost">Cost of the year at most… (£)</option></select></div>
      <div class="field"><label for="t-atmost">At most <span class="hint">a chance as a share: 0.2 = 20%, i.e. 80% within budget</span></label><input id="t-atmost" name="atMost" type="number" min="0" step="any" value="0.2" required></div>
      <div class="field"><label for="t-prob">In how many futures <span class="hint">counts and cost only; 0.8 = 8 in 10</span></label><input id="t-prob" name="withProbability" type="number" min="0.01" max="0.99" step="0.01" placeholder="0.5"></div>
      <div class="field"><label for="t-fy">Financial year tested <span class="hint">cost and budget goals</span></label><input id="t-fy" name="financialYear" type="text" pattern="\\d{4}/\\d{2}" value="${esc(firstYear)}" placeholder="e.g. 2019/20"></div>
      <div class="field"><label for="t-min">Search from (households a year)</label><input id="t-min" name="min" type="number" min="0" step="1" value="0"></div>
      <div class="field"><label for="t-max">Search to (households a year)</label><input id="t-max" name="max" type="number" min="1" step="1" value="40"></div>
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
    const goal = { metric: form.elements.metric.value, atMost: numberOrUndefined(form, 'atMost') ?? 0 };
    const p = numberOrUndefined(form, 'withProbability');
    if (p !== undefined && goal.metric !== 'pOverBudget') goal.withProbability = p;
    const fy = form.elements.financialYear.value.trim();
    if (fy && (goal.metric === 'cost' || goal.metric === 'pOverBudget')) goal.financialYear = fy;
    const created = await api('POST', '/targets', {
      ...(datasetId ? { datasetId } : {}),
      overrides: { name: 'Target search', runs: numberOrUndefined(form, 'runs') ?? 1000 },
      search: {
        path: RECRUITMENT,
        min: numberOrUndefined(form, 'min') ?? 0,
        max: numberOrUndefined(form, 'max') ?? 40,
      },
      goal,
    });
    return `#/targets/${encodeURIComponent(created.id)}`;
  });
}

/** The answer in a sentence a committee can read. */
export function answerSentence(t, year) {
  const a = t.answer;
  const g = t.goal;
  const fmt = fmtOf(g.metric);
  const m = MEASURES[g.metric]?.what ?? g.metric;
  const where = g.metric === 'pOverBudget' || g.metric === 'cost' ? ` in ${year}` : '';
  const path = t.search?.path;
  const best = a.curve.reduce((b, p) => (b === undefined || p.metric < b.metric ? p : b), undefined);
  if (path === RECRUITMENT) {
    if (a.reachable)
      return `Recruiting ${a.value} new in-house carer households a year is the smallest target that meets the goal: ${m}${where} is then ${fmt(a.metricAtValue)}, against a goal of at most ${fmt(g.atMost)}.`;
    return `No target from ${t.search.min} to ${t.search.max} households a year meets the goal: the best tried, ${best?.value} a year, gives ${m}${where} of ${fmt(best?.metric)}, against a goal of at most ${fmt(g.atMost)}.`;
  }
  // any other input searched: its own name and units
  const name = lowerFirst(parameterLabel(path));
  const v = (x) => formatInput(path, x);
  if (a.reachable)
    return `The smallest ${name} that meets the goal is ${v(a.value)}: ${m}${where} is then ${fmt(a.metricAtValue)}, against a goal of at most ${fmt(g.atMost)}.`;
  return `No ${name} from ${v(t.search.min)} to ${v(t.search.max)} meets the goal: the best tried, ${v(best?.value)}, gives ${m}${where} of ${fmt(best?.metric)}, against a goal of at most ${fmt(g.atMost)}.`;
}

/** "Weekly cost, residential" → "weekly cost, residential" inside a sentence; "UASC …" stays as it is */
const lowerFirst = (s) => (/^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) : s);

/**
 * One target search, followed while it runs; its creator (a finance officer or commissioner) has Delete under the
 * facts, asking first, which goes back to the Find a target page saying what was deleted (a search still running
 * stops). The Delete box is drawn once, so a question asked stays asked while the status is redrawn.
 */
export async function targetResultView(id) {
  view().innerHTML =
    '<div id="tgt-head"><h2>Target</h2><p>Loading…</p></div><div id="tgt-delete"></div><div id="tgt-body"></div>';
  const head = $('#tgt-head');
  const box = $('#tgt-delete');
  const body = $('#tgt-body');
  let boxDrawn = false;
  poll(async () => {
    const t = await api('GET', `/targets/${encodeURIComponent(id)}`);
    const g = t.goal ?? {};
    const year = await yearTested(t).catch(() => undefined);
    head.innerHTML = `<h2>Target search</h2>
      <dl class="facts"><dt>Goal</dt><dd>${esc(goalText(g, year))}</dd>
      <dt>Financial year tested</dt><dd id="tgt-year">${esc(year ?? 'not known')}</dd>
      <dt>Searching</dt><dd>${esc(parameterLabel(t.search?.path))}, from ${esc(formatInput(t.search?.path, t.search?.min))} to ${esc(formatInput(t.search?.path, t.search?.max))}</dd>
      <dt>Started</dt><dd>${esc(localTime(t.createdAt))}${t.completedAt ? `; finished ${esc(localTime(t.completedAt))}` : ''}</dd></dl>
      <p>Status ${statusBadge(t.status)}${t.status === 'running' ? ` · ${t.progress ?? 0}% of the maximum number of tries` : ''}</p>`;
    announce(`Target search ${t.status}`);
    if (!boxDrawn) {
      boxDrawn = true;
      box.innerHTML = deleteBox('data-delete-target', t, 'Delete this target search');
      wireDeletes(box, 'data-delete-target', {
        question: TARGET_QUESTION,
        remove: async () => {
          await api('DELETE', `/targets/${encodeURIComponent(id)}`);
          backToList('#/target', `Target search made ${localTime(t.createdAt)} deleted.`);
        },
      });
    }
    if (t.status !== 'complete') {
      body.innerHTML = t.reason ? `<p class="error">${esc(t.reason)}</p>` : '';
      return t.status === 'queued' || t.status === 'running';
    }
    const a = t.answer;
    const fmt = fmtOf(g.metric);
    const measure = MEASURES[g.metric] ?? { title: g.metric, format: 'count' };
    const path = t.search?.path;
    const recruiting = path === RECRUITMENT;
    const v = (x) => (recruiting ? `${x} a year` : formatInput(path, x));
    body.innerHTML = `<div class="headline"><div>${a.reachable ? `Smallest ${recruiting ? 'target' : 'value'}<strong>${esc(v(a.value))}</strong>` : `<strong>Not reachable</strong> within ${esc(v(t.search.min))}–${esc(v(t.search.max))}`}</div></div>
      <p class="lead" id="tgt-answer">${esc(answerSentence(t, year))}</p>${a.monotone ? '' : '<p class="error">The measure does not fall steadily as the target rises: read the curve before relying on the answer.</p>'}
      <div class="charts one">${figure(curveSpec(a, g, measure.title, measure.format, t.search?.path), { filename: `target-${id}` })}</div>
      <table><caption>Values tried</caption><thead><tr><th scope="col">${esc(recruiting ? 'New households a year' : parameterLabel(path))}</th><th scope="col">${esc(measure.title)}</th><th scope="col">Meets the goal</th></tr></thead>
      <tbody>${a.curve.map((p) => `<tr><th scope="row">${esc(recruiting ? p.value : formatInput(path, p.value))}</th><td>${fmt(p.metric)}</td><td>${p.meets ? 'yes' : 'no'}</td></tr>`).join('')}</tbody></table>`;
    return false;
  });
}
