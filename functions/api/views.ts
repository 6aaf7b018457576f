/** What clients see of stored records: summaries flattened with id and dates, the effective run status. */
import { config } from '#functions/config';
import { BadRequest } from '#functions/http/errors';
import {
  effectiveStatus,
  type DatasetSummary,
  type ForecastSummary,
  type ScenarioSummary,
} from '#functions/store/records';
import type { StoredRecord } from '#functions/store/store';

export function pageParams(query: Record<string, string>): { limit: number; cursor?: string } {
  const raw = query.limit ?? '20';
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > 100)
    throw new BadRequest('limit must be a whole number from 1 to 100');
  return query.cursor ? { limit, cursor: query.cursor } : { limit };
}

/** Paging plus `?createdBy=`: `me` is the caller's own records, any other value a token subject. */
export function listParams(
  query: Record<string, string>,
  caller: string | undefined,
): { limit: number; cursor?: string; createdBy?: string } {
  const by = query.createdBy === 'me' ? caller : query.createdBy;
  return { ...pageParams(query), ...(by !== undefined ? { createdBy: by } : {}) };
}

export function scenarioView(r: StoredRecord<ScenarioSummary>, now: Date) {
  const s = effectiveStatus(r.summary, r.updatedAt, now, config().STALE_RUN_SECONDS);
  return {
    id: r.id,
    createdAt: r.createdAt,
    ...(r.createdBy !== undefined ? { createdBy: r.createdBy } : {}),
    name: s.name,
    status: s.status,
    progress: s.progress,
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    runs: s.runs,
    start: s.start,
    horizonMonths: s.horizonMonths,
    ...(s.datasetId !== undefined ? { datasetId: s.datasetId } : {}),
    ...(s.startedAt !== undefined ? { startedAt: s.startedAt } : {}),
    ...(s.completedAt !== undefined ? { completedAt: s.completedAt } : {}),
    ...(s.elapsedMs !== undefined ? { elapsedMs: s.elapsedMs } : {}),
  };
}

export function datasetView(r: StoredRecord<DatasetSummary>) {
  const s = r.summary;
  return {
    id: r.id,
    createdAt: r.createdAt,
    format: s.format,
    mode: s.mode,
    period: s.period,
    counts: s.counts,
    quality: s.quality,
  };
}

export function forecastView(r: StoredRecord<ForecastSummary>, now: Date) {
  return { ...effectiveStatus(r.summary, r.updatedAt, now, config().STALE_RUN_SECONDS), createdAt: r.createdAt };
}
