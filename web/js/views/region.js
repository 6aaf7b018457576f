// The region: its councils, the latest regional forecast's totals (cost by financial year against the regional budget,
// children in care, UASC through the regional rota, shared places and their saving), each council's figures, and —
// for a region's finance officers and commissioners — a form that starts a regional forecast and follows it.
import { ANALYSTS, api, can, isRegionUser, tenant } from '../api.js';
import { childrenSpec, costSpec, figure, sharedSpec, uascSpec } from '../charts.js';
import { DEFAULT_HORIZON, budgetsFrom } from '../derive.js';
import { count, esc, int, localTime, longMonth, money, pct } from '../format.js';
import { costTable, warningHtml } from '../tables.js';
import {
  announce,
  deleteCell,
  noteHtml,
  numberOrUndefined,
  onCreate,
  poll,
  readOnlyNote,
  runsTable,
  scrollBox,
  statusBadge,
  takeNote,
  view,
  wireDeletes,
} from '../ui.js';
import { headlineYear, REGION_WORDS as W, regionSummarySentence } from '../words.js';
import { comparisonsTable, wireComparisonDeletes } from './recent.js';

const range = (q) => `${count(q.p10)}–${count(q.p90)}`;
const moneyRange = (q) => `${money(q.p10)} to ${money(q.p90)}`;
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/** The most councils one page of GET /councils?region= holds (its limit's ceiling). */
const COUNCILS_PER_PAGE = 100;

/**
 * Each council's name from its profile where the caller may read it (a region's users: every council of the region;
 * a council's users: their own), else its code alone. One call per 100 councils of the region (GET /councils?region=,
 * paged in rota order), not one per council.
 */
async function councilNames(region) {
  const found = {};
  const pages = Math.ceil(region.councils.length / COUNCILS_PER_PAGE);
  let cursor;
  try {
    for (let i = 0; i < pages; i++) {
      const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await api(
        'GET',
        `/councils?region=${encodeURIComponent(region.id)}&limit=${COUNCILS_PER_PAGE}${after}`,
      );
      for (const c of page.items ?? []) found[c.code] = c.name;
      cursor = page.cursor;
      if (!cursor) break;
    }
  } catch {
    // the names are a courtesy: the codes alone still say which council is which
  }
  return Object.fromEntries(region.councils.map((c) => [c, found[c] ? `${found[c]} (${c})` : c]));
}

function councilsTable(region, names, own, ends) {
  const data = ends ? '<th scope="col">Data used by the newest regional forecast</th>' : '';
  return `<table id="region-councils"><caption>Councils of ${esc(region.name)}, in rota order</caption><thead><tr><th scope="col">Council</th><th scope="col">Place on the UASC rota</th>${data}</tr></thead><tbody>
    ${region.councils.map((c, i) => `<tr><th scope="row">${esc(names[c])}${c === own ? ' <span class="hint">(your council)</span>' : ''}</th><td>${i + 1}</td>${ends ? `<td>${ends[c] ? `data to ${esc(ends[c])}` : '–'}</td>` : ''}</tr>`).join('')}
  </tbody></table>`;
}

/**
 * The data end of the dataset each council's scenario came from in the newest regional forecast that says so (a
 * region's users read their councils' datasets by id; they do not list them).
 */
async function dataEnds(list) {
  const datasets = list.find((f) => f.datasets && Object.keys(f.datasets).length)?.datasets;
  if (!datasets) return undefined;
  const entries = await Promise.all(
    Object.entries(datasets).map(async ([code, id]) => {
      const d = await api('GET', `/datasets/${encodeURIComponent(id)}`).catch(() => undefined);
      return [code, d?.period?.end ?? d?.summary?.period?.end];
    }),
  );
  return Object.fromEntries(entries.filter(([, end]) => typeof end === 'string'));
}

