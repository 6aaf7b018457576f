/**
 * A finance officer's audit of the money, end to end: tiny deterministic scenarios (one run or a few, nothing enters,
 * moves or leaves) whose pounds are worked by hand here, never by calling the code under test. Each test pins a rule a
 * committee paper relies on: a month is charged at days ÷ 7 weeks (February 2020 and 2024 have 29 days), prices are
 * those of the price base's financial year, moved by a year's inflation at each 1 April (divided for years before the
 * price base), a category's own inflation, part years at each end of the horizon, Staying Put in the gross, the UASC
 * grant by day and by age, net = gross − grant (below zero when the grant is more than the cost), and the budget test
 * against the gross or the net.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { pounds, scenarioCsv } from '#functions/render/csv';
import { comparisonReport, scenarioReport } from '#functions/render/report';
import { comparisonWorkbook, MONEY, SHEETS, scenarioWorkbook } from '#functions/render/xlsx';
import { outcomeOf, summariseComparison } from '#models/compare';
import { mergeShards, ShardMismatch, simulate, simulateShard } from '#models/engine';
import { CATEGORIES } from '#models/placement';
import { parseScenario, type Scenario, type ScenarioInput } from '#models/scenario';
import { money } from '../../web/js/format.js';
import { summarySentence } from '../../web/js/words.js';
import { csvSections } from '../fixtures/csv-sections.js';
import { readDocx } from '../fixtures/docx-text.js';

const parse = (input: ScenarioInput): Scenario => {
  const p = parseScenario(input);
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  return p.value;
};

/** no entries, no moves, no exits: the children at the start stay where they are */
const still = { entriesPerMonth: {}, exitProbability: {}, moveProbability: {} };

/** every quantile of a figure from identical runs is the figure itself */
const QUANTILE_KEYS = ['p5', 'p10', 'p25', 'p50', 'p75', 'p90', 'p95'] as const;

