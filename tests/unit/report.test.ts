/**
 * The committee report read back: unzip the .docx, parse word/document.xml, and find the summary sentence with the
 * result's own money, the financial-year table, the inputs with their sources, the method, and the charts as SVG
 * pictures with PNG fallbacks that are real PNGs.
 */
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '#models/placement';
import type { FinancialYearCost, ForecastResult, Quantiles, Series } from '#models/result';
import { outcomeOf, summariseComparison } from '#models/compare';
import { comparisonReport, scenarioReport } from '#functions/render/report';
import { summariseRegionalComparison } from '../../models/region/compare.js';
import { shortMoney } from '../../web/js/chart-core.js';
import { readDocx } from '../fixtures/docx-text.js';
import { scalarQuantiles, spreadingQuantiles } from '../fixtures/quantiles.js';

const MONTHS = Array.from(
  { length: 24 },
  (_, i) => `${2019 + Math.floor((3 + i) / 12)}-${String(((3 + i) % 12) + 1).padStart(2, '0')}`,
);
const q = (c: number): Quantiles => spreadingQuantiles(MONTHS, c, 4);
const s = scalarQuantiles;

function result(): ForecastResult {
  const by = (base: number) =>
    Object.fromEntries([...CATEGORIES, 'total'].map((c, k) => [c, q(base + k)])) as Record<Series, Quantiles>;
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, s(1e6, 1e4)])) as FinancialYearCost['byCategory'];
  return {
    scenarioName: 'Committee test',
    months: MONTHS,
    runs: 500,
    seed: 7,
    population: by(30),
    cost: {
      monthly: by(1e6),
      financialYears: [
        {
          ...s(19_000_000, 1_300_000),
          label: '2019/20',
          months: 12,
          partial: false,
          byCategory,
          budget: 19_300_000,
          pOverBudget: 0.3,
        },
        {
          ...s(19_600_000, 1_400_000),
          label: '2020/21',
          months: 12,
          partial: false,
          byCategory,
          budget: 20_000_000,
          pOverBudget: 0.41,
        },
      ],
      priceBase: '2019-04',
    },
    inHouse: { capacity: q(170), households: q(106), occupancy: q(165), overflow: q(1), overflowTotal: s(12, 3) },
    uasc: null,
    moves: q(3),
    entries: q(15),
    exits: q(14),
    warnings: ['budgets.2021/22 is outside the forecast horizon'],
    elapsedMs: 1,
  };
}

