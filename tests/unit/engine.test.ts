import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, simulate, type MonthEndState } from '#models/engine';
import { parseScenario, type Scenario, type ScenarioInput } from '#models/scenario';
import { AGE_BANDS, BAND_START_MONTHS, CATEGORIES, ageBandOf, bandEndMonths, type Category } from '#models/placement';
import { DEFAULT_SCENARIO_PATH } from '#models/defaults';
import { streamSeed, uniform } from '#models/random';

function scenario(input: ScenarioInput): Scenario {
  const p = parseScenario(input);
  if (!p.ok) throw new Error(p.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return p.value;
}

/** A small chain with exits, moves and entries in several bands, capacity off, UASC off, fixed costs. */
const chainInput: ScenarioInput = {
  name: 'chain',
  start: '2020-04',
  horizonMonths: 30,
  runs: 3000,
  seed: 7,
  childPopulation: { base: 50000 },
  parameters: {
    entriesPerMonth: {
      '0': { inHouseFoster: 0.8, kinship: 0.3 },
      '10-15': { residential: 0.4, agencyFoster: 0.6 },
      '16-17': { supported: 0.5 },
    },
    exitProbability: {
      '0': { inHouseFoster: 0.06, kinship: 0.04, placedForAdoption: 0.15 },
      '1-4': { inHouseFoster: 0.05, placedForAdoption: 0.12 },
      '5-9': { inHouseFoster: 0.02, agencyFoster: 0.03 },
      '10-15': { residential: 0.02, agencyFoster: 0.025, inHouseFoster: 0.02 },
      '16-17': { supported: 0.03, residential: 0.02, agencyFoster: 0.02 },
    },
    moveProbability: {
      '0': { inHouseFoster: { placedForAdoption: 0.05, agencyFoster: 0.01 } },
      '1-4': { inHouseFoster: { placedForAdoption: 0.04 } },
      '10-15': { agencyFoster: { residential: 0.02, inHouseFoster: 0.01 }, residential: { agencyFoster: 0.03 } },
      '16-17': { residential: { supported: 0.05 }, agencyFoster: { supported: 0.04 } },
    },
  },
  initial: [
    { ageMonths: 5, category: 'inHouseFoster', count: 4 },
    { ageMonths: 11, category: 'inHouseFoster', count: 3 },
    { ageMonths: 50, category: 'placedForAdoption', count: 2 },
    { ageMonths: 59, category: 'inHouseFoster', count: 3 },
    { ageMonths: 100, category: 'agencyFoster', count: 5 },
    { ageMonths: 119, category: 'inHouseFoster', count: 4 },
    { ageMonths: 150, category: 'residential', count: 6 },
    { ageMonths: 180, category: 'agencyFoster', count: 5 },
    { ageMonths: 191, category: 'residential', count: 3 },
    { ageMonths: 200, category: 'supported', count: 5 },
    { ageMonths: 214, category: 'agencyFoster', count: 2 },
    { ageMonths: 215, category: 'residential', count: 2 },
  ],
  capacity: null,
  uasc: null,
  costs: {
    priceBase: '2020-04',
    annualInflation: 0.05,
    weekly: {
      inHouseFoster: 450,
      agencyFoster: 850,
      kinship: 400,
      residential: 4000,
      supported: 1200,
      placedForAdoption: 150,
    },
  },
};

/**
 * The exact expectation of the same monthly chain, by a plain recursion over age-in-months × category — written
 * independently of the engine (no waiting times, no random numbers): expected counts at the end of each month.
 */
function exactExpectation(s: Scenario): Record<Category, number[]> {
  const A = 216;
  const C = CATEGORIES.length;
  let x = new Float64Array(A * C); // expected children at the start of the month by age (months) × category
  for (const c of s.initial) x[c.ageMonths * C + CATEGORIES.indexOf(c.category)]! += c.count;
  const out = Object.fromEntries(CATEGORIES.map((c) => [c, [] as number[]])) as Record<Category, number[]>;
  for (let t = 0; t < s.horizonMonths; t++) {
    const y = new Float64Array(A * C); // by age at the end of the month
    for (let a = 0; a < A; a++) {
      const band = ageBandOf(a);
      for (let ci = 0; ci < C; ci++) {
        const n = x[a * C + ci]!;
        if (n === 0) continue;
        const from = CATEGORIES[ci]!;
        const pExit = s.parameters.exitProbability[band]?.[from] ?? 0;
        const moves = s.parameters.moveProbability[band]?.[from] ?? {};
        let pStay = 1 - pExit;
        if (a + 1 >= A) continue; // ages out at 18 whatever the draw
        for (const [to, p] of Object.entries(moves)) {
          y[(a + 1) * C + CATEGORIES.indexOf(to as Category)]! += n * (p ?? 0);
          pStay -= p ?? 0;
        }
        y[(a + 1) * C + ci]! += n * pStay;
      }
    }
    AGE_BANDS.forEach((band, b) => {
      const lo = BAND_START_MONTHS[b]!;
      const width = bandEndMonths(b) - lo;
      for (const [cat, mean] of Object.entries(s.parameters.entriesPerMonth[band] ?? {})) {
        for (let a = lo; a < lo + width; a++)
          y[a * C + CATEGORIES.indexOf(cat as Category)]! += ((mean ?? 0) * (s.entries.multiplier as number)) / width;
      }
    });
    CATEGORIES.forEach((cat, ci) => {
      let sum = 0;
      for (let a = 0; a < A; a++) sum += y[a * C + ci]!;
      out[cat].push(sum);
    });
    x = y;
  }
  return out;
}

function meanAndSe(values: number[]): { mean: number; se: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, se: sd / Math.sqrt(n) };
}

