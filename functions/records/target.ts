/**
 * The `target` record: one goal search. Blobs: `scenario` (the base; `region` for a regional base, the regional
 * forecast's request form), `spec` (search and goal), `answer`.
 */
import { config } from '#functions/config';
import type { StoredRecord } from '#functions/store/store';
import { effectiveStatus, type RunStatus } from './status.js';

export interface TargetRecordSummary {
  status: RunStatus;
  progress: number;
  reason?: string;
  runs: number;
  datasetId?: string;
  /** a regional base: the region and its councils (the search is then the region's record; its blob is `region`) */
  regional?: { region: string; councils: string[] };
  path: string;
  metric: string;
  startedAt?: string;
  heartbeatAt?: string;
  completedAt?: string;
  attempts?: number;
}

/** The state part of GET /targets/{id} (the handler adds search, goal and answer from the blobs). */
export function targetView(r: StoredRecord<TargetRecordSummary>, now: Date) {
  const s = effectiveStatus(r.summary, r.updatedAt, now, config().STALE_RUN_SECONDS);
  return {
    id: r.id,
    status: s.status,
    progress: s.status === 'complete' ? 100 : (s.progress ?? 0),
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    createdAt: r.createdAt,
    ...(r.createdBy !== undefined ? { createdBy: r.createdBy } : {}),
    runs: s.runs,
    ...(s.datasetId !== undefined ? { datasetId: s.datasetId } : {}),
    ...(s.regional !== undefined ? { regional: s.regional } : {}),
    ...(s.completedAt !== undefined ? { completedAt: s.completedAt } : {}),
  };
}

/** One target search in GET /targets. */
export function targetListView(r: StoredRecord<TargetRecordSummary>, now: Date) {
  const s = effectiveStatus(r.summary, r.updatedAt, now, config().STALE_RUN_SECONDS);
  return {
    id: r.id,
    createdAt: r.createdAt,
    ...(r.createdBy !== undefined ? { createdBy: r.createdBy } : {}),
    status: s.status,
    progress: s.status === 'complete' ? 100 : (s.progress ?? 0),
    runs: s.runs,
    ...(s.regional !== undefined ? { regional: s.regional } : {}),
    path: s.path,
    metric: s.metric,
  };
}
