/**
 * Which forecast points the calibration figures score. One rule for `npm run calibrate` (models/calibrate.ts) and the
 * monthly job's accuracy roll-up (functions/jobs/forecast-accuracy.ts), so that the live figures and the backtests
 * mean the same thing.
 *
 * A series (a placement category or the total) is scored over the months compared when its actual mean over those
 * months is at least MIN_SCORED_MEAN (3 children): the bands of a series of one or two children say little. The rule
 * is per series, not per point: leaving out single months whose actual count fell under 3 would leave out the very
 * months in which a small series fell below its band, and flatter the figures.
 */
export const MIN_SCORED_MEAN = 3;

/** Whether a series with these actual counts (one per month compared) enters the calibration figures. */
export function seriesScored(actual: readonly number[], minMean: number = MIN_SCORED_MEAN): boolean {
  if (actual.length === 0) return false;
  return actual.reduce((a, b) => a + b, 0) / actual.length >= minMean;
}