describe('the monthly charge: weekly cost × days ÷ 7 at the price base’s financial year', () => {
  it('February 2020 and February 2024 are 29/7 weeks, February 2023 28/7; inflation steps on 1 April', () => {
    const r = simulate(
      parse({
        name: 'leap years',
        start: '2020-01',
        horizonMonths: 51,
        runs: 1,
        childPopulation: { base: 10000 },
        parameters: still,
        initial: [{ ageMonths: 24, category: 'inHouseFoster' }],
        costs: { priceBase: '2019-04', annualInflation: 0.02, weekly: { inHouseFoster: 700 } },
      }),
    );
    const at = (m: string) => r.cost.monthly.inHouseFoster.mean[r.months.indexOf(m)];
    // 2019/20 prices: £700 a week is £100 a day
    expect(at('2020-01')).toBeCloseTo(3100, 9);
    expect(at('2020-02')).toBeCloseTo(2900, 9); // 29 days
    expect(at('2020-03')).toBeCloseTo(3100, 9);
    // 2020/21: +2% from 1 April 2020
    expect(at('2020-04')).toBeCloseTo(3000 * 1.02, 9);
    expect(at('2021-02')).toBeCloseTo(2800 * 1.02, 9);
    // 2022/23: three steps; February 2023 has 28 days
    expect(at('2023-02')).toBeCloseTo(2800 * 1.02 ** 3, 9);
    // 2023/24: four steps; February 2024 has 29 days
    expect(at('2024-02')).toBeCloseTo(2900 * 1.02 ** 4, 9);
    expect(at('2024-03')).toBeCloseTo(3100 * 1.02 ** 4, 9);
    // the total is the one child's cost
    expect(r.cost.monthly.total.mean[r.months.indexOf('2024-02')]).toBeCloseTo(2900 * 1.02 ** 4, 9);
    // 2019/20 holds January–March 2020 only (91 days, 2020 a leap year), a part year
    const [fy1920, fy2021] = r.cost.financialYears;
    expect(fy1920).toMatchObject({ label: '2019/20', months: 3, partial: true });
    expect(fy1920?.mean).toBeCloseTo(100 * 91, 6);
    expect(fy2021).toMatchObject({ label: '2020/21', months: 12, partial: false });
    expect(fy2021?.mean).toBeCloseTo(100 * 365 * 1.02, 6);
  });

  // a horizon from October 2023 to March 2025, prices of 2024/25 (June 2024), 5% a year overall and 10% for residential
  const midYear = (over: Partial<ScenarioInput> = {}) =>
    parse({
      name: 'mid-year start',
      start: '2023-10',
      horizonMonths: 18,
      runs: 1,
      childPopulation: { base: 10000 },
      parameters: still,
      initial: [
        { ageMonths: 60, category: 'inHouseFoster' },
        { ageMonths: 60, category: 'residential', count: 2 },
      ],
      costs: {
        priceBase: '2024-06',
        annualInflation: 0.05,
        weekly: { inHouseFoster: 700, residential: 5000 },
        inflationByCategory: { residential: 0.1 },
      },
      ...over,
    });

  it('a price base in a later financial year divides the earlier year by (1 + inflation); a category’s own rate', () => {
    const r = simulate(midYear());
    const at = (k: 'inHouseFoster' | 'residential', m: string) => r.cost.monthly[k].mean[r.months.indexOf(m)];
    // October 2023 is in 2023/24, a year before the price base's 2024/25
    expect(at('inHouseFoster', '2023-10')).toBeCloseTo(3100 / 1.05, 9);
    expect(at('inHouseFoster', '2024-02')).toBeCloseTo(2900 / 1.05, 9);
    expect(at('residential', '2024-02')).toBeCloseTo((2 * 5000 * 29) / 7 / 1.1, 9);
    // April 2024 to March 2025 is at the price base's own prices, whatever the month of the price base
    expect(at('inHouseFoster', '2024-04')).toBeCloseTo(3000, 9);
    expect(at('residential', '2025-02')).toBeCloseTo(40000, 9);
    expect(at('residential', '2025-03')).toBeCloseTo((2 * 5000 * 31) / 7, 9);
  });

  it('the price base may be any month up to the forecast’s last, and not the month after (as its message says)', () => {
    // October 2023 – March 2025: a price base of March 2025 is 2024/25 prices, as June 2024's
    const atLast = simulate(
      midYear({ costs: { priceBase: '2025-03', annualInflation: 0.05, weekly: { inHouseFoster: 700 } } }),
    );
    expect(atLast.cost.monthly.inHouseFoster.mean[0]).toBeCloseTo(3100 / 1.05, 9); // October 2023
    expect(atLast.cost.monthly.inHouseFoster.mean[6]).toBeCloseTo(3000, 9); // April 2024
    // a month before the start is fine too: 2022/23 prices, two steps to 2024/25
    const early = simulate(
      midYear({ costs: { priceBase: '2022-06', annualInflation: 0.05, weekly: { inHouseFoster: 700 } } }),
    );
    expect(early.cost.monthly.inHouseFoster.mean[6]).toBeCloseTo(3000 * 1.05 ** 2, 9);
    // April 2025, the month after the last, was let through although the message said "after the forecast horizon"
    const after = parseScenario({
      ...(midYear() as unknown as ScenarioInput),
      costs: { priceBase: '2025-04', annualInflation: 0.05, weekly: { inHouseFoster: 700 } },
    });
    expect(!after.ok && after.issues.filter((i) => i.path === 'costs.priceBase')).toEqual([
      { path: 'costs.priceBase', code: 'custom', message: "must not be after the forecast's last month (2025-03)" },
    ]);
  });

  it('part years at each end: October–March is 6 months (183 days), flagged partial; categories add to the total', () => {
    const r = simulate(midYear());
    const [a, b] = r.cost.financialYears;
    expect(r.cost.financialYears).toHaveLength(2);
    expect(a).toMatchObject({ label: '2023/24', months: 6, partial: true });
    expect(b).toMatchObject({ label: '2024/25', months: 12, partial: false });
    // 2023/24: 31 + 30 + 31 + 31 + 29 + 31 = 183 days
    const inHouse1 = (700 * 183) / 7 / 1.05; // £17,428.57
    const resi1 = (2 * 5000 * 183) / 7 / 1.1; // £237,662.34
    const inHouse2 = (700 * 365) / 7; // £36,500.00
    const resi2 = (2 * 5000 * 365) / 7; // £521,428.57
    expect(a?.byCategory.inHouseFoster.mean).toBeCloseTo(inHouse1, 6);
    expect(a?.byCategory.residential.mean).toBeCloseTo(resi1, 6);
    expect(a?.mean).toBeCloseTo(inHouse1 + resi1, 6);
    expect(a?.mean).toBeCloseTo(255090.91, 2);
    expect(b?.byCategory.inHouseFoster.mean).toBeCloseTo(inHouse2, 6);
    expect(b?.byCategory.residential.mean).toBeCloseTo(resi2, 6);
    expect(b?.mean).toBeCloseTo(557928.57, 2);
    for (const k of QUANTILE_KEYS) expect(b?.[k]).toBeCloseTo(inHouse2 + resi2, 6);
    // the months of a year add to the year
    const monthsOf = (from: number, to: number) => r.cost.monthly.total.mean.slice(from, to).reduce((x, y) => x + y, 0);
    expect(monthsOf(0, 6)).toBeCloseTo(a!.mean, 6);
    expect(monthsOf(6, 18)).toBeCloseTo(b!.mean, 6);
  });

  it('Staying Put is in the gross, in its own line and not in a category, in the months it runs', () => {
    // a young person of 17 years 11 months in in-house care turns 18 in October 2023 and stays on for 6 month-ends
    const r = simulate(
      midYear({
        initial: [
          { ageMonths: 60, category: 'inHouseFoster' },
          { ageMonths: 215, category: 'inHouseFoster' },
        ],
        stayingPut: { share: 1, months: 6, weekly: 300 },
      }),
    );
    const [a, b] = r.cost.financialYears;
    const sp = (300 * 183) / 7 / 1.05; // October 2023 – March 2024 at in-house prices: £7,469.39
    expect(a?.stayingPut?.mean).toBeCloseTo(sp, 6);
    expect(b?.stayingPut?.mean).toBe(0);
    expect(a?.byCategory.inHouseFoster.mean).toBeCloseTo((700 * 183) / 7 / 1.05, 6);
    expect(a?.mean).toBeCloseTo((700 * 183) / 7 / 1.05 + sp, 6);
    // with nothing to net off, the net is the gross
    expect(a?.net?.mean).toBeCloseTo(a!.mean, 6);
  });
});

