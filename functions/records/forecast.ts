/** The `forecast` record: the monthly baseline forecast, id "YYYY-MM". Blobs: `scenario`, `result`, `accuracy`. */
import { config } from '#functions/config';
import type { StoredRecord } from '#functions/store/store';
import { effectiveStatus, type RunStatus } from './status.js';

export interface ForecastSummary {
  /** the month the forecast was made ("YYYY-MM"), also its id */
  month: string;
  status: RunStatus;
  reason?: string;
  datasetId: string;
  dataEnd: string;
  start: string;
  horizonMonths: number;
  runs: number;
  /** the council (ONS code) and its profile version the baseline was resolved with */
  council?: string;
  profileVersion?: number;
  heartbeatAt?: string;
  /** the job's progress (0–100), attempts, times */
  progress?: number;
  attempts?: number;
  startedAt?: string;
  completedAt?: string;
  elapsedMs?: number;
  /** the dataset this month's earlier forecast was made from, when this one replaced it */
  replaced?: string;
  /** the earlier forecasts (months) whose accuracy this one's data updated */
  accuracyUpdated?: string[];
  /** accuracy once later data covers some of its months */
  accuracy?: ForecastAccuracy;
  /** on the newest forecast: how the last 12 assessed forecasts did (issue 14; rollUpForecastAccuracy) */
  calibration?: ForecastCalibration;
}

/** "Of the last 12 forecasts, `totalHeld` held the actual total inside P10–P90." */
export interface ForecastCalibration {
  /** forecasts rolled up (the latest assessed, at most 12) and their months */
  forecasts: number;
  months: string[];
  /** of them, how many held the actual total (at the furthest month the data covers) inside P10–P90 */
  totalHeld: number;
  /** pooled over their scored rows (series with an actual mean of at least 3, models/scoring.ts): shares inside
   *  P10–P90 and P25–P75 */
  coverage80: number;
  coverage50: number;
  /** mean P50 − actual over the same rows */
  meanP50Error: number;
}

export interface ForecastAccuracy {
  /** dataset the actual figures came from */
  datasetId: string;
  assessedAt: string;
  monthsCovered: string[];
  /** share of (month, series) actual values inside P10–P90 */
  coverage: number;
  /** over the rows of series whose actual mean over the months covered is at least 3 (models/scoring.ts, as
   *  npm run calibrate): P10–P90 and P25–P75 shares and the mean P50 error, and their number */
  coverage80?: number;
  coverage50?: number;
  meanP50Error?: number;
  points?: number;
  /** the actual total at the furthest month covered inside P10–P90 */
  totalHeld?: boolean;
  /** kept in the forecast's `accuracy` blob (the summary item stays small) */
  rows?: Array<{
    month: string;
    series: string;
    actual: number;
    p10: number;
    p25?: number;
    p50: number;
    p75?: number;
    p90: number;
    inside: boolean;
  }>;
}

/** The roll-up of the latest `last` assessed forecasts (by forecast month), pooled over their scored rows. */
export function rollUpForecastAccuracy(
  items: Array<{ month: string; accuracy: ForecastAccuracy }>,
  last = 12,
): ForecastCalibration | null {
  const latest = items
    .filter((i) => i.accuracy.points !== undefined)
    .sort((a, b) => (a.month < b.month ? 1 : -1))
    .slice(0, last);
  if (latest.length === 0) return null;
  const points = latest.reduce((n, i) => n + (i.accuracy.points ?? 0), 0);
  const pooled = (f: (a: ForecastAccuracy) => number) =>
    points ? latest.reduce((n, i) => n + f(i.accuracy) * (i.accuracy.points ?? 0), 0) / points : 0;
  return {
    forecasts: latest.length,
    months: latest.map((i) => i.month),
    totalHeld: latest.filter((i) => i.accuracy.totalHeld).length,
    coverage80: pooled((a) => a.coverage80 ?? 0),
    coverage50: pooled((a) => a.coverage50 ?? 0),
    meanP50Error: pooled((a) => a.meanP50Error ?? 0),
  };
}

export function forecastView(r: StoredRecord<ForecastSummary>, now: Date) {
  const { heartbeatAt: _, ...s } = effectiveStatus(r.summary, r.updatedAt, now, config().STALE_RUN_SECONDS);
  return { ...s, label: forecastLabel(s.dataEnd, r.createdAt), createdAt: r.createdAt };
}

/** How a monthly forecast is named by its data: "data to 2024-03-31, made 2026-11-01". */
export const forecastLabel = (dataEnd: string, madeAt: string): string =>
  `data to ${dataEnd}, made ${madeAt.slice(0, 10)}`;