describe('engine: the monthly chain', () => {
  it('matches the exact expectation of every category within 4 standard errors (capacity and UASC off, fixed costs)', () => {
    const s = scenario(chainInput);
    const exact = exactExpectation(s);
    // Check several horizons: the per-run counts at the horizon give the mean and its standard error.
    for (const horizon of [1, 2, 13, 30]) {
      const r = simulate({ ...s, horizonMonths: horizon }, { collectRunTotals: true });
      for (const cat of CATEGORIES) {
        const { mean, se } = meanAndSe(r.runTotals!.horizonPopulation[cat]);
        const expected = exact[cat][horizon - 1]!;
        // tolerance: 4 SE, with a floor for categories that are (almost) surely empty (SE = 0)
        expect(
          Math.abs(mean - expected),
          `${cat} at month ${horizon}: MC ${mean} vs exact ${expected}`,
        ).toBeLessThanOrEqual(4 * se + 1e-9);
        // the published mean series is the same mean
        expect(r.population[cat].mean[horizon - 1]).toBeCloseTo(mean, 9);
      }
    }
  });

  it('charges the expected cost of the chain: each FY mean within 4 SE of the exact expected cost', () => {
    const s = scenario(chainInput);
    const exact = exactExpectation(s);
    const r = simulate(s, { collectRunTotals: true });
    const start = 2020 * 12 + 3;
    r.cost.financialYears.forEach((fy, f) => {
      let expected = 0;
      for (let t = 0; t < s.horizonMonths; t++) {
        const m = start + t;
        const fyStart = Math.floor((m - 3) / 12);
        if (fyStart - 2020 !== f) continue;
        const days = new Date(Date.UTC(Math.floor(m / 12), (m % 12) + 1, 0)).getUTCDate();
        const factor = 1.05 ** (fyStart - 2020);
        for (const cat of CATEGORIES)
          expected += exact[cat][t]! * ((s.costs.weekly[cat] as number | undefined) ?? 0) * (days / 7) * factor;
      }
      const { mean, se } = meanAndSe(r.runTotals!.financialYears[f]!);
      expect(Math.abs(mean - expected), fy.label).toBeLessThanOrEqual(4 * se);
      expect(fy.mean).toBeCloseTo(mean, 4);
    });
  });

  it('gives the identical result for the same scenario and seed, and a different one for another seed', () => {
    const s = scenario({ ...chainInput, runs: 300 });
    const a = simulate(s);
    const b = simulate(s);
    const c = simulate({ ...s, seed: 8 });
    expect({ ...a, elapsedMs: 0 }).toEqual({ ...b, elapsedMs: 0 });
    expect(c.population.total.mean).not.toEqual(a.population.total.mean);
    expect(c.cost.financialYears[0]!.mean).not.toEqual(a.cost.financialYears[0]!.mean);
  });

  it('draws each child from its own stream (seed, run, child) exactly as models/random.ts defines it', () => {
    // One child, exit probability q a month: it leaves in the first month k (0-based) with (1 − q)^(k+1) ≤ U, U being
    // the first uniform of stream streamSeed(streamSeed(seed, run), 0). The engine writes the generator out by hand in
    // its hot loops for speed; this pins those copies to the definition.
    const q = 0.05;
    const s = scenario({
      ...chainInput,
      runs: 300,
      horizonMonths: 18,
      parameters: { entriesPerMonth: {}, exitProbability: { '5-9': { inHouseFoster: q } }, moveProbability: {} },
      initial: [{ ageMonths: 100, category: 'inHouseFoster' }],
    });
    const observed: number[] = Array(s.runs).fill(-1);
    simulate(s, {
      onMonthEnd: (run, t, st) => {
        if (st.counts[0] === 0 && observed[run] === -1) observed[run] = t;
      },
    });
    const expected = Array.from({ length: s.runs }, (_, run) => {
      const u = uniform(Int32Array.of(streamSeed(streamSeed(s.seed, run), 0)), 0);
      for (let k = 0; k < s.horizonMonths; k++) if ((1 - q) ** (k + 1) <= u) return k;
      return -1;
    });
    expect(observed).toEqual(expected);
    expect(new Set(expected).size).toBeGreaterThan(10);
  });

  it('gives the same result run in steps (as a Lambda host does, to record progress between them) as in one call', () => {
    const s = { ...scenario(chainInput), runs: 250 };
    const whole = simulate(s, { collectRunTotals: true });
    const sim = createSimulation(s, { collectRunTotals: true });
    let steps = 0;
    while (!sim.step(37)) steps++;
    expect(steps).toBe(6);
    expect(sim.runsDone).toBe(250);
    expect({ ...sim.finish(), elapsedMs: 0 }).toEqual({ ...whole, elapsedMs: 0 });
    expect(() => createSimulation(s).finish()).toThrow(/after 0 of 250 runs/);
  });

  it('ages children out at 18: a child aged 215 months leaves at the end of the first month', () => {
    const s = scenario({
      ...chainInput,
      parameters: { entriesPerMonth: {}, exitProbability: {}, moveProbability: {} },
      initial: [
        { ageMonths: 215, category: 'supported' },
        { ageMonths: 214, category: 'supported' },
      ],
      runs: 10,
      horizonMonths: 3,
    });
    const r = simulate(s);
    expect(r.population.supported.mean).toEqual([1, 0, 0]);
    expect(r.exits.mean).toEqual([1, 1, 0]);
  });
});