describe('committee report (.docx)', () => {
  it('reads back with the summary in money, the year table, inputs with sources, the method and the charts', async () => {
    const r = {
      ...result(),
      inputs: { 'costs.weekly.residential': { value: 4200, source: 'council profile 2019' } },
    };
    const bytes = await scenarioReport({
      id: 'sc-9',
      scenario: { name: 'Committee test', initial: [{ count: 300 }], capacity: { recruitmentPerYear: 14 } },
      result: r,
      history: [{ month: '2019-03', value: 31 }],
      generatedAt: new Date(Date.UTC(2026, 11, 6, 12)),
    });
    const doc = readDocx(new Uint8Array(bytes));
    // P10 = 19.0m − 1.3 × 1.3m = 17.31m; P90 = 20.69m
    expect(doc.text).toContain(
      'Placements are forecast to cost £19.0m in 2019/20, between £17.3m and £20.7m; there is a 30% chance of exceeding the £19.3m budget.',
    );
    expect(doc.text).toContain('there is a 41% chance of exceeding the £20.0m budget.');
    expect(doc.text).toContain('£19,000,000'); // the table's median
    // inputs by their plain names, values in their units, the path in brackets after the source
    expect(doc.text).toContain(
      'Weekly cost, residential (£ a week)\n£4,200\ncouncil profile 2019 (costs.weekly.residential)',
    );
    expect(doc.text).toContain(
      'New in-house foster households a year\n14\nscenario setting (capacity.recruitmentPerYear)',
    );
    expect(doc.text).toContain('300 children in care at the start');
    expect(doc.text).toContain('Monte Carlo');
    // a warning names the input by its label; the path stays in the inputs table only
    expect(doc.text).toContain('Budget 2021/22 is outside the forecast horizon');
    expect(doc.text).not.toContain('budgets.2021/22');
    expect(doc.tables).toBe(2);
    // three charts, each an SVG with a PNG fallback
    const svgs = doc.media.filter((m) => m.endsWith('.svg'));
    const pngs = doc.media.filter((m) => m.endsWith('.png'));
    expect(svgs).toHaveLength(3);
    expect(pngs).toHaveLength(3);
    for (const p of pngs) expect([...doc.files[p]!.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(new TextDecoder().decode(doc.files[svgs[0]!])).toContain('Budget');
  });

  it('names each input in plain English with its value in its unit, the path only in brackets after the source', async () => {
    const r = {
      ...result(),
      warnings: [
        'capacity.inHouseHouseholds {"p10":100,"p90":116} averages fewer than the 110 households the 176 children need',
        'capacity.householdLossPerYear = 0.1 is the Peterborough 2018 example value',
      ],
      uncertainty: { inputs: ['capacity.inHouseHouseholds', 'costs.weekly.residential'] },
    } as ForecastResult;
    const doc = readDocx(
      new Uint8Array(
        await scenarioReport({
          id: 'sc-10',
          scenario: {
            name: 'Ranges',
            initial: [{ count: 353 }],
            capacity: {
              inHouseHouseholds: { p10: 100, p90: 116 },
              householdLossPerYear: 0.1,
              stepAcrossProbability: { min: 0, mode: 0.01, max: 0.03 },
            },
            costs: { priceBase: '2018-04', weekly: { residential: { min: 3000, mode: 4000, max: 6000 } } },
            budgets: { '2019/20': 19_300_000 },
            parameters: { entryDrift: { sdPerYear: 0.1 } },
            uasc: { transfersPerMonthWhenOnRota: { min: 0.5, mode: 1, max: 1.5 } },
            sources: {
              capacity: 'council sufficiency statement 2018, fostering chapter',
              'costs.weekly.residential': 'seed 002 (2017)',
            },
          },
          result: r,
          generatedAt: new Date(0),
        }),
      ),
    );
    const row = (label: string, value: string, source: string) => `${label}\n${value}\n${source}`;
    expect(doc.text).toContain(
      row(
        'In-house foster households at the start',
        '100–116 (8 in 10)',
        'council sufficiency statement 2018, fostering chapter (capacity.inHouseHouseholds)',
      ),
    );
    // the same long source on the next row is not repeated
    expect(doc.text).toContain(
      row('In-house foster households lost a year (share)', '10%', 'as above (capacity.householdLossPerYear)'),
    );
    expect(doc.text).toContain(
      row(
        'Chance a month that a child in agency fostering moves to a free in-house place',
        'between 0% and 3%, most likely 1% (triangular)',
        'as above (capacity.stepAcrossProbability)',
      ),
    );
    expect(doc.text).toContain(
      row(
        'Weekly cost, residential (£ a week)',
        'between £3,000 and £6,000, most likely £4,000 (triangular)',
        'seed 002 (2017) (costs.weekly.residential)',
      ),
    );
    expect(doc.text).toContain(row('Budget 2019/20 (£)', '£19,300,000', 'scenario setting (budgets.2019/20)'));
    expect(doc.text).toContain(
      row('Month the weekly costs are priced at', 'April 2018', 'scenario setting (costs.priceBase)'),
    );
    expect(doc.text).toContain(
      row(
        'Year-to-year drift of the entry rate (sd of its log, a year)',
        '0.1',
        'scenario setting (parameters.entryDrift.sdPerYear)',
      ),
    );
    expect(doc.text).toContain(
      row(
        'UASC transfers a month while on the rota',
        'between 0.5 and 1.5, most likely 1 (triangular)',
        'scenario setting (uasc.transfersPerMonthWhenOnRota)',
      ),
    );
    // the sources are the rows' sources, not rows of their own
    expect(doc.text).not.toContain('sources.');
    // the warnings and the ranges named in the method by their labels, values in their units
    expect(doc.text).toContain(
      'In-house foster households at the start 100–116 (8 in 10) averages fewer than the 110 households the 176 children need',
    );
    expect(doc.text).toContain('In-house foster households lost a year = 10% is the Peterborough 2018 example value');
    expect(doc.text).toContain(
      'Inputs given as ranges, drawn once per simulated future: In-house foster households at the start; Weekly cost, residential.',
    );
    // a path appears only in brackets at the end of its row in the inputs table
    for (const path of ['capacity.inHouseHouseholds', 'costs.weekly.residential', 'capacity.householdLossPerYear']) {
      const lines = doc.text.split('\n').filter((l) => l.includes(path));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`\\(${path.replace(/\./g, '\\.')}\\)$`));
    }
  });

  it('reports a comparison with the base saying its value and the saving in money', async () => {
    const base = outcomeOf({ name: 'Base', isBase: true }, { ...result(), runTotals: totals(0) });
    const v12 = outcomeOf(
      { name: '12 new carer households a year', isBase: false, value: 12 },
      { ...result(), runTotals: totals(0) },
    );
    const v24 = outcomeOf(
      { name: '24 new carer households a year', isBase: false, value: 24 },
      { ...result(), runTotals: totals(200_000) },
    );
    const summary = summariseComparison([base, v12, v24]);
    const doc = readDocx(
      new Uint8Array(
        await comparisonReport({
          id: 'cmp-1',
          summary,
          base: {},
          sweepPath: 'capacity.recruitmentPerYear',
          baseValue: 12,
          generatedAt: new Date(0),
        }),
      ),
    );
    // the 12-a-year variant is the base itself: named only as the base, in each table that lists the base
    const asBase = doc.text.match(/Base: 12 new carer households a year \(today’s plan\)/g) ?? [];
    expect(asBase.length).toBeGreaterThan(0);
    expect(doc.text.match(/12 new carer households a year/g)).toHaveLength(asBase.length);
    expect(doc.text).toContain('24 new carer households a year would save £400k over the forecast');
    expect(doc.media.filter((m) => m.endsWith('.png'))).toHaveLength(1);
    // a council's recruitment targets keep their words
    expect(doc.text).toContain('500 simulated futures per target, the same for every target');
    expect(doc.text).toContain('\nTarget\n2019/20\n');
    expect(doc.text).toContain('one of the council’s own foster carers');
    expect(doc.text).toContain('rates estimated from the council’s SSDA903 placement records');
  });

  it('words a regional comparison as plans across the region’s councils, summarising the first whole year with a budget', async () => {
    const line = (code: string) => ({
      code,
      financialYears: [],
      horizonTotal: { p10: 1, p50: 2, p90: 3 },
      runCosts: [
        [1e6, 1e6, 1e6, 1e6],
        [1e6, 1e6, 1e6, 1e6],
      ],
    });
    // the region's budget is set for the second whole year only
    const laterBudget = (): ForecastResult => {
      const r = result();
      const [first, second] = r.cost.financialYears;
      r.cost.financialYears = [{ ...first!, budget: undefined, pOverBudget: undefined }, second!];
      return r;
    };
    const summary = summariseRegionalComparison([
      {
        ...outcomeOf({ name: 'Base', isBase: true }, { ...laterBudget(), runTotals: totals(0) }),
        councils: [line('E06000031'), line('E10000003')],
      },
      {
        ...outcomeOf({ name: 'Regional hub 30 a year', isBase: false }, { ...laterBudget(), runTotals: totals(0) }),
        councils: [line('E06000031'), line('E10000003')],
      },
    ]);
    const doc = readDocx(
      new Uint8Array(await comparisonReport({ id: 'cmp-r', summary, base: {}, generatedAt: new Date(0) })),
    );
    const second = summary.variants[0]!.financialYears[1]!;
    expect(second.label).toBe('2020/21');
    expect(doc.text).toContain(
      `Placements across the region’s 2 councils are forecast to cost ${shortMoney(second.p50)} in 2020/21, between ${shortMoney(second.p10)} and ${shortMoney(second.p90)}; there is a ${Math.round(second.pOverBudget! * 100)}% chance of exceeding the £20.0m regional budget. (today’s plan)`,
    );
    expect(doc.text).toContain('500 simulated futures per plan, the same for every plan (common random numbers)');
    expect(doc.text).toContain('\nPlan\n2019/20\n2020/21\n');
    expect(doc.text).toContain('\nPlan\nResidential\n');
    expect(doc.text).toContain('added up across the region’s councils over the whole forecast');
    expect(doc.text).toContain('next of the region’s councils below its threshold');
    expect(doc.text).not.toMatch(/target|the council’s/i);
    // as the scenario report's summary does
    const scenario = readDocx(
      new Uint8Array(
        await scenarioReport({ id: 'sc-1', scenario: {}, result: laterBudget(), generatedAt: new Date(0) }),
      ),
    );
    expect(scenario.text).toContain(
      `Summary\nPlacements are forecast to cost ${shortMoney(second.p50)} in 2020/21, between ${shortMoney(second.p10)} and ${shortMoney(second.p90)}; there is a ${Math.round(second.pOverBudget! * 100)}% chance of exceeding the £20.0m budget.\n`,
    );
  });

  it('titles a council’s comparison by what it compares: recruitment targets, another input’s values, or plans', async () => {
    const base = outcomeOf({ name: 'Base', isBase: true }, { ...result(), runTotals: totals(0) });
    const variant = (name: string, value?: number) =>
      outcomeOf(
        { name, isBase: false, ...(value !== undefined ? { value } : {}) },
        { ...result(), runTotals: totals(1) },
      );
    const text = async (summary: ReturnType<typeof summariseComparison>, sweepPath?: string) =>
      readDocx(
        new Uint8Array(
          await comparisonReport({
            id: 'cmp-t',
            summary,
            base: {},
            ...(sweepPath ? { sweepPath } : {}),
            generatedAt: new Date(0),
          }),
        ),
      ).text;
    const recruit = await text(
      summariseComparison([base, variant('24 new carer households a year', 24)]),
      'capacity.recruitmentPerYear',
    );
    expect(recruit).toContain('Recruitment targets compared');
    expect(recruit).toContain('per target');
    const prices = await text(
      summariseComparison([base, variant('Weekly cost, residential (£ a week): £4,500', 4500)]),
      'costs.weekly.residential',
    );
    expect(prices).toContain('Weekly cost, residential (£ a week): values compared');
    expect(prices).not.toMatch(/[Rr]ecruitment targets|per target/);
    const plans = await text(summariseComparison([base, variant('Dearer residential')]));
    expect(plans).toContain('Plans compared');
    expect(plans).toContain('per plan');
    expect(plans).not.toMatch(/[Rr]ecruitment targets|per target/);
  });

  it('reports a regional comparison with each council’s own saving and its standard error', async () => {
    const line = (code: string, runCosts: number[][]) => ({
      code,
      financialYears: [],
      horizonTotal: { p10: 1, p50: 2, p90: 3 },
      runCosts,
    });
    const baseCosts = [
      [1e6, 1.1e6, 1.2e6, 1.3e6],
      [2e6, 2.1e6, 2.2e6, 2.3e6],
    ];
    const base = {
      ...outcomeOf({ name: 'Base', isBase: true }, { ...result(), runTotals: totals(0) }),
      councils: [line('E06000031', baseCosts), line('E10000003', baseCosts)],
    };
    // the hub saves the first council 40k–70k a year, run by run; the second exactly nothing
    const hub = {
      ...outcomeOf({ name: 'Regional hub 30 a year', isBase: false }, { ...result(), runTotals: totals(100_000) }),
      councils: [
        line(
          'E06000031',
          baseCosts.map((year) => year.map((c, r) => c - 40_000 - 10_000 * r)),
        ),
        line('E10000003', baseCosts),
      ],
    };
    const summary = summariseRegionalComparison([base, hub]);
    const first = summary.variants[1]!.councils[0]!.saving!.horizon;
    expect(first.mean).toBe(2 * (40_000 + 15_000));
    expect(first.se).toBeCloseTo(first.sd / 2, 9);
    expect(summary.variants[1]!.councils[1]!.saving!.horizon).toMatchObject({ mean: 0, sd: 0, se: 0 });
    const doc = readDocx(
      new Uint8Array(await comparisonReport({ id: 'cmp-r', summary, base: {}, generatedAt: new Date(0) })),
    );
    expect(doc.text).toContain('Regional plans compared');
    expect(doc.text).toContain('Savings by council');
    expect(doc.text).toContain(`E06000031\n${shortMoney(first.mean)}\n${shortMoney(first.se)}\n`);
    expect(doc.text).toContain(`E10000003\n${shortMoney(0)}\n${shortMoney(0)}\n`);
    expect(doc.text).not.toContain('New in-house carer households a year');
  });

  it('a regional comparison’s council lines add up to the region’s saving, with the shared places left empty', async () => {
    const line = (code: string, runCosts: number[][]) => ({
      code,
      financialYears: [],
      horizonTotal: { p10: 1, p50: 2, p90: 3 },
      runCosts,
    });
    const baseCosts = [
      [1e6, 1.1e6, 1.2e6, 1.3e6],
      [2e6, 2.1e6, 2.2e6, 2.3e6],
    ];
    // the region's budget covers the first year only
    const oneBudget = (): ForecastResult => {
      const r = result();
      const [first, second] = r.cost.financialYears;
      r.cost.financialYears = [first!, { ...second!, budget: undefined, pOverBudget: undefined }];
      return r;
    };
    const base = {
      ...outcomeOf({ name: 'Base', isBase: true }, { ...oneBudget(), runTotals: totals(0) }),
      councils: [line('E06000031', baseCosts), line('E10000003', baseCosts)],
    };
    // a hub: each council saves £60k a year in every run (£120k over the two years); the region £100k a year, as its
    // hub's empty places cost it £20k a year more than the base's
    const hub = {
      ...outcomeOf({ name: 'Regional hub 30 a year', isBase: false }, { ...oneBudget(), runTotals: totals(100_000) }),
      councils: [
        line(
          'E06000031',
          baseCosts.map((year) => year.map((c) => c - 60_000)),
        ),
        line(
          'E10000003',
          baseCosts.map((year) => year.map((c) => c - 60_000)),
        ),
      ],
    };
    const summary = summariseRegionalComparison([base, hub]);
    expect(summary.variants[1]!.saving!.horizon.mean).toBe(200_000);
    const regionalBase = {
      councils: [
        { code: 'E06000031', scenario: { council: { code: 'E06000031', name: 'Peterborough' } } },
        { code: 'E10000003', scenario: { council: { code: 'E10000003', name: 'Cambridgeshire' } } },
      ],
    };
    const doc = readDocx(
      new Uint8Array(await comparisonReport({ id: 'cmp-r', summary, base: regionalBase, generatedAt: new Date(0) })),
    );
    const section = doc.text.slice(doc.text.indexOf('Savings by council'));
    // named councils, £120k + £120k − £40k = £200k, the region's own line with its SE, P10–P90 and share cheaper
    expect(section).toContain('Regional hub 30 a year\nPeterborough (E06000031)\n£120k\n£0\n£120k to £120k\n100%\n');
    expect(section).toContain('Regional hub 30 a year\nCambridgeshire (E10000003)\n£120k\n£0\n');
    expect(section).toContain(
      'Regional hub 30 a year\nShared places left empty (change in their block cost)\n−£40k\n–\n–\n–\n',
    );
    expect(section).toContain('Regional hub 30 a year\nRegion (total)\n£200k\n£0\n£200k to £200k\n100%\n');
    expect(section).not.toMatch(/\nE06000031\n/);
    // a year with a budget has a chance over it, in words; a year without says so, not "– over budget"
    const years = summary.variants[1]!.financialYears;
    expect(years[0]!.budget).toBe(19_300_000);
    expect(years[1]!.budget).toBeUndefined();
    expect(doc.text).toContain(
      `Regional hub 30 a year\n${shortMoney(years[0]!.p50)} (${Math.round(years[0]!.pOverBudget! * 100)}% chance over budget)\n${shortMoney(years[1]!.p50)} (no budget)\n`,
    );
    expect(doc.text).not.toContain('– over budget');
  });
});

/** per-run costs: two years × 4 runs, each year cheaper than the base by `saving` */
function totals(saving: number): NonNullable<ForecastResult['runTotals']> {
  return {
    financialYears: [
      [19e6 - saving, 19.1e6 - saving, 19.2e6 - saving, 19.3e6 - saving],
      [19.5e6 - saving, 19.6e6 - saving, 19.7e6 - saving, 19.8e6 - saving],
    ],
    horizonPopulation: Object.fromEntries([...CATEGORIES, 'total'].map((c) => [c, [1, 2, 3, 4]])) as never,
    overflowTotal: [1, 2, 3, 4],
  };
}
