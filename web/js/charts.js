// Charts drawn in the browser (forecasts, comparisons, goal-seek curves); scenario charts come from the API as SVG.
import { esc, int, niceTicks, one, pct, shortMoney } from './format.js';

export const SVG_NS = 'http://www.w3.org/2000/svg';

export function fanChart({ title, labels, bands, budget, moneyAxis, yLabel }) {
  const W = 760,
    H = 380,
    m = { t: 40, r: 20, b: 52, l: 84 };
  const n = labels.length;
  const ticks = niceTicks(
    Math.max(1, ...bands.p90, ...(budget ?? []).filter((b) => b !== undefined && b !== null)) * 1.05,
  );
  const ymax = ticks[ticks.length - 1];
  const x = (i) => m.l + (n <= 1 ? 0 : (i * (W - m.l - m.r)) / (n - 1));
  const y = (v) => H - m.b - (v / ymax) * (H - m.t - m.b);
  const area = (lo, hi) =>
    `M${labels.map((_, i) => `${x(i)},${y(hi[i])}`).join('L')}L${labels.map((_, i) => `${x(n - 1 - i)},${y(lo[n - 1 - i])}`).join('L')}Z`;
  const lineD = (vals) => `M${vals.map((v, i) => `${x(i)},${y(v)}`).join('L')}`;
  const fmt = moneyAxis ? shortMoney : (v) => int.format(v);
  const every = Math.max(1, Math.ceil(n / 6));
  const budgetPts = (budget ?? []).map((b, i) => (b === undefined || b === null ? null : [i, b])).filter(Boolean);
  return `<svg xmlns="${SVG_NS}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">
    <title>${esc(title)}</title>
    <text x="${m.l}" y="22" font-size="20" font-weight="bold">${esc(title)}</text>
    ${ticks.map((t) => `<line x1="${m.l}" x2="${W - m.r}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e5e5"/><text x="${m.l - 6}" y="${y(t) + 5}" text-anchor="end" font-size="15" fill="#333">${esc(fmt(t))}</text>`).join('')}
    ${labels.map((l, i) => (i % every === 0 || (i === n - 1 && i % every >= every * 0.75) ? `<text x="${x(i)}" y="${H - m.b + 20}" text-anchor="middle" font-size="15" fill="#333">${esc(l)}</text>` : '')).join('')}
    <text transform="translate(16 ${(H - m.b + m.t) / 2}) rotate(-90)" text-anchor="middle" font-size="15" fill="#333">${esc(yLabel ?? '')}</text>
    <path d="${area(bands.p10, bands.p90)}" fill="#9ecae1" fill-opacity=".7"/>
    <path d="${area(bands.p25, bands.p75)}" fill="#4292c6" fill-opacity=".7"/>
    <path d="${lineD(bands.p50)}" fill="none" stroke="#08306b" stroke-width="2"/>
    ${budgetPts.length ? `<path d="M${budgetPts.map(([i, b]) => `${x(i)},${y(b)}`).join('L')}" fill="none" stroke="#b30000" stroke-width="2" stroke-dasharray="6 4"/>` : ''}
    ${budgetPts.map(([i, b]) => `<circle cx="${x(i)}" cy="${y(b)}" r="3" fill="#b30000"/>`).join('')}
  </svg>`;
}