describe('budgets: the chance over budget compares the right figure', () => {
  const oneYear = (budget: ScenarioInput['budgets']) =>
    simulate(
      parse({
        name: 'budget',
        start: '2024-04',
        horizonMonths: 12,
        runs: 2,
        childPopulation: { base: 10000 },
        parameters: still,
        initial: [{ ageMonths: 60, category: 'agencyFoster' }],
        costs: { priceBase: '2024-04', annualInflation: 0, weekly: { agencyFoster: 700 } },
        budgets: budget,
      }),
    ).cost.financialYears[0]!;

  it('over means above the budget: £36,500 against £36,499 is over, against £36,500 it is not', () => {
    // 365 days × £100
    expect(oneYear({ '2024/25': 36_499 }).pOverBudget).toBe(1);
    expect(oneYear({ '2024/25': 36_500 }).pOverBudget).toBe(0);
    expect(oneYear({ '2024/25': { gross: 36_499 } }).pOverBudget).toBe(1);
    expect(oneYear({ '2024/25': 36_499 }).budgetBasis).toBeUndefined();
  });
});

/**
 * Two UASC of 12½ and one of 15 years 10 months in supported accommodation at £300 a week, January–June 2024, with
 * a dated grant schedule: the grant is more than the cost, so the net is below zero.
 */
const uascScenario = (over: Partial<ScenarioInput> = {}) =>
  parse({
    name: 'grant by hand',
    start: '2024-01',
    horizonMonths: 6,
    runs: 3,
    childPopulation: { base: 10000 },
    parameters: still,
    initial: [
      { ageMonths: 150, category: 'supported', uasc: true, count: 2 },
      { ageMonths: 190, category: 'supported', uasc: true },
    ],
    uasc: {
      initial: 3,
      thresholds: [{ from: '2016-07-01', rate: 0.0007 }],
      transfersPerMonthWhenOnRota: 0,
      spontaneousPerMonth: 0,
      arrivalAge: { '16': 1 },
      arrivalPlacement: { supported: 1 },
    },
    costs: { priceBase: '2024-01', annualInflation: 0, weekly: { supported: 300 } },
    uascGrant: {
      rates: [
        { from: '2023-04-01', dailyUnder16: 143, daily16to17: 100 },
        { from: '2024-03-15', dailyUnder16: 150, daily16to17: 110 },
      ],
    },
    ...over,
  });

describe('UASC grant by hand: dated rates by day, the 16th birthday, the higher rate, and a net below zero', () => {
  // January: three under 16 (the eldest is 191 months at the end of January) × 31 × £143
  const jan = 3 * 143 * 31; // 13,299
  // February: the eldest is 16 at the end of February, so the whole month at the 16–17 rate; 29 days (2024)
  const feb = 2 * 143 * 29 + 100 * 29; // 11,194
  // March: 1–14 March at the old rates, 15–31 March (17 days) at the new
  const mar = 2 * (14 * 143 + 17 * 150) + (14 * 100 + 17 * 110); // 12,374
  const apr = 2 * 150 * 30 + 110 * 30; // 12,300
  const may = 2 * 150 * 31 + 110 * 31; // 12,710
  const jun = apr;
  const gross = (3 * 300 * 91) / 7; // 91 days in each part year: £11,700

  it('income by month and by financial year, to the pound', () => {
    const r = simulate(uascScenario());
    expect(r.uascGrant?.income.mean).toEqual([jan, feb, mar, apr, may, jun]);
    expect([jan, feb, mar, apr, may, jun]).toEqual([13299, 11194, 12374, 12300, 12710, 12300]);
    const [a, b] = r.cost.financialYears;
    expect(a?.grantIncome?.mean).toBe(jan + feb + mar); // 36,867 in 2023/24
    expect(b?.grantIncome?.mean).toBe(apr + may + jun); // 37,310 in 2024/25
    expect(a?.mean).toBeCloseTo(gross, 6);
    expect(b?.mean).toBeCloseTo(gross, 6);
  });

  it('a net cost below zero keeps its sign in every quantile, not only the mean', () => {
    const r = simulate(uascScenario());
    const [a, b] = r.cost.financialYears;
    const net1 = gross - (jan + feb + mar); // −£25,167
    const net2 = gross - (apr + may + jun); // −£25,610
    expect(a?.net?.mean).toBeCloseTo(net1, 6);
    expect(b?.net?.mean).toBeCloseTo(net2, 6);
    for (const k of QUANTILE_KEYS) {
      expect(a?.net?.[k]).toBeCloseTo(net1, 6);
      expect(b?.net?.[k]).toBeCloseTo(net2, 6);
    }
    expect(a?.net?.p50).toBeCloseTo(-25167, 6);
  });

  it('a negative net merges across shards (as a sharded job’s summaries travel, through JSON) to the same figures', () => {
    const s = uascScenario();
    const shards = [
      { from: 0, to: 1 },
      { from: 1, to: 3 },
    ].map((c) => JSON.parse(JSON.stringify(simulateShard(s, c))));
    const merged = mergeShards(s, shards).cost.financialYears;
    const whole = simulate(s).cost.financialYears;
    merged.forEach((fy, f) => {
      for (const k of QUANTILE_KEYS) expect(fy.net?.[k]).toBe(whole[f]?.net?.[k]);
      expect(fy.net?.mean).toBeCloseTo(whole[f]!.net!.mean, 6);
    });
    expect(merged[0]?.net?.p50).toBeCloseTo(-25167, 6);
  });

  it('a net budget is tested against the net (below zero here), a gross one against the gross', () => {
    const [netA, netB] = simulate(uascScenario({ budgets: { '2023/24': { net: 0 }, '2024/25': { gross: 11_699 } } }))
      .cost.financialYears;
    expect(netA?.budgetBasis).toBe('net');
    expect(netA?.pOverBudget).toBe(0); // −£25,167 is within £0
    expect(netB?.budgetBasis).toBeUndefined();
    expect(netB?.pOverBudget).toBe(1); // £11,700 gross is over £11,699
  });

  it('the higher flat rate from the date it is in force, in months when the UASC count reaches the share', () => {
    const higher = (share: number) =>
      simulate(
        uascScenario({
          uascGrant: {
            rates: [
              { from: '2023-04-01', dailyUnder16: 143, daily16to17: 100 },
              { from: '2024-03-15', dailyUnder16: 150, daily16to17: 110, higher: { share, daily: 200 } },
            ],
          },
        }),
      ).uascGrant?.income.mean;
    // 0.03% of 10,000 children = 3 UASC: reached, so from 15 March every UASC is paid £200 a day
    const marHigher = 2 * (14 * 143 + 17 * 200) + (14 * 100 + 17 * 200); // 15,604
    expect(higher(0.0003)).toEqual([jan, feb, marHigher, 3 * 200 * 30, 3 * 200 * 31, 3 * 200 * 30]);
    // 0.04% = 4 UASC: not reached, the usual rates
    expect(higher(0.0004)).toEqual([jan, feb, mar, apr, may, jun]);
  });
});

