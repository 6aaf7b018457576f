// The form that runs a new scenario from the newest dataset.
import { ANALYSTS, api, can } from '../api.js';
import { latestForecastInputs } from '../baseline.js';
import { budgetsFrom, DEFAULT_HORIZON } from '../derive.js';
import { newestDatasetId, numberOrUndefined, onCreate, readOnlyNote, RUNS_FIELD, view } from '../ui.js';

export function newScenarioView() {
  if (!can(...ANALYSTS)) {
    view().innerHTML = `<h2>Run a new scenario</h2>${readOnlyNote('run scenarios')}<p><a href="#/scenarios">Read the scenarios others have run</a>.</p>`;
    return;
  }
  view().innerHTML = `<h2>Run a new scenario</h2>
  <p>Starts from the newest dataset and the council's defaults; leave a field empty to keep its default.</p>
  <form class="form panel" id="new-form" novalidate>
    <div class="grid">
      <div class="field"><label for="f-name">Name</label><input id="f-name" name="name" type="text" maxlength="200" value="Budget scenario"></div>
      ${RUNS_FIELD}
      <div class="field"><label for="f-horizon">Forecast length, months <span class="hint">from the month after the data end</span></label><input id="f-horizon" name="horizonMonths" type="number" min="12" max="120" step="1" value="${DEFAULT_HORIZON}" required></div>
      <div class="field"><label for="f-recruit">New in-house carer households per year</label><input id="f-recruit" name="recruitmentPerYear" type="number" min="0" max="200" step="1" placeholder="default"></div>
      <div class="field"><label for="f-inhouse">In-house fostering, £ per week</label><input id="f-inhouse" name="inHouseFoster" type="number" min="0" step="10" placeholder="default"></div>
      <div class="field"><label for="f-agency">Agency fostering, £ per week</label><input id="f-agency" name="agencyFoster" type="number" min="0" step="10" placeholder="default"></div>
      <div class="field"><label for="f-resi">Residential, typical £ per week</label><input id="f-resi" name="residential" type="number" min="0" step="100" placeholder="default"></div>
      <div class="field"><label for="f-budget">Placement budget, £ per year <span class="hint">the same for every year unless it rises</span></label><input id="f-budget" name="budget" type="number" min="0" step="100000" placeholder="default"></div>
      <div class="field"><label for="f-budget-rise">Budget rise per year, %</label><input id="f-budget-rise" name="budgetRise" type="number" min="-50" max="100" step="0.5" value="0"></div>
      <div class="field"><label for="f-uasc">UASC threshold, % of children aged 0–17 <span class="hint">one rate for the whole forecast (the rule: 0.07, and 0.1 from Aug 2022)</span></label><input id="f-uasc" name="uascRate" type="number" min="0" max="1" step="0.01" placeholder="default"></div>
      <div class="field"><label for="f-entries">Entries multiplier <span class="hint">1 = as estimated from the data</span></label><input id="f-entries" name="entriesMultiplier" type="number" min="0" max="5" step="0.05" placeholder="1"></div>
    </div>
    <button type="submit">Run scenario</button>
    <div id="new-out" aria-live="polite"></div>
  </form>`;
  showDefaults();
  onCreate('#new-form', '#new-out', async (form) => {
    const datasetId = await newestDatasetId();
    const horizon = numberOrUndefined(form, 'horizonMonths') ?? DEFAULT_HORIZON;
    const overrides = { name: form.elements.name.value || 'Scenario', runs: numberOrUndefined(form, 'runs') ?? 1000 };
    if (horizon !== DEFAULT_HORIZON) overrides.horizonMonths = horizon;
    const recruit = numberOrUndefined(form, 'recruitmentPerYear');
    if (recruit !== undefined) overrides.capacity = { recruitmentPerYear: recruit };
    const weekly = {};
    for (const k of ['inHouseFoster', 'agencyFoster']) {
      const v = numberOrUndefined(form, k);
      if (v !== undefined) weekly[k] = v;
    }
    const resi = numberOrUndefined(form, 'residential');
    // a typical figure with the seed paper's spread: "start at around £3,000 … £6,000 and above, typical £4,000"
    if (resi !== undefined) weekly.residential = { min: resi * 0.75, mode: resi, max: resi * 1.5 };
    if (Object.keys(weekly).length) overrides.costs = { weekly };
    const budget = numberOrUndefined(form, 'budget');
    if (budget !== undefined)
      overrides.budgets = budgetsFrom(
        budget,
        numberOrUndefined(form, 'budgetRise') ?? 0,
        await datasetStart(datasetId),
        horizon,
      );
    const uasc = numberOrUndefined(form, 'uascRate');
    if (uasc !== undefined) overrides.uasc = { thresholds: [{ from: '2000-01-01', rate: uasc / 100 }] };
    const mult = numberOrUndefined(form, 'entriesMultiplier');
    if (mult !== undefined) overrides.entries = { multiplier: mult };
    const created = await api('POST', '/scenarios', datasetId ? { datasetId, overrides } : overrides);
    return `#/scenarios/${encodeURIComponent(created.id)}`;
  });
}

/** The forecast starts the month after the dataset ends. */
export async function datasetStart(datasetId) {
  if (!datasetId) return undefined;
  const d = await api('GET', `/datasets/${encodeURIComponent(datasetId)}`).catch(() => undefined);
  return d?.period?.end ?? d?.summary?.period?.end;
}

/** The empty fields' defaults as their placeholders ("default: 12"), from what the latest monthly forecast used. */
async function showDefaults() {
  const inputs = await latestForecastInputs();
  const form = document.getElementById('new-form');
  if (!form) return;
  const whole = (v) => (typeof v === 'number' ? Math.round(v).toLocaleString('en-GB') : undefined);
  const set = (name, v) => {
    if (v !== undefined && form.elements[name]) form.elements[name].placeholder = `default: ${v}`;
  };
  set('recruitmentPerYear', whole(inputs['capacity.recruitmentPerYear']));
  set('inHouseFoster', whole(inputs['costs.weekly.inHouseFoster']));
  set('agencyFoster', whole(inputs['costs.weekly.agencyFoster']));
  const resi = inputs['costs.weekly.residential'];
  set('residential', whole(typeof resi === 'number' ? resi : resi?.mode));
  const firstBudget = Object.keys(inputs)
    .filter((k) => /^budgets\.\d{4}\/\d{2}$/.test(k))
    .sort()[0];
  const b = firstBudget ? inputs[firstBudget] : undefined;
  set('budget', whole(typeof b === 'number' ? b : b?.net));
}
