import { describe, expect, it } from 'vitest';
import {
  describeSample,
  horizonCostPerRun,
  outcomeOf,
  pairedDifference,
  planComparison,
  quantileSorted,
  summariseComparison,
  type VariantOutcome,
} from '#models/compare';
import { applyOverrides, parseScenario, type Scenario } from '#models/scenario';
import { CATEGORIES } from '#models/placement';
import type { ForecastResult, Quantiles, ScalarQuantiles, Series } from '#models/result';
import { sweepName } from '../../web/js/input-labels.js';

/** A small hand-made scenario: two children, one category each, a capacity model. */
function smallScenario(): Scenario {
  const r = parseScenario({
    start: '2018-04',
    horizonMonths: 24,
    runs: 50,
    seed: 7,
    childPopulation: { base: 50000 },
    parameters: { entriesPerMonth: {}, exitProbability: {}, moveProbability: {} },
    initial: [
      { ageMonths: 100, category: 'inHouseFoster' },
      { ageMonths: 150, category: 'residential' },
    ],
    capacity: { inHouseHouseholds: 10, placesPerHousehold: 1.5, recruitmentPerYear: 2, householdLossPerYear: 0.1 },
    costs: { priceBase: '2018-04', annualInflation: 0, weekly: { inHouseFoster: 500, residential: 4000 } },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

const flat = (months: number, v: number): Quantiles => {
  const a = new Array<number>(months).fill(v);
  return { mean: a, p5: a, p10: a, p25: a, p50: a, p75: a, p90: a, p95: a };
};
const scalar = (v: number): ScalarQuantiles => ({
  mean: v,
  sd: 0,
  p5: v,
  p10: v,
  p25: v,
  p50: v,
  p75: v,
  p90: v,
  p95: v,
});

/** A fake forecast whose per-run costs are given: enough for the summary code, which never looks at the engine. */
function fakeResult(runCosts: number[][], seed = 7, residentialAtHorizon = 3): ForecastResult {
  const months = ['2018-04', '2018-05', '2018-06'];
  const population = Object.fromEntries(
    [...CATEGORIES, 'total'].map((s) => [s, flat(3, s === 'residential' ? residentialAtHorizon : 1)]),
  ) as Record<Series, Quantiles>;
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, scalar(0)])) as Record<
    (typeof CATEGORIES)[number],
    ScalarQuantiles
  >;
  return {
    scenarioName: 'fake',
    months,
    runs: runCosts[0]?.length ?? 0,
    seed,
    population,
    cost: {
      monthly: population,
      financialYears: runCosts.map((runs, f) => ({
        ...scalar(runs.reduce((a, b) => a + b, 0) / runs.length),
        label: `${2018 + f}/${19 + f}`,
        months: 12,
        partial: false,
        byCategory,
        budget: 100,
        pOverBudget: runs.filter((x) => x > 100).length / runs.length,
      })),
      priceBase: '2018-04',
    },
    inHouse: null,
    uasc: null,
    moves: flat(3, 0),
    entries: flat(3, 0),
    exits: flat(3, 0),
    runTotals: { financialYears: runCosts, horizonPopulation: population.total as never, overflowTotal: [] },
    warnings: [],
    elapsedMs: 0,
  };
}

describe('planComparison', () => {
  it('runs the base first and one variant per sweep value, each with the value set and the base seed', () => {
    const plan = planComparison(
      smallScenario(),
      { sweep: { path: 'capacity.recruitmentPerYear', values: [0, 6, 12] } },
      sweepName,
    );
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.value.map((p) => p.name)).toEqual([
      'Base',
      '0 new carer households a year',
      '6 new carer households a year',
      '12 new carer households a year',
    ]);
    expect(plan.value.map((p) => p.scenario.capacity?.recruitmentPerYear)).toEqual([2, 0, 6, 12]);
    expect(new Set(plan.value.map((p) => p.scenario.seed))).toEqual(new Set([7]));
    // the rest of the capacity block is kept: overrides merge, they do not replace
    expect(plan.value[2]?.scenario.capacity?.inHouseHouseholds).toBe(10);
  });

  it('names any swept input in words, keeps exact names where two values would print alike, and the path without words', () => {
    const names = (path: string, values: number[], named = true) => {
      const plan = planComparison(smallScenario(), { sweep: { path, values } }, named ? sweepName : undefined);
      if (!plan.ok) throw new Error(plan.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
      return plan.value.slice(1).map((p) => p.name);
    };
    expect(names('costs.weekly.residential', [4000, 4500])).toEqual([
      'Weekly cost, residential (£ a week): £4,000',
      'Weekly cost, residential (£ a week): £4,500',
    ]);
    expect(names('capacity.householdLossPerYear', [0.05, 0.1])).toEqual([
      '5% of households leave a year',
      '10% of households leave a year',
    ]);
    // 0.0501 and 0.0502 both print "5.01%"/"5.02%", but 0.05001 and 0.05002 both print 5%: exact names instead
    expect(names('capacity.stepAcrossProbability', [0.05001, 0.05002])).toEqual([
      'capacity.stepAcrossProbability = 0.05001',
      'capacity.stepAcrossProbability = 0.05002',
    ]);
    expect(names('capacity.recruitmentPerYear', [3], false)).toEqual(['capacity.recruitmentPerYear = 3']);
  });

  it('applies named variants as overrides onto the base', () => {
    const plan = planComparison(smallScenario(), {
      variants: [{ name: 'dearer residential', overrides: { costs: { weekly: { residential: 5000 } } } }],
    });
    expect(plan.ok && plan.value[1]?.scenario.costs.weekly).toEqual({ inHouseFoster: 500, residential: 5000 });
  });

  it('refuses a variant that changes the seed, a duplicate name, an invalid value and an unknown path, with paths', () => {
    const bad = planComparison(smallScenario(), {
      variants: [
        { name: 'A', overrides: { seed: 3 } },
        { name: 'A', overrides: { capacity: { householdLossPerYear: 2 } } },
      ],
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'variants.0.overrides.seed',
        'variants.1.name',
        'variants.1.capacity.householdLossPerYear',
      ]),
    );
    const sweep = planComparison(smallScenario(), { sweep: { path: 'capacity.recruitmentPerYr', values: [1, 2] } });
    expect(!sweep.ok && sweep.issues.filter((i) => i.code === 'unknown_path')).toHaveLength(1);
  });

  it('refuses a variant or a sweep that moves the start or the horizon (its runs crashed at pairing, after every run)', () => {
    const sweep = planComparison(smallScenario(), { sweep: { path: 'horizonMonths', values: [12, 120] } });
    expect(sweep.ok).toBe(false);
    if (sweep.ok) return;
    expect(sweep.issues).toEqual([
      {
        path: 'sweep.values.0.overrides.horizonMonths',
        code: 'not_allowed',
        message: 'variants share the base horizonMonths (common random numbers)',
      },
      {
        path: 'sweep.values.1.overrides.horizonMonths',
        code: 'not_allowed',
        message: 'variants share the base horizonMonths (common random numbers)',
      },
    ]);
    const later = planComparison(smallScenario(), { variants: [{ name: 'later', overrides: { start: '2019-04' } }] });
    expect(!later.ok && later.issues.map((i) => i.path)).toEqual(['variants.0.overrides.start']);
  });
});

