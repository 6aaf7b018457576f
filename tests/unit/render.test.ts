import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { SaxesParser } from 'saxes';
import { CATEGORIES } from '#models/placement';
import type { FinancialYearCost, ForecastResult, Quantiles, Series } from '#models/result';
import { forecastChart, fanChartSvg } from '#functions/render/chart';
import { csvField, scenarioCsv } from '#functions/render/csv';
import { csvSections } from '../fixtures/csv-sections.js';
import { scalarQuantiles, spreadingQuantiles } from '../fixtures/quantiles.js';
import { summariseRegionalComparison } from '../../models/region/compare.js';
import { comparisonWorkbook, flattenInputs, MONEY, scenarioWorkbook, SHEETS } from '#functions/render/xlsx';
import { outcomeOf, summariseComparison } from '#models/compare';

const MONTHS = [
  '2018-04',
  '2018-05',
  '2018-06',
  '2018-07',
  '2018-08',
  '2018-09',
  '2018-10',
  '2018-11',
  '2018-12',
  '2019-01',
  '2019-02',
  '2019-03',
  '2019-04',
];

/** Quantiles that spread with the month, like a real forecast: centre c + i, half-width grows with i. */
const q = (c: number): Quantiles => spreadingQuantiles(MONTHS, c, 2);
const s = scalarQuantiles;

function result(): ForecastResult {
  const population = Object.fromEntries([...CATEGORIES, 'total'].map((c, k) => [c, q(10 + k)])) as Record<
    Series,
    Quantiles
  >;
  const monthly = Object.fromEntries([...CATEGORIES, 'total'].map((c, k) => [c, q(100000 + 1000 * k)])) as Record<
    Series,
    Quantiles
  >;
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, s(1000, 10)])) as FinancialYearCost['byCategory'];
  return {
    scenarioName: 'Test & "quotes" <scenario>',
    months: MONTHS,
    runs: 4,
    seed: 1,
    population,
    cost: {
      monthly,
      financialYears: [
        {
          ...s(18_250_123.45, 400_000),
          label: '2018/19',
          months: 12,
          partial: false,
          byCategory,
          budget: 18_500_000,
          pOverBudget: 0.3,
        },
        { ...s(1_600_000, 50_000), label: '2019/20', months: 1, partial: true, byCategory },
      ],
      priceBase: '2018-04',
    },
    inHouse: { capacity: q(170), households: q(106), occupancy: q(165), overflow: q(1), overflowTotal: s(12, 3) },
    uasc: null,
    moves: q(3),
    entries: q(15),
    exits: q(14),
    runTotals: {
      financialYears: [
        [18e6, 18.1e6, 18.4e6, 18.6e6],
        [1.5e6, 1.6e6, 1.6e6, 1.7e6],
      ],
      horizonPopulation: population.total as never,
      overflowTotal: [],
    },
    warnings: ['a warning'],
    elapsedMs: 1,
  };
}

function parseXml(svg: string): { elements: { name: string; attributes: Record<string, string> }[] } {
  const elements: { name: string; attributes: Record<string, string> }[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (t) => {
    elements.push({
      name: t.local,
      attributes: Object.fromEntries(
        Object.entries(t.attributes).map(([k, a]) => [k, typeof a === 'string' ? a : a.value]),
      ),
    });
  });
  parser.write(svg).close();
  return { elements };
}

