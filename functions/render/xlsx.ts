/**
 * Excel workbooks a finance officer can open and use: months are real dates, money is currency, probabilities are
 * percentages, every data sheet has a bold frozen header and a filter, and the scenario's inputs sit on their own sheet
 * so a figure in a committee paper can be traced to what produced it.
 *
 * Written with write-excel-file (pure JS, its only dependency is fflate) rather than exceljs, which pulled about 1 MB
 * of minified code into the export handlers. write-excel-file has no autofilter option, so `autoFilter` below adds one
 * through its documented "feature" hook. Tests read the workbooks back with exceljs (a devDependency).
 */
import writeXlsxFile, { type Cell, type CellObject } from 'write-excel-file/node';
import { CATEGORIES, CATEGORY_LABELS } from '#models/placement';
import { monthIndex } from '#models/calendar';
import type { ForecastResult, Quantiles, Series } from '#models/result';
import type { CouncilLineSummary } from '../../models/region/compare.js';
import type { ComparisonSummary } from '#models/compare';
import { formatInput, inputLabel, parameterLabel } from '../../web/js/input-labels.js';
import { budgetBasis } from './csv.js';
import { flattenInputs, type InputRow, inputRows } from './inputs.js';

export { flattenInputs };

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
  councilSavings: 'Savings by council',
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
  /** a smaller, grey column for analysts (an input's dotted path beside its plain name) */
  small?: boolean;
}

/** A sheet as write-excel-file takes it (its multi-sheet form); the overloads make this the last signature's. */
type Sheet = Parameters<typeof writeXlsxFile>[0][number];
type Feature = NonNullable<NonNullable<Parameters<typeof writeXlsxFile>[1]>['features']>[number];

const bold = (value: string): CellObject => ({ value, fontWeight: 'bold' });

/** One cell: empty for null/undefined (and for a non-finite number, which would corrupt the file); formatted numbers and dates. */
function cell(value: unknown, numFmt: string | undefined): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return { value, type: Date, format: numFmt ?? 'yyyy-mm-dd' };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return numFmt ? { value, type: Number, format: numFmt } : value;
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

/** A data sheet: bold header row frozen in place, a filter on it, each column's number format on every value. */
function sheet(name: string, columns: Column[], rows: Record<string, unknown>[]): Sheet {
  return {
    sheet: name,
    data: [
      columns.map((c) => bold(c.header)),
      ...rows.map((r) =>
        columns.map((c) => {
          const v = cell(r[c.key], c.numFmt);
          return c.small && typeof v === 'string' ? { value: v, fontSize: 9, textColor: '#595959' } : v;
        }),
      ),
    ],
    columns: columns.map((c) => ({ width: c.width ?? Math.max(12, c.header.length + 2) })),
    stickyRowsCount: 1,
  };
}

/** 0-based column index to letters: 0 → A, 26 → AA. */
function columnLetters(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Excel's filter buttons on the header row of every sheet with data rows (not About): an `<autoFilter>` right after
 * `<sheetData>` (nothing that must precede it is written) and the hidden `_xlnm._FilterDatabase` name Excel keeps for it.
 */
function autoFilter(sheets: Sheet[]): Feature {
  const refs = new Map<string, string>();
  for (const s of sheets) {
    const width = Math.max(0, ...s.data.map((r) => r.length));
    if (s.sheet && s.stickyRowsCount && s.data.length > 1 && width > 0)
      refs.set(s.sheet, `$A$1:$${columnLetters(width - 1)}$${s.data.length}`);
  }
  return {
    files: {
      transform: {
        'xl/worksheets/sheet{id}.xml': {
          transform: (xml, options) => {
            const ref = options.sheet ? refs.get(options.sheet) : undefined;
            return ref ? xml.replace('</sheetData>', `</sheetData><autoFilter ref="${ref.replace(/\$/g, '')}"/>`) : xml;
          },
        },
        'xl/workbook.xml': {
          transform: (xml, options) => {
            const names = options
              .map((o, i) => {
                const ref = o.sheet ? refs.get(o.sheet) : undefined;
                return ref
                  ? `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${escapeXml(`'${o.sheet!.replace(/'/g, "''")}'!${ref}`)}</definedName>`
                  : '';
              })
              .join('');
            if (!names) return xml;
            if (xml.includes('</definedNames>')) return xml.replace('</definedNames>', `${names}</definedNames>`);
            if (xml.includes('<definedNames/>'))
              return xml.replace('<definedNames/>', `<definedNames>${names}</definedNames>`);
            return xml.replace(/(<calcPr\b|<\/workbook>)/, `<definedNames>${names}</definedNames>$1`);
          },
        },
      },
    },
  };
}