describe('on a full scenario: the parts of a year add up', () => {
  it('by category + Staying Put = the year’s mean; net = gross − grant; the chance over budget counts the runs above it', () => {
    const input = JSON.parse(readFileSync('data/scenarios/peterborough-2018.json', 'utf8')) as ScenarioInput;
    const s = parse({
      ...input,
      runs: 60,
      horizonMonths: 30,
      start: '2018-07',
      costs: { ...input.costs, inflationByCategory: { residential: 0.06 } },
      stayingPut: { share: 0.5, months: 24, weekly: 300 },
      uascGrant: { rates: [{ from: '2016-04-01', dailyUnder16: 114, daily16to17: 91 }] },
    });
    const r = simulate(s, { collectRunTotals: true });
    expect(r.cost.financialYears.map((f) => [f.label, f.months, f.partial])).toEqual([
      ['2018/19', 9, true],
      ['2019/20', 12, false],
      ['2020/21', 9, true],
    ]);
    r.cost.financialYears.forEach((fy, f) => {
      const parts = CATEGORIES.reduce((x, c) => x + fy.byCategory[c].mean, 0) + (fy.stayingPut?.mean ?? 0);
      expect(Math.abs(parts - fy.mean) / fy.mean).toBeLessThan(1e-12);
      expect(fy.stayingPut?.mean).toBeGreaterThan(0);
      expect(Math.abs(fy.net!.mean - (fy.mean - fy.grantIncome!.mean)) / fy.mean).toBeLessThan(1e-12);
      const runs = r.runTotals!.financialYears[f]!;
      expect(runs.reduce((x, y) => x + y, 0) / runs.length).toBeCloseTo(fy.mean, 4);
      if (fy.budget !== undefined) expect(fy.pOverBudget).toBe(runs.filter((x) => x > fy.budget!).length / runs.length);
    });
    // the months of each year add to the year (means)
    let t = 0;
    for (const fy of r.cost.financialYears) {
      const sum = r.cost.monthly.total.mean.slice(t, t + fy.months).reduce((x, y) => x + y, 0);
      expect(Math.abs(sum - fy.mean) / fy.mean).toBeLessThan(1e-9);
      t += fy.months;
    }
  });
});

