// Tables of a forecast result: cost by financial year, children at the horizon, the mix, warnings and inputs.
import { count, esc, LABELS, longMonth, money, pct } from './format.js';
import { formatInput, inputLabel, warningParts } from './input-labels.js';

/** A warning as HTML: each input it names by its plain label, the input's path small beside it for analysts. */
export function warningHtml(text) {
  return warningParts(text)
    .map((p) => (p.path ? `${esc(p.text)} <code class="input-path">${esc(p.path)}</code>` : esc(p.text)))
    .join('');
}

const fyHead = (f) => `${esc(f.label)}${f.partial ? ` <span class="hint">(${f.months} months)</span>` : ''}`;

export function costTable(years, caption = 'Cost by financial year (£, P10–P90 holds 8 in 10 simulated futures)') {
  return `<table class="cost-table"><caption>${esc(caption)}</caption><thead><tr><th scope="col">Financial year</th><th scope="col">P10</th><th scope="col">P50 (median)</th><th scope="col">P90</th><th scope="col">Budget</th><th scope="col">Chance over budget</th></tr></thead><tbody>
    ${years.map((f) => `<tr><th scope="row">${fyHead(f)}</th><td>${money(f.p10)}</td><td>${money(f.p50)}</td><td>${money(f.p90)}</td><td>${money(f.budget)}</td><td>${pct(f.pOverBudget)}</td></tr>`).join('')}
  </tbody></table>`;
}

export function horizonTable(result) {
  const last = result.months.length - 1;
  const keys = Object.keys(LABELS).filter((k) => result.population[k]);
  return `<table><caption>Children in care at the end of ${esc(longMonth(result.months[last]))} (median, with P10–P90)</caption><thead><tr><th scope="col">Placement</th><th scope="col">P50 (median)</th><th scope="col">P10–P90</th></tr></thead><tbody>
    ${keys
      .map((k) => {
        const q = result.population[k];
        return `<tr><th scope="row">${esc(LABELS[k])}</th><td>${count(q.p50[last])}</td><td>${count(q.p10[last])}–${count(q.p90[last])}</td></tr>`;
      })
      .join('')}
  </tbody></table>`;
}

/** The mix: children by placement (median) and their share, at the start and at the horizon. */
export function mixTable(result) {
  const last = result.months.length - 1;
  const keys = Object.keys(LABELS).filter((k) => k !== 'total' && result.population[k]);
  const tot0 = result.population.total.p50[0] || 1;
  const totN = result.population.total.p50[last] || 1;
  return `<table class="mix-table"><caption>Placement mix (median children; share of all children)</caption><thead><tr><th scope="col">Placement</th><th scope="col">${esc(longMonth(result.months[0]))}</th><th scope="col">Share</th><th scope="col">${esc(longMonth(result.months[last]))}</th><th scope="col">Share</th></tr></thead><tbody>
    ${keys
      .map((k) => {
        const q = result.population[k].p50;
        return `<tr><th scope="row">${esc(LABELS[k])}</th><td>${count(q[0])}</td><td>${pct(q[0] / tot0)}</td><td>${count(q[last])}</td><td>${pct(q[last] / totN)}</td></tr>`;
      })
      .join('')}
  </tbody></table>`;
}

export function warningsBlock(result) {
  const w = result.warnings ?? [];
  return w.length
    ? `<section class="warnings" aria-labelledby="warn-h"><h3 id="warn-h">Warnings</h3><ul>${w.map((x) => `<li>${warningHtml(typeof x === 'string' ? x : (x.message ?? JSON.stringify(x)))}</li>`).join('')}</ul></section>`
    : '';
}

/** Inputs with their sources, when the result carries them (`inputs`: value + source per figure). */
export function inputsTable(result) {
  const rows = [];
  const walk = (o, path) => {
    if (!o || typeof o !== 'object') return;
    if ('value' in o && 'source' in o) {
      const src =
        typeof o.source === 'string' ? o.source : (o.source?.label ?? o.source?.kind ?? JSON.stringify(o.source));
      rows.push([path, formatInput(path, o.value), src]);
      return;
    }
    for (const [k, v] of Object.entries(o)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(result.inputs, '');
  if (!rows.length) return '';
  return `<table class="inputs-table"><caption>Inputs and where they came from</caption><thead><tr><th scope="col">Input</th><th scope="col">Value</th><th scope="col">Source</th></tr></thead><tbody>
    ${rows.map(([p, v, s]) => `<tr><th scope="row">${esc(inputLabel(p).label)}${inputLabel(p).known ? ` <code class="input-path">${esc(p)}</code>` : ''}</th><td>${esc(v)}</td><td>${esc(s)}</td></tr>`).join('')}</tbody></table>`;
}

/** What the runs drew beyond Monte Carlo noise (uncertain inputs, entry drift, sibling groups), when anything was. */
export function uncertaintyBlock(result) {
  const u = result.uncertainty;
  if (!u) return '';
  const items = [
    ...(u.inputs?.length
      ? [
          `Inputs given as ranges, drawn once per simulated future: ${u.inputs.map((p) => `${esc(inputLabel(p).label)}${inputLabel(p).known ? ` <code class="input-path">${esc(p)}</code>` : ''}`).join('; ')}.`,
        ]
      : []),
    ...(u.parameters ? ['Entry, move and exit rates drawn from their estimated uncertainty in each future.'] : []),
    ...(u.entryDrift?.sdPerYear === 0
      ? [
          u.entryDrift.basis
            ? `${esc(u.entryDrift.basis[0].toUpperCase() + u.entryDrift.basis.slice(1))}.`
            : 'No entry drift.',
        ]
      : u.entryDrift
        ? [
            `Entry rates drift by ${esc((u.entryDrift.sdPerYear * 100).toFixed(1))}% a year (standard deviation)${u.entryDrift.basis ? `: ${esc(u.entryDrift.basis)}` : ''}.`,
          ]
        : []),
    ...(u.entryGroups
      ? [
          `Children arrive in sibling groups of ${esc(u.entryGroups.meanSize.toFixed(2))} on average${u.entryGroups.basis ? ` (${esc(u.entryGroups.basis)})` : ''}.`,
        ]
      : []),
  ];
  return items.length
    ? `<section aria-labelledby="unc-h"><h3 id="unc-h">Uncertainty included in the bands</h3><ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul></section>`
    : '';
}