async function workbook(sheets: Sheet[]): Promise<Buffer> {
  return writeXlsxFile(sheets, { fontFamily: 'Calibri', fontSize: 11, features: [autoFilter(sheets)] }).toBuffer();
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

function inputsSheet(scenario: unknown, extra: Record<string, unknown> = {}, resultInputs?: unknown): Sheet {
  const rows = [
    ...flattenInputs(extra)
      .filter((r) => r.path !== '(root)')
      .map((r): InputRow => {
        // a sweep's values are in the unit of the input it varies (0.1 of households lost a year reads 10%)
        const swept = (extra.comparison as { sweep?: { path?: unknown } } | undefined)?.sweep?.path;
        const unitOf = /^comparison\.sweep\.values\.\d+$/.test(r.path) && typeof swept === 'string' ? swept : r.path;
        return { ...r, label: inputLabel(r.path).label, text: formatInput(unitOf, r.value) };
      }),
    ...inputRows(scenario, resultInputs, { ordered: true }),
  ].map((r) => ({
    label: r.label ?? r.path,
    text: r.text ?? String(r.value),
    source: r.source,
    path: r.path,
    // the value exactly as the scenario holds it (a number as a number, a range as its JSON), for analysts
    stored: typeof r.value === 'boolean' ? String(r.value) : r.value,
  }));
  const sourced = rows.some((r) => r.source);
  return sheet(
    SHEETS.inputs,
    [
      { header: 'Input', key: 'label', width: 60 },
      { header: 'Value', key: 'text', width: 45 },
      ...(sourced ? [{ header: 'Source', key: 'source', width: 60 }] : []),
      { header: 'Name in the scenario', key: 'path', width: 36, small: true },
      { header: 'Value as stored', key: 'stored', width: 24, small: true },
    ],
    rows as unknown as Record<string, unknown>[],
  );
}

/**
 * The About sheet: what the workbook is, bold header, no filter. Each value keeps its own format: a date-time for when
 * it was made, a month for the first month, whole numbers with separators for counts (runs), none for ids and seeds.
 */
type AboutLine = [string, string | number | Date] | [string, number | Date, string];
const ABOUT_DATE_TIME = 'yyyy-mm-dd hh:mm';
export const WHOLE = '#,##0';
/** an identifier that happens to be a number (a seed): no separators */
export const PLAIN = '0';
function aboutSheet(lines: AboutLine[]): Sheet {
  const fmt = (v: unknown, given: string | undefined): string | undefined =>
    given ?? (v instanceof Date ? ABOUT_DATE_TIME : typeof v === 'number' ? WHOLE : undefined);
  return {
    sheet: SHEETS.about,
    data: [[bold('Item'), bold('Value')], ...lines.map(([k, v, f]) => [k, cell(v, fmt(v, f))])],
    columns: [{ width: 32 }, { width: 70 }],
  };
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
    basis: f.budget === undefined ? null : budgetBasis(f),
    stayingPut: f.stayingPut?.mean ?? null,
    grant: f.grantIncome?.mean ?? null,
    netMean: f.net?.mean ?? null,
    net10: f.net?.p10 ?? null,
    net50: f.net?.p50 ?? null,
    net90: f.net?.p90 ?? null,
    ...Object.fromEntries(CATEGORIES.map((c) => [`cat_${c}`, f.byCategory[c]?.mean ?? 0])),
  }));
}

/**
 * The columns of the money a result without it leaves out, as GET /scenarios/{id} gives it: whether a budget is net
 * of the UASC grant (its chance over budget is then the net cost's), Staying Put and the grant (means), the net cost.
 */
function netColumns(years: ForecastResult['cost']['financialYears']): Column[] {
  return [
    ...(years.some((f) => f.budgetBasis === 'net') ? [{ header: 'Budget basis', key: 'basis', width: 26 }] : []),
    ...(years.some((f) => f.stayingPut)
      ? [{ header: 'Staying Put (mean)', key: 'stayingPut', numFmt: MONEY, width: 18 }]
      : []),
    ...(years.some((f) => f.grantIncome)
      ? [{ header: 'UASC grant income (mean)', key: 'grant', numFmt: MONEY, width: 24 }]
      : []),
    ...(years.some((f) => f.net)
      ? [
          { header: 'Net mean', key: 'netMean', numFmt: MONEY, width: 16 },
          { header: 'Net P10', key: 'net10', numFmt: MONEY, width: 16 },
          { header: 'Net P50', key: 'net50', numFmt: MONEY, width: 16 },
          { header: 'Net P90', key: 'net90', numFmt: MONEY, width: 16 },
        ]
      : []),
  ];
}

