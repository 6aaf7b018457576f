// Figures derived from a forecast result for the role views: budget holders, the change from an earlier forecast
// broken into numbers, mix and unit costs, and "now" (this financial year and the budget position to date).
// Pure functions of their arguments (no DOM, no network; "today" is passed in).
import { financialYearOf, monthsOfYear } from './format.js';

/** Who holds the budget for each placement: the external placements budget or the in-house fostering service. */
export const BUDGET_HOLDERS = {
  external: {
    name: 'External placements',
    categories: ['agencyFoster', 'residential', 'supported', 'secure', 'other'],
  },
  inHouse: {
    name: 'In-house service',
    categories: ['inHouseFoster', 'kinship', 'withParents', 'placedForAdoption'],
  },
};

/** Mean cost of a financial year by budget holder (means add up; quantiles do not). */
export function byBudgetHolder(fy) {
  const out = {};
  for (const [k, h] of Object.entries(BUDGET_HOLDERS))
    out[k] = h.categories.reduce((a, c) => a + (fy.byCategory?.[c]?.mean ?? 0), 0);
  return out;
}

/** Gross, grant and net for a year when the result carries them (council profiles add them); undefined otherwise. */
export function grossNet(fy) {
  const gross = fy.gross?.p50 ?? fy.gross ?? undefined;
  // the engine writes grant income as `grantIncome` (mean and quantiles over runs); `grant` is kept for older results
  const income = fy.grantIncome ?? fy.grant;
  const grant = income?.mean ?? income?.p50 ?? income ?? undefined;
  const net = fy.net?.p50 ?? fy.net ?? undefined;
  if (typeof net !== 'number' && typeof grant !== 'number') return undefined;
  return {
    gross: typeof gross === 'number' ? gross : fy.p50,
    grant: typeof grant === 'number' ? grant : 0,
    net: typeof net === 'number' ? net : typeof grant === 'number' ? fy.p50 - grant : undefined,
  };
}

/**
 * Child-months and cost per category in one financial year of a result (means over runs); undefined when the
 * year is not (wholly) in the forecast.
 */
function yearMix(result, label) {
  const fy = result.cost.financialYears.find((f) => f.label === label);
  if (!fy) return undefined;
  const wanted = new Set(monthsOfYear(label));
  const idx = result.months.map((m, i) => (wanted.has(m) ? i : -1)).filter((i) => i >= 0);
  if (!idx.length) return undefined;
  const cats = Object.keys(fy.byCategory ?? {});
  const months = {};
  const cost = {};
  for (const c of cats) {
    months[c] = idx.reduce((a, i) => a + (result.population[c]?.mean?.[i] ?? 0), 0);
    cost[c] = fy.byCategory[c]?.mean ?? 0;
  }
  return { fy, months, cost, cats, monthsInYear: idx.length };
}

/**
 * The change in a year's mean cost from an earlier forecast to this one, split three ways (sequentially, so the parts
 * add up to the whole): numbers (more or fewer child-months at the old mix and unit costs), mix (the new numbers
 * spread differently across placements at the old unit costs), unit costs (what each child-month now costs).
 */
export function changeDrivers(current, earlier, label) {
  const a = yearMix(earlier, label);
  const b = yearMix(current, label);
  if (!a || !b || a.monthsInYear !== b.monthsInYear) return undefined;
  const cats = [...new Set([...a.cats, ...b.cats])];
  const sum = (o) => cats.reduce((s, c) => s + (o[c] ?? 0), 0);
  const n0 = sum(a.months);
  const n1 = sum(b.months);
  if (!(n0 > 0) || !(n1 > 0)) return undefined;
  const unit = (m, c) => ((m.months[c] ?? 0) > 0 ? (m.cost[c] ?? 0) / m.months[c] : 0);
  const share = (m, n, c) => (m.months[c] ?? 0) / n;
  const avg0 = cats.reduce((s, c) => s + share(a, n0, c) * unit(a, c), 0);
  const numbers = (n1 - n0) * avg0;
  const mix = n1 * cats.reduce((s, c) => s + (share(b, n1, c) - share(a, n0, c)) * unit(a, c), 0);
  const unitCosts = n1 * cats.reduce((s, c) => s + share(b, n1, c) * (unit(b, c) - unit(a, c)), 0);
  const before = sum(a.cost);
  const after = sum(b.cost);
  return { label, before, after, change: after - before, numbers, mix, unitCosts, childMonths: [n0, n1] };
}

