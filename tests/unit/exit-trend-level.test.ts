/**
 * Exit drift on histories whose exit rates trend (children leaving care steadily faster or slower): the exits' trend
 * test (the dispersion test's component along time, against the exits fixed rates give) sees it, the walk is sized by
 * it, and every exit rate is scaled from the window's mean (a year behind a moving rate) to the level the drift model
 * filters at the window's end. Under steady rates the trend test fires at its level. Fixed seeds; tolerances from
 * standard errors (stated in each test).
 */
import { describe, expect, it } from 'vitest';
import { datasetOfHistory, generateDriftingHistory } from '../../bin/demo/drifting.js';
import { demoParameters } from '../../bin/demo/synthetic.js';
import { DRIFT_TEST_LEVEL, estimateExitDrift, exitLevel, trendTest, trendTestAgainst } from '#models/drift';
import type { EstimateResult } from '#models/estimate';
import type { AgeBand, Category } from '#models/placement';
import { Rng } from '#models/random';

const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
const se = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1) / xs.length);

describe('the exits’ trend test', () => {
  it('is the entries’ trend test where every quarter expects the mean, and weighs time by what is expected', () => {
    const counts = [59, 45, 41, 30, 36, 40, 30, 31, 26, 28, 42, 24];
    const m = mean(counts);
    const a = trendTestAgainst(
      counts,
      counts.map(() => m),
      2.15,
    );
    expect(a.statistic).toBeCloseTo(trendTest(counts, 2.15).statistic, 12);
    expect(a.p).toBeCloseTo(trendTest(counts, 2.15).p, 12);
    // exits that follow a shrinking stock exactly (20, 18, …, 6 a quarter, 0.1 of an exposure of 200, 180, …) do not
    // trend against what the stock expects, though the counts themselves fall steeply
    const expected = [20, 18, 16, 14, 12, 10, 8, 6];
    expect(trendTestAgainst(expected, expected).statistic).toBe(0);
    expect(trendTest(expected).p).toBeLessThan(0.001);
    // by hand: o = 10, 10, 20 against e = 10, 10, 20 × (40/40): ī = (0·10 + 1·10 + 2·20)/40 = 1.25,
    // Σ e(i − ī)² = 10·1.5625 + 10·0.0625 + 20·0.5625 = 27.5; o = 14, 10, 16: Σ(i − ī)(o − e) = −1.25·4 + 0 + 0.75·(−4) = −8
    const t = trendTestAgainst([14, 10, 16], [10, 10, 20]);
    expect(t.statistic).toBeCloseTo(64 / 27.5, 12);
    expect(t.df).toBe(1);
  });

  it('fires at its 2.5% under steady rates: 20,000 replicate histories of Poisson exits from a shrinking stock, within 3 SE', () => {
    // 16 quarters of exits at a fixed rate from a stock that shrinks by a third (expected 40 → 27 a quarter): the
    // trend test at 2.5% and the decision (either test at 2.5%) through estimateExitDrift, as the estimate calls it.
    // Measured: the trend test 2.45%, the dispersion test 2.55%, either 4.64% (SE of a 2.5% rate: 0.11 points)
    const R = 20000;
    const rng = new Rng(20261207);
    const expected = Array.from({ length: 48 }, (_, m) => (40 / 3) * (1 - m / 144));
    let trendFired = 0;
    let eitherFired = 0;
    for (let r = 0; r < R; r++) {
      const exits = expected.map((x) => rng.poisson(x));
      const e = estimateExitDrift(exits, expected);
      if (e.trend!.p < DRIFT_TEST_LEVEL / 2) trendFired++;
      // (the tables' p-values are rounded to 4 places: the basis says what was decided)
      if (e.basis.startsWith('estimated from 16 quarters of exits')) eitherFired++;
      else expect(e).toMatchObject({ sdPerYear: 0, basis: expect.stringMatching(/^no exit drift: not supported/) });
    }
    const level = DRIFT_TEST_LEVEL / 2;
    const binomialSe = (p: number) => Math.sqrt((p * (1 - p)) / R);
    expect(Math.abs(trendFired / R - level)).toBeLessThan(3 * binomialSe(level));
    // together at most the level (Bonferroni), and more than either alone
    expect(eitherFired / R).toBeLessThan(DRIFT_TEST_LEVEL + 3 * binomialSe(DRIFT_TEST_LEVEL));
    expect(eitherFired).toBeGreaterThan(trendFired);
  });

  it('does not fire too often on steady generated histories: at most 2.5% + 3 SE of 100 (16 quarters each)', () => {
    // the generator's own chain (groups, ageing, moves), exit rates fixed. A burn-in of 6 years (not 18) keeps it
    // quick: the stock is then still growing towards its steady size, which the exits expected follow (exposure ×
    // fixed rates), so the rates are no less steady. Measured: 1 of 100 below 2.5%, 48 below 0.5, 8 below 0.1
    const N = 100;
    const p: number[] = [];
    for (let i = 0; i < N; i++) {
      const h = generateDriftingHistory({
        seed: 9001 + i,
        start: '2013-04',
        years: 4,
        burnInYears: 6,
        driftSdPerYear: 0,
      });
      const t = datasetOfHistory(h).estimate.tables.exitTrendTest!;
      expect(t.df).toBe(1);
      p.push(t.p);
    }
    const level = DRIFT_TEST_LEVEL / 2;
    expect(p.filter((v) => v < level).length).toBeLessThanOrEqual(N * level + 3 * Math.sqrt(N * level * (1 - level)));
    // and its p-values are not piled up anywhere: half below 0.5, within 3 binomial SE
    expect(Math.abs(p.filter((v) => v < 0.5).length / N - 0.5)).toBeLessThan(3 * Math.sqrt(0.25 / N));
  });
});

