/**
 * Entry drift on histories whose rate trends (docs/uncertainty.md, "Other kinds of history"): the trend component of
 * the dispersion test sees a steady fall that Pearson's X² spread over n − 1 degrees of freedom misses; the walk is
 * sized by that trend where the variogram finds less, and by the stated prior where both do; and the entry rate is
 * scaled from the window's mean (a year behind a moving rate) to the level the drift model filters at the window's end.
 */
import { describe, expect, it } from 'vitest';
import { datasetOfHistory, generateDriftingHistory } from '../../bin/demo/drifting.js';
import { demoParameters } from '../../bin/demo/synthetic.js';
import {
  PRIOR_DRIFT_SD_PER_YEAR,
  dispersionTest,
  entryDriftShown,
  entryLevel,
  estimateDrift,
  trendTest,
  trendWalkSd,
} from '#models/drift';
import type { Parameters as ScenarioParameters } from '#models/scenario';

/** Quarterly entries of a generated history whose starts fall 15% a year (seed 8, its first 12 quarters). */
const FALLING = [59, 45, 41, 30, 36, 40, 30, 31, 26, 28, 42, 24];
/** the same as monthly counts (each quarter split as evenly as whole children allow) */
const FALLING_MONTHLY = FALLING.flatMap((n) => [Math.ceil(n / 3), Math.round(n / 3), Math.floor(n / 3)]);
const PHI = 2.15; // the group dispersion that history's monthly counts give

const totalRate = (p: ScenarioParameters['entriesPerMonth']) =>
  Object.values(p).reduce((s, b) => s + Object.values(b ?? {}).reduce((a, v) => a + (v ?? 0), 0), 0);

