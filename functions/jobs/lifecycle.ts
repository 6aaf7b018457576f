/**
 * The status changes every engine job record goes through — a scenario, a comparison variant, a target search — in
 * one place: claimed (queued → running), progress with a heartbeat, complete, failed. Each is a conditional update,
 * so a duplicate delivery or a record deleted meanwhile changes nothing.
 */
import type { RunStatus } from '#functions/records/status';
import type { JobContext } from './registry.js';

/** The fields of a job record's summary that these transitions write. */
interface JobFields {
  status: RunStatus;
  progress: number;
  reason: string;
  startedAt: string;
  heartbeatAt: string;
  completedAt: string;
  attempts: number;
  elapsedMs: number;
}

type Ctx = Pick<JobContext, 'store' | 'now'>;

/** queued (or running, on a redelivery) → running at 0%; false when the record is gone or already finished. */
export function claim(ctx: Ctx, kind: string, id: string, extra: Partial<JobFields> = {}): Promise<boolean> {
  const startedAt = ctx.now().toISOString();
  return ctx.store.update<JobFields>(
    kind,
    id,
    { summary: { status: 'running', progress: 0, startedAt, heartbeatAt: startedAt, ...extra } },
    { expectStatus: ['queued', 'running'] },
  );
}

/** Progress (kept below 100 until complete) and a heartbeat, while running. */
export async function recordProgress(ctx: Ctx, kind: string, id: string, percent: number): Promise<void> {
  await ctx.store.update<JobFields>(
    kind,
    id,
    { summary: { progress: Math.min(99, Math.max(0, Math.floor(percent))), heartbeatAt: ctx.now().toISOString() } },
    { expectStatus: ['running'] },
  );
}

/** running → complete at 100%, with the result blobs; false when the record is no longer running. */
export function complete(
  ctx: Ctx,
  kind: string,
  id: string,
  blobs: Record<string, unknown>,
  /** more summary fields written with the result (e.g. a monthly forecast's scoring of earlier ones) */
  extra: Partial<JobFields> & Record<string, unknown> = {},
): Promise<boolean> {
  return ctx.store.update<JobFields>(
    kind,
    id,
    { summary: { status: 'complete', progress: 100, completedAt: ctx.now().toISOString(), ...extra }, blobs },
    { expectStatus: ['running'] },
  );
}

/** queued or running → failed, with the reason the user will read. */
export async function fail(ctx: Ctx, kind: string, id: string, reason: string): Promise<void> {
  await ctx.store.update<JobFields>(
    kind,
    id,
    { summary: { status: 'failed', reason, completedAt: ctx.now().toISOString() } },
    { expectStatus: ['queued', 'running'] },
  );
}