describe('the exports show the money of GET /scenarios/{id}', () => {
  // the net-negative scenario with a net budget in 2023/24 and a gross one in 2024/25: the result is what the API returns
  const r = simulate(uascScenario({ budgets: { '2023/24': { net: 0 }, '2024/25': { gross: 11_699 } } }));
  const [a, b] = r.cost.financialYears;

  it('whole pounds round halves away from zero, as Excel and Word show them: −£0.50 is −£1, not £0 or £1', () => {
    expect([pounds(2.5), pounds(-2.5), pounds(-0.5), pounds(-0.4), pounds(-25167.2)]).toEqual([3, -3, -1, 0, -25167]);
    expect([money(2.5), money(-2.5), money(-0.5), money(-0.4), money(-25167.2)]).toEqual([
      '£3',
      '−£3',
      '−£1',
      '£0',
      '−£25,167',
    ]);
  });

  it('CSV: gross, budget and its basis, grant and net (with its sign) in whole pounds', () => {
    const years = csvSections(scenarioCsv(r, { id: 'sc-money' }))['Cost by financial year']!;
    expect(years[0]).toEqual([
      'Financial year',
      'Months in forecast',
      'Part year',
      'P10 (£)',
      'P50 (£)',
      'P90 (£)',
      'Mean (£)',
      'Budget (£)',
      'Chance over budget',
      'Budget basis',
      'UASC grant income mean (£)',
      'Net P10 (£)',
      'Net P50 (£)',
      'Net P90 (£)',
      'Net mean (£)',
    ]);
    // 2023/24: gross £11,700, grant £36,867, net −£25,167 against a net budget of £0
    expect(years[1]).toEqual(
      ['2023/24', 3, 'yes', 11700, 11700, 11700, 11700, 0, '0.0%', 'net of UASC grant income', 36867]
        .concat([-25167, -25167, -25167, -25167])
        .map(String),
    );
    expect(years[2]).toEqual(
      ['2024/25', 3, 'yes', 11700, 11700, 11700, 11700, 11699, '100.0%', 'gross', 37310]
        .concat([-25610, -25610, -25610, -25610])
        .map(String),
    );
    // the same figures as the result, by the stated rounding
    expect(Number(years[1]![12])).toBe(Math.round(a!.net!.p50));
    expect(Number(years[2]![10])).toBe(Math.round(b!.grantIncome!.mean));
  });

  it('Excel: the same figures unrounded, formatted as currency (a negative in red with a minus)', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      (await scenarioWorkbook({ id: 'sc-money', scenario: {}, result: r, generatedAt: new Date(0) })) as never,
    );
    const sheet = wb.getWorksheet(SHEETS.costYears)!;
    const head = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => head.indexOf(name) + 1;
    expect(head.slice(0, 14)).toEqual(
      [
        'Financial year',
        'Months forecast',
        'Part year',
        'Mean',
        'P10',
        'P50',
        'P90',
        'Budget',
        'Chance over budget',
        'Budget basis',
        'UASC grant income (mean)',
        'Net mean',
        'Net P10',
        'Net P50',
        'Net P90',
      ].slice(0, 14),
    );
    for (const [row, fy] of [
      [2, a!],
      [3, b!],
    ] as const) {
      expect(sheet.getRow(row).getCell(col('P50')).value).toBe(fy.p50);
      expect(sheet.getRow(row).getCell(col('UASC grant income (mean)')).value).toBe(fy.grantIncome!.mean);
      expect(sheet.getRow(row).getCell(col('Net P50')).value).toBe(fy.net!.p50);
      expect(sheet.getRow(row).getCell(col('Net mean')).value).toBe(fy.net!.mean);
      expect(sheet.getRow(row).getCell(col('Net P50')).numFmt).toBe(MONEY);
      expect(sheet.getRow(row).getCell(col('Chance over budget')).value).toBe(fy.pOverBudget);
    }
    expect(sheet.getRow(2).getCell(col('Net P10')).value).toBeCloseTo(-25167, 6);
    expect(sheet.getRow(2).getCell(col('Budget basis')).value).toBe('net of UASC grant income');
    expect(sheet.getRow(3).getCell(col('Budget basis')).value).toBe('gross');
    expect(MONEY).toBe('"£"#,##0;[Red]-"£"#,##0');
  });

  it('Word: the table and the summary give the net with its sign and say which budget is net', async () => {
    const doc = readDocx(
      new Uint8Array(await scenarioReport({ id: 'sc-money', scenario: {}, result: r, generatedAt: new Date(0) })),
    );
    // the table: gross P10, P50, P90, the budget marked net, the chance, the grant and the net median
    expect(doc.text).toContain(
      '2023/24 (3 months)\n£11,700\n£11,700\n£11,700\n£0 net\n0%\n£36,867\n−£25,167\n2024/25 (3 months)\n£11,700\n£11,700\n£11,700\n£11,699\n100%\n£37,310\n−£25,610',
    );
    expect(doc.text).toContain(
      'Placements are forecast to cost £12k in 2023/24 (3 months), between £12k and £12k; net of UASC grant income, −£25k, and there is a 0% chance of exceeding the £0 net budget.',
    );
    // a gross budget, as before (the dashboard's sentence is the same function)
    expect(summarySentence(b!)).toBe(
      'Placements are forecast to cost £12k in 2024/25 (3 months), between £12k and £12k; there is a 100% chance of exceeding the £12k budget.',
    );
  });

  it('a comparison: a dearer variant is a negative saving, to the pound, in the workbook and the report', async () => {
    const s = uascScenario();
    const base = outcomeOf({ name: 'Base', isBase: true }, simulate(s, { collectRunTotals: true }));
    const dearer = outcomeOf(
      { name: 'Supported at £400 a week', isBase: false },
      simulate(uascScenario({ costs: { priceBase: '2024-01', annualInflation: 0, weekly: { supported: 400 } } }), {
        collectRunTotals: true,
      }),
    );
    const summary = summariseComparison([base, dearer]);
    // £100 a week more for 3 children over 91 days in each part year: £3,900 a year, £7,800 over the forecast
    const saving = summary.variants[1]!.saving!;
    expect(saving.financialYears.map((f) => f.mean)).toEqual([-3900, -3900]);
    expect(saving.horizon).toMatchObject({ mean: -7800, p10: -7800, p50: -7800, p90: -7800, pSaves: 0 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      (await comparisonWorkbook({ id: 'cmp-money', summary, base: {}, spec: {}, generatedAt: new Date(0) })) as never,
    );
    const variants = wb.getWorksheet(SHEETS.variants)!;
    const vHead = (variants.getRow(1).values as unknown[]).slice(1);
    expect(variants.getRow(3).getCell(vHead.indexOf('Saving over horizon (mean)') + 1).value).toBe(-7800);
    const savings = wb.getWorksheet(SHEETS.savings)!;
    const sHead = (savings.getRow(1).values as unknown[]).slice(1);
    expect(savings.getRow(4).getCell(sHead.indexOf('Saving mean') + 1).value).toBe(-3900);
    expect(savings.getRow(4).getCell(sHead.indexOf('Chance it saves') + 1).value).toBe(0);
    const doc = readDocx(
      new Uint8Array(await comparisonReport({ id: 'cmp-money', summary, base: {}, generatedAt: new Date(0) })),
    );
    expect(doc.text).toContain(
      'Supported at £400 a week would add £7,800 over the forecast against today’s plan (8 in 10 futures between −£7,800 and −£7,800).',
    );
  });
});