describe('testing entries for drift when the rate falls steadily', () => {
  it('finds the fall with the trend component where the dispersion test alone does not', () => {
    expect(FALLING_MONTHLY.reduce((a, b) => a + b, 0)).toBe(432);
    // mean 36; Σ(N − 36)² = 1092, so X² = 1092 / (2.15 × 36) = 14.11 on 11 df (p 0.23): not drift on its own
    const d = dispersionTest(FALLING, new Array(12).fill(36), PHI);
    expect(d.statistic).toBeCloseTo(1092 / (PHI * 36), 9);
    expect(d.p).toBeGreaterThan(0.2);
    // Σ(i − 5.5)(N_i − 36) = −274, Σ(i − 5.5)² = 143: X²_T = 274² / (2.15 × 36 × 143) = 6.78 on 1 df (p 0.009)
    const t = trendTest(FALLING, PHI);
    const sxy = FALLING.reduce((a, n, i) => a + (i - 5.5) * (n - 36), 0);
    expect(sxy).toBe(-274);
    expect(t.statistic).toBeCloseTo((274 * 274) / (PHI * 36 * 143), 9);
    expect(t.statistic).toBeCloseTo(6.783, 3);
    expect(t.df).toBe(1);
    expect(t.p).toBeCloseTo(0.0092, 4);
    expect(entryDriftShown(d, t)).toBe(true);
    // the same counts with a dispersion that explains them: neither test fires
    expect(entryDriftShown(dispersionTest(FALLING, new Array(12).fill(36), 5), trendTest(FALLING, 5))).toBe(false);
  });

  it('sizes the walk by the trend it shows where the variogram, net of noise, finds less', () => {
    // n = 12: S_xx = 143; s_j = Σ_{i ≥ j} (i − 5.5) = j(12 − j)/2, c = Σ s_j² = 8294 / 4 = 2073.5; q̂ = (X²_T − 1) φ S_xx
    // / (N̄ c) = 5.783 × 2.15 × 143 / (36 × 2073.5) = 0.02382 a quarter: sd √(4q̂) = 0.309 a year
    expect(trendWalkSd(FALLING, PHI, 6.783036)).toBeCloseTo(Math.sqrt((4 * 5.783036 * PHI * 143) / (36 * 2073.5)), 9);
    const e = estimateDrift(FALLING_MONTHLY, PHI);
    expect(e.sdPerYear).toBeCloseTo(0.3087, 4);
    expect(e.test).toMatchObject({ df: 11, statistic: 14.1085 });
    expect(e.trend).toMatchObject({ df: 1, statistic: 6.783 });
    expect(e.basis).toBe(
      'estimated from 12 quarters of entries (random walk on the log rate, sized by the trend it shows; the variogram, net of noise, 0.000 over 4 lags; vs a constant rate, each at 2.5%: trend X² 6.8 on 1 df, p 0.009; dispersion X² 14.1 on 11 df, p 0.226)',
    );
    // no trend beyond noise (X²_T ≤ 1): nothing
    expect(trendWalkSd(FALLING, PHI, 0.9)).toBe(0);
  });

  it('uses the stated prior where the tests show drift but both sizes of the walk are smaller', () => {
    // a generated history whose entries step up by 40% two years in (no walk): 32 quarters
    const h = generateDriftingHistory({
      seed: 2011,
      years: 8,
      driftSdPerYear: 0,
      entryStep: { month: '2012-04', factor: 1.4 },
    });
    const drift = datasetOfHistory(h).estimate.parameters.entryDrift!;
    expect(drift.sdPerYear).toBe(PRIOR_DRIFT_SD_PER_YEAR);
    expect(drift.basis).toMatch(
      /^the stated prior 0\.10 a year: 32 quarters of entries show drift, the variogram \(8 lags, net of noise\) 0\.099, the trend 0\.0\d\d \(vs a constant rate, each at 2\.5%: trend X² 11\.9 on 1 df, p < 0\.001; dispersion X² 43\.0 on 31 df, p 0\.075\); rates × 1\.02 to the level now$/,
    );
  });

  it('keeps each test at half the level: under a constant rate, together at most the level', () => {
    // quarters 40, 50, … (8) swing (X² 4.4 on 7 df) but hardly trend: Σ(i − 3.5)(N_i − 45) = 20, Σ(i − 3.5)² = 42,
    // X²_T = 20² / (45 × 42) = 0.21 on 1 df; neither fires
    const steady = Array.from(
      { length: 24 },
      (_, m) => (Math.floor(m / 3) % 2 === 0 ? [13, 13, 14] : [17, 17, 16])[m % 3]!,
    );
    const e = estimateDrift(steady);
    expect(e.sdPerYear).toBe(0);
    expect(e.trend!.statistic).toBeCloseTo(400 / (45 * 42), 4);
    expect(e.basis).toMatch(
      /^no entry drift: not supported by the data \(8 quarters of entries, vs a constant rate, each at 2\.5%/,
    );
  });
});

describe('the entry rate’s level at the window’s end', () => {
  it('filters the level through the quarters (a hand-worked case)', () => {
    // quarters 30, 30, 60, σ = 0.4 a year (q = 0.04 a quarter), Poisson (φ = 1); window the last 6 months (mean 15 a
    // month, 45 a quarter). a₀ = ln 30 + 1/60 = 3.41786, P₀ = 1/30. Quarter 2: P⁻ = 0.07333, λ = e^a = 30.504,
    // gain 0.07333 / (0.07333 + 1/30.504) = 0.69107, a = 3.41767, P = 0.02266. Quarter 3: P⁻ = 0.06266, gain
    // 0.65646, y = ln 60 + 1/(2 × 30.498) = 4.11074, a = 3.87264, P = 0.02153. Level e^(a + P/2) = 48.58: × 1.0796.
    const level = entryLevel([10, 10, 10, 10, 10, 10, 20, 20, 20], 0.4, 1, 6)!;
    expect(level.quarters).toBe(3);
    expect(level.factor).toBeCloseTo(1.0796, 3);
    expect(level.sd).toBeCloseTo(Math.sqrt(0.02153), 3);
    // no walk: the window's mean is the level's estimate
    expect(entryLevel([10, 10, 10, 10, 10, 10, 20, 20, 20], 0, 1, 6)).toBeNull();
    // a steadier walk follows the last quarter less and weighs the first two more: a lower level (39.8, × 0.884)
    const slow = entryLevel([10, 10, 10, 10, 10, 10, 20, 20, 20], 0.1, 1, 6)!;
    expect(slow.factor).toBeCloseTo(0.8839, 3);
    expect(slow.sd).toBeLessThan(level.sd);
  });

  it('scales the window’s entry rates by the level where the data show drift, and only there', () => {
    const drifting = datasetOfHistory(generateDriftingHistory({ seed: 702, start: '2013-04', years: 8 })).estimate;
    const level = drifting.tables.entryLevel!;
    expect(level.quarters).toBe(32);
    expect(drifting.parameters.entryDrift!.basis).toMatch(
      new RegExp(`; rates × ${level.factor.toFixed(2).replace('.', '\\.')} to the level now$`),
    );
    // every cell is its window count ÷ months × the factor
    const months = drifting.window.months;
    for (const [band, byCategory] of Object.entries(drifting.tables.entries))
      for (const [c, n] of Object.entries(byCategory))
        if (n > 0)
          expect(drifting.parameters.entriesPerMonth[band as '0']![c as 'kinship']).toBeCloseTo(
            (n / months) * level.factor,
            12,
          );
    // a steady history the tests find no drift in keeps the window's mean
    const steady = datasetOfHistory(generateDriftingHistory({ seed: 501, years: 3, driftSdPerYear: 0 })).estimate;
    expect(steady.parameters.entryDrift!.sdPerYear).toBe(0);
    expect(steady.tables.entryLevel).toBeNull();
    expect(totalRate(steady.parameters.entriesPerMonth)).toBeCloseTo(steady.tables.totals.entries / 24, 12);
  });

  // truth: the generator's rate in its last month (14.8 a month × the walk's or the trend's factor)
  const lambda = totalRate(demoParameters(2016, false, 1).entriesPerMonth);
  /** log(rate used ÷ truth) and log(window's mean ÷ truth) at the end of 12 eight-year histories */
  const errors = (options: Parameters<typeof generateDriftingHistory>[0]) => {
    const used: number[] = [];
    const windowMean: number[] = [];
    for (let i = 0; i < 12; i++) {
      const h = generateDriftingHistory({ seed: 700 + i, start: '2013-04', years: 8, ...options });
      const e = datasetOfHistory(h).estimate;
      const truth = lambda * h.rateFactor[h.rateFactor.length - 1]!;
      used.push(Math.log(totalRate(e.parameters.entriesPerMonth) / truth));
      windowMean.push(Math.log(e.tables.totals.entries / e.window.months / truth));
    }
    return { used, windowMean };
  };
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
  const se = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1) / xs.length);
  const rms = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / xs.length);

  it('is nearer the rate at the end of 12 histories with drift 0.2 a year than the window’s mean (RMS log error)', () => {
    expect(lambda).toBeCloseTo(14.8, 9);
    const { used, windowMean } = errors({});
    // measured: 0.204 against 0.264
    expect(rms(used)).toBeLessThan(0.85 * rms(windowMean));
  });

  it('takes off most of the window’s lag behind a rate that falls 15% a year (12 histories)', () => {
    const { used, windowMean } = errors({ driftSdPerYear: 0, entryTrendPerYear: -0.15 });
    // the window's mean is a year behind: + ln(1/0.85) = +0.16 less half a month (measured +0.143, SE 0.035)
    expect(mean(windowMean)).toBeGreaterThan(0.1);
    expect(mean(windowMean)).toBeGreaterThan(3 * se(windowMean));
    // the level: measured +0.048 (SE 0.046), within 2.5 SE of none and a third of the window's lag
    expect(Math.abs(mean(used))).toBeLessThan(2.5 * se(used));
    expect(mean(used)).toBeLessThan(0.5 * mean(windowMean));
  });
});