/**
 * "Now" for a forecast: the financial year holding today, how far into it we are, and what the forecast says of it.
 * When today is outside the forecast (an old forecast, or demo data), the first year of the forecast stands in and
 * `inForecast` is false so the page can say so.
 */
export function nowOf(result, today) {
  const month = today.toISOString().slice(0, 7);
  const thisYear = financialYearOf(month);
  const fyIndex = result.cost.financialYears.findIndex((f) => f.label === thisYear);
  const inForecast = fyIndex >= 0;
  const fy = inForecast ? result.cost.financialYears[fyIndex] : result.cost.financialYears[0];
  const months = monthsOfYear(fy.label);
  const elapsed = inForecast ? months.filter((m) => m < month).length : 0;
  // the forecast's monthly cost for the months of the year already gone that the forecast covers
  const costToDate = months
    .filter((m) => m < month)
    .map((m) => result.months.indexOf(m))
    .filter((i) => i >= 0)
    .reduce((a, i) => a + (result.cost.monthly.total.mean[i] ?? 0), 0);
  const budgetToDate = fy.budget !== undefined ? (fy.budget * elapsed) / 12 : undefined;
  return {
    today: month,
    thisYear,
    inForecast,
    fy,
    fyIndex: inForecast ? fyIndex : 0,
    elapsed,
    costToDate,
    budgetToDate,
  };
}

/** The first financial year wholly inside a forecast starting the month after `dataEnd` (a "YYYY-MM-DD"). */
export function firstWholeYearAfter(dataEnd) {
  const [y, m] = String(dataEnd).split('-').map(Number);
  const startYear = m === 12 ? y + 1 : y;
  const startMonth = m === 12 ? 1 : m + 1;
  const fy = startMonth === 4 ? startYear : startMonth > 4 ? startYear + 1 : startYear;
  return `${fy}/${String((fy + 1) % 100).padStart(2, '0')}`;
}

/** Financial years touched by a forecast of `horizonMonths` starting the month after `dataEnd`. */
export function yearsOfHorizon(dataEnd, horizonMonths) {
  const [y, m] = String(dataEnd ?? '2018-03-31')
    .split('-')
    .map(Number);
  const out = [];
  for (let k = 1; k <= horizonMonths; k++) {
    const i = y * 12 + (m - 1) + k;
    const label = financialYearOf(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    if (!out.includes(label)) out.push(label);
  }
  return out;
}

/** The forecast length the service uses when none is given (models/dataset.ts). */
export const DEFAULT_HORIZON = 60;

/** A budget for each financial year the forecast touches (and no others), rising by `risePct` a year. */
export function budgetsFrom(amount, risePct, dataEnd, horizonMonths = DEFAULT_HORIZON) {
  const out = {};
  yearsOfHorizon(dataEnd ?? '2018-03-31', horizonMonths).forEach((label, k) => {
    out[label] = Math.round(amount * (1 + risePct / 100) ** k);
  });
  return out;
}

/**
 * A regional comparison's variant: what its councils' savings leave of the region's — the rise in the block cost of
 * shared places left empty, which the region pays whether they are used or not — or null where the councils add up
 * to the region (a council's per-run costs are whole pounds, so less than £1 a council is rounding).
 */
export function emptyPlacesCost(variant) {
  const region = variant.saving?.horizon;
  const councils = variant.councils ?? [];
  if (!region || !councils.every((c) => c.saving)) return null;
  const rest = region.mean - councils.reduce((t, c) => t + c.saving.horizon.mean, 0);
  return Math.abs(rest) >= councils.length ? rest : null;
}
