// Which forecast a role view reads: one the user picked (#/finance/<scenario id>), else the latest complete monthly
// forecast, else the newest complete scenario. Each comes labelled by its data ("data to 31 Mar 2018").
import { api } from './api.js';
import { esc, localTime, longMonth } from './format.js';

async function latestForecast() {
  const page = await api('GET', '/forecasts').catch(() => ({ items: [] }));
  const items = page.items ?? page ?? [];
  for (const f of items) {
    if (f.status && f.status !== 'complete') continue;
    const full = await api('GET', `/forecasts/${encodeURIComponent(f.month ?? f.id)}`);
    if (full.result)
      return {
        kind: 'forecast',
        id: full.month ?? f.month,
        title: `Monthly forecast ${longMonth(full.month ?? f.month)}`,
        label: full.label ?? (full.dataEnd ? `data to ${full.dataEnd}` : ''),
        record: full,
        result: full.result,
        others: items,
      };
  }
  return undefined;
}

async function scenario(id) {
  const s = await api('GET', `/scenarios/${encodeURIComponent(id)}`);
  if (s.status !== 'complete' || !s.result) return undefined;
  return {
    kind: 'scenario',
    id,
    title: `Scenario “${s.name ?? id}”`,
    label: `${s.datasetId ? 'from the newest dataset' : 'own inputs'}, made ${localTime(s.completedAt ?? s.createdAt)}`,
    record: s,
    result: s.result,
  };
}

export async function completeScenarios(limit = 50) {
  const page = await api('GET', `/scenarios?limit=${limit}`);
  return (page.items ?? []).filter((s) => s.status === 'complete');
}

/**
 * What the latest monthly forecast was run with, by input path (`capacity.recruitmentPerYear` → its value): the
 * figures a form's empty fields fall back to, so the form can say them. Empty when there is no monthly forecast.
 */
export async function latestForecastInputs() {
  const f = await latestForecast().catch(() => undefined);
  const out = {};
  for (const [k, v] of Object.entries(f?.result?.inputs ?? {})) out[k] = v?.value;
  return out;
}

/** The forecast a role view shows, or undefined when nothing has been run yet. */
export async function loadBaseline(scenarioId) {
  if (scenarioId) return scenario(scenarioId);
  const f = await latestForecast();
  if (f) return f;
  const [newest] = await completeScenarios(5);
  return newest ? scenario(newest.id) : undefined;
}

/** A line naming what the page shows, with a picker of complete scenarios to show instead. */
export async function baselinePicker(base, route) {
  const list = await completeScenarios(30).catch(() => []);
  const options = list
    .map(
      (s) =>
        `<option value="${esc(s.id)}"${base.kind === 'scenario' && base.id === s.id ? ' selected' : ''}>${esc(s.name ?? s.id)} (${esc(localTime(s.createdAt))})</option>`,
    )
    .join('');
  return `<div class="source"><p>Showing <strong>${esc(base.title)}</strong>${base.label ? ` — ${esc(base.label)}` : ''}.</p>
    ${list.length ? `<label for="source-pick">Show instead</label> <select id="source-pick" data-route="${esc(route)}"><option value="">the latest monthly forecast</option>${options}</select>` : ''}</div>`;
}

export function wirePicker() {
  const pick = document.getElementById('source-pick');
  pick?.addEventListener('change', () => {
    location.hash = pick.value
      ? `#/${pick.dataset.route}/${encodeURIComponent(pick.value)}`
      : `#/${pick.dataset.route}`;
  });
}