describe('paired savings', () => {
  it('computes quantiles by linear interpolation between order statistics', () => {
    expect(quantileSorted([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantileSorted([0, 10], 0.1)).toBeCloseTo(1, 12);
    expect(quantileSorted([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBeCloseTo(90, 12);
  });

  it('pairs run r with run r and sums financial years per run', () => {
    expect(pairedDifference([10, 20, 30], [7, 21, 25])).toEqual([3, -1, 5]);
    expect(
      horizonCostPerRun([
        [1, 2],
        [10, 20],
      ]),
    ).toEqual([11, 22]);
    expect(() => pairedDifference([1, 2], [1])).toThrow(/differ in number/);
    const d = describeSample([3, -1, 5]);
    expect(d.mean).toBeCloseTo(7 / 3, 12);
    expect(d.sd).toBeCloseTo(Math.sqrt(((3 - 7 / 3) ** 2 + (-1 - 7 / 3) ** 2 + (5 - 7 / 3) ** 2) / 2), 12);
    expect(d.se).toBeCloseTo(d.sd / Math.sqrt(3), 12);
    expect(d.pSaves).toBeCloseTo(2 / 3, 12);
  });

  it('gives each variant the distribution of base − variant, per year and over the horizon; none for the base', () => {
    const base = outcomeOf(
      { name: 'Base', isBase: true },
      fakeResult([
        [100, 120, 140, 160],
        [200, 200, 200, 200],
      ]),
    );
    const cheaper = outcomeOf(
      { name: 'more carers', isBase: false, path: 'p', value: 6 },
      fakeResult(
        [
          [90, 110, 130, 150],
          [190, 195, 200, 205],
        ],
        7,
        1,
      ),
    );
    const s = summariseComparison([base, cheaper]);
    expect(s.variants[0]?.saving).toBeNull();
    const sv = s.variants[1]?.saving;
    expect(sv?.financialYears[0]?.mean).toBe(10);
    expect(sv?.financialYears[0]?.sd).toBe(0); // a constant paired saving has no noise at all
    expect(sv?.financialYears[1]?.mean).toBe(2.5); // (10 + 5 + 0 − 5) / 4
    expect(sv?.horizon.mean).toBe(12.5);
    expect(sv?.horizon.p10).toBeCloseTo(5 + 0.3 * 5, 12); // sorted 5,10,15,20: h = 0.3
    expect(s.variants[1]?.horizon.residential.p50).toBe(1);
    expect(s.variants[1]?.financialYears[0]?.pOverBudget).toBe(0.75);
    expect(s.financialYears).toEqual(['2018/19', '2019/20']);
  });

  it('refuses to pair outcomes run with different seeds', () => {
    const a = outcomeOf({ name: 'Base', isBase: true }, fakeResult([[1, 2]], 1));
    const b: VariantOutcome = outcomeOf({ name: 'x', isBase: false }, fakeResult([[1, 2]], 2));
    expect(() => summariseComparison([a, b])).toThrow(/cannot be paired/);
  });
});

describe('applyOverrides', () => {
  it('merges objects key by key, replaces arrays and scalars, and never takes a "__proto__" key from JSON', () => {
    const base = { capacity: { households: 90, placesPerHousehold: 1.5 }, initial: [{ count: 3 }], name: 'b' };
    const overrides = JSON.parse(
      '{"capacity":{"households":100},"initial":[{"count":1}],"__proto__":{"polluted":true},"name":"v"}',
    );
    const out = applyOverrides(base, overrides) as Record<string, unknown>;
    expect(out).toEqual({ capacity: { households: 100, placesPerHousehold: 1.5 }, initial: [{ count: 1 }], name: 'v' });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: boolean }).polluted).toBeUndefined();
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(base.capacity.households).toBe(90); // the base is not changed
  });
});