const defaultScenario = (): Scenario => {
  // the default scenario with every input fixed (as before issue 14 gave its assumptions ranges)
  const p = parseScenario(JSON.parse(readFileSync('tests/fixtures/peterborough-2018-fixed-inputs.json', 'utf8')));
  if (!p.ok) throw new Error('default scenario invalid');
  return p.value;
};

describe('engine: carer capacity', () => {
  it('never lets in-house occupancy exceed the places in any run and month', () => {
    const s = { ...defaultScenario(), runs: 200, horizonMonths: 36 };
    s.capacity = { ...s.capacity!, inHouseHouseholds: 90, recruitmentPerYear: 4, stepAcrossProbability: 0.05 };
    let checked = 0;
    let overflowSeen = 0;
    simulate(s, {
      onMonthEnd: (_r, _t, st: MonthEndState) => {
        expect(st.counts[0]).toBeLessThanOrEqual(Math.max(0, st.places));
        overflowSeen += st.overflow;
        checked++;
      },
    });
    expect(checked).toBe(200 * 36);
    expect(overflowSeen).toBeGreaterThan(0); // the test exercises a binding constraint
  });

  it('sends no child elsewhere when capacity is ample', () => {
    const s = { ...defaultScenario(), runs: 200 };
    s.capacity = { ...s.capacity!, inHouseHouseholds: 1000, householdLossPerYear: 0 };
    const r = simulate(s);
    expect(r.inHouse!.overflowTotal.mean).toBe(0);
    expect(r.inHouse!.overflow.p95.every((v) => v === 0)).toBe(true);
  });

  it('sends overflow to residential when no agency place can be found (agencyAvailability 0)', () => {
    const s = { ...defaultScenario(), runs: 200, horizonMonths: 24 };
    s.capacity = { ...s.capacity!, inHouseHouseholds: 60, recruitmentPerYear: 0, agencyAvailability: 0 };
    const withAgency = { ...s, capacity: { ...s.capacity!, agencyAvailability: 1 } };
    const a = simulate(s);
    const b = simulate(withAgency);
    expect(a.inHouse!.overflowTotal.mean).toBeGreaterThan(10);
    expect(a.population.residential.mean[23]!).toBeGreaterThan(b.population.residential.mean[23]! + 5);
  });

  it('raising recruitment (same seed) lowers agency + residential and total cost, and raises in-house numbers', () => {
    const s = { ...defaultScenario(), runs: 400 };
    s.capacity = { ...s.capacity!, inHouseHouseholds: 100, recruitmentPerYear: 4 };
    const more = { ...s, capacity: { ...s.capacity!, recruitmentPerYear: 24 } };
    const a = simulate(s);
    const b = simulate(more);
    const h = s.horizonMonths - 1;
    const dear = (r: typeof a) => r.population.agencyFoster.mean[h]! + r.population.residential.mean[h]!;
    expect(dear(b)).toBeLessThan(dear(a));
    expect(b.population.inHouseFoster.mean[h]!).toBeGreaterThan(a.population.inHouseFoster.mean[h]!);
    const totalCost = (r: typeof a) => r.cost.financialYears.reduce((x, fy) => x + fy.mean, 0);
    expect(totalCost(b)).toBeLessThan(totalCost(a));
  });
});

