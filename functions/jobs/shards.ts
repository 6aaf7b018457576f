/**
 * Sharded jobs: a large job's runs split into shards (models/shards.ts) that run apart — Lambda functions under the
 * shard state machine on AWS, worker threads locally — and merge into the result one process would have given.
 *
 * Two job kinds do the work on both hosts:
 * - `shard` { kind, id, shard }: runs one shard of job (kind, id) and stores its summary as the record
 *   shard/<kind>.<id>.<index>, by a conditional put: a shard retried after a crash, or delivered twice, finds its
 *   record there and stores nothing more, so no shard ever counts twice. A shard of a finished (or deleted) job is
 *   dropped — also when the job finished or went while the shard ran: the shard looks again after storing its
 *   summary and removes it, so nothing is left behind whichever of the two came first.
 * - `shard-merge` { kind, id, of }: reads exactly one summary per index 0..of-1 (a missing one is an error, retried),
 *   merges them, completes the job as the unsharded job would, and removes the shard records. Summaries that do not
 *   fit the job's input (another scenario's, or an older version's shape: models/engine ShardMismatch) fail the job
 *   at once with the reason, since a retry would read the same summaries and the shards are not run again.
 *
 * Every other end of a sharded job removes its shard records too: a failure (`failShardedJob`), a delete
 * (`removeJobShards`, with the plan its record keeps: functions/jobs/submit.ts), start-up recovery.
 *
 * A job kind that can shard registers how to load its input, run a shard, merge, and store the merged result.
 */
import { Conflict } from '#functions/errors';
import type { JobMessage } from '#functions/queue/queue';
import { type ShardSimulation, ShardMismatch, SimulationCancelled } from '#models/engine';
import type { Shard } from '#models/shards';
import type { Store } from '#functions/store/store';
import {
  planOf,
  removeJobShards,
  removeShards,
  SHARD_RECORD,
  type ShardRecordSummary,
  shardRecordId,
} from './shard-records.js';
import { EngineFailed, recordIsLive, runStepped, watchJob } from './engine-steps.js';
import { JobInterrupted, registerJob, type JobContext } from './registry.js';

export { planOf, removeJobShards, SHARD_RECORD, type ShardRecordSummary, shardRecordId } from './shard-records.js';

export const SHARD_JOB = 'shard';
export const SHARD_MERGE_JOB = 'shard-merge';

export interface ShardMessage extends JobMessage {
  kind: typeof SHARD_JOB;
  /** the sharded job's kind */
  job: string;
  shard: Shard;
}

export interface ShardMergeMessage extends JobMessage {
  kind: typeof SHARD_MERGE_JOB;
  job: string;
  of: number;
}

/** A job kind that can run in shards. I is its input (e.g. a scenario), R its merged result. */
export interface ShardedKind<I, R> {
  /** the stored kind of the job's record: its status says whether the job still wants its shards */
  record: string;
  /**
   * The job's input, once it is claimed (queued → running); undefined when the job is finished, failed or gone, so
   * that its shards and merge are dropped. A job whose input is invalid is failed here (and undefined returned).
   */
  load(ctx: JobContext, id: string): Promise<I | undefined>;
  /**
   * the shard's runs, to be run in steps (the host checkpoints between them, so a stop is heard mid-shard); the
   * summary must be plain data (it goes through the store as JSON)
   */
  runShard(
    input: I,
    shard: Shard,
    ctx: JobContext,
    onProgress: (done: number, runs: number) => void,
  ): ShardSimulation<unknown>;
  merge(input: I, summaries: unknown[]): R;
  /** store the merged result and complete the job, as the unsharded job does */
  complete(ctx: JobContext, id: string, result: R): Promise<void>;
  fail(ctx: Pick<JobContext, 'store' | 'now'>, id: string, reason: string): Promise<void>;
  /** progress (0–99) and a heartbeat for the job */
  reportProgress(ctx: Pick<JobContext, 'store' | 'now'>, id: string, percent: number): Promise<void>;
}

const kinds = new Map<string, ShardedKind<unknown, unknown>>();

