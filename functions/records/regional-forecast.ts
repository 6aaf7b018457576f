/**
 * The `regional-forecast` record: one queued regional forecast. Blobs: `region` (the resolved region:
 * every council's whole scenario, the rota and the shared places), `result`, `runTotals`.
 */
import { config } from '#functions/config';
import type { StoredRecord } from '#functions/store/store';
import { type RunStatus, runRecordView } from './status.js';

export interface RegionalForecastSummary {
  name: string;
  status: RunStatus;
  progress: number;
  reason?: string;
  /** the region it was made for */
  region: string;
  /** the member councils in rota order */
  councils: string[];
  runs: number;
  horizonMonths: number;
  start: string;
  /** the dataset each council's scenario was made from (councils given a whole scenario are not listed) */
  datasets?: Record<string, string>;
  startedAt?: string;
  completedAt?: string;
  heartbeatAt?: string;
  attempts?: number;
  elapsedMs?: number;
}

export function regionalForecastView(r: StoredRecord<RegionalForecastSummary>, now: Date) {
  return runRecordView(r, now, config().STALE_RUN_SECONDS, (s) => ({
    region: s.region,
    councils: s.councils,
    ...(s.datasets !== undefined ? { datasets: s.datasets } : {}),
  }));
}
