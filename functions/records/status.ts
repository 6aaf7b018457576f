/** What every job record shares: its run status, how a dead worker shows, and failure reasons users can read. */
import type { InputIssue } from '#models/scenario';
import type { ShardPlan } from '#models/shards';

export type RunStatus = 'queued' | 'running' | 'complete' | 'failed';

/** Failures are shown to users as a reason, never a stack; issue lists are kept short. */
export function describeIssues(issues: readonly InputIssue[]): string {
  const head = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`);
  return issues.length > 5 ? `${head.join('; ')}; and ${issues.length - 5} more` : head.join('; ');
}

/**
 * A crashed worker cannot say so: a run whose heartbeat is older than the runner could possibly take is reported
 * as failed, so nothing stays `running` for ever.
 */
export function effectiveStatus<S extends { status: RunStatus; reason?: string; heartbeatAt?: string }>(
  summary: S,
  updatedAt: string,
  now: Date,
  staleSeconds: number,
): S {
  if (summary.status !== 'running') return summary;
  const last = Date.parse(summary.heartbeatAt ?? updatedAt);
  if (now.getTime() - last <= staleSeconds * 1000) return summary;
  return {
    ...summary,
    status: 'failed',
    reason: `stalled: no sign of life from the worker since ${new Date(last).toISOString()}`,
  };
}

/** The summary fields every engine run record (a scenario, a regional forecast) shares. */
export interface RunRecordSummary {
  name: string;
  status: RunStatus;
  /** 0–100 */
  progress: number;
  reason?: string;
  runs: number;
  horizonMonths: number;
  start: string;
  startedAt?: string;
  completedAt?: string;
  /** last sign of life from the worker running it */
  heartbeatAt?: string;
  attempts?: number;
  elapsedMs?: number;
  /** when the run fans out into shards: how (kept from submission; functions/jobs/shards.ts) */
  shards?: ShardPlan;
}

/**
 * What clients see of a run record, with its effective status: the shared head, then the kind's own fields
 * (`own` picks them from the effective summary), then its times. The heartbeat and attempts stay inside.
 */
export function runRecordView<S extends RunRecordSummary, O extends object>(
  r: { id: string; createdAt: string; createdBy?: string; updatedAt: string; summary: S },
  now: Date,
  staleSeconds: number,
  own: (s: S) => O,
) {
  const s = effectiveStatus(r.summary, r.updatedAt, now, staleSeconds);
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
    ...own(s),
    ...(s.startedAt !== undefined ? { startedAt: s.startedAt } : {}),
    ...(s.completedAt !== undefined ? { completedAt: s.completedAt } : {}),
    ...(s.elapsedMs !== undefined ? { elapsedMs: s.elapsedMs } : {}),
  };
}