describe('engine: UASC threshold', () => {
  const uascScenario = (): Scenario => {
    const s = defaultScenario();
    return {
      ...s,
      start: '2021-04',
      horizonMonths: 36,
      runs: 300,
      costs: { ...s.costs, priceBase: '2021-04' },
      uasc: { ...s.uasc!, transfersPerMonthWhenOnRota: 4, spontaneousPerMonth: 2 },
    };
  };

  it('never takes the UASC count above the threshold through transfers', () => {
    const s = uascScenario();
    let transfersSeen = 0;
    simulate(s, {
      onMonthEnd: (_r, _t, st) => {
        if (st.transfers > 0) {
          expect(st.uascCount).toBeLessThanOrEqual(st.uascThreshold);
          transfersSeen += st.transfers;
        }
      },
    });
    expect(transfersSeen).toBeGreaterThan(0);
  });

  it('switches the threshold from 0.07% to 0.1% in August 2022 (the rate in force on the month’s last day)', () => {
    const s = uascScenario();
    const r = simulate({ ...s, runs: 5 });
    const pop = (t: number) =>
      (s.childPopulation.base as number) * (1 + (s.childPopulation.annualGrowth as number)) ** ((t + 1) / 12);
    const jul = r.months.indexOf('2022-07');
    const aug = r.months.indexOf('2022-08');
    expect(r.uasc!.threshold[jul]).toBe(Math.round(0.0007 * pop(jul)));
    expect(r.uasc!.threshold[aug]).toBe(Math.round(0.001 * pop(aug)));
    expect(r.uasc!.threshold[aug]!).toBeGreaterThan(r.uasc!.threshold[jul]!);
  });

  it('refers spontaneous arrivals on only from 24 August 2022, and then never above the threshold', () => {
    const s = uascScenario();
    s.uasc = { ...s.uasc!, spontaneousPerMonth: 6, transfersPerMonthWhenOnRota: 0 };
    const r = simulate(s);
    const aug = r.months.indexOf('2022-08');
    expect(r.uasc!.referredOn.mean.slice(0, aug).every((v) => v === 0)).toBe(true);
    expect(r.uasc!.referredOn.mean.slice(aug).some((v) => v > 0)).toBe(true);
    // before the rule the count can pass the threshold; from it, arrivals stop at the threshold
    expect(Math.max(...r.uasc!.count.p95.slice(0, aug).map((v, i) => v - r.uasc!.threshold[i]!))).toBeGreaterThan(0);
    simulate(s, {
      onMonthEnd: (_r, t, st) => {
        if (t >= aug && st.spontaneous > 0) expect(st.uascCount).toBeLessThanOrEqual(st.uascThreshold);
      },
    });
  });
});

