/**
 * The `regional-forecast` record: one queued regional forecast. Blobs: `region` (the resolved region:
 * every council's whole scenario, the rota and the shared places), `result`, `runTotals`.
 */
import { config } from '#functions/config';
import type { StoredRecord } from '#functions/store/store';
import { effectiveStatus, type RunStatus } from './status.js';

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
  const s = effectiveStatus(r.summary, r.updatedAt, now, config().STALE_RUN_SECONDS);
  return {
    id: r.id,
    createdAt: r.createdAt,
    ...(r.createdBy !== undefined ? { createdBy: r.createdBy } : {}),
    name: s.name,
    status: s.status,
    progress: s.progress,
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    region: s.region,
    councils: s.councils,
    runs: s.runs,
    start: s.start,
    horizonMonths: s.horizonMonths,
    ...(s.datasets !== undefined ? { datasets: s.datasets } : {}),
    ...(s.startedAt !== undefined ? { startedAt: s.startedAt } : {}),
    ...(s.completedAt !== undefined ? { completedAt: s.completedAt } : {}),
    ...(s.elapsedMs !== undefined ? { elapsedMs: s.elapsedMs } : {}),
  };
}