export interface ScenarioExport {
  id: string;
  scenario: unknown;
  result: ForecastResult;
  /** when the workbook was made (passed in: rendering has no clock) */
  generatedAt: Date;
}

export async function scenarioWorkbook(x: ScenarioExport): Promise<Buffer> {
  const r = x.result;
  const sheets: Sheet[] = [];
  sheets.push(
    aboutSheet([
      ['Scenario', r.scenarioName],
      ['Scenario id', x.id],
      ['First forecast month', monthDate(r.months[0] ?? '2000-01'), MONTH],
      ['Months', r.months.length],
      ['Monte Carlo runs', r.runs],
      ['Seed', r.seed, PLAIN],
      ['Generated', x.generatedAt],
      [
        'How to read',
        'P10–P90: 8 in 10 simulated futures fall in this range; P50 is the median. Money is pounds at the stated price base with inflation.',
      ],
      ...r.warnings.map((w, i): [string, string] => [`Warning ${i + 1}`, w]),
    ]),
  );
  sheets.push(
    sheet(
      SHEETS.children,
      [
        { header: 'Month', key: 'month', numFmt: MONTH },
        { header: 'Category', key: 'series', width: 30 },
        ...quantileColumns(COUNT),
      ],
      monthlyRows(r.months, r.population),
    ),
  );
  sheets.push(
    sheet(
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
        ...netColumns(r.cost.financialYears),
        ...CATEGORIES.map((c) => ({
          header: `Mean: ${CATEGORY_LABELS[c]}`,
          key: `cat_${c}`,
          numFmt: MONEY,
          width: 18,
        })),
      ],
      costYearRows(r),
    ),
  );
  sheets.push(
    sheet(
      SHEETS.costMonths,
      [
        { header: 'Month', key: 'month', numFmt: MONTH },
        { header: 'Category', key: 'series', width: 30 },
        ...quantileColumns(MONEY),
      ],
      monthlyRows(r.months, r.cost.monthly),
    ),
  );
  if (r.inHouse) {
    const h = r.inHouse;
    sheets.push(
      sheet(
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
      ),
    );
  }
  if (r.uasc) {
    const u = r.uasc;
    sheets.push(
      sheet(
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
      ),
    );
  }
  sheets.push(inputsSheet(x.scenario, {}, (r as { inputs?: unknown }).inputs));
  return workbook(sheets);
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

type RegionalVariant = ComparisonSummary['variants'][number] & { councils?: CouncilLineSummary[] };

/**
 * The column of a sweep's values: headed by the swept input's name with its unit ("Weekly cost, residential (£ a
 * week)"), each value a number in the input's unit (money as money, a share as a percentage with the decimals its
 * values need); named variants have no value, under "Value".
 */
function sweptColumn(spec: unknown, values: (number | undefined)[]): Column {
  const path = (spec as { sweep?: { path?: unknown } } | undefined)?.sweep?.path;
  if (typeof path !== 'string') return { header: 'Value', key: 'value' };
  const { unit } = inputLabel(path);
  const decimals = Math.max(
    0,
    ...values.map((v) =>
      v === undefined
        ? 0
        : ([0, 1, 2].find((d) => Math.abs(v * 100 * 10 ** d - Math.round(v * 100 * 10 ** d)) < 1e-6) ?? 2),
    ),
  );
  const numFmt =
    unit === 'week' || unit === 'day' || unit === 'gbp'
      ? MONEY
      : unit === 'pct'
        ? `0${decimals ? `.${'0'.repeat(decimals)}` : ''}%`
        : unit === 'count'
          ? WHOLE
          : unit === 'id'
            ? PLAIN
            : undefined;
  return { header: parameterLabel(path), key: 'value', width: 30, ...(numFmt ? { numFmt } : {}) };
}