describe('engine: the starting UASC count', () => {
  const uascRules = {
    thresholds: [{ from: '2016-07-01', rate: 0.0007 }],
    transfersPerMonthWhenOnRota: 0,
    spontaneousPerMonth: 0,
    arrivalAge: { '16': 0.5, '17': 0.5 },
    arrivalPlacement: { supported: 1 },
  };
  const base = (initial: ScenarioInput['initial'], uascInitial: number) =>
    scenario({
      ...chainInput,
      runs: 5,
      horizonMonths: 1,
      parameters: { entriesPerMonth: {}, exitProbability: {}, moveProbability: {} },
      initial,
      uasc: { initial: uascInitial, ...uascRules },
    });

  it('counts the oldest unflagged children as UASC when uasc.initial is larger than the flags, and says so', () => {
    const r = simulate(
      base(
        [
          { ageMonths: 200, category: 'supported', count: 3 },
          { ageMonths: 100, category: 'inHouseFoster', count: 4 },
        ],
        2,
      ),
    );
    expect(r.uasc!.count.mean[0]).toBe(2);
    expect(r.population.total.mean[0]).toBe(7); // nobody added
    expect(r.warnings.join(' ')).toMatch(
      /uasc.initial is 2 but 0 children in initial are flagged uasc: 2 of the oldest children aged 16\+ were counted as UASC/,
    );
  });

  it('adds UASC children with the arrival ages and placements when the stock has too few old enough (the issue’s one-child example)', () => {
    const r = simulate(base([{ ageMonths: 150, category: 'residential', uasc: false, monthsInPlacement: 7 }], 19));
    expect(r.uasc!.count.mean[0]).toBe(19);
    expect(r.population.total.mean[0]).toBe(20);
    expect(r.population.supported.mean[0]).toBe(19);
    expect(r.warnings.join(' ')).toMatch(/19 UASC children were added to the starting stock/);
  });

  it('keeps the flagged children when more are flagged than uasc.initial', () => {
    const r = simulate(base([{ ageMonths: 200, category: 'supported', uasc: true, count: 5 }], 3));
    expect(r.uasc!.count.mean[0]).toBe(5);
    expect(r.warnings.join(' ')).toMatch(
      /uasc.initial is 3 but 5 children in initial are flagged uasc: the flagged children are the starting count/,
    );
  });
});

