/**
 * Exit-rate drift: estimated from a history with a KNOWN exit drift (bin/demo/drifting.ts) only where the dispersion
 * test finds it, and the engine's thinning gives each month the drifting exit rate exactly. Fixed seeds; tolerances
 * from standard errors over replicate histories or runs (stated in each test).
 */
import { describe, expect, it } from 'vitest';
import { datasetOfHistory, generateDriftingHistory } from '../../bin/demo/drifting.js';
import { chiSquareUpper, estimateExitDrift } from '#models/drift';
import { simulate } from '#models/engine';
import { parseScenario, type Scenario } from '#models/scenario';

const meanSe = (xs: number[]) => {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, se: sd / Math.sqrt(n) };
};

describe('estimating exit drift', () => {
  it('recovers a known exit drift (0.2 a year) within 3 SE over 12 ten-year histories, and says how', () => {
    const sets = Array.from({ length: 12 }, (_, i) =>
      datasetOfHistory(generateDriftingHistory({ seed: 300 + i, exitDriftSdPerYear: 0.2 })),
    );
    const m = meanSe(sets.map((d) => d.estimate.parameters.exitDrift!.sdPerYear));
    expect(m.se).toBeGreaterThan(0);
    expect(Math.abs(m.mean - 0.2)).toBeLessThan(3 * m.se);
    const supported = sets.filter((d) => d.estimate.tables.exitDriftTest!.p < 0.05);
    expect(supported.length).toBeGreaterThanOrEqual(10);
    expect(supported[0]!.estimate.parameters.exitDrift!.basis).toMatch(/^estimated from 40 quarters of exits.*X²/);
  });

  it('finds none where the exit rates were fixed: the test rejects at the 5% level in at most 3 of 12 histories', () => {
    // P(4 or more of 12 at a true level of 5%) ≈ 0.002
    const sets = Array.from({ length: 12 }, (_, i) => datasetOfHistory(generateDriftingHistory({ seed: 300 + i })));
    const none = sets.filter((d) => d.estimate.parameters.exitDrift!.sdPerYear === 0);
    expect(none.length).toBeGreaterThanOrEqual(9);
    expect(none[0]!.estimate.parameters.exitDrift!.basis).toMatch(/^no exit drift: not supported by the data/);
    // the entry drift is still estimated from the same histories
    expect(sets[0]!.estimate.parameters.entryDrift!.basis).toMatch(/40 quarters of entries/);
  });

  it('does not test with under 8 quarters, and the chi-square tail is right at known points', () => {
    const short = estimateExitDrift(new Array(21).fill(10), new Array(21).fill(10));
    expect(short).toEqual({
      sdPerYear: 0,
      basis: 'no exit drift: 7 full quarters of history, at least 8 needed to test for it',
    });
    // χ²₃₉ 95th percentile 54.57, 50th 38.34; χ²₁₀ 99th 23.21 (tables); Wilson–Hilferty is good to ~0.002 here
    expect(chiSquareUpper(54.572, 39)).toBeCloseTo(0.05, 2);
    expect(chiSquareUpper(38.335, 39)).toBeCloseTo(0.5, 2);
    expect(chiSquareUpper(23.209, 10)).toBeCloseTo(0.01, 2);
  });
});

function stockScenario(exitDrift?: number, extra: Partial<Scenario['uncertainty']> = {}): Scenario {
  const p = parseScenario({
    start: '2020-04',
    horizonMonths: 36,
    runs: 2000,
    seed: 11,
    childPopulation: { base: 50000 },
    parameters: {
      entriesPerMonth: { '5-9': { inHouseFoster: 3 } },
      exitProbability: { '5-9': { inHouseFoster: 0.03, agencyFoster: 0.02 }, '1-4': { inHouseFoster: 0.03 } },
      moveProbability: { '5-9': { inHouseFoster: { agencyFoster: 0.01 } } },
      ...(exitDrift !== undefined ? { exitDrift: { sdPerYear: exitDrift, basis: 'test' } } : {}),
    },
    initial: [{ ageMonths: 62, category: 'inHouseFoster', count: 200 }],
    costs: { priceBase: '2020-04', annualInflation: 0, weekly: { inHouseFoster: 400, agencyFoster: 800 } },
    uncertainty: { parameters: false, ...extra },
  });
  if (!p.ok) throw new Error(p.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return p.value;
}

describe('the engine with exit drift', () => {
  it('gives the first month exactly the mean exit rate (a centred walk, thinned draws) and widens the bands with the horizon', () => {
    const fixed = simulate(stockScenario(), { collectRunTotals: true });
    const drifting = simulate(stockScenario(0.3), { collectRunTotals: true });
    // month 0: 200 children at 0.03 → 6 exits on average either way; SE from the runs' own spread (≈ √6 / √2000)
    const sd0 = (drifting.exits.p90[0]! - drifting.exits.p10[0]!) / 2.563;
    expect(Math.abs(drifting.exits.mean[0]! - 6)).toBeLessThan(3 * (sd0 / Math.sqrt(2000)) + 0.02);
    expect(Math.abs(fixed.exits.mean[0]! - 6)).toBeLessThan(3 * (Math.sqrt(6) / Math.sqrt(2000)) + 0.02);
    // moves do not drift: 200 × 0.01 = 2 a month whatever the exits do (the thinned draws keep each move's own chance)
    const sdMoves = (drifting.moves.p90[0]! - drifting.moves.p10[0]!) / 2.563;
    expect(Math.abs(drifting.moves.mean[0]! - 2)).toBeLessThan(3 * (Math.max(sdMoves, Math.sqrt(2)) / Math.sqrt(2000)));
    const width = (r: typeof fixed, t: number) => r.population.total.p90[t]! - r.population.total.p10[t]!;
    expect(width(drifting, 35) / width(fixed, 35)).toBeGreaterThan(1.15);
    expect(width(drifting, 35) / width(fixed, 35)).toBeGreaterThan(width(drifting, 2) / width(fixed, 2));
    expect(drifting.uncertainty?.exitDrift).toMatchObject({ sdPerYear: 0.3, basis: 'test' });
    expect(drifting.uncertainty?.exitDrift?.startSd).toBeCloseTo(0.3 * Math.sqrt(2 / 3), 9);
    expect(fixed.uncertainty).toBeUndefined();
  });

  it('thinning is exact: a walk too small to matter (the runs whose walk rises at all thin 5% of drawn exits) leaves the counts where fixed rates put them, within 3 SE', () => {
    const fixed = simulate(stockScenario(), { collectRunTotals: true });
    const tiny = simulate(stockScenario(1e-9), { collectRunTotals: true });
    for (const t of ['total', 'inHouseFoster', 'agencyFoster'] as const) {
      const a = meanSe(fixed.runTotals!.horizonPopulation[t]);
      const b = meanSe(tiny.runTotals!.horizonPopulation[t]);
      expect(Math.abs(a.mean - b.mean)).toBeLessThan(3 * Math.hypot(a.se, b.se));
    }
  });

  it('switched off, it is the fixed-rate run draw for draw, and the result says it was switched off', () => {
    const fixed = simulate(stockScenario());
    const off = simulate(stockScenario(0.3, { exitDrift: false }));
    expect(off.population.total).toEqual(fixed.population.total);
    expect(off.exits).toEqual(fixed.exits);
    expect(off.uncertainty?.exitDrift).toEqual({
      sdPerYear: 0,
      startSd: 0,
      basis: 'switched off (uncertainty.exitDrift: false)',
    });
  });
});
