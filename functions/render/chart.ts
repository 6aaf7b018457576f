/**
 * Fan charts as standalone SVG: P10–P90 and P25–P75 bands, the P50 line, history where a dataset backs the forecast,
 * and the budget for cost. Self-contained (no scripts, no external fonts or CSS) so it can be pasted into a report.
 */
import { CATEGORY_LABELS, isCategory } from '#models/placement';
import type { ForecastResult, Quantiles } from '#models/result';
import { budgetRef, chartSvg, escapeXml, fanSpec, monthLabel } from '../../web/js/chart-core.js';

export { escapeXml };

export interface FanBands {
  p10: number[];
  p25: number[];
  p50: number[];
  p75: number[];
  p90: number[];
}

export interface FanChartInput {
  title: string;
  /** axis title with its unit, e.g. "Children (end of month)" or "£ per financial year" */
  yLabel: string;
  /** x-axis title; "Month" when absent */
  xLabel?: string;
  /** labels of the forecast points ("2018-04" or "2018/19"); months are shown as "Apr 2018" */
  x: string[];
  bands: FanBands;
  /** observed values before the forecast, oldest first */
  history?: { x: string; value: number }[];
  /** budget per forecast point (cost charts); undefined where there is none */
  budget?: (number | undefined)[];
  money?: boolean;
  width?: number;
  height?: number;
  id?: string;
}

/**
 * A fan chart (web/js/chart-core.js draws it, the same code as the dashboard): P10–P90 and P25–P75 bands, the median
 * with each point's quantiles as data-* attributes (so tests and scripts can read them back exactly), the recorded
 * history, the budget labelled "Budget", a legend, axis titles and ticks as money or counts.
 */
export function fanChartSvg(input: FanChartInput): string {
  const budget = input.budget ?? [];
  const hasBudget = budget.some((b) => b !== undefined);
  const spec = fanSpec({
    title: input.title,
    id: input.id,
    labels: input.x,
    xTitle: input.xLabel ?? 'Month',
    yTitle: input.yLabel,
    format: input.money ? 'money' : 'count',
    q: input.bands,
    history: input.history,
    ref: hasBudget ? budgetRef(budget) : undefined,
    width: input.width,
    height: input.height,
  });
  spec.x.labels = spec.x.labels.map(monthLabel);
  return chartSvg(spec);
}

export const CHART_SERIES = [
  'total',
  'cost',
  'inHouseFoster',
  'agencyFoster',
  'kinship',
  'residential',
  'supported',
  'withParents',
  'placedForAdoption',
  'secure',
  'other',
] as const;
export type ChartSeries = (typeof CHART_SERIES)[number];

const pick = (q: Quantiles): FanBands => ({ p10: q.p10, p25: q.p25, p50: q.p50, p75: q.p75, p90: q.p90 });

/**
 * The chart of one series of a forecast: children by month for a category or the total (with recorded history when
 * given), or cost by financial year with the budget.
 */
export function forecastChart(
  result: ForecastResult,
  series: ChartSeries,
  history?: { month: string; value: number }[],
): string {
  if (series === 'cost') {
    // a year the horizon cuts short would draw as a fall beside the whole years: with two whole years or more, only
    // those (as the dashboard's chart; the tables keep every year)
    const all = result.cost.financialYears;
    const whole = all.filter((f) => !f.partial);
    const years = whole.length >= 2 ? whole : all;
    return fanChartSvg({
      title: `${result.scenarioName}: placement cost by financial year${years.length < all.length ? ' (whole years)' : ''}`,
      yLabel: '£ per financial year',
      xLabel: 'Financial year (April to March)',
      x: years.map((f) => (f.partial ? `${f.label} (${f.months} mo)` : f.label)),
      bands: {
        p10: years.map((f) => f.p10),
        p25: years.map((f) => f.p25),
        p50: years.map((f) => f.p50),
        p75: years.map((f) => f.p75),
        p90: years.map((f) => f.p90),
      },
      budget: years.map((f) => f.budget),
      money: true,
    });
  }
  const label =
    series === 'total' ? 'all children in care' : isCategory(series) ? CATEGORY_LABELS[series].toLowerCase() : series;
  const first = result.months[0] ?? '';
  return fanChartSvg({
    title: `${result.scenarioName}: ${label}`,
    yLabel: 'Children in care (end of month)',
    x: result.months,
    bands: pick(result.population[series]),
    history: (history ?? []).filter((h) => h.month < first).map((h) => ({ x: h.month, value: h.value })),
  });
}