describe('engine: costs', () => {
  const oneChild = (weekly: ScenarioInput['costs']['weekly'], budgets: Record<string, number> = {}): Scenario =>
    scenario({
      name: 'one child',
      start: '2019-02',
      horizonMonths: 4,
      runs: 20,
      childPopulation: { base: 50000 },
      parameters: { entriesPerMonth: {}, exitProbability: {}, moveProbability: {} },
      initial: [{ ageMonths: 100, category: 'inHouseFoster' }],
      costs: { priceBase: '2018-04', annualInflation: 0.1, weekly },
      budgets,
    });

  it('charges one child to the penny across an April price rise', () => {
    const r = simulate(oneChild({ inHouseFoster: 700 }));
    // Feb 2019: 28 days at £700/wk = £2,800; Mar: 31 days = £3,100; from April (2019/20) prices × 1.10:
    // Apr: 30 days × £100 × 1.1 = £3,300; May: 31 days = £3,410.
    expect(r.cost.monthly.inHouseFoster.mean.map((v) => Math.round(v * 100) / 100)).toEqual([2800, 3100, 3300, 3410]);
    expect(r.cost.monthly.total.mean.map((v) => Math.round(v * 100) / 100)).toEqual([2800, 3100, 3300, 3410]);
    const [fy1, fy2] = r.cost.financialYears;
    expect(fy1!.label).toBe('2018/19');
    expect(fy1!.mean).toBeCloseTo(5900, 6);
    expect(fy1!.months).toBe(2);
    expect(fy1!.partial).toBe(true);
    expect(fy2!.label).toBe('2019/20');
    expect(fy2!.mean).toBeCloseTo(6710, 6);
    expect(fy2!.byCategory.inHouseFoster.mean).toBeCloseTo(6710, 6);
    // quantiles come from a sketch with 0.05% relative accuracy
    expect(Math.abs(fy2!.p50 - 6710) / 6710).toBeLessThan(5e-4);
  });

  it('computes the chance over budget', () => {
    expect(
      simulate(oneChild({ inHouseFoster: 700 }, { '2018/19': 5899.99, '2019/20': 6710.01 })).cost.financialYears.map(
        (f) => f.pOverBudget,
      ),
    ).toEqual([1, 0]);
    // triangular residential cost, drawn once per spell: P(cost over budget) = 1 − F(b) of the triangular weekly cost
    const s = {
      ...oneChild({ residential: { min: 3000, mode: 4000, max: 6000 } }),
      runs: 4000,
      horizonMonths: 1,
      start: '2018-04',
    };
    s.initial = [{ ageMonths: 100, category: 'residential', uasc: false, monthsInPlacement: 0, count: 1 }];
    s.costs = { ...s.costs, annualInflation: 0 };
    const weeklyBudget = 4500;
    s.budgets = { '2018/19': (weeklyBudget * 30) / 7 };
    const p = (6000 - 4500) ** 2 / ((6000 - 3000) * (6000 - 4000)); // 1 − F(4500) = 0.375
    const r = simulate(s);
    const se = Math.sqrt((p * (1 - p)) / s.runs);
    expect(Math.abs(r.cost.financialYears[0]!.pOverBudget! - p)).toBeLessThan(4 * se);
  });

  it('keeps a triangular cost for the whole placement spell', () => {
    const s = {
      ...oneChild({ residential: { min: 3000, mode: 4000, max: 6000 } }),
      runs: 50,
      horizonMonths: 3,
      start: '2018-04',
    };
    s.initial = [{ ageMonths: 100, category: 'residential', uasc: false, monthsInPlacement: 0, count: 1 }];
    s.costs = { ...s.costs, annualInflation: 0 };
    const weekly: number[][] = [];
    simulate(s, { onMonthEnd: (run, t, st) => ((weekly[run] ??= [])[t] = st.monthCost / ([30, 31, 30][t]! / 7)) });
    for (const w of weekly) {
      expect(w[1]).toBeCloseTo(w[0]!, 6);
      expect(w[2]).toBeCloseTo(w[0]!, 6);
    }
    expect(new Set(weekly.map((w) => Math.round(w[0]!))).size).toBeGreaterThan(40);
  });
});