export async function comparisonWorkbook(x: ComparisonExport): Promise<Buffer> {
  const s = x.summary;
  const valueColumn = sweptColumn(
    x.spec,
    s.variants.map((v) => v.value),
  );
  const sheets: Sheet[] = [];
  sheets.push(
    aboutSheet([
      ['Comparison id', x.id],
      ['Base', s.baseName],
      ['Horizon (last month)', monthDate(s.horizonMonth || '2000-01'), MONTH],
      ['Monte Carlo runs per variant', s.runs],
      ['Seed (shared by every variant)', s.seed, PLAIN],
      ['Generated', x.generatedAt],
      [
        'How to read',
        'Every variant uses the same random streams as the base (common random numbers), so a saving is the paired difference base − variant run by run: positive = the variant costs less.',
      ],
    ]),
  );
  sheets.push(
    sheet(
      SHEETS.variants,
      [
        { header: 'Variant', key: 'name', width: 36 },
        valueColumn,
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
        ...Object.fromEntries(
          SERIES.flatMap((c) => [
            [`${c}_p50`, v.horizon[c].p50],
            [`${c}_p10`, v.horizon[c].p10],
            [`${c}_p90`, v.horizon[c].p90],
          ]),
        ),
        overflow: v.overflowTotal?.p50 ?? null,
        saving: v.saving?.horizon.mean ?? null,
        saving10: v.saving?.horizon.p10 ?? null,
        saving90: v.saving?.horizon.p90 ?? null,
      })),
    ),
  );
  sheets.push(
    sheet(
      SHEETS.savings,
      [
        { header: 'Variant', key: 'name', width: 36 },
        valueColumn,
        { header: 'Financial year', key: 'label', width: 14 },
        { header: 'Cost P10', key: 'p10', numFmt: MONEY, width: 16 },
        { header: 'Cost P50', key: 'p50', numFmt: MONEY, width: 16 },
        { header: 'Cost P90', key: 'p90', numFmt: MONEY, width: 16 },
        { header: 'Budget', key: 'budget', numFmt: MONEY, width: 16 },
        { header: 'Chance over budget', key: 'pOverBudget', numFmt: PERCENT, width: 20 },
        // as the scenario's sheet: whether a budget (and so its chance) is of the cost net of the UASC grant
        ...(s.variants.some((v) => v.financialYears.some((f) => f.budgetBasis === 'net'))
          ? [{ header: 'Budget basis', key: 'basis', width: 26 }]
          : []),
        { header: 'Saving mean', key: 'saving', numFmt: MONEY, width: 16 },
        { header: 'Saving SE', key: 'savingSe', numFmt: MONEY, width: 16 },
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
            basis: f.budget === undefined ? null : budgetBasis(f),
            saving: sv?.mean ?? null,
            savingSe: sv?.se ?? null,
            saving10: sv?.p10 ?? null,
            saving90: sv?.p90 ?? null,
            pSaves: sv?.pSaves ?? null,
          };
        }),
      ),
    ),
  );
  // a regional base: each council's own saving, paired run by run like the region's, by year and over the horizon
  const councilRows = (s.variants as RegionalVariant[]).flatMap((v) =>
    (v.councils ?? []).flatMap((c) =>
      c.saving
        ? [...c.saving.financialYears, { ...c.saving.horizon, label: 'whole forecast' }].map((sv) => ({
            name: v.name,
            council: c.code,
            label: sv.label,
            saving: sv.mean,
            sd: sv.sd,
            se: sv.se,
            saving10: sv.p10,
            saving50: sv.p50,
            saving90: sv.p90,
            pSaves: sv.pSaves,
          }))
        : [],
    ),
  );
  if (councilRows.length)
    sheets.push(
      sheet(
        SHEETS.councilSavings,
        [
          { header: 'Variant', key: 'name', width: 36 },
          { header: 'Council', key: 'council', width: 14 },
          { header: 'Financial year', key: 'label', width: 16 },
          { header: 'Saving mean', key: 'saving', numFmt: MONEY, width: 16 },
          { header: 'Saving SD', key: 'sd', numFmt: MONEY, width: 16 },
          { header: 'Saving SE', key: 'se', numFmt: MONEY, width: 16 },
          { header: 'Saving P10', key: 'saving10', numFmt: MONEY, width: 16 },
          { header: 'Saving P50', key: 'saving50', numFmt: MONEY, width: 16 },
          { header: 'Saving P90', key: 'saving90', numFmt: MONEY, width: 16 },
          { header: 'Chance it saves', key: 'pSaves', numFmt: PERCENT, width: 16 },
        ],
        councilRows,
      ),
    );
  sheets.push(inputsSheet(x.base, { comparison: x.spec }));
  return workbook(sheets);
}