export function registerShardedKind<I, R>(kind: string, def: ShardedKind<I, R>): void {
  if (kinds.has(kind)) throw new Error(`sharded kind ${kind} registered twice`);
  kinds.set(kind, def as ShardedKind<unknown, unknown>);
}

function shardedKind(kind: string): ShardedKind<unknown, unknown> {
  const def = kinds.get(kind);
  if (!def) throw new UnknownShardedKind(`no sharded job kind ${kind}`);
  return def;
}

class UnknownShardedKind extends Error {}

/**
 * Validates a shard message from outside (the state machine's payload): the shape only; the job decides the rest.
 * Returns a reason when it is malformed.
 */
export function malformedShard(m: Partial<ShardMessage>): string | undefined {
  const s = m.shard;
  if (typeof m.job !== 'string' || typeof m.id !== 'string') return 'no job kind or id';
  if (!s || ![s.index, s.of, s.from, s.to].every((v) => Number.isInteger(v) && v >= 0)) return 'no shard';
  if (s.index >= s.of || s.from >= s.to) return 'an empty or out-of-range shard';
  return undefined;
}

async function runShard(m: ShardMessage, ctx: JobContext): Promise<void> {
  const def = shardedKind(m.job);
  const { store } = ctx;
  const recordId = shardRecordId(m.job, m.id, m.shard.index);
  if (await store.get(SHARD_RECORD, recordId)) return; // stored by an earlier attempt: counted once already
  const input = await def.load(ctx, m.id);
  if (input === undefined) {
    ctx.logger.info('shard of a finished job dropped', { job: m.job, id: m.id, index: m.shard.index });
    return;
  }
  const started = performance.now();
  const reports = await reportsProgress(store, m);
  // Between steps the shard looks at its job: one deleted, failed or merged meanwhile wants no more runs, and the
  // shard stops there instead of running to its end (a shard stored afterwards would be dropped all the same).
  const watch = watchJob(ctx, () => recordIsLive(store, def.record, m.id));
  const stepCtx = watch.ctx;
  let summary: unknown;
  try {
    summary = await runStepped(
      m.shard.to - m.shard.from,
      () =>
        def.runShard(input, m.shard, stepCtx, (done, runs) => {
          if (reports) ctx.progress(Math.min(99, Math.floor((99 * done) / Math.max(1, runs))));
        }),
      stepCtx,
    );
  } catch (e) {
    if (!(e instanceof EngineFailed)) throw e; // the store, at a checkpoint: a retry may cure it
    if (watch.ended()) {
      ctx.logger.info('shard of a finished job stopped', { job: m.job, id: m.id, index: m.shard.index });
      return;
    }
    if (e.reason instanceof SimulationCancelled || ctx.shouldCancel()) throw new JobInterrupted(ctx.cancelReason());
    // the engine refuses what it cannot model: a property of the input, so no retry (as for a job run whole)
    await failShardedJob(ctx, m.job, m.id, `the engine could not run this job: ${e.message.slice(0, 300)}`);
    return;
  }
  // a stop heard after the last run: the summary is kept (stored below) when the host will resume the job
  if (ctx.shouldCancel() && !ctx.suspending?.()) throw new JobInterrupted(ctx.cancelReason());
  const elapsedMs = Math.round(performance.now() - started);
  try {
    await store.create<ShardRecordSummary>(
      {
        kind: SHARD_RECORD,
        id: recordId,
        createdAt: ctx.now().toISOString(),
        summary: { job: m.job, jobId: m.id, ...m.shard, elapsedMs },
      },
      { summary },
    );
  } catch (e) {
    if (!(e instanceof Conflict)) throw e; // a twin delivery stored it first: the same runs, the same summary
  }
  // The job may have finished (merged, failed) or been deleted while this shard ran, and whoever ended it removed the
  // shard records there were then. Looked at after the put: if the job is still live here, its end comes later and
  // removes this record; if not, it is removed now — no orphan, whichever came first.
  if (!(await recordIsLive(store, def.record, m.id))) {
    await store.delete(SHARD_RECORD, recordId);
    ctx.logger.info('shard of a finished job dropped', { job: m.job, id: m.id, index: m.shard.index, late: true });
    return;
  }
  ctx.logger.info('shard stored', { job: m.job, id: m.id, index: m.shard.index, of: m.shard.of, elapsedMs });
}

