/** What every job record shares: its run status, how a dead worker shows, and failure reasons users can read. */
import type { InputIssue } from '#models/scenario';

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
