/**
 * Backtest: estimate from the data up to a cutoff, forecast from it, and compare with the stock the data shows
 * afterwards, month by month and category by category. Coverage is the share of actual end-of-month counts inside the
 * forecast's P10–P90 (inclusive: counts are whole numbers); the P50 error is forecast minus actual.
 * Pure: the engine is passed in, so the same code serves the CLI and the tests.
 */
import { CATEGORIES, type Category } from './placement.js';
import { addMonths, monthEndDate, monthIndex } from './calendar.js';
import { parseScenario, type Scenario } from './scenario.js';
import type { ForecastResult, Series } from './result.js';
import type { Dataset } from './dataset.js';
import { scenarioFromDataset } from './council-resolve.js';
import { DEFAULT_WINDOW_MONTHS, estimateFromChildren } from './estimate.js';
import type { CleanChild } from './ingest/ssda903/clean.js';
import { lastFullMonth, stockAt, stockByMonthOf } from './stock.js';

export interface BacktestOptions {
  cutoff: string;
  horizonMonths: number;
  runs?: number;
  seed?: number;
  windowMonths?: number;
  /** scenario overrides on top of the data and defaults (e.g. { capacity: {...} }); capacity is off unless given */
  overrides?: unknown;
}

export interface BacktestSeries {
  series: Series;
  actual: number[];
  p10: number[];
  p50: number[];
  p90: number[];
  /** share of months with P10 ≤ actual ≤ P90 */
  coverage: number;
  /** mean of (P50 − actual) and of |P50 − actual| */
  meanError: number;
  meanAbsoluteError: number;
}

export interface BacktestResult {
  cutoff: string;
  months: string[];
  window: { from: string; to: string; months: number };
  runs: number;
  seed: number;
  series: BacktestSeries[];
  /** over every month × series (categories and total) */
  coverage: number;
  /** over the total only */
  totalCoverage: number;
  totalMeanAbsolutePercentageError: number;
}

/** The history as it was known at the cutoff: later episodes removed, episodes open at the cutoff reopened. */
export function historyAt(children: readonly CleanChild[], cutoff: string): CleanChild[] {
  const out: CleanChild[] = [];
  for (const c of children) {
    const episodes = c.episodes
      .filter((e) => e.start <= cutoff)
      .map((e) => (e.end !== null && e.end > cutoff ? { ...e, end: null, reasonEnded: null } : e));
    if (episodes.length > 0) out.push({ ...c, episodes });
  }
  return out;
}

/** The dataset a council would have had at the cutoff (a month end inside the data period). */
export function datasetAt(dataset: Dataset, cutoff: string, windowMonths = DEFAULT_WINDOW_MONTHS): Dataset {
  if (monthEndDate(monthIndex(cutoff.slice(0, 7))) !== cutoff)
    throw new RangeError(`cutoff ${cutoff} must be the last day of a month`);
  if (cutoff <= dataset.period.start || cutoff > dataset.period.end)
    throw new RangeError(
      `cutoff ${cutoff} must be inside the data period ${dataset.period.start}..${dataset.period.end}`,
    );
  const children = historyAt(dataset.children, cutoff);
  const lastMonth = lastFullMonth(cutoff);
  const from = Math.max(monthIndex(lastMonth) - windowMonths + 1, monthIndex(dataset.period.start.slice(0, 7)));
  const estimate = estimateFromChildren(children, addMonths(lastMonth, from - monthIndex(lastMonth)), lastMonth, {
    historyFrom: dataset.period.start.slice(0, 7),
  });
  const at = stockAt(children, cutoff);
  return {
    ...dataset,
    period: { start: dataset.period.start, end: cutoff },
    children,
    counts: {
      ...dataset.counts,
      children: children.length,
      episodes: children.reduce((n, c) => n + c.episodes.length, 0),
    },
    stock: at.stock,
    initial: at.initial,
    estimate,
  };
}

export function backtest(
  dataset: Dataset,
  options: BacktestOptions,
  simulate: (s: Scenario) => ForecastResult,
): BacktestResult {
  const known = datasetAt(dataset, options.cutoff, options.windowMonths);
  const input = scenarioFromDataset(known, {
    name: `Backtest from ${options.cutoff}`,
    horizonMonths: options.horizonMonths,
    runs: options.runs ?? 1000,
    seed: options.seed ?? 1,
    capacity: null,
    uncertainty: { parameters: true },
    ...(options.overrides as object | undefined),
  });
  const parsed = parseScenario(input);
  if (!parsed.ok)
    throw new RangeError(
      `backtest scenario invalid: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  const result = simulate(parsed.value);
  const firstMonth = result.months[0] as string;
  const lastMonth = result.months[result.months.length - 1] as string;
  if (`${lastMonth}-01` > dataset.period.end)
    throw new RangeError(
      `the horizon runs past the data (${lastMonth} > ${dataset.period.end}): shorten it or move the cutoff`,
    );
  const actual = stockByMonthOf(dataset.children, firstMonth, lastMonth);
  const series: BacktestSeries[] = [...CATEGORIES, 'total' as const].map((s) => {
    const q = result.population[s];
    const a = actual.map((m) => (s === 'total' ? m.total : m.byCategory[s as Category]));
    let inside = 0;
    let err = 0;
    let abs = 0;
    a.forEach((v, i) => {
      const p10 = q.p10[i] as number;
      const p90 = q.p90[i] as number;
      if (v >= p10 && v <= p90) inside++;
      const e = (q.p50[i] as number) - v;
      err += e;
      abs += Math.abs(e);
    });
    return {
      series: s,
      actual: a,
      p10: [...q.p10],
      p50: [...q.p50],
      p90: [...q.p90],
      coverage: inside / a.length,
      meanError: err / a.length,
      meanAbsoluteError: abs / a.length,
    };
  });
  const all =
    series.reduce((n, s) => n + s.coverage * s.actual.length, 0) / series.reduce((n, s) => n + s.actual.length, 0);
  const total = series[series.length - 1] as BacktestSeries;
  const mape =
    total.actual.reduce((n, v, i) => n + Math.abs((total.p50[i] as number) - v) / Math.max(1, v), 0) /
    total.actual.length;
  return {
    cutoff: options.cutoff,
    months: result.months,
    window: known.estimate.window,
    runs: result.runs,
    seed: result.seed,
    series,
    coverage: all,
    totalCoverage: total.coverage,
    totalMeanAbsolutePercentageError: mape,
  };
}
