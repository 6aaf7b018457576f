/**
 * The merge function (Lambda) of the shard state machine: { action: 'merge', kind, id, of } after every shard
 * succeeded — reads one stored summary per shard index, merges them and completes the job — or
 * { action: 'fail', kind, id, error } when a shard or the merge failed for good, which marks the job failed.
 * Retryable failures are thrown (the state machine retries them).
 */
import type { Context } from 'aws-lambda';
import { config } from '#functions/config';
import { requestLogger } from '#functions/http/logger';
import { getStore } from '#functions/store/index';
import { processJob } from './registry.js';
import { SHARD_MERGE_JOB, failShardedJob, type ShardMergeMessage } from './shards.js';
import './kinds.js';

if (process.env.AWS_LAMBDA_FUNCTION_NAME) config();

export type MergeEvent =
  | { action: 'merge'; kind: string; id: string; of: number }
  | { action: 'fail'; kind: string; id: string; error?: string };

/** What the user reads when the state machine gave up, by Step Functions error name (never a stack trace). */
function failureReason(error: string | undefined): string {
  if (error === 'States.Timeout') return 'timed out: the sharded run took longer than it is allowed';
  if (error === 'ShardFailed' || error === 'States.TaskFailed') return 'a shard of the run failed after its retries';
  return 'the sharded run failed';
}

export async function handler(event: MergeEvent, context: Context): Promise<{ ok: boolean }> {
  const logger = requestLogger({ requestId: context.awsRequestId ?? 'local', job: event?.kind, action: event?.action });
  const store = getStore();
  const now = () => new Date();
  if (event?.action === 'fail') {
    await failShardedJob({ store, now }, event.kind, event.id, failureReason(event.error));
    logger.warn('sharded job failed', { id: event.id, error: event.error });
    return { ok: false };
  }
  if (event?.action !== 'merge' || !Number.isInteger(event.of) || event.of < 1)
    throw new Error('malformed merge event');
  const message: ShardMergeMessage = { kind: SHARD_MERGE_JOB, job: event.kind, id: event.id, of: event.of };
  const outcome = await processJob(message, {
    store,
    logger,
    receiveCount: 1,
    finalAttempt: false,
    progress: () => {},
    shouldCancel: () => false,
    cancelReason: () => 'interrupted',
    now,
  });
  if (!outcome.ok && outcome.retry) throw new MergeFailed(outcome.reason);
  return { ok: outcome.ok };
}

export class MergeFailed extends Error {
  override readonly name = 'MergeFailed';
}
