/**
 * The regional forecast: a region of one council is that council alone, the NTS rota never takes a
 * council above its threshold and accounts for every transfer, shared places change prices and not paths, and bad
 * regions are refused naming the field.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulate } from '#models/engine';
import { resolveRegion } from '#models/region/resolve';
import { Rota } from '#models/region/rota';
import { type RegionalForecastInput, parseRegionalForecast } from '#models/region/schema';
import { mergeRegionShards, simulateRegionShard } from '#models/region/shards';
import { councilSeed, type RegionalScenario, simulateRegion } from '#models/region/simulate';
import { parseScenario, type ScenarioInput } from '#models/scenario';

/** the default scenario with every input fixed (as before issue 14 gave its assumptions ranges) */
const FIXED_INPUTS = 'tests/fixtures/peterborough-2018-fixed-inputs.json';

const base = JSON.parse(readFileSync(FIXED_INPUTS, 'utf8')) as ScenarioInput;

function region(input: Partial<RegionalForecastInput> & Pick<RegionalForecastInput, 'councils'>): RegionalScenario {
  const parsed = parseRegionalForecast({
    name: 'test',
    start: base.start,
    horizonMonths: 24,
    runs: 200,
    seed: 11,
    ...input,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const resolved = resolveRegion(parsed.value);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
  return resolved.value;
}

/** A council like the default one but with its own UASC threshold (child population) and starting UASC count. */
function council(childPopulation: number, uascInitial: number): ScenarioInput {
  return {
    ...base,
    childPopulation: { ...base.childPopulation!, base: childPopulation },
    uasc: { ...base.uasc!, initial: uascInitial, spontaneousPerMonth: 0.3 },
  } as ScenarioInput;
}

const withoutTime = <T extends { elapsedMs: number }>(r: T): Omit<T, 'elapsedMs'> => {
  const { elapsedMs: _e, ...rest } = r;
  return rest;
};

describe('a region of one council', () => {
  it('with nts and shared null is exactly the standalone forecast (same seed, same numbers)', () => {
    const r = region({ councils: [{ code: 'E06000031', scenario: base as Record<string, unknown> }], runs: 150 });
    const regional = simulateRegion(r, { collectRunTotals: true });
    const alone = parseScenario({ ...base, horizonMonths: 24, runs: 150, seed: 11 });
    if (!alone.ok) throw new Error('default scenario invalid');
    const standalone = simulate(alone.value, { collectRunTotals: true });
    expect(withoutTime(regional.councils.E06000031!)).toEqual(withoutTime(standalone));
    // and the region's totals are that council's
    expect(regional.region.population.total).toEqual(standalone.population.total);
    expect(regional.region.cost.financialYears.map((f) => f.mean)).toEqual(
      standalone.cost.financialYears.map((f) => f.mean),
    );
  });
});

describe('councils in a region', () => {
  it('each keep their own streams: council i alone with its seed is its regional forecast when nothing couples them', () => {
    const a = council(48000, 20);
    const b = council(120000, 10);
    const r = region({
      councils: [
        { code: 'E06000031', scenario: a as Record<string, unknown> },
        { code: 'E10000003', scenario: b as Record<string, unknown> },
      ],
      runs: 100,
    });
    const regional = simulateRegion(r);
    const bAlone = parseScenario({ ...b, horizonMonths: 24, runs: 100, seed: councilSeed(11, 1) });
    if (!bAlone.ok) throw new Error('invalid');
    expect(withoutTime(regional.councils.E10000003!)).toEqual(withoutTime(simulate(bAlone.value)));
    expect(regional.councils.E10000003!.seed).not.toBe(regional.councils.E06000031!.seed);
    // the region's children are the sum of the councils' in every run: the means add exactly
    const last = 23;
    const sum =
      regional.councils.E06000031!.population.total.mean[last]! +
      regional.councils.E10000003!.population.total.mean[last]!;
    expect(regional.region.population.total.mean[last]).toBeCloseTo(sum, 9);
  });
});

describe('the NTS regional rota', () => {
  const a = council(48000, 30); // threshold 34 (0.07%): little room
  const b = council(150000, 5); // threshold 105: much room
  const c = council(60000, 42); // threshold 42: at it from the start
  const r = region({
    councils: [
      { code: 'E06000031', scenario: a as Record<string, unknown> },
      { code: 'E10000003', scenario: b as Record<string, unknown> },
      { code: 'E10000015', scenario: c as Record<string, unknown> },
    ],
    nts: { regionalTransfersPerMonth: 6, rule: 'rota' },
    runs: 300,
  });
  let checked = 0;
  let above = 0;
  const result = simulateRegion(r, {
    onCouncilMonthEnd: (_council, _run, _month, state) => {
      // a transfer never takes a council above its threshold (spontaneous arrivals may, before the 2022 rule)
      if (state.transfers > 0) {
        checked++;
        if (state.uascCount > state.uascThreshold) above++;
      }
    },
  });
  const u = result.region.uasc!;

  it('never takes a council above its own threshold through transfers', () => {
    expect(checked).toBeGreaterThan(1000);
    expect(above).toBe(0);
  });

  it('accounts for every transfer: received by a council or not placed', () => {
    const arrivals = u.arrivals.mean.reduce((s, v) => s + v, 0);
    const received = Object.values(u.transfersByCouncil).reduce((s, x) => s + x.total.mean, 0);
    expect(received + u.notPlacedTotal.mean).toBeCloseTo(arrivals, 9);
    // arrivals are Poisson(6) a month: the mean over 300 runs × 24 months within 4 standard errors
    const se = Math.sqrt(6 / (300 * 24));
    expect(Math.abs(arrivals / 24 - 6)).toBeLessThan(4 * se);
  });

  it('sends more to the council with most room, and the councils ignore their own transfer rates', () => {
    const got = (code: string) => u.transfersByCouncil[code]!.total.mean;
    expect(got('E10000003')).toBeGreaterThan(got('E06000031'));
    expect(got('E10000003')).toBeGreaterThan(got('E10000015'));
    for (const code of result.councilOrder) {
      const own = result.councils[code]!.uasc!.transfers.mean.reduce((s, v) => s + v, 0);
      expect(own).toBeCloseTo(got(code), 9);
    }
  });
});

describe('Rota.allocate', () => {
  it('goes round in order, skips councils without room and reports what no council can take', () => {
    const rota = new Rota(3);
    const given = new Int32Array(3);
    expect(rota.allocate(4, Int32Array.from([5, 0, 5]), given)).toBe(0);
    expect(Array.from(given)).toEqual([2, 0, 2]);
    given.fill(0);
    // the rota's place is kept: the last one went to council 2, so council 0 is next
    expect(rota.allocate(5, Int32Array.from([1, 1, 0]), given)).toBe(3);
    expect(Array.from(given)).toEqual([1, 1, 0]);
  });
});

describe('shared places', () => {
  const a = council(48000, 20);
  const b = council(120000, 10);
  const councils = [
    { code: 'E06000031', scenario: a as Record<string, unknown> },
    { code: 'E10000003', scenario: b as Record<string, unknown> },
  ];
  const without = simulateRegion(region({ councils, runs: 200 }));
  const shared = { residentialBeds: 8, weeklyCost: 3000, fosterHouseholds: 6, fosterWeeklyCost: 700 };
  const withShared = simulateRegion(region({ councils, runs: 200, shared }));

  it('change prices, not paths: every council has the same children with or without them', () => {
    for (const code of ['E06000031', 'E10000003']) {
      expect(withShared.councils[code]!.population).toEqual(without.councils[code]!.population);
    }
  });

  it('never hold more children than their places, and the saving is exactly the difference in regional cost', () => {
    const sh = withShared.region.shared!;
    for (const v of sh.residential!.occupancy.p95) expect(v).toBeLessThanOrEqual(8);
    expect(Math.max(...sh.residential!.occupancy.mean)).toBeGreaterThan(0);
    withShared.region.cost.financialYears.forEach((fy, f) => {
      const before = without.region.cost.financialYears[f]!.mean;
      // run by run: regional cost with shared places = cost without − saving, so the means agree to rounding
      expect(fy.mean).toBeCloseTo(before - sh.saving[f]!.mean, 2);
    });
  });
});

describe('shared places under drawn inflation', () => {
  it('are priced at each run’s own inflation, as the councils’ spot placements are (fixed inflation: one price)', () => {
    const one = (annualInflation: unknown) => [
      {
        code: 'E06000031',
        scenario: { ...base, costs: { ...base.costs, annualInflation } } as Record<string, unknown>,
      },
    ];
    const shared = { residentialBeds: 4, weeklyCost: 3000 };
    // 36 months from April 2018: the third year's block cost is 4 beds × £3,000 × 365/7 weeks × (1 + i)²
    const fixed = simulateRegion(region({ councils: one(0.03), horizonMonths: 36, runs: 100, shared }));
    const drawn = simulateRegion(
      region({ councils: one({ min: 0, mode: 0.03, max: 0.1 }), horizonMonths: 36, runs: 100, shared }),
    );
    const year3 = (r: typeof fixed) => r.region.shared!.residential!.cost[2]!;
    const weeks = 365 / 7;
    expect(year3(fixed).p10).toBeCloseTo(4 * 3000 * weeks * 1.03 ** 2, 0);
    expect(year3(fixed).p90).toBe(year3(fixed).p10);
    // drawn: the block cost spreads with the runs' inflation, between the range's ends
    expect(year3(drawn).p10).toBeGreaterThan(4 * 3000 * weeks * 0.999);
    expect(year3(drawn).p90).toBeLessThan(4 * 3000 * weeks * 1.1 ** 2);
    expect(year3(drawn).p90 / year3(drawn).p10).toBeGreaterThan(1.05);
  });
});

describe('bad regions', () => {
  const one = { code: 'E06000031', scenario: base as Record<string, unknown> };
  const parse = (x: Partial<RegionalForecastInput>) =>
    parseRegionalForecast({ name: 'x', start: '2018-04', horizonMonths: 12, runs: 10, councils: [one], ...x });

  it('refuses 0 and more than 200 councils, a council listed twice, and an unknown code', () => {
    const issuesOf = (r: ReturnType<typeof parse>) => (r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`));
    expect(issuesOf(parse({ councils: [] }))).toEqual(['councils: a region needs at least one council']);
    const many = Array.from({ length: 201 }, (_, i) => ({ code: `E06${String(i).padStart(6, '0')}` }));
    expect(issuesOf(parse({ councils: many }))).toEqual(['councils: a region has at most 200 councils']);
    expect(issuesOf(parse({ councils: [one, one] }))).toEqual([
      'councils.1.code: council E06000031 is listed twice (also at 0)',
    ]);
    expect(issuesOf(parse({ councils: [{ code: 'Peterborough' }] }))[0]).toMatch(
      /^councils\.0\.code: must be a council code/,
    );
    expect(issuesOf(parse({ shared: { residentialBeds: 3 } }))).toEqual([
      'shared.weeklyCost: is required when residentialBeds > 0',
    ]);
  });

  it('names the council and field of a bad council scenario', () => {
    const parsed = parse({
      councils: [{ code: 'E06000031', scenario: { ...base, costs: { ...base.costs!, annualInflation: 5 } } }],
    });
    if (!parsed.ok) throw new Error('the region itself is valid');
    const r = resolveRegion(parsed.value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toEqual(['councils.0.scenario.costs.annualInflation']);
  });
});

describe('a region in shards of runs', () => {
  it('merges to the one-process result: counts identical, money means within 1e-12 relative', () => {
    const a = council(48000, 25);
    const b = council(120000, 10);
    const r = region({
      councils: [
        { code: 'E06000031', scenario: a as Record<string, unknown> },
        { code: 'E10000003', scenario: b as Record<string, unknown> },
      ],
      runs: 90,
      nts: { regionalTransfersPerMonth: 5, rule: 'rota' },
      shared: { residentialBeds: 5, weeklyCost: 3200, fosterHouseholds: 4, fosterWeeklyCost: 650 },
      budgets: { '2018/19': 39000000 },
    });
    const whole = simulateRegion(r, { collectRunTotals: true });
    const shards = [
      { from: 40, to: 90 },
      { from: 0, to: 17 },
      { from: 17, to: 40 },
    ].map((range) => simulateRegionShard(r, range, { collectRunTotals: true }));
    // JSON round trip: what crosses a thread or the store
    const merged = mergeRegionShards(r, JSON.parse(JSON.stringify(shards)), { collectRunTotals: true });
    // counts and quantiles bit-identical
    expect(merged.region.population).toEqual(whole.region.population);
    expect(merged.region.uasc).toEqual(whole.region.uasc);
    expect(merged.region.shared!.residential!.occupancy).toEqual(whole.region.shared!.residential!.occupancy);
    expect(merged.runTotals).toEqual(whole.runTotals);
    for (const code of ['E06000031', 'E10000003'])
      expect(merged.councils[code]!.population).toEqual(whole.councils[code]!.population);
    merged.region.cost.financialYears.forEach((fy, f) => {
      const w = whole.region.cost.financialYears[f]!;
      expect(fy.p50).toBe(w.p50);
      expect(fy.pOverBudget).toBe(w.pOverBudget);
      expect(Math.abs(fy.mean - w.mean) / w.mean).toBeLessThan(1e-12);
      const sv = merged.region.shared!.saving[f]!;
      const sw = whole.region.shared!.saving[f]!;
      expect(sv.p10).toBe(sw.p10);
      expect(Math.abs(sv.mean - sw.mean)).toBeLessThan(1e-12 * Math.abs(sw.mean) + 1e-6);
    });
  });
});
