/**
 * Excel workbooks a finance officer can open and use: months are real dates, money is currency, probabilities are
 * percentages, every sheet has a frozen header and a filter, and the scenario's inputs sit on their own sheet so a
 * figure in a committee paper can be traced to what produced it.
 */
import ExcelJS from 'exceljs';
import { CATEGORIES, CATEGORY_LABELS } from '#models/placement';
import { monthIndex } from '#models/calendar';
import type { ForecastResult, Quantiles, Series } from '#models/result';
import type { Scenario } from '#models/scenario';
import type { ComparisonSummary } from '#models/compare';

export const MONEY = '"£"#,##0;[Red]-"£"#,##0';
export const PERCENT = '0%';
export const MONTH = 'mmm yyyy';
export const COUNT = '#,##0.0';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const SHEETS = {
  about: 'About',
  children: 'Children by month',
  costYears: 'Cost by financial year',
  costMonths: 'Cost by month',
  inHouse: 'In-house capacity',
  uasc: 'UASC',
  inputs: 'Inputs',
  variants: 'Variants',
  savings: 'Savings by year',
} as const;

const SERIES: readonly Series[] = [...CATEGORIES, 'total'];
const seriesLabel = (s: Series): string => (s === 'total' ? 'All children' : CATEGORY_LABELS[s]);

/** The first day of a month as a UTC date: Excel shows it with the MONTH format and sorts it as a date. */
export function monthDate(month: string): Date {
  const i = monthIndex(month);
  return new Date(Date.UTC(Math.floor(i / 12), i % 12, 1));
}

interface Column {
  header: string;
  key: string;
  width?: number;
  numFmt?: string;
}