describe('fan chart SVG', () => {
  it('is well-formed XML in the SVG namespace with escaped text', () => {
    const svg = forecastChart(result(), 'residential');
    const { elements } = parseXml(svg); // throws on any well-formedness error
    expect(elements[0]?.name).toBe('svg');
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('Test &amp; &quot;quotes&quot; &lt;scenario&gt;');
    expect(() => parseXml('<svg><g></svg>')).toThrow(); // the checker itself rejects broken XML
  });

  it('has ordered bands at every point: P10 ≤ P25 ≤ P50 ≤ P75 ≤ P90, and the same values as the result', () => {
    for (const series of ['total', 'residential', 'cost'] as const) {
      const points = parseXml(forecastChart(result(), series)).elements.filter((e) => e.attributes.class === 'point');
      expect(points.length).toBe(series === 'cost' ? 2 : MONTHS.length);
      for (const p of points) {
        const v = ['data-p10', 'data-p25', 'data-p50', 'data-p75', 'data-p90'].map((k) => Number(p.attributes[k]));
        expect(v.every(Number.isFinite)).toBe(true);
        for (let k = 1; k < v.length; k++) expect(v[k]).toBeGreaterThanOrEqual(v[k - 1] as number);
      }
      if (series === 'residential')
        expect(Number(points[12]?.attributes['data-p90'])).toBeCloseTo(13 + 12 + 1.3 * 7, 9);
    }
  });

  it('draws the whole financial years only when the horizon cuts some short and two or more are whole', () => {
    const r = result();
    const [first, part] = r.cost.financialYears as [FinancialYearCost, FinancialYearCost];
    r.cost.financialYears = [{ ...part, label: '2017/18', months: 4 }, first, { ...first, label: '2019/20' }, part];
    const svg = forecastChart(r, 'cost');
    const points = parseXml(svg).elements.filter((e) => e.attributes.class === 'point');
    expect(points).toHaveLength(2);
    expect(svg).toContain('placement cost by financial year (whole years)');
    expect(svg).not.toContain('mo)');
    // one whole year and a part year: both drawn, as before
    expect(
      parseXml(forecastChart(result(), 'cost')).elements.filter((e) => e.attributes.class === 'point'),
    ).toHaveLength(2);
  });

  it('draws the budget line for cost and the recorded history before the forecast', () => {
    const cost = parseXml(forecastChart(result(), 'cost')).elements;
    expect(cost.filter((e) => e.attributes.class === 'budget')).toHaveLength(1);
    expect(cost.filter((e) => e.attributes.class === 'budget-point')).toHaveLength(1); // 2019/20 has no budget
    const withHistory = parseXml(
      forecastChart(result(), 'total', [
        { month: '2018-02', value: 350 },
        { month: '2018-03', value: 353 },
        { month: '2018-04', value: 999 },
      ]),
    ).elements;
    expect(withHistory.filter((e) => e.attributes.class === 'history')).toHaveLength(1);
    expect(
      parseXml(forecastChart(result(), 'total')).elements.filter((e) => e.attributes.class === 'history'),
    ).toHaveLength(0);
  });

  it('keeps every band inside the plot area and draws areas as closed paths', () => {
    const svg = fanChartSvg({
      title: 't',
      yLabel: 'y',
      x: ['a', 'b'],
      bands: { p10: [1, 2], p25: [2, 3], p50: [3, 4], p75: [4, 5], p90: [5, 6] },
      width: 400,
      height: 200,
    });
    const bands = parseXml(svg).elements.filter((e) => (e.attributes.class ?? '').startsWith('band'));
    expect(bands).toHaveLength(2);
    for (const b of bands) {
      expect(b.attributes.d).toMatch(/^M.*Z$/);
      const nums = (b.attributes.d ?? '').match(/-?\d+(\.\d+)?/g)!.map(Number);
      for (const n of nums) expect(n).toBeGreaterThanOrEqual(0);
      for (const n of nums) expect(n).toBeLessThanOrEqual(400);
    }
  });
});

