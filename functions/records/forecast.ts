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
  /** accuracy once later data covers some of its months */
  accuracy?: ForecastAccuracy;
}

export interface ForecastAccuracy {
  /** dataset the actual figures came from */
  datasetId: string;
  assessedAt: string;
  monthsCovered: string[];
  /** share of (month, series) actual values inside P10–P90 */
  coverage: number;
  /** kept in the forecast's `accuracy` blob (the summary item stays small) */
  rows?: Array<{
    month: string;
    series: string;
    actual: number;
    p10: number;
    p50: number;
    p90: number;
    inside: boolean;
  }>;
}

export function forecastView(r: StoredRecord<ForecastSummary>, now: Date) {
  const { heartbeatAt: _, ...s } = effectiveStatus(r.summary, r.updatedAt, now, config().STALE_RUN_SECONDS);
  return { ...s, label: forecastLabel(s.dataEnd, r.createdAt), createdAt: r.createdAt };
}

/** How a monthly forecast is named by its data: "data to 2024-03-31, made 2026-11-01". */
export const forecastLabel = (dataEnd: string, madeAt: string): string =>
  `data to ${dataEnd}, made ${madeAt.slice(0, 10)}`;