function sheet(wb: ExcelJS.Workbook, name: string, columns: Column[], rows: Record<string, unknown>[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width ?? Math.max(12, c.header.length + 2),
    ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  if (rows.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return ws;
}

const quantileColumns = (numFmt: string): Column[] =>
  (['mean', 'p5', 'p10', 'p25', 'p50', 'p75', 'p90', 'p95'] as const).map((k) => ({
    header: k === 'mean' ? 'Mean' : k.toUpperCase(),
    key: k,
    numFmt,
  }));

function monthlyRows(months: string[], bySeries: Record<Series, Quantiles>): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  months.forEach((m, i) => {
    for (const s of SERIES) {
      const q = bySeries[s];
      rows.push({
        month: monthDate(m),
        series: seriesLabel(s),
        mean: q.mean[i],
        p5: q.p5[i],
        p10: q.p10[i],
        p25: q.p25[i],
        p50: q.p50[i],
        p75: q.p75[i],
        p90: q.p90[i],
        p95: q.p95[i],
      });
    }
  });
  return rows;
}

/** Leaves of a nested object as (dotted path, value) rows; long arrays are summarised rather than dumped. */
export function flattenInputs(value: unknown, prefix = ''): { path: string; value: string | number | boolean }[] {
  if (value === null || value === undefined) return [{ path: prefix || '(root)', value: 'none' }];
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return [{ path: prefix, value }];
  if (Array.isArray(value)) {
    if (value.length > 20) return [{ path: prefix, value: `${value.length} entries (not listed)` }];
    return value.flatMap((v, i) => flattenInputs(v, `${prefix}.${i}`));
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flattenInputs(v, prefix ? `${prefix}.${k}` : k));
}

function inputsSheet(wb: ExcelJS.Workbook, scenario: unknown, extra: Record<string, unknown> = {}): void {
  const s = scenario as Partial<Scenario>;
  const initial = Array.isArray(s.initial) ? s.initial : [];
  const children = initial.reduce((n, c) => n + (c.count ?? 1), 0);
  const { initial: _omit, ...rest } = (scenario ?? {}) as Record<string, unknown>;
  const rows = [
    ...flattenInputs(extra).filter((r) => r.path !== '(root)'),
    { path: 'initial', value: `${children} children in care at the start (${initial.length} lines; child-level detail not exported)` },
    ...flattenInputs(rest),
  ];
  sheet(wb, SHEETS.inputs, [
    { header: 'Input', key: 'path', width: 60 },
    { header: 'Value', key: 'value', width: 40 },
  ], rows);
}

function aboutSheet(wb: ExcelJS.Workbook, lines: [string, string | number | Date][]): void {
  const ws = wb.addWorksheet(SHEETS.about);
  ws.columns = [
    { header: 'Item', key: 'k', width: 32 },
    { header: 'Value', key: 'v', width: 70 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const [k, v] of lines) {
    const row = ws.addRow({ k, v });
    if (v instanceof Date) row.getCell('v').numFmt = 'yyyy-mm-dd hh:mm';
  }
}

function costYearRows(result: ForecastResult): Record<string, unknown>[] {
  return result.cost.financialYears.map((f) => ({
    label: f.label,
    months: f.months,
    partial: f.partial ? 'yes' : 'no',
    mean: f.mean,
    p10: f.p10,
    p50: f.p50,
    p90: f.p90,
    budget: f.budget ?? null,
    pOverBudget: f.pOverBudget ?? null,
    ...Object.fromEntries(CATEGORIES.map((c) => [`cat_${c}`, f.byCategory[c]?.mean ?? 0])),
  }));
}

export interface ScenarioExport {
  id: string;
  scenario: unknown;
  result: ForecastResult;
  /** when the workbook was made (passed in: rendering has no clock) */
  generatedAt: Date;
}

export async function scenarioWorkbook(x: ScenarioExport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'placement-forecast';
  wb.created = x.generatedAt;
  const r = x.result;
  aboutSheet(wb, [
    ['Scenario', r.scenarioName],
    ['Scenario id', x.id],
    ['First forecast month', monthDate(r.months[0] ?? '2000-01')],
    ['Months', r.months.length],
    ['Monte Carlo runs', r.runs],
    ['Seed', r.seed],
    ['Generated', x.generatedAt],
    ['How to read', 'P10–P90: 8 in 10 simulated futures fall in this range; P50 is the median. Money is pounds at the stated price base with inflation.'],
    ...r.warnings.map((w, i): [string, string] => [`Warning ${i + 1}`, w]),
  ]);
  sheet(wb, SHEETS.children, [{ header: 'Month', key: 'month', numFmt: MONTH }, { header: 'Category', key: 'series', width: 30 }, ...quantileColumns(COUNT)], monthlyRows(r.months, r.population));
  sheet(
    wb,
    SHEETS.costYears,
    [
      { header: 'Financial year', key: 'label', width: 14 },
      { header: 'Months forecast', key: 'months' },
      { header: 'Part year', key: 'partial' },
      { header: 'Mean', key: 'mean', numFmt: MONEY, width: 16 },
      { header: 'P10', key: 'p10', numFmt: MONEY, width: 16 },
      { header: 'P50', key: 'p50', numFmt: MONEY, width: 16 },
      { header: 'P90', key: 'p90', numFmt: MONEY, width: 16 },
      { header: 'Budget', key: 'budget', numFmt: MONEY, width: 16 },
      { header: 'Chance over budget', key: 'pOverBudget', numFmt: PERCENT, width: 20 },
      ...CATEGORIES.map((c) => ({ header: `Mean: ${CATEGORY_LABELS[c]}`, key: `cat_${c}`, numFmt: MONEY, width: 18 })),
    ],
    costYearRows(r),
  );
  sheet(wb, SHEETS.costMonths, [{ header: 'Month', key: 'month', numFmt: MONTH }, { header: 'Category', key: 'series', width: 30 }, ...quantileColumns(MONEY)], monthlyRows(r.months, r.cost.monthly));
  if (r.inHouse) {
    const h = r.inHouse;
    sheet(
      wb,
      SHEETS.inHouse,
      [
        { header: 'Month', key: 'month', numFmt: MONTH },
        { header: 'Places P50', key: 'capacity', numFmt: COUNT },
        { header: 'Households P50', key: 'households', numFmt: COUNT },
        { header: 'Occupied P50', key: 'occupancy', numFmt: COUNT },
        { header: 'Overflow P10', key: 'o10', numFmt: COUNT },
        { header: 'Overflow P50', key: 'o50', numFmt: COUNT },
        { header: 'Overflow P90', key: 'o90', numFmt: COUNT },
      ],
      r.months.map((m, i) => ({
        month: monthDate(m),
        capacity: h.capacity.p50[i],
        households: h.households.p50[i],
        occupancy: h.occupancy.p50[i],
        o10: h.overflow.p10[i],
        o50: h.overflow.p50[i],
        o90: h.overflow.p90[i],
      })),
    );
  }
  if (r.uasc) {
    const u = r.uasc;
    sheet(
      wb,
      SHEETS.uasc,
      [
        { header: 'Month', key: 'month', numFmt: MONTH },
        { header: 'UASC P10', key: 'p10', numFmt: COUNT },
        { header: 'UASC P50', key: 'p50', numFmt: COUNT },
        { header: 'UASC P90', key: 'p90', numFmt: COUNT },
        { header: 'NTS threshold', key: 'threshold' },
        { header: 'Chance on the rota', key: 'pOnRota', numFmt: PERCENT, width: 20 },
      ],
      r.months.map((m, i) => ({
        month: monthDate(m),
        p10: u.count.p10[i],
        p50: u.count.p50[i],
        p90: u.count.p90[i],
        threshold: u.threshold[i],
        pOnRota: u.pOnRota[i],
      })),
    );
  }
  inputsSheet(wb, x.scenario);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface ComparisonExport {
  id: string;
  summary: ComparisonSummary;
  /** the base scenario (resolved) */
  base: unknown;
  /** the request's variants or sweep, for the record */
  spec: unknown;
  generatedAt: Date;
}

export async function comparisonWorkbook(x: ComparisonExport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'placement-forecast';
  wb.created = x.generatedAt;
  const s = x.summary;
  aboutSheet(wb, [
    ['Comparison id', x.id],
    ['Base', s.baseName],
    ['Horizon (last month)', monthDate(s.horizonMonth || '2000-01')],
    ['Monte Carlo runs per variant', s.runs],
    ['Seed (shared by every variant)', s.seed],
    ['Generated', x.generatedAt],
    ['How to read', 'Every variant uses the same random streams as the base (common random numbers), so a saving is the paired difference base − variant run by run: positive = the variant costs less.'],
  ]);
  sheet(
    wb,
    SHEETS.variants,
    [
      { header: 'Variant', key: 'name', width: 36 },
      { header: 'Value', key: 'value' },
      ...SERIES.flatMap((c) => [
        { header: `${seriesLabel(c)} P50`, key: `${c}_p50`, numFmt: COUNT, width: 16 },
        { header: `${seriesLabel(c)} P10`, key: `${c}_p10`, numFmt: COUNT, width: 16 },
        { header: `${seriesLabel(c)} P90`, key: `${c}_p90`, numFmt: COUNT, width: 16 },
      ]),
      { header: 'In-house overflow P50', key: 'overflow', numFmt: COUNT, width: 20 },
      { header: 'Saving over horizon (mean)', key: 'saving', numFmt: MONEY, width: 24 },
      { header: 'Saving P10', key: 'saving10', numFmt: MONEY, width: 16 },
      { header: 'Saving P90', key: 'saving90', numFmt: MONEY, width: 16 },
    ],
    s.variants.map((v) => ({
      name: v.name,
      value: v.value ?? null,
      ...Object.fromEntries(SERIES.flatMap((c) => [[`${c}_p50`, v.horizon[c].p50], [`${c}_p10`, v.horizon[c].p10], [`${c}_p90`, v.horizon[c].p90]])),
      overflow: v.overflowTotal?.p50 ?? null,
      saving: v.saving?.horizon.mean ?? null,
      saving10: v.saving?.horizon.p10 ?? null,
      saving90: v.saving?.horizon.p90 ?? null,
    })),
  );
  sheet(
    wb,
    SHEETS.savings,
    [
      { header: 'Variant', key: 'name', width: 36 },
      { header: 'Value', key: 'value' },
      { header: 'Financial year', key: 'label', width: 14 },
      { header: 'Cost P10', key: 'p10', numFmt: MONEY, width: 16 },
      { header: 'Cost P50', key: 'p50', numFmt: MONEY, width: 16 },
      { header: 'Cost P90', key: 'p90', numFmt: MONEY, width: 16 },
      { header: 'Budget', key: 'budget', numFmt: MONEY, width: 16 },
      { header: 'Chance over budget', key: 'pOverBudget', numFmt: PERCENT, width: 20 },
      { header: 'Saving mean', key: 'saving', numFmt: MONEY, width: 16 },
      { header: 'Saving P10', key: 'saving10', numFmt: MONEY, width: 16 },
      { header: 'Saving P90', key: 'saving90', numFmt: MONEY, width: 16 },
      { header: 'Chance it saves', key: 'pSaves', numFmt: PERCENT, width: 16 },
    ],
    s.variants.flatMap((v) =>
      v.financialYears.map((f, i) => {
        const sv = v.saving?.financialYears[i];
        return {
          name: v.name,
          value: v.value ?? null,
          label: f.label,
          p10: f.p10,
          p50: f.p50,
          p90: f.p90,
          budget: f.budget ?? null,
          pOverBudget: f.pOverBudget ?? null,
          saving: sv?.mean ?? null,
          saving10: sv?.p10 ?? null,
          saving90: sv?.p90 ?? null,
          pSaves: sv?.pSaves ?? null,
        };
      }),
    ),
  );
  inputsSheet(wb, x.base, { comparison: x.spec });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
