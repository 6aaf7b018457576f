/**
 * The stalled-job sweeper (AWS: EventBridge, hourly). A job whose worker died without a word — a Lambda killed with
 * its message lost, a shard execution whose end event never arrived — would stay `running` in the store for ever. The
 * API already shows such a record as failed once its heartbeat is older than STALE_RUN_SECONDS ("stalled: no sign of
 * life…", functions/records/status.ts). This makes the store say so too: the record is failed through its kind's own
 * giveUp, with the reason the API showed (a conditional update, so a job that completes meanwhile is left as it is),
 * and a sharded job's shard summaries are removed. It is the backstop behind the dead-letter consumer and the rule on
 * shard executions that end without MarkFailed, should either miss a job. Last, it removes the shard summaries no live
 * job will merge (a delete or a failure whose clean-up was cut short), as the local runtime's start-up recovery does.
 *
 * A sharded job is given the shard state machine's whole timeout first: its heartbeat comes from one shard, and a job
 * whose shards run in waves can be quiet for a while and alive. Logs say which records it failed (kind and id only).
 */
import type { Context, ScheduledEvent } from 'aws-lambda';
import { config } from '#functions/config';
import { type Logger, requestLogger } from '#functions/http/logger';
import { RECORD_KINDS, type RecordKindDef } from '#functions/records/kinds';
import { effectiveStatus, type RunStatus } from '#functions/records/status';
import { rawStore } from '#functions/store/index';
import type { Store } from '#functions/store/store';
import { sweepShardRecords } from './recovery.js';
import { giveUpJob } from './registry.js';
import { planOf, removeJobShards, SHARD_JOB_TIMEOUT_SECONDS } from './shard-records.js';
import './kinds.js';

if (process.env.AWS_LAMBDA_FUNCTION_NAME) config();

interface JobSummary {
  status: RunStatus;
  reason?: string;
  heartbeatAt?: string;
}

export interface SweepOutcome {
  /** running records looked at */
  running: number;
  /** of them, failed as stalled */
  failed: number;
  /** shard summaries no live job will merge (a job deleted or ended while a clean-up was cut short), removed */
  orphanShards: number;
}

/** Fails every running job record whose heartbeat is older than a live job's could be; removes its shards. */
export async function sweepStalledJobs(
  store: Store,
  now: Date,
  staleSeconds: number,
  logger: Logger,
): Promise<SweepOutcome> {
  const out: SweepOutcome = { running: 0, failed: 0, orphanShards: 0 };
  for (const def of Object.values(RECORD_KINDS) as RecordKindDef[]) {
    if (!def.job) continue;
    let cursor: string | undefined;
    do {
      const page = await store.list<JobSummary>(def.kind, { limit: 100, ...(cursor ? { cursor } : {}) });
      cursor = page.cursor;
      for (const r of page.items) {
        if (r.summary.status !== 'running') continue;
        out.running++;
        const plan = planOf(r.summary);
        const limit = plan ? Math.max(staleSeconds, SHARD_JOB_TIMEOUT_SECONDS + staleSeconds) : staleSeconds;
        const seen = effectiveStatus(r.summary, r.updatedAt, now, limit);
        if (seen.status !== 'failed') continue;
        const reason = seen.reason ?? 'stalled';
        if (!(await giveUpJob(def.job.message(r), reason, { store, logger, receiveCount: 1, now: () => now })))
          continue;
        await removeJobShards(store, def.job.kind, r.id, plan);
        logger.warn('stalled job marked failed', { kind: def.kind, id: r.id, sharded: plan !== undefined });
        out.failed++;
      }
    } while (cursor);
  }
  // then what an interrupted clean-up left: on one machine start-up recovery does this, on AWS only this sweep
  out.orphanShards = (await sweepShardRecords(store, logger)).removed;
  return out;
}

export async function handler(event: ScheduledEvent, context: Context): Promise<SweepOutcome> {
  const logger = requestLogger({ requestId: context?.awsRequestId ?? 'schedule', trigger: 'schedule' });
  const now = event?.time ? new Date(event.time) : new Date();
  const out = await sweepStalledJobs(rawStore(), now, config().STALE_RUN_SECONDS, logger);
  logger.info('stalled jobs swept', { ...out });
  return out;
}