describe('engine: parameter uncertainty', () => {
  it('widens the spread but keeps the mean when rates are drawn from their posteriors', () => {
    const base = scenario(chainInput);
    const evidence = {
      exposureMonths: { '10-15': { residential: 300, agencyFoster: 400 }, '16-17': { supported: 200 } },
      exits: { '10-15': { residential: 6, agencyFoster: 10 }, '16-17': { supported: 6 } },
      moves: { '10-15': { agencyFoster: { residential: 8, inHouseFoster: 4 }, residential: { agencyFoster: 9 } } },
      entries: { '10-15': { residential: 10, agencyFoster: 15 }, '16-17': { supported: 12 } },
      entryMonths: 24,
    };
    const fixed = { ...base, runs: 2000, horizonMonths: 24, parameters: { ...base.parameters, evidence } };
    const uncertain = { ...fixed, uncertainty: { parameters: true } };
    const a = simulate(fixed, { collectRunTotals: true });
    const b = simulate(uncertain, { collectRunTotals: true });
    const sa = meanAndSe(a.runTotals!.horizonPopulation.residential);
    const sb = meanAndSe(b.runTotals!.horizonPopulation.residential);
    const sdA = sa.se * Math.sqrt(2000);
    const sdB = sb.se * Math.sqrt(2000);
    expect(sdB).toBeGreaterThan(sdA * 1.1);
    // posterior draws are centred on the scenario's rates: means agree within 4 combined SE
    expect(Math.abs(sa.mean - sb.mean)).toBeLessThan(4 * Math.hypot(sa.se, sb.se));
  });
});

