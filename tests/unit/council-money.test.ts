/**
 * The money a finance officer budgets, hand-worked: Staying Put to the penny and the in-house bed it holds;
 * UASC grant income across a change of rate (and the higher rate at the 0.07% line); net = gross − income in every
 * year; a net budget. Then, on the demo data: no jump at the seam, and parameter uncertainty on by default.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '#models/council-resolve';
import type { Dataset } from '#models/dataset';
import { simulate } from '#models/engine';
import { ingestSsda903 } from '#models/ingest/pipeline';
import { categoryIndex } from '#models/placement';
import { parseScenario, type Scenario, type ScenarioInput } from '#models/scenario';

const parse = (input: ScenarioInput): Scenario => {
  const p = parseScenario(input);
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  return p.value;
};

const still = { entriesPerMonth: {}, exitProbability: {}, moveProbability: {} };

describe('Staying Put', () => {
  // one young person aged 17 years 11 months in in-house care: turns 18 at the end of the first month
  const sp = (over: Partial<ScenarioInput> = {}) =>
    parse({
      name: 'Staying Put by hand',
      start: '2019-04',
      horizonMonths: 30,
      runs: 3,
      childPopulation: { base: 10000 },
      parameters: still,
      initial: [{ ageMonths: 215, category: 'inHouseFoster' }],
      capacity: { inHouseHouseholds: 5, placesPerHousehold: 1, recruitmentPerYear: 0, householdLossPerYear: 0 },
      costs: { priceBase: '2019-04', annualInflation: 0.03, weekly: { inHouseFoster: 450 } },
      stayingPut: { share: 1, months: 24, weekly: 300 },
      ...over,
    });

  it('a 17-year-old in in-house care, share 1, 24 months: costed to the penny, the bed held for 24 months', () => {
    const places: number[] = [];
    const r = simulate(sp(), { onMonthEnd: (run, _t, st) => run === 0 && places.push(st.places) });
    // month-ends April 2019 … March 2021 (24): 2019/20 has 366 days at 2019/20 prices, 2020/21 365 days at +3%
    const fy1 = (300 * 366) / 7; // £15,685.71
    const fy2 = ((300 * 365) / 7) * 1.03; // £16,112.14
    const [a, b, c] = r.cost.financialYears;
    expect(a?.stayingPut?.mean).toBeCloseTo(fy1, 2);
    expect(b?.stayingPut?.mean).toBeCloseTo(fy2, 2);
    expect(c?.stayingPut?.mean).toBe(0);
    expect(a?.stayingPut?.mean).toBeCloseTo(15685.71, 2);
    expect(b?.stayingPut?.mean).toBeCloseTo(16112.14, 2);
    // in their own line, and in the gross: the young person has left care, so nothing is charged to in-house fostering
    expect(a?.byCategory.inHouseFoster.mean).toBe(0);
    expect(a?.mean).toBeCloseTo(fy1, 2);
    // counted apart from children in care
    expect(r.population.total.mean[0]).toBe(0);
    expect(r.stayingPut?.count.mean.slice(0, 24)).toEqual(Array(24).fill(1));
    expect(r.stayingPut?.count.mean.slice(24)).toEqual(Array(6).fill(0));
    expect(r.stayingPut?.starts.mean[0]).toBe(1);
    // 5 households × 1 place: 4 open to children while the bed is held, 5 again from month 25
    expect(places).toEqual([...Array(24).fill(4), ...Array(6).fill(5)]);
  });

  it('share 0, an agency placement without fromAgency, or no Staying Put: nothing; fromAgency: costed, no bed held', () => {
    expect(simulate(sp({ stayingPut: { share: 0, months: 24, weekly: 300 } })).stayingPut?.count.mean[0]).toBe(0);
    const agency = sp({ initial: [{ ageMonths: 215, category: 'agencyFoster' }] });
    expect(simulate(agency).stayingPut?.count.mean[0]).toBe(0);
    const places: number[] = [];
    const r = simulate(
      sp({
        initial: [{ ageMonths: 215, category: 'agencyFoster' }],
        stayingPut: { share: 1, months: 3, weekly: 300, fromAgency: true },
      }),
      {
        onMonthEnd: (run, _t, st) => run === 0 && places.push(st.places),
      },
    );
    expect(r.stayingPut?.count.mean.slice(0, 4)).toEqual([1, 1, 1, 0]);
    expect(places.slice(0, 4)).toEqual([5, 5, 5, 5]);
    expect(simulate(sp({ stayingPut: null })).stayingPut).toBeUndefined();
  });

  it('a share draws per young person: 40 turning 18 at share 0.5 stay about half the time (within 3 SE)', () => {
    const r = simulate(
      sp({
        runs: 400,
        horizonMonths: 2,
        initial: [{ ageMonths: 215, category: 'inHouseFoster', count: 40 }],
        capacity: { inHouseHouseholds: 50, placesPerHousehold: 1, recruitmentPerYear: 0, householdLossPerYear: 0 },
        stayingPut: { share: 0.5, months: 12, weekly: 300 },
      }),
    );
    const se = Math.sqrt((40 * 0.25) / 400);
    expect(Math.abs((r.stayingPut?.count.mean[0] ?? 0) - 20)).toBeLessThan(3 * se);
  });
});

describe('UASC grant income', () => {
  // one UASC aged 15 years 10 months in supported accommodation from February 2019; no exits, no arrivals
  const grant = (over: Partial<ScenarioInput> = {}) =>
    parse({
      name: 'grant by hand',
      start: '2019-02',
      horizonMonths: 3,
      runs: 2,
      childPopulation: { base: 10000 },
      parameters: still,
      initial: [{ ageMonths: 190, category: 'supported', uasc: true }],
      uasc: {
        initial: 1,
        thresholds: [{ from: '2016-07-01', rate: 0.0007 }],
        transfersPerMonthWhenOnRota: 0,
        spontaneousPerMonth: 0,
        arrivalAge: { '16': 1 },
        arrivalPlacement: { supported: 1 },
      },
      costs: { priceBase: '2019-02', annualInflation: 0, weekly: { supported: 1000 } },
      uascGrant: {
        rates: [
          { from: '2019-01-01', dailyUnder16: 100, daily16to17: 80 },
          { from: '2019-03-15', dailyUnder16: 110, daily16to17: 90 },
        ],
      },
      ...over,
    });

  it('across a change of rate on 15 March and a 16th birthday: by hand', () => {
    const r = simulate(grant());
    // February: under 16 all month, 28 × £100. March: 16 at the month end, 14 days × £80 + 17 days × £90. April 30 × £90.
    expect(r.uascGrant?.income.mean).toEqual([2800, 1120 + 1530, 2700]);
    const [fy1819, fy1920] = r.cost.financialYears;
    expect(fy1819?.grantIncome?.mean).toBe(2800 + 2650);
    expect(fy1920?.grantIncome?.mean).toBe(2700);
    const gross1819 = (1000 * 28) / 7 + (1000 * 31) / 7;
    expect(fy1819?.mean).toBeCloseTo(gross1819, 6);
    expect(fy1819?.net?.mean).toBeCloseTo(gross1819 - 5450, 6);
    expect(fy1920?.net?.mean).toBeCloseTo((1000 * 30) / 7 - 2700, 6);
  });

  it('the higher flat rate while the UASC count is at or above the share of the child population', () => {
    const rates = [{ from: '2019-01-01', dailyUnder16: 100, daily16to17: 80, higher: { share: 0.0001, daily: 143 } }];
    // 0.01% of 10,000 = 1 UASC: the one child is at the line, so every day is paid at £143
    expect(simulate(grant({ uascGrant: { rates } })).uascGrant?.income.mean).toEqual([28 * 143, 31 * 143, 30 * 143]);
    const above = [{ ...rates[0]!, higher: { share: 0.0002, daily: 143 } }];
    expect(simulate(grant({ uascGrant: { rates: above } })).uascGrant?.income.mean).toEqual([2800, 31 * 80, 30 * 80]);
  });

  it('a net budget is tested against the net cost', () => {
    const gross = (1000 * 59) / 7; // February and March 2019
    const netBudget = gross - 5450 + 1; // just above the net cost, far below the gross
    const net = simulate(grant({ budgets: { '2018/19': { net: netBudget } } })).cost.financialYears[0];
    expect(net?.budgetBasis).toBe('net');
    expect(net?.pOverBudget).toBe(0);
    const asGross = simulate(grant({ budgets: { '2018/19': netBudget } })).cost.financialYears[0];
    expect(asGross?.budgetBasis).toBeUndefined();
    expect(asGross?.pOverBudget).toBe(1);
  });
});

function demoDataset(): Dataset {
  const files = ['header', 'episodes', 'uasc'].map((t) => ({
    name: `${t}.csv`,
    text: readFileSync(`data/demo/${t}.csv`, 'utf8'),
  }));
  const out = ingestSsda903(files, { salt: 's', referenceYear: 2026, mode: 'lenient' });
  if (!out.ok) throw new Error('demo data did not load');
  return out.dataset;
}

const meanSd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
  return { mean: m, sd: Math.sqrt(v) };
};

describe('on the demo data', () => {
  const dataset = demoDataset();

  it('net = gross − grant income in every financial year (means, and run by run through the quantiles’ mean)', () => {
    const s = parse(resolveScenario(dataset, { overrides: { runs: 200, horizonMonths: 60, seed: 3 } }).scenario);
    const r = simulate(s);
    expect(r.cost.financialYears).toHaveLength(5);
    for (const fy of r.cost.financialYears) {
      expect(fy.grantIncome?.mean).toBeGreaterThan(0);
      expect(fy.net?.mean).toBeCloseTo(fy.mean - (fy.grantIncome?.mean ?? 0), 4);
      expect(fy.stayingPut?.mean).toBeGreaterThan(0);
    }
    // the result says where each figure came from
    expect(r.inputs?.['capacity.inHouseHouseholds']?.source).toMatch(/^inferred from data to 2018-03-31/);
    expect(r.inputs?.['costs.weekly.residential']?.source).toBe('example: Peterborough 2018');
    expect(r.inputs?.['uascGrant.rates']?.source).toMatch(/^national/);
    expect(r.inputs?.['runs']).toBeUndefined();
    expect(r.warnings.some((w) => w.startsWith('stayingPut = ') && w.includes('Peterborough 2018'))).toBe(true);
  });

  it('no jump at the seam: month-1 in-house and agency means within 3 SE of unlimited capacity when places are spare', () => {
    const R = 400;
    const firstMonth = (over: unknown) => {
      const s = parse(resolveScenario(dataset, { overrides: over }).scenario);
      const inHouse: number[] = [];
      const agency: number[] = [];
      simulate(s, {
        onMonthEnd: (_r, t, st) => {
          if (t !== 0) return;
          inHouse.push(st.counts[categoryIndex.inHouseFoster]!);
          agency.push(st.counts[categoryIndex.agencyFoster]!);
        },
      });
      return { inHouse: meanSd(inHouse), agency: meanSd(agency) };
    };
    const common = { runs: R, horizonMonths: 2, seed: 5 };
    // 130 households × 1.6 = 208 places for the children at the data end (step-across off: the seam, not a policy)
    const spare = firstMonth({ ...common, capacity: { inHouseHouseholds: 130, stepAcrossProbability: 0 } });
    const unlimited = firstMonth({ ...common, capacity: null });
    const within = (a: { mean: number; sd: number }, b: { mean: number; sd: number }) =>
      Math.abs(a.mean - b.mean) / Math.sqrt((a.sd ** 2 + b.sd ** 2) / R);
    expect(within(spare.inHouse, unlimited.inHouse)).toBeLessThan(3);
    expect(within(spare.agency, unlimited.agency)).toBeLessThan(3);
    // and the test can see a jump: the old default of 108 households (172 places) pushes children into agency care
    const short = firstMonth({ ...common, capacity: { inHouseHouseholds: 108, stepAcrossProbability: 0 } });
    expect(within(short.agency, unlimited.agency)).toBeGreaterThan(3);
    // resolution never starts below the occupancy, even from a profile that says 108
    const resolved = parse(resolveScenario(dataset, {}).scenario);
    const inHouseAtEnd = dataset.initial.filter((c) => c.category === 'inHouseFoster').length;
    expect(Math.floor(((resolved.capacity?.inHouseHouseholds as number) ?? 0) * 1.6)).toBeGreaterThanOrEqual(
      inHouseAtEnd,
    );
  });

  it('parameter uncertainty is on by default from data: the 12-month total spreads wider, its mean unchanged within 3 SE', () => {
    const R = 1000;
    const totals = (over: Record<string, unknown>) => {
      const s = parse(
        resolveScenario(dataset, { overrides: { runs: R, horizonMonths: 12, seed: 11, budgets: {}, ...over } })
          .scenario,
      );
      return {
        uncertain: s.uncertainty.parameters,
        ...meanSd(simulate(s, { collectRunTotals: true }).runTotals!.financialYears[0]!),
      };
    };
    const on = totals({});
    const off = totals({ uncertainty: { parameters: false } });
    expect(on.uncertain).toBe(true);
    expect(off.uncertain).toBe(false);
    expect(on.sd).toBeGreaterThan(off.sd * 1.1);
    const se = Math.sqrt((on.sd ** 2 + off.sd ** 2) / R);
    expect(Math.abs(on.mean - off.mean)).toBeLessThan(3 * se);
  });
});