describe('the exit rates’ level at the window’s end', () => {
  it('filters the multiplier of what is expected through the quarters (the entries’ hand-worked case)', () => {
    // exits 30, 30, 60 a quarter against 30 expected each: log(o/e) = 0, 0, ln 2, the entries' case (quarters 30, 30,
    // 60, σ = 0.4, Poisson) less ln 30 with the same λ: level 48.58 / 30 = 1.619; the window (last 6 months) 90 exits
    // against 60 expected, 1.5: × 1.0796
    const exits = [10, 10, 10, 10, 10, 10, 20, 20, 20];
    const level = exitLevel(exits, new Array(9).fill(10), 0.4, 6)!;
    expect(level.quarters).toBe(3);
    expect(level.factor).toBeCloseTo(1.0796, 3);
    expect(level.sd).toBeCloseTo(Math.sqrt(0.02153), 3);
    // only the multiplier counts: the expected exits doubled everywhere leave the factor as it is
    expect(exitLevel(exits, new Array(9).fill(20), 0.4, 6)!.factor).toBeCloseTo(1.0796, 3);
    // exits that follow what is expected: no move of the multiplier to follow; what is left is the filter's own lift,
    // each log count's bias correction (+1/(2λ), λ 30–60) and the level's lognormal mean (+P/2): × 1.0165
    const even = exitLevel(exits, exits, 0.4, 6)!;
    expect(even.factor).toBeGreaterThan(1);
    expect(even.factor).toBeLessThan(Math.exp(1 / 60 + even.sd ** 2 / 2));
    // no walk, no level
    expect(exitLevel(exits, new Array(9).fill(10), 0, 6)).toBeNull();
  });

  /** every cell's exit rate: the window's exits ÷ exposure × the factor, capped so exit + moves ≤ 1 */
  const expectScaled = (e: EstimateResult, factor: number) => {
    let cells = 0;
    for (const [band, byCategory] of Object.entries(e.tables.exposureMonths))
      for (const [c, n] of Object.entries(byCategory)) {
        if (n === 0) continue;
        const ex = e.tables.exitsByReason[band as AgeBand][c as Category];
        const moves = Object.values(e.parameters.moveProbability[band as AgeBand]?.[c as Category] ?? {}).reduce(
          (a: number, v) => a + (v ?? 0),
          0,
        );
        const window = (ex.home + ex.sgoCao + ex.adoption + ex.other) / n;
        expect(e.parameters.exitProbability[band as AgeBand]![c as Category]).toBeCloseTo(
          Math.min(window * factor, 1 - moves),
          12,
        );
        cells++;
      }
    expect(cells).toBeGreaterThan(10);
  };

  it('scales every exit rate to the level where the data show exit drift, and only there', () => {
    const e = datasetOfHistory(
      generateDriftingHistory({ seed: 702, start: '2013-04', years: 8, driftSdPerYear: 0, exitTrendPerYear: 0.1 }),
    ).estimate;
    const level = e.tables.exitLevel!;
    expect(level.quarters).toBe(32);
    expect(e.tables.exitTrendTest!.p).toBeLessThan(0.025);
    expect(e.parameters.exitDrift!.basis).toMatch(
      new RegExp(
        `^estimated from 32 quarters of exits .*trend X² .* on 1 df.*; exit rates × ${level.factor.toFixed(2).replace('.', '\\.')} to the level now$`,
      ),
    );
    expectScaled(e, level.factor);
    // steady exit rates the tests find no drift in keep the window's rates
    const steady = datasetOfHistory(generateDriftingHistory({ seed: 9002, start: '2013-04', years: 4 })).estimate;
    expect(steady.parameters.exitDrift!.sdPerYear).toBe(0);
    expect(steady.parameters.exitDrift!.basis).toMatch(
      /^no exit drift: not supported by the data \(16 quarters of exits against fixed rates, each at 2\.5%: trend X² .* on 1 df, p .*; dispersion X² .* on 15 df/,
    );
    expect(steady.tables.exitLevel).toBeNull();
    expectScaled(steady, 1);
  });

  // the truth: the generator's exit rates (the demo's) × its exit factor in the last month, weighed by the window's
  // exposure; compared with the rates used (the level) and the window's own rates, on the log scale
  const truthRates = demoParameters(2016, false, 1).exitProbability;
  const errors = (exitTrendPerYear: number) => {
    const used: number[] = [];
    const windowMean: number[] = [];
    const logFactor: number[] = [];
    let trendFired = 0;
    for (let i = 0; i < 12; i++) {
      const h = generateDriftingHistory({
        seed: 700 + i,
        start: '2013-04',
        years: 8,
        driftSdPerYear: 0,
        exitTrendPerYear,
      });
      const e = datasetOfHistory(h).estimate;
      const g = h.exitFactor[h.exitFactor.length - 1]!;
      let window = 0;
      let rates = 0;
      let truth = 0;
      for (const [band, byCategory] of Object.entries(e.tables.exposureMonths))
        for (const [c, n] of Object.entries(byCategory)) {
          if (n === 0) continue;
          const ex = e.tables.exitsByReason[band as AgeBand][c as Category];
          window += ex.home + ex.sgoCao + ex.adoption + ex.other;
          rates += n * e.parameters.exitProbability[band as AgeBand]![c as Category]!;
          truth += n * (truthRates[band as AgeBand]?.[c as Category] ?? 0) * g;
        }
      used.push(Math.log(rates / truth));
      windowMean.push(Math.log(window / truth));
      logFactor.push(Math.log(e.tables.exitLevel?.factor ?? 1));
      if (e.tables.exitTrendTest!.p < 0.025) trendFired++;
    }
    return { used, windowMean, logFactor, trendFired };
  };

  for (const trend of [0.1, -0.1])
    it(`recovers an exit trend of ${trend > 0 ? '+' : ''}${100 * trend}% a year from 12 eight-year histories: its direction and size, within 3 SE`, () => {
      const { used, windowMean, logFactor, trendFired } = errors(trend);
      // the trend test sees it in every history (measured: X²_T 29–81 on 1 df)
      expect(trendFired).toBe(12);
      // the window's mean lags the rate at its end by about a year: −ln(1 + trend) × 11.5/12 on the log scale
      // (measured −0.101, SE 0.012, for +10%; +0.111, SE 0.017, for −10%)
      const lag = -Math.log(1 + trend) * (11.5 / 12);
      expect(Math.abs(mean(windowMean) - lag)).toBeLessThan(3 * se(windowMean));
      // the level moves the rates by that lag, in the trend's direction (measured +0.074 and −0.077)
      expect(Math.sign(mean(logFactor))).toBe(Math.sign(trend));
      expect(Math.abs(mean(logFactor) + lag)).toBeLessThan(3 * se(logFactor));
      // and the rates used are the rate at the end, within 3 SE (measured −0.027, SE 0.026; +0.034, SE 0.033)
      expect(Math.abs(mean(used))).toBeLessThan(3 * se(used));
    });
});
