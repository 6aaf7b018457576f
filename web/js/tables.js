// Tables of a forecast result: cost by financial year and children at the horizon.
import { count, esc, LABELS, money, pct } from './format.js';

export function costTable(years, caption = 'Cost by financial year') {
  return `<table><caption>${esc(caption)}</caption><thead><tr><th scope="col">Financial year</th><th scope="col">P10</th><th scope="col">P50</th><th scope="col">P90</th><th scope="col">Budget</th><th scope="col">Chance over budget</th></tr></thead><tbody>
    ${years.map((f) => `<tr><th scope="row">${esc(f.label)}${f.partial ? ` <span class="hint">(${f.months} months)</span>` : ''}</th><td>${money(f.p10)}</td><td>${money(f.p50)}</td><td>${money(f.p90)}</td><td>${money(f.budget)}</td><td>${pct(f.pOverBudget)}</td></tr>`).join('')}
  </tbody></table>`;
}

export function horizonTable(result) {
  const last = result.months.length - 1;
  const keys = Object.keys(LABELS).filter((k) => result.population[k]);
  return `<table><caption>Children in care at ${esc(result.months[last])} (P50, with P10–P90)</caption><thead><tr><th scope="col">Placement</th><th scope="col">P50</th><th scope="col">P10–P90</th></tr></thead><tbody>
    ${keys
      .map((k) => {
        const q = result.population[k];
        return `<tr><th scope="row">${esc(LABELS[k])}</th><td>${count(q.p50[last])}</td><td>${count(q.p10[last])}–${count(q.p90[last])}</td></tr>`;
      })
      .join('')}
  </tbody></table>`;
}
