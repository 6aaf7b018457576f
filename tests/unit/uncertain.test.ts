import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulate } from '#models/engine';
import { InputDraws } from '#models/engine/inputs';
import { streamSeed } from '#models/random';
import { parseScenario, type Scenario } from '#models/scenario';
import { Z90, drawUncertain, uncertainMean } from '#models/uncertain';

/** the default scenario with every input fixed (as before issue 14 gave its assumptions ranges) */
const FIXED_INPUTS = 'tests/fixtures/peterborough-2018-fixed-inputs.json';

function defaultScenario(over: (s: Record<string, any>) => void = () => {}): Scenario {
  const raw = JSON.parse(readFileSync(FIXED_INPUTS, 'utf8'));
  over(raw);
  const p = parseScenario(raw);
  if (!p.ok) throw new Error(p.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return p.value;
}

function meanSe(xs: number[]): { mean: number; se: number; sd: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, sd, se: sd / Math.sqrt(n) };
}

/** The run-level input draws of runs 0..n−1, as the engine makes them (its input stream is run stream 7). */
function drawsOf(s: Scenario, n: number, key: keyof InputDraws['run']): number[] {
  const d = new InputDraws(s);
  return Array.from({ length: n }, (_, r) => {
    d.draw(streamSeed(streamSeed(s.seed, r), (1 << 30) + 7));
    return d.run[key];
  });
}

describe('uncertain inputs: the shape', () => {
  it('accepts a number, {min, mode, max} and {p10, p90} for a capacity field, and names what is wrong', () => {
    const ok = defaultScenario((s) => {
      s.capacity.inHouseHouseholds = { p10: 92, p90: 108 };
      s.capacity.recruitmentPerYear = { min: 6, mode: 12, max: 20 };
    });
    expect(ok.capacity?.inHouseHouseholds).toEqual({ p10: 92, p90: 108 });
    const bad = (mutate: (s: Record<string, any>) => void) => {
      const raw = JSON.parse(readFileSync(FIXED_INPUTS, 'utf8'));
      mutate(raw);
      const p = parseScenario(raw);
      return p.ok ? [] : p.issues.map((i) => `${i.path}: ${i.message}`);
    };
    expect(bad((s) => (s.capacity.inHouseHouseholds = { min: 90, mode: 100, max: 110.5 }))).toEqual([
      'capacity.inHouseHouseholds: max: must be a whole number',
    ]);
    expect(bad((s) => (s.capacity.householdLossPerYear = { p10: 0.2, p90: 0.1 }))).toEqual([
      'capacity.householdLossPerYear: must have p10 < p90',
    ]);
    expect(bad((s) => (s.costs.annualInflation = { min: 0.02, mode: 0.01, max: 0.05 }))).toEqual([
      'costs.annualInflation: must have min ≤ mode ≤ max and min < max',
    ]);
    expect(bad((s) => (s.entries.multiplier = 'high'))).toEqual([
      'entries.multiplier: must be a number, a range {min, mode, max} or {p10, p90}',
    ]);
  });
});