/** The month after the latest data end: where a forecast from the councils' data starts. */
function monthAfter(date) {
  const [y, m] = date.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Is a council's figure an example value (its profile does not give it)? From the result's inputs and sources. */
const isExample = (council, path) => /^example/.test(String(council.inputs?.[path]?.source ?? ''));
const EXAMPLE = ' <span class="hint">(example figure)</span>';
const EXAMPLE_NOTE =
  '<p class="hint" id="example-note">An example figure is the Peterborough 2018 example value, used because the council’s profile does not give it (the notes below list every one): set it on the council’s profile.</p>';

/** Each council's own figures in the regional forecast, in one table. */
function perCouncilTable(result, names, year) {
  const last = result.months.length - 1;
  let anyExample = false;
  const rows = result.councilOrder.map((code) => {
    const c = result.councils[code];
    const f = c.cost.financialYears.find((y) => y.label === year) ?? headlineYear(c.cost.financialYears);
    const t = result.region.uasc?.transfersByCouncil?.[code]?.total;
    const example = f.budget !== undefined && isExample(c, `budgets.${f.label}`);
    anyExample ||= example;
    return `<tr><th scope="row">${esc(names[code] ?? code)}</th><td>${money(f.p50)}</td><td>${moneyRange(f)}</td><td>${money(f.budget)}${example ? EXAMPLE : ''}</td><td>${pct(f.pOverBudget)}</td><td>${count(c.population.total.p50[last])}</td><td>${t ? count(t.p50) : '–'}</td></tr>`;
  });
  const table = `<table id="region-per-council"><caption>Each council in ${esc(year)} (its own placement cost against its own budget) and at the end of ${esc(longMonth(result.months[last]))}</caption><thead><tr><th scope="col">Council</th><th scope="col">Cost, median</th><th scope="col">Cost, P10 to P90</th><th scope="col">Council budget</th><th scope="col">Chance over council budget</th><th scope="col">Children in care (median)</th><th scope="col">${esc(W.transfers)}, whole forecast (median)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return `${scrollBox(table)}${anyExample ? EXAMPLE_NOTE : ''}`;
}

function uascSection(result, names) {
  const u = result.region.uasc;
  if (!u)
    return `<section aria-labelledby="r-uasc-h"><h3 id="r-uasc-h">Unaccompanied asylum-seeking children</h3><p>This forecast has no regional rota: each council’s own UASC settings were used.</p></section>`;
  const last = result.months.length - 1;
  const arrivals = sum(u.arrivals.mean);
  const rows = result.councilOrder.map((code) => {
    const c = result.councils[code];
    const t = u.transfersByCouncil[code]?.total;
    return `<tr><th scope="row">${esc(names[code] ?? code)}</th><td>${t ? count(t.p50) : '–'}</td><td>${t ? range(t) : '–'}</td><td>${c.uasc ? count(c.uasc.count.p50[last]) : '–'}</td><td>${c.uasc ? count(c.uasc.threshold[last]) : '–'}${c.uasc && isExample(c, 'childPopulation.base') ? ' <span class="hint">(from an example child population)</span>' : ''}</td><td>${c.uasc ? pct(c.uasc.pOnRota[last]) : '–'}</td></tr>`;
  });
  rows.push(
    `<tr class="not-placed"><th scope="row">${esc(W.notPlaced)}</th><td>${count(u.notPlacedTotal.p50)}</td><td>${range(u.notPlacedTotal)}</td><td>–</td><td>–</td><td>–</td></tr>`,
  );
  const charts = result.councilOrder
    .filter((code) => result.councils[code].uasc)
    .map((code) =>
      figure(uascSpec(result.councils[code], undefined, `UASC in ${names[code] ?? code} against its threshold`)),
    );
  return `<section aria-labelledby="r-uasc-h"><h3 id="r-uasc-h">Unaccompanied asylum-seeking children: the regional rota</h3>
    <p>About <strong>${int.format(Math.round(arrivals))}</strong> transfers arrive through the rota over the forecast (mean); each goes, in rota order, to the next council below its ${esc(W.threshold)}.</p>
    ${scrollBox(`<table id="region-uasc"><caption>${esc(W.transfers)} by council over the whole forecast, against each council’s threshold at the end of ${esc(longMonth(result.months[last]))}</caption><thead><tr><th scope="col">Council</th><th scope="col">Transfers received (median)</th><th scope="col">Transfers, P10–P90</th><th scope="col">UASC in care (median)</th><th scope="col">${esc(W.threshold)}</th><th scope="col">Chance below the threshold (on the rota)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`)}
    <div class="charts">${charts.join('')}</div></section>`;
}

function sharedSection(result) {
  const s = result.region.shared;
  if (!s)
    return `<section aria-labelledby="r-shared-h"><h3 id="r-shared-h">Shared places</h3><p>This forecast has no places commissioned by the region together.</p></section>`;
  const pools = [
    ['residential', W.residential, s.residential],
    ['foster', W.foster, s.foster],
  ].filter(([, , p]) => p);
  const occupancy = (p) => {
    const used = sum(p.occupancy.p50);
    const places = sum(p.places.p50);
    return places > 0 ? used / places : undefined;
  };
  const years = s.saving.map((y) => y.label);
  const poolRows = pools.map(
    ([key, name, p]) =>
      `<tr data-pool="${key}"><th scope="row">${esc(name)}</th><td>${count(p.places.p50[0])}</td><td>${pct(occupancy(p))}</td>${p.cost.map((c) => `<td>${money(c.p50)}</td>`).join('')}</tr>`,
  );
  return `<section aria-labelledby="r-shared-h"><h3 id="r-shared-h">Shared places</h3>
    <table id="region-saving"><caption>${esc(W.sharedSaving)} by financial year (£)</caption><thead><tr><th scope="col">Financial year</th><th scope="col">Saving, median</th><th scope="col">Saving, P10 to P90</th></tr></thead><tbody>
      ${s.saving.map((y) => `<tr><th scope="row">${esc(y.label)}</th><td>${money(y.p50)}</td><td>${moneyRange(y)}</td></tr>`).join('')}
    </tbody></table>
    <p class="hint">${esc(W.sharedSavingNote)}</p>
    ${scrollBox(`<table id="region-shared"><caption>Shared places: places at the start, average occupancy (median children ÷ median places over the forecast) and block cost by financial year (median, £)</caption><thead><tr><th scope="col">Places</th><th scope="col">Places at the start</th><th scope="col">Average occupancy</th>${years.map((y) => `<th scope="col">Block cost ${esc(y)}</th>`).join('')}</tr></thead><tbody>${poolRows.join('')}</tbody></table>`)}
    <div class="charts">${pools.map(([, name, p]) => figure(sharedSpec(result.months, p, `${name}: children placed`))).join('')}</div></section>`;
}

function resultBlock(rf, names) {
  const r = rf.result;
  const years = r.region.cost.financialYears;
  const head = headlineYear(years);
  const asResult = { months: r.months, population: r.region.population, cost: r.region.cost };
  const warnings = r.warnings ?? [];
  return `<p class="meta">${int.format(r.runs)} runs · ${esc(longMonth(r.months[0]))} to ${esc(longMonth(r.months.at(-1)))} · made ${esc(localTime(rf.completedAt ?? rf.createdAt))}</p>
    <p class="lead" id="region-summary">${esc(regionSummarySentence(head, r.councilOrder.length))}</p>
    <section aria-labelledby="r-cost-h"><h3 id="r-cost-h">${esc(W.cost)}</h3>
      ${scrollBox(costTable(years, `${W.cost} by financial year (£, P10–P90 holds 8 in 10 simulated futures)`).replace('<table class="cost-table">', '<table class="cost-table" id="region-cost">'))}
      <p class="hint">${esc(W.costNote)}</p>
      <div class="charts">${figure(costSpec(asResult, { title: 'Regional placement cost by financial year' }))}${figure(childrenSpec(asResult, 'total', { title: W.children }))}</div>
    </section>
    <section aria-labelledby="r-each-h"><h3 id="r-each-h">Each council</h3>${perCouncilTable(r, names, head.label)}</section>
    ${uascSection(r, names)}
    ${sharedSection(r)}
    ${warnings.length ? `<details class="warnings"><summary>Notes from the forecast (${warnings.length})</summary><ul>${warnings.map((w) => `<li>${warningHtml(w)}</li>`).join('')}</ul></details>` : ''}`;
}

/**
 * The region's forecasts, newest first; a finance officer or commissioner gets an Action column with Delete (asking
 * first) on the forecasts they started (the API lets only the creator delete one).
 */
function recentTable(items) {
  if (!items.length) return '';
  return runsTable({
    id: 'region-recent',
    caption: 'Regional forecasts, newest first',
    columns: [{ head: 'Name' }, { head: 'Status' }, { head: 'Runs' }, { head: 'First month' }, { head: 'Made' }],
    items,
    cells: (f) => [
      `<a href="#/region/${encodeURIComponent(f.id)}">${esc(f.name)}</a>`,
      `${statusBadge(f.status)}${f.status === 'running' ? ` ${f.progress ?? 0}%` : ''}`,
      int.format(f.runs ?? 0),
      esc(longMonth(f.start)),
      esc(localTime(f.createdAt)),
    ],
    action: can(...ANALYSTS) ? (f) => deleteCell('data-delete-forecast', f, `regional forecast ${f.name}`) : undefined,
  });
}

/** The region's comparisons (a regional base against variants: docs/regions.md), each a link to its result. */
async function drawComparisons(note = '') {
  const el = document.getElementById('region-cmp');
  if (!el) return;
  const items = (await api('GET', '/comparisons?limit=10').catch(() => ({ items: [] }))).items ?? [];
  const said = noteHtml(note);
  el.innerHTML = items.length
    ? `<section aria-labelledby="r-cmp-h"><h3 id="r-cmp-h">Regional comparisons</h3>${comparisonsTable(items, { id: 'region-comparisons', caption: 'Comparisons against a regional base, newest first' })}${said}</section>`
    : said;
  wireComparisonDeletes(el, drawComparisons);
}

const monthNow = () => new Date().toISOString().slice(0, 7);
/** "2018-04" → "2018-03-01": the data end budgetsFrom counts the forecast's years from */
function dataEndBefore(start) {
  const [y, m] = start.split('-').map(Number);
  const i = y * 12 + (m - 1) - 1;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
}

function startForm(last, ends) {
  const latestEnd = Object.values(ends ?? {})
    .sort()
    .at(-1);
  const start = latestEnd ? monthAfter(latestEnd) : (last?.start ?? monthNow());
  if (!can(...ANALYSTS)) return readOnlyNote('start regional forecasts');
  return `<form class="form panel" id="region-form" novalidate>
    <p>Forecasts every council of the region together from its current dataset and profile. Leave a field empty to leave it out.</p>
    <div class="grid">
      <div class="field"><label for="r-name">Name</label><input id="r-name" name="name" type="text" maxlength="200" value="Regional forecast"></div>
      <div class="field"><label for="r-start">First forecast month <span class="hint">${latestEnd ? `the month after the councils’ data end (${esc(latestEnd)})` : 'usually the month after the councils’ data end'}</span></label><input id="r-start" name="start" type="month" required value="${esc(start)}"></div>
      <div class="field"><label for="r-horizon">Forecast length, months</label><input id="r-horizon" name="horizonMonths" type="number" min="12" max="120" step="1" value="${last?.horizonMonths ?? DEFAULT_HORIZON}" required></div>
      <div class="field"><label for="r-runs">Monte Carlo runs <span class="hint">more runs, steadier figures</span></label><input id="r-runs" name="runs" type="number" min="100" max="20000" step="100" value="1000" required></div>
      <div class="field"><label for="r-nts">UASC transfers to the region, per month <span class="hint">placed by the regional rota; empty: each council’s own settings</span></label><input id="r-nts" name="nts" type="number" min="0" max="1000" step="0.5"></div>
      <div class="field"><label for="r-beds">Shared residential beds</label><input id="r-beds" name="beds" type="number" min="0" max="10000" step="1"></div>
      <div class="field"><label for="r-bed-cost">Shared residential bed, £ per week</label><input id="r-bed-cost" name="bedCost" type="number" min="0" step="50"></div>
      <div class="field"><label for="r-hub">Shared fostering hub households at the start</label><input id="r-hub" name="hub" type="number" min="0" max="10000" step="1"></div>
      <div class="field"><label for="r-hub-recruit">Hub households recruited per year</label><input id="r-hub-recruit" name="hubRecruit" type="number" min="0" max="1000" step="1"></div>
      <div class="field"><label for="r-hub-cost">Shared foster place, £ per week</label><input id="r-hub-cost" name="hubCost" type="number" min="0" step="10"></div>
      <div class="field"><label for="r-budget">Regional placement budget, £ per year <span class="hint">the same for every year unless it rises</span></label><input id="r-budget" name="budget" type="number" min="0" step="100000"></div>
      <div class="field"><label for="r-budget-rise">Budget rise per year, %</label><input id="r-budget-rise" name="budgetRise" type="number" min="-50" max="100" step="0.5" value="0"></div>
    </div>
    <button type="submit">Start the regional forecast</button>
    <div id="region-out" aria-live="polite"></div>
  </form>`;
}

function requestFrom(form, region) {
  const n = (k) => numberOrUndefined(form, k);
  const start = form.elements.start.value;
  const horizonMonths = n('horizonMonths') ?? DEFAULT_HORIZON;
  const nts = n('nts');
  const beds = n('beds') ?? 0;
  const hub = n('hub') ?? 0;
  const hubRecruit = n('hubRecruit') ?? 0;
  const shared =
    beds > 0 || hub > 0 || hubRecruit > 0
      ? {
          residentialBeds: beds,
          ...(n('bedCost') !== undefined ? { weeklyCost: n('bedCost') } : {}),
          fosterHouseholds: hub,
          fosterRecruitmentPerYear: hubRecruit,
          ...(n('hubCost') !== undefined ? { fosterWeeklyCost: n('hubCost') } : {}),
        }
      : null;
  const budget = n('budget');
  return {
    name: form.elements.name.value.trim() || 'Regional forecast',
    start,
    horizonMonths,
    runs: n('runs') ?? 1000,
    councils: region.councils.map((code) => ({ code })),
    nts: nts !== undefined ? { regionalTransfersPerMonth: nts, rule: 'rota' } : null,
    shared,
    budgets:
      budget !== undefined && /^\d{4}-\d{2}$/.test(start)
        ? budgetsFrom(budget, n('budgetRise') ?? 0, dataEndBefore(start), horizonMonths)
        : {},
  };
}

/** What the Region page says when it has no complete regional forecast to show, and what to do about it. */
export function noForecastText(list, region) {
  if (list.length > 0)
    return 'No regional forecast has completed yet: the list below shows those queued, running or failed.';
  if (!region.councils.length) return 'No regional forecast yet.';
  return can(...ANALYSTS)
    ? 'No regional forecast yet: start one with the form below.'
    : 'No regional forecast yet: the region’s finance officers and commissioners start them, and they show here.';
}

/**
 * Wires the regional forecasts' Delete buttons in `root`: asks in the row, deletes, then draws the page again with
 * what happened — on the latest complete forecast when the one deleted was the one shown.
 */
function wireForecastDeletes(root, shownId) {
  wireDeletes(root, 'data-delete-forecast', {
    question: 'Delete this regional forecast and its result, for good?',
    remove: async (id) => {
      await api('DELETE', `/regional-forecasts/${encodeURIComponent(id)}`);
      const keep = id === shownId ? undefined : location.hash.startsWith('#/region/') ? shownId : undefined;
      if (!keep) history.replaceState(null, '', '#/region');
      await regionView(keep, 'Regional forecast deleted.');
    },
  });
}

export async function regionView(forecastId, note = takeNote()) {
  view().innerHTML = '<h2>Region</h2><p>Loading…</p>';
  const page = await api('GET', '/regions');
  const region = (page.items ?? [])[0];
  if (!region) {
    view().innerHTML = isRegionUser()
      ? `<h2>Region</h2><p id="region-unset">Your region (${esc(tenant().region)}) is not set up yet: councils join it by naming it on their own profiles, then the region’s data manager lists them. Its councils and regional forecasts appear here once it is.</p>`
      : '<h2>Region</h2><p>Your council is not in a region: regional forecasts appear here when it plans with other councils.</p>';
    return;
  }
  const names = await councilNames(region);
  const own = tenant().council;
  const title = `<h2>Region: ${esc(region.name)}</h2>`;
  if (!isRegionUser()) {
    view().innerHTML = `${title}${councilsTable(region, names, own)}
      <p>Regional forecasts are made and read by the region’s own users (its finance lead and commissioners), who see every council of the region together. Your council’s own forecast is on the <a href="#/forecast">Overview</a>.</p>`;
    return;
  }
  const recent = async () =>
    (await api('GET', '/regional-forecasts?limit=20').catch(() => ({ items: [] }))).items ?? [];
  const list = await recent();
  const ends = await dataEnds(list);
  const chosenId = forecastId ?? list.find((f) => f.status === 'complete')?.id;
  // drawn once: while a forecast runs only its status block changes, so the form keeps what is typed in it
  view().innerHTML = `${title}${noteHtml(note, 'region-note')}<div id="region-body">${chosenId ? '<p>Loading…</p>' : `<p id="region-none">${esc(noForecastText(list, region))}</p>`}</div>
    <section aria-labelledby="r-councils-h"><h3 id="r-councils-h">Councils</h3>${region.councils.length ? councilsTable(region, names, undefined, ends) : `<p id="region-empty">${esc(region.name)} has no councils: every council on its list has left it. A council joins by naming the region on its profile; then the region’s data manager lists it.${list.length ? ' Its earlier regional forecasts are kept below.' : ''}</p>`}</section>
    ${region.councils.length ? `<section aria-labelledby="r-start-h"><h3 id="r-start-h">Start a regional forecast</h3>${startForm(list[0], ends)}</section>` : ''}
    <div id="region-forecasts">${recentTable(list)}</div>
    <div id="region-cmp"></div>`;
  const recentBox = document.getElementById('region-forecasts');
  wireForecastDeletes(recentBox, chosenId);
  await drawComparisons();
  if (document.getElementById('region-form'))
    onCreate('#region-form', '#region-out', async (form) => {
      const created = await api('POST', '/regional-forecasts', requestFrom(form, region));
      return `#/region/${encodeURIComponent(created.id)}`;
    });
  if (!chosenId) return;
  const body = document.getElementById('region-body');
  poll(async () => {
    const rf = await api('GET', `/regional-forecasts/${encodeURIComponent(chosenId)}`);
    announce(`Regional forecast ${rf.name}: ${rf.status}`);
    if (rf.status !== 'complete') {
      const going = rf.status === 'queued' || rf.status === 'running';
      body.innerHTML = `<p id="region-status">Regional forecast “${esc(rf.name)}”: ${statusBadge(rf.status)} ${going ? `<progress max="100" value="${rf.progress ?? 0}" aria-label="progress">${rf.progress ?? 0}%</progress> ${rf.progress ?? 0}%` : ''}</p>${rf.reason ? `<p class="error">${esc(rf.reason)}</p>` : ''}`;
      return going;
    }
    body.innerHTML = `<p class="source">Showing <strong>regional forecast “${esc(rf.name)}”</strong>.</p>${resultBlock(rf, names)}`;
    if (list.find((f) => f.id === rf.id)?.status !== 'complete') {
      recentBox.innerHTML = recentTable(await recent());
      wireForecastDeletes(recentBox, chosenId);
    }
    return false;
  });
}
