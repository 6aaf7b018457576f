/**
 * The shard function (Lambda) of the shard state machine: one invocation per shard, { kind, id, shard } from the
 * Distributed Map. It runs the `shard` job (functions/jobs/shards.ts) with the code the local worker threads run.
 * What a retry may cure is thrown, so Step Functions retries it (its Retry policy) and, when the retries are spent,
 * the state machine marks the job failed. A malformed payload or a finished job's shard is dropped.
 */
import type { Context } from 'aws-lambda';
import { config } from '#functions/config';
import { requestLogger } from '#functions/http/logger';
import { getStore } from '#functions/store/index';
import { processJob, steppedProgress } from './registry.js';
import { SHARD_JOB, type ShardMessage } from './shards.js';
import './kinds.js';

if (process.env.AWS_LAMBDA_FUNCTION_NAME) config();

/** stop the engine this long before Lambda's own timeout, so the failure can be handled by the state machine */
const TIMEOUT_MARGIN_MS = 30_000;

export interface ShardEvent {
  kind: string;
  id: string;
  shard: ShardMessage['shard'];
}

export async function handler(event: ShardEvent, context: Context): Promise<{ index: number | null }> {
  const logger = requestLogger({ requestId: context.awsRequestId ?? 'local', job: event?.kind });
  const message: ShardMessage = { kind: SHARD_JOB, job: event?.kind, id: event?.id, shard: event?.shard };
  const store = getStore();
  const now = () => new Date();
  const outcome = await processJob(message, {
    store,
    logger,
    receiveCount: 1,
    // Step Functions owns the retries: a failure here is never the last word
    finalAttempt: false,
    ...steppedProgress(message, { store, now }),
    shouldCancel: () =>
      typeof context.getRemainingTimeInMillis === 'function' && context.getRemainingTimeInMillis() < TIMEOUT_MARGIN_MS,
    cancelReason: () => 'timed out: the shard needs more time than the function has',
    now,
  });
  if (!outcome.ok && outcome.retry) throw new ShardFailed(outcome.reason);
  return { index: event?.shard?.index ?? null };
}

/** The error name Step Functions sees (States.TaskFailed → retried by the state machine's policy). */
export class ShardFailed extends Error {
  override readonly name = 'ShardFailed';
}