describe('the comparison workbook’s savings by year says which budgets are net of the UASC grant', () => {
  // the grant scenario with a net budget of £0 in 2023/24 and a gross one of £11,699 in 2024/25, and a variant at £400 a
  // week: gross £11,700 and £15,600 a part year; grant £36,867 and £37,310; nets −£25,167, −£25,610, −£21,267, −£21,710
  const budgets = { '2023/24': { net: 0 }, '2024/25': { gross: 11_699 } };
  const outcome = (name: string, weekly: number, isBase: boolean, withBudgets = true) =>
    outcomeOf(
      { name, isBase },
      simulate(
        uascScenario({
          costs: { priceBase: '2024-01', annualInflation: 0, weekly: { supported: weekly } },
          ...(withBudgets ? { budgets } : {}),
        }),
        { collectRunTotals: true },
      ),
    );
  const savingsSheet = async (withBudgets: boolean) => {
    const summary = summariseComparison([
      outcome('Base', 300, true, withBudgets),
      outcome('Supported at £400 a week', 400, false, withBudgets),
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      (await comparisonWorkbook({ id: 'cmp-basis', summary, base: {}, spec: {}, generatedAt: new Date(0) })) as never,
    );
    const sheet = wb.getWorksheet(SHEETS.savings)!;
    const head = (sheet.getRow(1).values as unknown[]).slice(1);
    const rows = [2, 3, 4, 5].map((n) => {
      const cell = (h: string) => (head.includes(h) ? sheet.getRow(n).getCell(head.indexOf(h) + 1).value : undefined);
      return [
        cell('Financial year'),
        cell('Budget'),
        cell('Chance over budget'),
        cell('Budget basis'),
        Math.round(Number(cell('Cost P50')) * 100) / 100, // to the penny
      ];
    });
    return { head, rows };
  };

  it('a “Budget basis” column beside the chance over budget: net of UASC grant income, or gross', async () => {
    const { head, rows } = await savingsSheet(true);
    expect(head.indexOf('Budget basis')).toBe(head.indexOf('Chance over budget') + 1);
    expect(rows).toEqual([
      // the base: −£25,167 net is within £0; £11,700 gross is over £11,699
      ['2023/24', 0, 0, 'net of UASC grant income', 11700],
      ['2024/25', 11699, 1, 'gross', 11700],
      // the variant: −£21,267 net is within £0 (its £15,600 gross would be over), £15,600 gross is over £11,699
      ['2023/24', 0, 0, 'net of UASC grant income', 15600],
      ['2024/25', 11699, 1, 'gross', 15600],
    ]);
  });

  it('without a net budget there is no column, as in the scenario’s sheet', async () => {
    const { head, rows } = await savingsSheet(false);
    expect(head).not.toContain('Budget basis');
    expect(rows.map((r) => r[1])).toEqual([null, null, null, null]);
  });
});

describe('the comparison report’s cost by year says which budgets are net of the UASC grant, and gives the net', () => {
  // as the workbook above: a net budget of £0 in 2023/24 and a gross one of £11,699 in 2024/25; the base at £300 a week
  // (gross £11,700 a part year, nets −£25,167 and −£25,610) and a variant at £400 (gross £15,600, nets −£21,267, −£21,710)
  const outcome = (name: string, weekly: number, isBase: boolean, budgets?: ScenarioInput['budgets']) =>
    outcomeOf(
      { name, isBase },
      simulate(
        uascScenario({
          costs: { priceBase: '2024-01', annualInflation: 0, weekly: { supported: weekly } },
          ...(budgets ? { budgets } : {}),
        }),
        { collectRunTotals: true },
      ),
    );
  const reportText = async (budgets?: ScenarioInput['budgets']) => {
    const summary = summariseComparison([
      outcome('Base', 300, true, budgets),
      outcome('Supported at £400 a week', 400, false, budgets),
    ]);
    return readDocx(
      new Uint8Array(await comparisonReport({ id: 'cmp-net', summary, base: {}, generatedAt: new Date(0) })),
    ).text;
  };

  it('a net budget’s chance follows the net median and the budget is marked net; a gross one follows the gross', async () => {
    const text = await reportText({ '2023/24': { net: 0 }, '2024/25': { gross: 11_699 } });
    expect(text).toContain(
      [
        'Plan',
        '2023/24',
        '2024/25',
        'Base (today’s plan)',
        // −£25,167 net is within £0; £11,700 gross is over £11,699 (the net −£25,610 beside it, as the scenario report)
        '£12k; net −£25k (0% chance over the £0 net budget)',
        '£12k (100% chance over budget); net −£26k',
        'Supported at £400 a week',
        // −£21,267 net is within £0 although £15,600 gross would be over it
        '£16k; net −£21k (0% chance over the £0 net budget)',
        '£16k (100% chance over budget); net −£22k',
      ].join('\n'),
    );
    expect(text).toContain(
      'Median cost of each year, with the chance of exceeding that year’s budget in brackets. The cost is gross (Staying Put included); net is gross less UASC grant income, future by future. A budget marked net is compared with the net cost, and its chance follows the net figure.',
    );
  });

  it('without budgets the net is still given beside the gross, and no budget is called net', async () => {
    const text = await reportText();
    expect(text).toContain(
      'Base (today’s plan)\n£12k (no budget); net −£25k\n£12k (no budget); net −£26k\nSupported at £400 a week\n£16k (no budget); net −£21k\n£16k (no budget); net −£22k',
    );
    expect(text).not.toContain('net budget');
  });
});

describe('Staying Put by month when inflation is drawn per run: each run at its own rate, as its year is', () => {
  // one child of 5 in in-house care at £700 a week and a young person turning 18 in April 2024 who stays on for the
  // whole forecast at £300 a week; prices of 2024/25; inflation triangular 1%–11% (centre 5%), drawn once per run
  const drawn = (over: Partial<ScenarioInput> = {}) =>
    parse({
      name: 'Staying Put, inflation drawn',
      start: '2024-04',
      horizonMonths: 24,
      runs: 7,
      childPopulation: { base: 10000 },
      parameters: still,
      initial: [
        { ageMonths: 60, category: 'inHouseFoster' },
        { ageMonths: 215, category: 'inHouseFoster' },
      ],
      costs: {
        priceBase: '2024-04',
        annualInflation: { min: 0.01, mode: 0.03, max: 0.11 },
        weekly: { inHouseFoster: 700 },
      },
      stayingPut: { share: 1, months: 24, weekly: 300 },
      ...over,
    });

  it('the months of each year add to the year’s Staying Put mean; each month is £300 × days ÷ 7 × the runs’ mean (1 + i)', () => {
    const r = simulate(drawn(), { collectRunTotals: true });
    const [a, b] = r.cost.financialYears;
    // each run's 2025/26 gross is (£700 + £300) × 365 ÷ 7 × (1 + its inflation): the runs' inflation, read back
    const growth = r.runTotals!.financialYears[1]!.map((x) => x / ((1000 * 365) / 7));
    const meanGrowth = growth.reduce((x, y) => x + y, 0) / growth.length;
    // the runs drew different rates, and their mean is not the centre (which the monthly line used to take)
    expect(Math.max(...growth) - Math.min(...growth)).toBeGreaterThan(0.01);
    expect(Math.abs(meanGrowth - 1.05)).toBeGreaterThan(1e-4);
    // 2024/25 is at the price base's prices in every run: £300 × 365 ÷ 7 = £15,642.86
    expect(a?.stayingPut?.mean).toBeCloseTo((300 * 365) / 7, 6);
    expect(b?.stayingPut?.mean).toBeCloseTo(((300 * 365) / 7) * meanGrowth, 6);
    // days of April–March in 2024/25 and in 2025/26 (neither February 2025 nor February 2026 has a 29th)
    const days = [30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28, 31];
    const cost = r.stayingPut!.cost.mean;
    days.forEach((d, i) => {
      expect(cost[i]).toBeCloseTo((300 * d) / 7, 9);
      expect(Math.abs(cost[12 + i]! / (((300 * d) / 7) * meanGrowth) - 1)).toBeLessThan(1e-12);
    });
    let t = 0;
    for (const fy of r.cost.financialYears) {
      const sum = cost.slice(t, t + fy.months).reduce((x, y) => x + y, 0);
      expect(Math.abs(sum - fy.stayingPut!.mean) / fy.stayingPut!.mean).toBeLessThan(1e-9);
      t += fy.months;
    }
    // priced like in-house fostering: 3/7 of the one in-house child's cost, month by month, in mean and quantiles
    const inHouse = r.cost.monthly.inHouseFoster;
    for (let m = 12; m < 24; m++) {
      expect(Math.abs(cost[m]! / ((3 / 7) * inHouse.mean[m]!) - 1)).toBeLessThan(1e-12);
      // the quantiles spread with the runs' rates (within the sketches' accuracy: 0.025% fine, 0.1% coarse)
      expect(r.stayingPut!.cost.p90[m]! / r.stayingPut!.cost.p10[m]!).toBeGreaterThan(1.01);
      for (const k of ['p10', 'p50', 'p90'] as const)
        expect(Math.abs(r.stayingPut!.cost[k][m]! / ((3 / 7) * inHouse[k][m]!) - 1)).toBeLessThan(0.002);
    }
  });

  it('merged from shards (through JSON), the monthly Staying Put cost is the one-process figure', () => {
    const s = drawn();
    const shards = [
      { from: 0, to: 3 },
      { from: 3, to: 7 },
    ].map((c) => JSON.parse(JSON.stringify(simulateShard(s, c))));
    const merged = mergeShards(s, shards).stayingPut!.cost;
    const whole = simulate(s).stayingPut!.cost;
    for (const k of QUANTILE_KEYS) expect(merged[k]).toEqual(whole[k]);
    merged.mean.forEach((v, m) => expect(v).toBeCloseTo(whole.mean[m]!, 6));
  });

  it('with inflation fixed, the monthly Staying Put cost is still £300 × days ÷ 7 × (1 + 5%) from April 2025', () => {
    const r = simulate(
      drawn({ costs: { priceBase: '2024-04', annualInflation: 0.05, weekly: { inHouseFoster: 700 } } }),
    );
    expect(r.stayingPut!.cost.mean[0]).toBeCloseTo((300 * 30) / 7, 9);
    expect(r.stayingPut!.cost.mean[22]).toBeCloseTo(((300 * 28) / 7) * 1.05, 9); // February 2026
    expect(r.stayingPut!.cost.p90[22]).toBeCloseTo(((300 * 28) / 7) * 1.05, 9);
  });
});

describe('a shard summary without a part the scenario keeps is refused, never skipped (the merge must not be wrong)', () => {
  // the grant scenario in two shards, through JSON as a sharded job's summaries travel
  const shardsOf = (s: Scenario) =>
    [
      { from: 0, to: 1 },
      { from: 1, to: 3 },
    ].map((c) => JSON.parse(JSON.stringify(simulateShard(s, c))));

  it('complete shards merge to the grant by month worked by hand; without the second’s grant by month, refused', () => {
    const s = uascScenario();
    // January–June 2024 (as worked above): 13,299, 11,194, 12,374, 12,300, 12,710, 12,300
    expect(mergeShards(s, shardsOf(s)).uascGrant?.income.mean).toEqual([13299, 11194, 12374, 12300, 12710, 12300]);
    // a summary of an older shape: it was merged without the month's grant of runs 1–2 (skipped, silently)
    const older = shardsOf(s);
    delete older[1].recorder.money.grantMonthly;
    expect(() => mergeShards(s, older)).toThrow(ShardMismatch);
    expect(() => mergeShards(s, older)).toThrow(
      'the shard summary has no UASC grant by month (a summary of an older shape, or of another scenario)',
    );
    // one that has it where the scenario has no grant is refused alike
    expect(() => mergeShards(uascScenario({ uascGrant: null }), shardsOf(s))).toThrow(
      'the shard summary has UASC grant by month this scenario does not have (another scenario)',
    );
  });

  it('Staying Put by month follows the same rule, and so do the money parts by financial year', () => {
    const s = parse({
      name: 'Staying Put, inflation drawn',
      start: '2024-04',
      horizonMonths: 24,
      runs: 3,
      childPopulation: { base: 10000 },
      parameters: still,
      initial: [{ ageMonths: 215, category: 'inHouseFoster' }],
      costs: { priceBase: '2024-04', annualInflation: { min: 0.01, mode: 0.03, max: 0.11 }, weekly: {} },
      stayingPut: { share: 1, months: 24, weekly: 300 },
    });
    // April 2024 at the price base's prices in every run: £300 × 30 ÷ 7
    expect(mergeShards(s, shardsOf(s)).stayingPut?.cost.mean[0]).toBeCloseTo((300 * 30) / 7, 9);
    const older = shardsOf(s);
    delete older[0].recorder.money.stayingPutMonthly;
    expect(() => mergeShards(s, older)).toThrow(
      'the shard summary has no Staying Put cost by month (a summary of an older shape, or of another scenario)',
    );
    const noYears = shardsOf(s);
    noYears[1].recorder.money.fyNet = [];
    expect(() => mergeShards(s, noYears)).toThrow(
      "the shard summary's net cost by financial year is not of this scenario's 2 financial years",
    );
    const noMoney = shardsOf(s);
    delete noMoney[1].recorder.money;
    expect(() => mergeShards(s, noMoney)).toThrow(
      'the shard summary has no Staying Put or UASC grant figures (an older shape)',
    );
  });
});

describe('the UASC grant’s higher rate when the child population is a range: each run’s own population', () => {
  it('the higher flat rate is paid in the runs whose drawn population puts the line at or below the UASC count', () => {
    // the three UASC of the grant scenario; the higher rate (£200 a day from 15 March 2024) at 0.03% of the children,
    // and the NTS threshold at the same 0.03%, so each run's threshold (which uses its drawn population) is its line;
    // a population of 8,000–14,000 (mean 10,667: a line of round(3.2) = 3, reached) puts the line at 4 (not reached)
    // in the runs that draw 11,667 or more
    const R = 40;
    const s = uascScenario({
      runs: R,
      childPopulation: { base: { min: 8000, mode: 10000, max: 14000 } },
      uasc: {
        initial: 3,
        thresholds: [{ from: '2016-07-01', rate: 0.0003 }],
        transfersPerMonthWhenOnRota: 0,
        spontaneousPerMonth: 0,
        arrivalAge: { '16': 1 },
        arrivalPlacement: { supported: 1 },
      },
      uascGrant: {
        rates: [
          { from: '2023-04-01', dailyUnder16: 143, daily16to17: 100 },
          { from: '2024-03-15', dailyUnder16: 150, daily16to17: 110, higher: { share: 0.0003, daily: 200 } },
        ],
      },
    });
    const lines: number[] = [];
    const r = simulate(s, {
      onMonthEnd: (run, t, m) => {
        if (t === 0) lines[run] = m.uascThreshold;
        expect(m.uascThreshold).toBe(lines[run]); // no growth: one line a run
        expect(m.uascCount).toBe(3);
      },
    });
    const reached = lines.filter((line) => line <= 3).length;
    // some runs reach the line and some do not (at the mean population every run would)
    expect(reached).toBeGreaterThan(0);
    expect(reached).toBeLessThan(R);
    expect(lines.every((line) => line >= 2 && line <= 4)).toBe(true);
    // by month: the usual rates (jan…jun of the grant scenario) in every run, the higher ones in the runs that reach it
    const usual = [13299, 11194, 12374, 12300, 12710, 12300];
    const marHigher = 2 * (14 * 143 + 17 * 200) + (14 * 100 + 17 * 200); // 15,604
    const higher = [13299, 11194, marHigher, 3 * 200 * 30, 3 * 200 * 31, 3 * 200 * 30];
    const expected = usual.map((u, t) => (reached * higher[t]! + (R - reached) * u) / R);
    const got = r.uascGrant!.income.mean;
    got.forEach((v, t) => expect(v).toBeCloseTo(expected[t]!, 6));
    // the quantiles: the runs are at one of two figures a month, so P10 and P90 are those figures
    // (within the sketch's 0.025%): May at £200 a day for three is £18,600, at the usual rates £12,710
    expect(Math.abs(r.uascGrant!.income.p90[4]! / 18600 - 1)).toBeLessThan(3e-4);
    expect(Math.abs(r.uascGrant!.income.p10[4]! / 12710 - 1)).toBeLessThan(3e-4);
  });
});
