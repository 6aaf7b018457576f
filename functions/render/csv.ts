/**
 * CSV of a forecast for people who open it in a spreadsheet: sections separated by a blank line, each with a title
 * row and its own header.
 * 1. About: scenario, months, runs, seed, warnings.
 * 2. Cost by financial year: P10/P50/P90 and mean in whole pounds, the budget and the chance of going over it; where the
 *    result has them, whether a budget is gross or net of the UASC grant, Staying Put and the grant (means) and the
 *    net cost (gross − grant, below zero when the grant is more), as GET /scenarios/{id} gives them.
 * 3. Children and cost by month: one row per measure × month × placement (the long shape every tool can pivot);
 *    children to one decimal, money in whole pounds, placements by their plain-English names.
 * 4. Inputs: each input's value and, where the result records it, its source.
 * RFC 4180 quoting, CRLF line ends, a UTF-8 byte-order mark so Excel reads "£" and "–" correctly.
 */
import { CATEGORIES, CATEGORY_LABELS } from '#models/placement';
import type { FinancialYearCost, ForecastResult, Quantiles, Series } from '#models/result';
import { inputRows } from './inputs.js';

const SERIES: readonly Series[] = [...CATEGORIES, 'total'];
const KEYS = ['mean', 'p5', 'p10', 'p25', 'p50', 'p75', 'p90', 'p95'] as const;
const KEY_HEADERS = ['Mean', 'P5', 'P10', 'P25', 'P50', 'P75', 'P90', 'P95'];

export const CSV_SECTIONS = {
  about: 'About',
  years: 'Cost by financial year',
  monthly: 'Children and cost by month',
  inputs: 'Inputs',
} as const;

export const seriesLabel = (s: Series): string => (s === 'total' ? 'All children' : CATEGORY_LABELS[s]);

export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * whole pounds: pennies in a forecast of thousands of runs are noise. Halves round away from zero, as Excel's currency
 * format and the Word report show them (Math.round alone takes −£0.50 to £0 and −£2.50 to −£2).
 */
export const pounds = (x: number | undefined): number | undefined =>
  x === undefined || !Number.isFinite(x) ? undefined : Math.sign(x) * Math.round(Math.abs(x)) || 0;
const tenth = (x: number | undefined): number | undefined =>
  x === undefined || !Number.isFinite(x) ? undefined : Math.round(x * 10) / 10;
/** a chance as a percentage with one decimal, e.g. "30.5%" (Excel reads it as 0.305) */
const percent = (p: number | undefined): string | undefined =>
  p === undefined || !Number.isFinite(p) ? undefined : `${(p * 100).toFixed(1)}%`;

/** what a year's budget and its chance over budget are measured against, in words */
export const budgetBasis = (f: Pick<FinancialYearCost, 'budgetBasis'>): string =>
  f.budgetBasis === 'net' ? 'net of UASC grant income' : 'gross';

export interface CsvContext {
  id?: string;
  scenario?: unknown;
}

export function scenarioCsv(result: ForecastResult, context: CsvContext = {}): string {
  const lines: string[] = [];
  const row = (...cells: (string | number | null | undefined)[]): void => {
    lines.push(cells.map(csvField).join(','));
  };

  row(CSV_SECTIONS.about);
  row('Item', 'Value');
  row('Scenario', result.scenarioName);
  if (context.id) row('Scenario id', context.id);
  row('First forecast month', result.months[0]);
  row('Last forecast month', result.months[result.months.length - 1]);
  row('Months', result.months.length);
  row('Monte Carlo runs', result.runs);
  row('Seed', result.seed);
  row('Money', 'pounds, whole pounds; P10–P90 holds 8 in 10 simulated futures, P50 is the median');
  result.warnings.forEach((w, i) => row(`Warning ${i + 1}`, w));

  lines.push('');
  row(CSV_SECTIONS.years);
  const years = result.cost.financialYears;
  // the columns a result without them leaves out: a net budget's basis, Staying Put, the grant and the net cost
  const basis = years.some((f) => f.budgetBasis === 'net');
  const stayingPut = years.some((f) => f.stayingPut);
  const grant = years.some((f) => f.grantIncome);
  const net = years.some((f) => f.net);
  row(
    'Financial year',
    'Months in forecast',
    'Part year',
    'P10 (£)',
    'P50 (£)',
    'P90 (£)',
    'Mean (£)',
    'Budget (£)',
    'Chance over budget',
    ...(basis ? ['Budget basis'] : []),
    ...(stayingPut ? ['Staying Put mean (£)'] : []),
    ...(grant ? ['UASC grant income mean (£)'] : []),
    ...(net ? ['Net P10 (£)', 'Net P50 (£)', 'Net P90 (£)', 'Net mean (£)'] : []),
  );
  for (const f of years)
    row(
      f.label,
      f.months,
      f.partial ? 'yes' : 'no',
      pounds(f.p10),
      pounds(f.p50),
      pounds(f.p90),
      pounds(f.mean),
      pounds(f.budget),
      percent(f.pOverBudget),
      ...(basis ? [f.budget === undefined ? undefined : budgetBasis(f)] : []),
      ...(stayingPut ? [pounds(f.stayingPut?.mean)] : []),
      ...(grant ? [pounds(f.grantIncome?.mean)] : []),
      ...(net ? [pounds(f.net?.p10), pounds(f.net?.p50), pounds(f.net?.p90), pounds(f.net?.mean)] : []),
    );

  lines.push('');
  row(CSV_SECTIONS.monthly);
  row('Measure', 'Month', 'Placement', ...KEY_HEADERS);
  const add = (
    measure: string,
    bySeries: Record<Series, Quantiles>,
    round: (x: number | undefined) => number | undefined,
  ): void => {
    result.months.forEach((m, i) => {
      for (const s of SERIES) {
        const q = bySeries[s];
        row(measure, m, seriesLabel(s), ...KEYS.map((k) => round(q[k][i])));
      }
    });
  };
  add('Children (end of month)', result.population, tenth);
  add('Cost (£)', result.cost.monthly, pounds);

  if (context.scenario !== undefined || (result as { inputs?: unknown }).inputs !== undefined) {
    lines.push('');
    row(CSV_SECTIONS.inputs);
    row('Input', 'Value', 'Source');
    for (const r of inputRows(context.scenario, (result as { inputs?: unknown }).inputs))
      row(r.path, typeof r.value === 'boolean' ? (r.value ? 'yes' : 'no') : r.value, r.source);
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
