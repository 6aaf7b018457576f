/**
 * One rule for which forecast points the calibration figures score (models/scoring.ts), used by `npm run calibrate`
 * and by the monthly job's accuracy roll-up: a series is scored over the months compared when its actual mean over
 * them is at least 3, every one of its months then (even one under 3), none of them otherwise.
 */
import { describe, expect, it } from 'vitest';
import { accuracyOf } from '#functions/jobs/forecast-accuracy';
import { CATEGORIES, type Category } from '#models/placement';
import type { ForecastResult, Quantiles, Series } from '#models/result';
import { MIN_SCORED_MEAN, seriesScored } from '#models/scoring';
import type { StockMonth } from '#models/stock';

describe('the scoring rule', () => {
  it('scores a series by its actual mean over the months compared, at least 3', () => {
    expect(MIN_SCORED_MEAN).toBe(3);
    expect(seriesScored([2, 4, 3])).toBe(true);
    expect(seriesScored([3, 2, 2])).toBe(false);
    expect(seriesScored([2.9, 3.1])).toBe(true);
    expect(seriesScored([])).toBe(false);
    expect(seriesScored([1, 1], 1)).toBe(true);
  });

  it('is the rule of the monthly job’s accuracy figures: whole series, not single months of at least 3', () => {
    const months = ['2020-04', '2020-05', '2020-06'];
    const band: Quantiles = {
      mean: [4, 4, 4],
      p5: [2, 2, 2],
      p10: [2.5, 2.5, 2.5],
      p25: [3.5, 3.5, 3.5],
      p50: [4, 4, 4],
      p75: [4.5, 4.5, 4.5],
      p90: [6.5, 6.5, 6.5],
      p95: [7, 7, 7],
    };
    const population = Object.fromEntries([...CATEGORIES, 'total'].map((s) => [s, band])) as Record<Series, Quantiles>;
    const result = { months, population } as unknown as ForecastResult;
    // kinship 2, 4, 3 (mean 3: scored, its 2 below P10 too); residential 3, 2, 2 (mean 2.33: not scored, its 3 neither)
    const kinship = [2, 4, 3];
    const residential = [3, 2, 2];
    const actual: StockMonth[] = months.map((month, i) => {
      const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
      byCategory.kinship = kinship[i]!;
      byCategory.residential = residential[i]!;
      return { month, byCategory, total: kinship[i]! + residential[i]!, uasc: 0 };
    });
    const a = accuracyOf(result, actual, 'dataset-1', new Date('2020-07-15T00:00:00Z'));
    // scored: kinship 2, 4, 3 and the total 5, 6, 5; inside P10–P90 (2.5–6.5) all but kinship's 2
    expect(a.points).toBe(6);
    expect(a.coverage80).toBeCloseTo(5 / 6, 12);
    // inside P25–P75 (3.5–4.5): kinship's 4 only
    expect(a.coverage50).toBeCloseTo(1 / 6, 12);
    // P50 − actual: 2 + 0 + 1 − 1 − 2 − 1
    expect(a.meanP50Error).toBeCloseTo(-1 / 6, 12);
    expect(a.rows).toHaveLength(30);
    expect(a.coverage).toBeCloseTo(a.rows.filter((r) => r.inside).length / 30, 12);
  });
});