describe('CSV export', () => {
  it('has an about, a financial-year, a monthly and an inputs section with plain names and rounded figures', () => {
    const r = result();
    const csv = scenarioCsv(r, {
      id: 'sc-1',
      scenario: { name: 'x', initial: [{ count: 3 }], capacity: { recruitmentPerYear: 12 } },
    });
    expect(csv.startsWith('\ufeffAbout\r\n')).toBe(true);
    const sections = csvSections(csv);
    expect(Object.keys(sections)).toEqual(['About', 'Cost by financial year', 'Children and cost by month', 'Inputs']);
    expect(sections.About).toContainEqual(['Monte Carlo runs', '4']);
    const [head, first, second] = sections['Cost by financial year']!;
    expect(head).toEqual([
      'Financial year',
      'Months in forecast',
      'Part year',
      'P10 (£)',
      'P50 (£)',
      'P90 (£)',
      'Mean (£)',
      'Budget (£)',
      'Chance over budget',
    ]);
    const fy = r.cost.financialYears[0]!;
    // whole pounds: 18,250,123.45 → 18250123; P10 = 18,250,123.45 − 1.3 × 400,000
    expect(first).toEqual([
      '2018/19',
      '12',
      'no',
      String(Math.round(fy.p10)),
      '18250123',
      String(Math.round(fy.p90)),
      '18250123',
      '18500000',
      '30.0%',
    ]);
    expect(second?.slice(0, 3)).toEqual(['2019/20', '1', 'yes']);
    expect(second?.slice(7)).toEqual(['', '']); // no budget for that year: empty, not 0
    const monthly = sections['Children and cost by month']!;
    expect(monthly[0]).toEqual([
      'Measure',
      'Month',
      'Placement',
      'Mean',
      'P5',
      'P10',
      'P25',
      'P50',
      'P75',
      'P90',
      'P95',
    ]);
    expect(monthly).toHaveLength(1 + 2 * MONTHS.length * (CATEGORIES.length + 1));
    const resi = monthly.find(
      (l) => l[0] === 'Children (end of month)' && l[1] === '2018-06' && l[2] === 'Residential',
    )!;
    expect(Number(resi[7])).toBe(Math.round(r.population.residential.p50[2]! * 10) / 10);
    const agencyCost = monthly.find(
      (l) => l[0] === 'Cost (£)' && l[1] === '2018-05' && l[2] === 'Agency fostering (IFA)',
    )!;
    expect(agencyCost[7]).toBe(String(Math.round(r.cost.monthly.agencyFoster.p50[1]!)));
    // nothing internal and nothing with more than one decimal
    expect(csv).not.toMatch(/agencyFoster|inHouseFoster/);
    for (const l of monthly.slice(1)) for (const c of l.slice(3)) expect(c).toMatch(/^-?\d+(\.\d)?$/);
    expect(sections.Inputs).toContainEqual(['capacity.recruitmentPerYear', '12', '']);
    expect(csvField('a,"b"')).toBe('"a,""b"""');
  });

  it('lists each sourced input with its source when the result carries them', () => {
    const r = { ...result(), inputs: { 'capacity.recruitmentPerYear': { value: 14, source: 'council profile' } } };
    const sections = csvSections(scenarioCsv(r, { scenario: { capacity: { recruitmentPerYear: 14 } } }));
    const rows = sections.Inputs!.filter((l) => l[0] === 'capacity.recruitmentPerYear');
    expect(rows).toEqual([['capacity.recruitmentPerYear', '14', 'council profile']]);
  });
});