/**
 * Shards run at once and are the same size, so one shard's progress stands for the job's (and is its heartbeat): the
 * first shard still to run — shard 0, or on a resumed job the first whose earlier shards are all stored.
 */
async function reportsProgress(store: Store, m: ShardMessage): Promise<boolean> {
  for (let i = 0; i < m.shard.index; i++)
    if (!(await store.get(SHARD_RECORD, shardRecordId(m.job, m.id, i)))) return false;
  return true;
}

async function mergeShards(m: ShardMergeMessage, ctx: JobContext): Promise<void> {
  const def = shardedKind(m.job);
  const { store } = ctx;
  const input = await def.load(ctx, m.id);
  if (input === undefined) {
    await removeShards(store, m.job, m.id, m.of);
    return;
  }
  const records = await Promise.all(
    Array.from({ length: m.of }, (_, i) => store.get<ShardRecordSummary>(SHARD_RECORD, shardRecordId(m.job, m.id, i))),
  );
  const missing = records.flatMap((r, i) => (r ? [] : [i]));
  // Step Functions only merges after every shard succeeded: a missing one is a store that lags or lost it (retry)
  if (missing.length) throw new Error(`shards ${missing.slice(0, 10).join(', ')} of ${m.of} are not stored`);
  const summaries = await Promise.all(records.map((r) => store.readBlob(r!, 'summary')));
  if (summaries.some((s) => s === undefined)) throw new Error('a stored shard has no summary');
  let result: unknown;
  try {
    result = def.merge(input, summaries);
  } catch (e) {
    // summaries that cannot be merged (another scenario's, or stored by an older version in an older shape) are
    // refused the same on every retry, and the shards are not run again: fail the job now, saying why, and remove them
    if (!(e instanceof ShardMismatch)) throw e;
    await failShardedJob(ctx, m.job, m.id, `the shard summaries could not be merged: ${e.message}; run it again`);
    ctx.logger.warn('shard summaries refused', { job: m.job, id: m.id, reason: e.message });
    return;
  }
  if (ctx.shouldCancel()) throw new JobInterrupted(ctx.cancelReason());
  await def.complete(ctx, m.id, result);
  await removeShards(store, m.job, m.id, m.of);
  ctx.logger.info('shards merged', { job: m.job, id: m.id, of: m.of });
}

/**
 * Fail a sharded job (the state machine's MarkFailed step, a local shard or merge out of retries, a shard the engine
 * refuses) and remove the shard summaries already stored: no merge will read them. Removed whether or not this call
 * was the one that failed it, so a repeated call finishes what an interrupted one began.
 */
export async function failShardedJob(
  ctx: Pick<JobContext, 'store' | 'now'>,
  job: string,
  id: string,
  reason: string,
): Promise<void> {
  const def = shardedKind(job);
  await def.fail(ctx, id, reason);
  const record = await ctx.store.get(def.record, id);
  if (record) await removeJobShards(ctx.store, job, id, planOf(record.summary));
}

registerJob(SHARD_JOB, {
  async run(message, ctx) {
    const m = message as ShardMessage;
    const bad = malformedShard(m);
    if (bad) {
      ctx.logger.error('malformed shard message dropped', { reason: bad });
      return;
    }
    await runShard(m, ctx);
  },
  async giveUp(message, reason, ctx) {
    const m = message as ShardMessage;
    await failShardedJob(ctx, m.job, m.id, `shard ${m.shard?.index} failed: ${reason}`);
  },
  async reportProgress(message, percent, ctx) {
    const m = message as ShardMessage;
    await shardedKind(m.job).reportProgress(ctx, m.id, percent);
  },
});

registerJob(SHARD_MERGE_JOB, {
  async run(message, ctx) {
    await mergeShards(message as ShardMergeMessage, ctx);
  },
  async giveUp(message, reason, ctx) {
    const m = message as ShardMergeMessage;
    await failShardedJob(ctx, m.job, m.id, `merging the shards failed: ${reason}`);
  },
});