describe('scenario validation: every invalid-input class names its field', () => {
  const valid = chainInput;
  const cases: [string, (s: any) => void, string, RegExp][] = [
    [
      'probabilities above 1',
      (s) => (s.parameters.exitProbability['0'].inHouseFoster = 0.99),
      'parameters.exitProbability.0.inHouseFoster',
      /sum to 1\.0500 \(> 1\)/,
    ],
    [
      'probability out of range',
      (s) => (s.parameters.exitProbability['0'].kinship = 1.5),
      'parameters.exitProbability.0.kinship',
      /must be ≤ 1/,
    ],
    [
      'negative entries',
      (s) => (s.parameters.entriesPerMonth['0'].kinship = -1),
      'parameters.entriesPerMonth.0.kinship',
      /must be ≥ 0/,
    ],
    [
      'unknown category',
      (s) => (s.parameters.entriesPerMonth['0'].fostering = 1),
      'parameters.entriesPerMonth.0.fostering',
      /unknown key "fostering" \(categories: inHouseFoster/,
    ],
    [
      'unknown age band',
      (s) => (s.parameters.exitProbability['2-3'] = {}),
      'parameters.exitProbability.2-3',
      /unknown key "2-3" .*age bands: 0, 1-4, 5-9, 10-15, 16-17/,
    ],
    [
      'move to the same category',
      (s) => (s.parameters.moveProbability['0'].inHouseFoster.inHouseFoster = 0.1),
      'parameters.moveProbability.0.inHouseFoster.inHouseFoster',
      /not a move/,
    ],
    ['bad start month', (s) => (s.start = '2018-13'), 'start', /must be a month "YYYY-MM"/],
    ['horizon too long', (s) => (s.horizonMonths = 121), 'horizonMonths', /must be ≤ 120/],
    // months are dates in the workbooks: year 218 would be shown as 1918, a month past 9999-12 cannot be written
    ['start before 1900 (a slip for 2018)', (s) => (s.start = '0218-04'), 'start', /from 1900-01 to 9999-12/],
    [
      'horizon past 9999-12',
      (s) => {
        s.start = '9999-06';
        s.horizonMonths = 12;
      },
      'start',
      /from 1900-01 to 9999-12/,
    ],
    ['too many runs', (s) => (s.runs = 100001), 'runs', /must be ≤ 100000/],
    [
      'places per household not positive',
      (s) =>
        (s.capacity = {
          inHouseHouseholds: 10,
          placesPerHousehold: 0,
          recruitmentPerYear: 1,
          householdLossPerYear: 0.1,
        }),
      'capacity.placesPerHousehold',
      /must be > 0/,
    ],
    [
      'triangular cost out of order',
      (s) => (s.costs.weekly.residential = { min: 5000, mode: 4000, max: 6000 }),
      'costs.weekly.residential',
      /min ≤ mode ≤ max/,
    ],
    ['age at or past 18', (s) => (s.initial[0].ageMonths = 216), 'initial.0.ageMonths', /must be < 216/],
    [
      'budget key not a financial year',
      (s) => (s.budgets = { '2018': 1 }),
      'budgets.2018',
      /not a financial year \(YYYY\/YY\): 2018/,
    ],
    [
      'UASC shares not summing to 1',
      (s) =>
        (s.uasc = {
          initial: 0,
          thresholds: [{ from: '2016-07-01', rate: 0.0007 }],
          transfersPerMonthWhenOnRota: 1,
          spontaneousPerMonth: 0,
          arrivalAge: { '16': 0.5 },
          arrivalPlacement: { supported: 1 },
        }),
      'uasc.arrivalAge',
      /sum to 1/,
    ],
    [
      'thresholds out of order',
      (s) =>
        (s.uasc = {
          initial: 0,
          thresholds: [
            { from: '2022-08-24', rate: 0.001 },
            { from: '2016-07-01', rate: 0.0007 },
          ],
          transfersPerMonthWhenOnRota: 1,
          spontaneousPerMonth: 0,
          arrivalAge: { '16': 1 },
          arrivalPlacement: { supported: 1 },
        }),
      'uasc.thresholds.1.from',
      /increasing order/,
    ],
    ['missing field', (s) => delete s.costs, 'costs', /expected object, received undefined/],
    [
      'unknown cost category',
      (s) => (s.costs.weekly.fostering = 1),
      'costs.weekly.fostering',
      /unknown key "fostering"/,
    ],
    [
      'a weekly cost past any real one',
      (s) => (s.costs.weekly.residential = 1e300),
      'costs.weekly.residential',
      /must be ≤ 1000000 \(pounds a week\)/,
    ],
    [
      'a triangular weekly cost past any real one',
      (s) => (s.costs.weekly.residential = { min: 4000, mode: 5000, max: 6e6 }),
      'costs.weekly.residential.max',
      /must be ≤ 1000000/,
    ],
    [
      'a budget past any real one',
      (s) => (s.budgets = { '2018/19': 2e12 }),
      'budgets.2018/19',
      /must be ≤ 1000000000000 \(pounds a year\)/,
    ],
    [
      'a net budget past any real one',
      (s) => (s.budgets = { '2018/19': { net: 1e300 } }),
      'budgets.2018/19.net',
      /must be ≤ 1000000000000/,
    ],
  ];
  it.each(cases)('%s', (_name, mutate, path, message) => {
    const s = structuredClone(valid);
    mutate(s);
    const r = parseScenario(s);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const issue = r.issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(r.issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
  });

  it('strict (what a person sent): a field the schema does not know is an error naming it; loose (stored): dropped', () => {
    const s = structuredClone(valid) as any;
    // a misspelt field beside the right ones (as an override onto a base that has them)
    s.capacity = {
      inHouseHouseholds: 10,
      placesPerHousehold: 1.5,
      recruitmentPerYear: 4,
      recruitmentPerYr: 12,
      householdLossPerYear: 0.1,
    };
    s.initial[0].colour = 'blue';
    const strict = parseScenario(s, { strict: true });
    expect(strict.ok).toBe(false);
    if (strict.ok) return;
    expect(strict.issues).toEqual([
      { path: 'initial.0.colour', code: 'unrecognized_keys', message: 'unknown field "colour"' },
      { path: 'capacity.recruitmentPerYr', code: 'unrecognized_keys', message: 'unknown field "recruitmentPerYr"' },
    ]);
    const loose = parseScenario(s);
    expect(loose.ok).toBe(true);
    if (loose.ok) expect(loose.value.capacity).not.toHaveProperty('recruitmentPerYr');
    delete s.capacity.recruitmentPerYr;
    delete s.initial[0].colour;
    expect(parseScenario(s, { strict: true }).ok).toBe(true);
  });

  it('accepts the shipped default scenario', () => {
    expect(parseScenario(JSON.parse(readFileSync(DEFAULT_SCENARIO_PATH, 'utf8'))).ok).toBe(true);
  });
});