/** Saving against the base by variant: the mean and the P10–P90 range of the paired difference. */
export function savingChart(summary) {
  const vs = summary.variants.filter((v) => v.saving);
  const W = 760,
    H = 340,
    m = { t: 36, r: 16, b: 64, l: 80 };
  if (vs.length === 0) return '';
  const lo0 = Math.min(0, ...vs.map((v) => v.saving.horizon.p10));
  const hi0 = Math.max(0, ...vs.map((v) => v.saving.horizon.p90));
  const tickStep = niceTicks(hi0 - lo0 || 1, 5)[1];
  const lo = Math.floor(lo0 / tickStep) * tickStep;
  const hi = Math.ceil(hi0 / tickStep) * tickStep;
  const span = hi - lo || 1;
  const y = (v) => H - m.b - ((v - lo) / span) * (H - m.t - m.b);
  const step = (W - m.l - m.r) / vs.length;
  const x = (i) => m.l + step * (i + 0.5);
  const ticks = [];
  for (let t = lo; t <= hi + tickStep / 2; t += tickStep) ticks.push(t);
  return `<svg xmlns="${SVG_NS}" viewBox="0 0 ${W} ${H}" role="img" aria-label="Saving against the base over the forecast, by variant" data-testid="comparison-chart">
    <title>Saving against the base over the forecast, by variant</title>
    <text x="${m.l}" y="20" font-size="18" font-weight="bold">Saving against the base, whole forecast (mean, P10–P90)</text>
    ${ticks.map((t) => `<line x1="${m.l}" x2="${W - m.r}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e5e5"/><text x="${m.l - 6}" y="${y(t) + 4}" text-anchor="end" font-size="14" fill="#444">${esc(shortMoney(t))}</text>`).join('')}
    <line x1="${m.l}" x2="${W - m.r}" y1="${y(0)}" y2="${y(0)}" stroke="#444"/>
    ${vs
      .map((v, i) => {
        const s = v.saving.horizon;
        const top = y(Math.max(0, s.mean));
        const h = Math.abs(y(s.mean) - y(0));
        return `<g class="bar"><rect x="${x(i) - step * 0.3}" y="${top}" width="${step * 0.6}" height="${Math.max(1, h)}" fill="${s.mean >= 0 ? '#4292c6' : '#d6604d'}"/>
        <line x1="${x(i)}" x2="${x(i)}" y1="${y(s.p10)}" y2="${y(s.p90)}" stroke="#08306b" stroke-width="2"/>
        <line x1="${x(i) - 6}" x2="${x(i) + 6}" y1="${y(s.p10)}" y2="${y(s.p10)}" stroke="#08306b" stroke-width="2"/>
        <line x1="${x(i) - 6}" x2="${x(i) + 6}" y1="${y(s.p90)}" y2="${y(s.p90)}" stroke="#08306b" stroke-width="2"/>
        <text x="${x(i)}" y="${H - m.b + 16}" text-anchor="middle" font-size="14" fill="#222">${esc(v.value ?? v.name)}</text></g>`;
      })
      .join('')}
  </svg>`;
}

export function curveChart(answer, goal) {
  const pts = answer.curve;
  const W = 760,
    H = 320,
    m = { t: 36, r: 16, b: 48, l: 80 };
  const xs = pts.map((p) => p.value),
    ys = pts.map((p) => p.metric);
  const x0 = Math.min(...xs),
    x1 = Math.max(...xs) || 1;
  const ymax = Math.max(goal.atMost, ...ys) * 1.1 || 1;
  const x = (v) => m.l + ((v - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const y = (v) => H - m.b - (v / ymax) * (H - m.t - m.b);
  const fmt = goal.metric === 'pOverBudget' ? pct : goal.metric === 'cost' ? shortMoney : (v) => one.format(v);
  return `<svg xmlns="${SVG_NS}" viewBox="0 0 ${W} ${H}" role="img" aria-label="The goal's measure at each value tried">
    <title>The goal's measure at each value tried</title>
    ${[0, 0.5, 1].map((k) => `<text x="${m.l - 6}" y="${y(k * ymax) + 4}" text-anchor="end" font-size="14">${esc(fmt(k * ymax))}</text><line x1="${m.l}" x2="${W - m.r}" y1="${y(k * ymax)}" y2="${y(k * ymax)}" stroke="#e5e5e5"/>`).join('')}
    <line x1="${m.l}" x2="${W - m.r}" y1="${y(goal.atMost)}" y2="${y(goal.atMost)}" stroke="#b30000" stroke-dasharray="6 4" stroke-width="2"/>
    <path d="M${pts.map((p) => `${x(p.value)},${y(p.metric)}`).join('L')}" fill="none" stroke="#08306b" stroke-width="2"/>
    ${pts.map((p) => `<circle cx="${x(p.value)}" cy="${y(p.metric)}" r="4" fill="${p.meets ? '#1d6b2e' : '#08306b'}"/><text x="${x(p.value)}" y="${H - m.b + 16}" text-anchor="middle" font-size="14">${esc(p.value)}</text>`).join('')}
  </svg>`;
}

export function clientCharts(result) {
  const years = result.cost.financialYears;
  return `<div class="charts">
    <div class="chart">${fanChart({ title: 'All children in care', labels: result.months, bands: result.population.total, yLabel: 'children' })}</div>
    <div class="chart">${fanChart({ title: 'Residential', labels: result.months, bands: result.population.residential, yLabel: 'children' })}</div>
    <div class="chart">${fanChart({ title: 'Cost by financial year', labels: years.map((f) => f.label), bands: { p10: years.map((f) => f.p10), p25: years.map((f) => f.p25), p50: years.map((f) => f.p50), p75: years.map((f) => f.p75), p90: years.map((f) => f.p90) }, budget: years.map((f) => f.budget), moneyAxis: true, yLabel: '£ per year' })}</div>
  </div>`;
}