describe('xlsx export', () => {
  it('opens in the library with the sheets, a real date cell and money equal to the JSON result', async () => {
    const r = result();
    const buf = await scenarioWorkbook({
      id: 'sc-1',
      scenario: {
        name: 'x',
        initial: [{ ageMonths: 10, category: 'kinship', count: 3 }],
        costs: { weekly: { residential: 4000 } },
      },
      result: r,
      generatedAt: new Date(Date.UTC(2026, 0, 2)),
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      SHEETS.about,
      SHEETS.children,
      SHEETS.costYears,
      SHEETS.costMonths,
      SHEETS.inHouse,
      SHEETS.inputs,
    ]);
    // About: numbers read as numbers (not 1900 dates), the first month as a month, when made as a date-time
    const about = wb.getWorksheet(SHEETS.about)!;
    const aboutRow = (item: string) => {
      let found: ExcelJS.Cell | undefined;
      about.eachRow((row) => {
        if (row.getCell(1).value === item) found = row.getCell(2);
      });
      return found!;
    };
    expect(aboutRow('Months').value).toBe(MONTHS.length);
    expect(aboutRow('Months').numFmt).toBe('#,##0');
    expect(aboutRow('Monte Carlo runs').numFmt).toBe('#,##0');
    expect(aboutRow('Seed').value).toBe(1);
    expect(aboutRow('Seed').numFmt).toBe('0');
    expect(aboutRow('First forecast month').numFmt).toBe('mmm yyyy');
    expect(aboutRow('Generated').numFmt).toBe('yyyy-mm-dd hh:mm');
    const children = wb.getWorksheet(SHEETS.children)!;
    const date = children.getCell('A2');
    expect(date.type).toBe(ExcelJS.ValueType.Date);
    expect((date.value as Date).toISOString()).toBe('2018-04-01T00:00:00.000Z');
    expect(date.numFmt).toBe('mmm yyyy');
    // a bold header row, frozen in place, with filter buttons
    expect(children.getCell('A1').font?.bold).toBe(true);
    expect(children.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(children.autoFilter).toBe(`A1:J${1 + MONTHS.length * (CATEGORIES.length + 1)}`);
    const years = wb.getWorksheet(SHEETS.costYears)!;
    expect(years.getCell('A2').value).toBe('2018/19');
    const p50 = years.getCell('F2');
    expect(p50.type).toBe(ExcelJS.ValueType.Number);
    expect(p50.value).toBe(r.cost.financialYears[0]!.p50);
    expect(p50.numFmt).toBe(MONEY);
    expect(years.getCell('H2').value).toBe(18_500_000);
    expect(years.getCell('I2').value).toBe(0.3);
    const inputs = wb.getWorksheet(SHEETS.inputs)!;
    // each input by its plain name, its value in pounds, and its path in a last, smaller column for analysts
    expect(inputs.getRow(1).values).toEqual([undefined, 'Input', 'Value', 'Name in the scenario', 'Value as stored']);
    const byPath = new Map<unknown, ExcelJS.Row>();
    inputs.eachRow((row) => byPath.set(row.getCell(3).value, row));
    const weekly = byPath.get('costs.weekly.residential')!;
    expect(weekly.getCell(1).value).toBe('Weekly cost, residential (£ a week)');
    expect(weekly.getCell(2).value).toBe('£4,000');
    expect(weekly.getCell(3).font?.size).toBe(9);
    expect(weekly.getCell(4).value).toBe(4000); // the number itself, for analysts
    expect(byPath.get('name')!.getCell(1).value).toBe('Scenario name');
    // in the reading order of the label table: the scenario's name first, then the children at the start
    expect(inputs.getCell('A2').value).toBe('Scenario name');
    expect(String(byPath.get('initial')!.getCell(2).value)).toMatch(/^3 children in care/);
  });

  it('exports a comparison with the paired savings of the summary', async () => {
    const base = outcomeOf({ name: 'Base', isBase: true }, result());
    const r2 = result();
    r2.runTotals!.financialYears = [
      [17.9e6, 18.05e6, 18.2e6, 18.5e6],
      [1.5e6, 1.55e6, 1.6e6, 1.6e6],
    ];
    const summary = summariseComparison([base, outcomeOf({ name: 'recruit 12', isBase: false, value: 12 }, r2)]);
    const buf = await comparisonWorkbook({
      id: 'cmp-1',
      summary,
      base: { name: 'b', initial: [] },
      spec: { sweep: { path: 'capacity.householdLossPerYear', values: [0.12] } },
      generatedAt: new Date(0),
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEETS.about, SHEETS.variants, SHEETS.savings, SHEETS.inputs]);
    const savings = wb.getWorksheet(SHEETS.savings)!;
    // row 4 = second variant, first year: mean saving (100k + 50k + 200k + 100k)/4
    expect(savings.getCell('A4').value).toBe('recruit 12');
    expect(savings.getCell('I4').value).toBe(summary.variants[1]!.saving!.financialYears[0]!.mean);
    expect(savings.getCell('I4').value).toBe(112_500);
    expect(savings.getCell('I4').numFmt).toBe(MONEY);
    // the comparison's own settings by label, a swept value in the unit of the input it varies
    const inputs = wb.getWorksheet(SHEETS.inputs)!;
    expect(inputs.getRow(2).values).toEqual([
      undefined,
      'Input the comparison varies',
      'In-house foster households lost a year (share)',
      'comparison.sweep.path',
      'capacity.householdLossPerYear',
    ]);
    expect(inputs.getRow(3).values).toEqual([undefined, 'Value compared 1', '12%', 'comparison.sweep.values.0', 0.12]);
  });

  it('heads a sweep’s values by the swept input’s name, each a number in the input’s unit', async () => {
    const book = async (path: string, value: number) => {
      const summary = summariseComparison([
        outcomeOf({ name: 'Base', isBase: true }, result()),
        outcomeOf({ name: 'v', isBase: false, value }, result()),
      ]);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(
        (await comparisonWorkbook({
          id: 'cmp-s',
          summary,
          base: { name: 'b', initial: [] },
          spec: { sweep: { path, values: [value] } },
          generatedAt: new Date(0),
        })) as unknown as ArrayBuffer,
      );
      return wb;
    };
    const loss = await book('capacity.householdLossPerYear', 0.125);
    for (const [name, row] of [
      [SHEETS.variants, 3],
      [SHEETS.savings, 4],
    ] as const) {
      const ws = loss.getWorksheet(name)!;
      expect(ws.getCell('B1').value).toBe('In-house foster households lost a year (share)');
      expect(ws.getCell(`B${row}`).value).toBe(0.125);
      expect(ws.getCell(`B${row}`).numFmt).toBe('0.0%');
    }
    const cost = (await book('costs.weekly.residential', 4500)).getWorksheet(SHEETS.variants)!;
    expect(cost.getCell('B1').value).toBe('Weekly cost, residential (£ a week)');
    expect(cost.getCell('B3').value).toBe(4500);
    expect(cost.getCell('B3').numFmt).toBe(MONEY);
    const member = (await book('councils.E06000031.capacity.recruitmentPerYear', 24)).getWorksheet(SHEETS.savings)!;
    expect(member.getCell('B1').value).toBe('E06000031: New in-house foster households a year');
    expect(member.getCell('B4').value).toBe(24);
  });

  it('exports a regional comparison with each council’s paired saving and its SE, and the SE of every saving', async () => {
    const baseCosts = [
      [1e6, 1.1e6, 1.2e6, 1.3e6],
      [2e6, 2.1e6, 2.2e6, 2.3e6],
    ];
    const line = (code: string, runCosts: number[][]) => ({
      code,
      financialYears: [],
      horizonTotal: { p10: 1, p50: 2, p90: 3 },
      runCosts,
    });
    const r2 = result();
    r2.runTotals!.financialYears = r2.runTotals!.financialYears.map((y) => y.map((c) => c - 60_000));
    const summary = summariseRegionalComparison([
      { ...outcomeOf({ name: 'Base', isBase: true }, result()), councils: [line('E06000031', baseCosts)] },
      {
        ...outcomeOf({ name: 'Regional hub', isBase: false }, r2),
        councils: [
          line(
            'E06000031',
            baseCosts.map((y) => y.map((c, r) => c - 40_000 - 10_000 * r)),
          ),
        ],
      },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      (await comparisonWorkbook({
        id: 'cmp-r',
        summary,
        base: { name: 'b', initial: [] },
        spec: {},
        generatedAt: new Date(0),
      })) as unknown as ArrayBuffer,
    );
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      SHEETS.about,
      SHEETS.variants,
      SHEETS.savings,
      SHEETS.councilSavings,
      SHEETS.inputs,
    ]);
    const councils = wb.getWorksheet(SHEETS.councilSavings)!;
    const saving = summary.variants[1]!.councils[0]!.saving!;
    // rows: each financial year, then the whole forecast
    expect(councils.getRow(2).values).toEqual([
      undefined,
      'Regional hub',
      'E06000031',
      saving.financialYears[0]!.label,
      saving.financialYears[0]!.mean,
      saving.financialYears[0]!.sd,
      saving.financialYears[0]!.se,
      saving.financialYears[0]!.p10,
      saving.financialYears[0]!.p50,
      saving.financialYears[0]!.p90,
      saving.financialYears[0]!.pSaves,
    ]);
    expect(councils.getCell('C4').value).toBe('whole forecast');
    expect(councils.getCell('D4').value).toBe(2 * 55_000);
    expect(councils.getCell('F4').value).toBeCloseTo(saving.horizon.sd / 2, 9);
    // the region's savings by year carry their SE too (a constant saving: SE 0)
    expect(wb.getWorksheet(SHEETS.savings)!.getCell('J4').value).toBe(
      summary.variants[1]!.saving!.financialYears[0]!.se,
    );
  });

  it('lists a regional base’s inputs by council in plain words, each council’s children its own', async () => {
    const council = (name: string | undefined, children: number, recruitment: number) => ({
      name: `${name ?? 'A county'} from April 2018`,
      ...(name ? { council: { code: 'x', name } } : {}),
      initial: [{ category: 'residential', count: children }],
      capacity: { recruitmentPerYear: recruitment, householdLossPerYear: 0.1 },
    });
    const base = {
      name: 'Eastern region',
      start: '2018-04',
      councils: [
        { code: 'E06000031', scenario: council('Peterborough', 353, 12) },
        { code: 'E10000003', scenario: council(undefined, 410, 20) },
      ],
      nts: { regionalTransfersPerMonth: 6, rule: 'rota' },
      shared: { residentialBeds: 10, weeklyCost: 3800 },
      budgets: { '2018/19': 41_000_000 },
    };
    const summary = summariseComparison([outcomeOf({ name: 'Base', isBase: true }, result())]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      (await comparisonWorkbook({
        id: 'cmp-r',
        summary,
        base,
        spec: {},
        generatedAt: new Date(0),
      })) as unknown as ArrayBuffer,
    );
    const rows = wb
      .getWorksheet(SHEETS.inputs)!
      .getSheetValues()
      .slice(2)
      .map((r) => (r as unknown[]).slice(1, 5));
    const byPath = new Map(rows.map((r) => [r[2], r]));
    expect(byPath.get('councils.0.scenario.capacity.recruitmentPerYear')).toEqual([
      'Peterborough (E06000031): New in-house foster households a year',
      '12',
      'councils.0.scenario.capacity.recruitmentPerYear',
      12,
    ]);
    expect(byPath.get('councils.1.scenario.capacity.householdLossPerYear')?.slice(0, 2)).toEqual([
      'E10000003: In-house foster households lost a year (share)',
      '10%',
    ]);
    expect(byPath.get('councils.1.code')?.slice(0, 2)).toEqual(['E10000003: Council code', 'E10000003']);
    expect(byPath.get('shared.weeklyCost')?.slice(0, 2)).toEqual([
      'Weekly cost of a shared residential bed, occupied or not (£ a week)',
      '£3,800',
    ]);
    expect(byPath.get('budgets.2018/19')?.slice(0, 2)).toEqual(['Budget 2018/19 (£)', '£41,000,000']);
    // each council's own children; the region has none of its own to list
    expect(byPath.get('councils.0.scenario.initial')?.slice(0, 2)).toEqual([
      'Peterborough (E06000031): Children in care at the start',
      '353 children in care at the start (1 line; child-level detail not exported)',
    ]);
    expect(byPath.get('councils.1.scenario.initial')?.[1]).toMatch(/^410 children in care at the start/);
    expect(byPath.has('initial')).toBe(false);
    // no dotted path in the plain-English column
    expect(rows.filter((r) => /[a-z]\.[a-z0-9]/i.test(String(r[0])))).toEqual([]);
  });

  it('flattens inputs to dotted paths and summarises long arrays', () => {
    expect(flattenInputs({ a: { b: 1, c: [1, 2] }, d: null })).toEqual([
      { path: 'a.b', value: 1 },
      { path: 'a.c.0', value: 1 },
      { path: 'a.c.1', value: 2 },
      { path: 'd', value: 'none' },
    ]);
    expect(flattenInputs({ xs: new Array(30).fill(0) })).toEqual([{ path: 'xs', value: '30 entries (not listed)' }]);
  });
});