describe('uncertain inputs: the draw', () => {
  it('gives a triangular input the mean (min + mode + max) / 3 over runs, within 3 SE', () => {
    const s = defaultScenario((x) => (x.capacity.recruitmentPerYear = { min: 4, mode: 10, max: 22 }));
    const xs = drawsOf(s, 4000, 'recruitmentPerYear');
    const m = meanSe(xs);
    expect(Math.abs(m.mean - 12)).toBeLessThan(3 * m.se);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(4);
    expect(Math.max(...xs)).toBeLessThanOrEqual(22);
  });

  it('reads {p10, p90} as a normal with those percentiles: 10% of runs below p10 and 10% above p90, within 3 SE', () => {
    const s = defaultScenario((x) => (x.capacity.placesPerHousehold = { p10: 1.4, p90: 1.8 }));
    const xs = drawsOf(s, 4000, 'placesPerHousehold');
    const se = Math.sqrt((0.1 * 0.9) / xs.length);
    expect(Math.abs(xs.filter((v) => v < 1.4).length / xs.length - 0.1)).toBeLessThan(3 * se);
    expect(Math.abs(xs.filter((v) => v > 1.8).length / xs.length - 0.1)).toBeLessThan(3 * se);
    const m = meanSe(xs);
    expect(Math.abs(m.mean - 1.6)).toBeLessThan(3 * m.se);
    expect(drawUncertain({ p10: 1.4, p90: 1.8 }, 0.9)).toBeCloseTo(1.8, 6);
    expect((1.8 - 1.4) / (2 * Z90)).toBeCloseTo(m.sd, 1);
  });

  it('cuts draws at the field limits and rounds whole-number fields', () => {
    expect(drawUncertain({ p10: 0.9, p90: 1 }, 0.999, { min: 0, max: 1 })).toBe(1);
    expect(drawUncertain({ p10: 92, p90: 108 }, 0.37, { min: 0, integer: true }) % 1).toBe(0);
    expect(uncertainMean({ min: 1, mode: 2, max: 6 })).toBe(3);
  });

  it('keys each draw by the input path: adding or changing another range leaves an input’s draws as they were', () => {
    const a = defaultScenario((x) => (x.capacity.recruitmentPerYear = { min: 4, mode: 10, max: 22 }));
    const b = defaultScenario((x) => {
      x.capacity.recruitmentPerYear = { min: 4, mode: 10, max: 22 };
      x.costs.annualInflation = { p10: 0.01, p90: 0.05 };
      x.capacity.placesPerHousehold = { min: 1.4, mode: 1.6, max: 1.9 };
    });
    expect(drawsOf(b, 200, 'recruitmentPerYear')).toEqual(drawsOf(a, 200, 'recruitmentPerYear'));
    // and the inputs differ from one another (distinct streams)
    const infl = drawsOf(b, 200, 'annualInflation');
    expect(new Set(infl).size).toBe(200);
  });
});

describe('uncertain inputs in the engine', () => {
  it('widens the spread of in-house capacity when households are a range, and keeps its centre', () => {
    const fixed = defaultScenario();
    const ranged = defaultScenario((x) => (x.capacity.inHouseHouseholds = { p10: 92, p90: 124 }));
    const H = 12;
    const a = simulate({ ...fixed, runs: 600, horizonMonths: H });
    const b = simulate({ ...ranged, runs: 600, horizonMonths: H });
    const spread = (r: typeof a) => r.inHouse!.capacity.p90[H - 1]! - r.inHouse!.capacity.p10[H - 1]!;
    expect(spread(b)).toBeGreaterThan(2 * spread(a));
    // households (p10 92, p90 124: centre 108, sd 12.5) → places ≈ 1.6 × households
    expect(Math.abs(b.inHouse!.households.mean[0]! - a.inHouse!.households.mean[0]!)).toBeLessThan(
      3 * (12.5 / Math.sqrt(600)) + 0.5,
    );
    expect(b.uncertainty?.inputs).toEqual(['capacity.inHouseHouseholds']);
  });

  it('draws inflation per run: the spread of a later year’s cost widens, the first year’s does not change', () => {
    const fixed = defaultScenario();
    const ranged = defaultScenario((x) => (x.costs.annualInflation = { p10: 0.0, p90: 0.06 }));
    const a = simulate({ ...fixed, runs: 400, horizonMonths: 36 });
    const b = simulate({ ...ranged, runs: 400, horizonMonths: 36 });
    // 2018/19 is at price-base prices: no inflation, identical runs
    expect(b.cost.financialYears[0]!.p50).toBe(a.cost.financialYears[0]!.p50);
    expect(b.cost.financialYears[2]!.sd).toBeGreaterThan(a.cost.financialYears[2]!.sd * 1.2);
  });
});
