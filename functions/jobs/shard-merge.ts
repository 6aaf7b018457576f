/**
 * The merge function (Lambda) of the shard state machine: { action: 'merge', kind, id, of } after every shard
 * succeeded — reads one stored summary per shard index, merges them and completes the job — or
 * { action: 'fail', kind, id, error } when a shard or the merge failed for good, which marks the job failed.
 * Retryable failures are thrown (the state machine retries them).
 *
 * It also receives EventBridge's "Step Functions Execution Status Change" for an execution of the state machine that
 * ended FAILED, TIMED_OUT or ABORTED (lib/constructs/shard-state-machine.ts): an execution can end without reaching
 * MarkFailed — its whole-run timeout, a stop by hand, MarkFailed itself failing — and the job would stay `running`
 * with its shard summaries stored. The job (named in the execution's input) is failed, unless it is already complete
 * or failed, and its shards are removed either way.
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
  | { action: 'fail'; kind: string; id: string; error?: string }
  | ExecutionEnded;

export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';

/** EventBridge's event for an execution of the state machine that ended (only the fields read here). */
export interface ExecutionEnded {
  'detail-type': typeof EXECUTION_STATUS_CHANGE;
  source: 'aws.states';
  detail: { status: string; name?: string; input?: string | null };
  action?: undefined;
}

const ENDED_REASONS: Record<string, string> = {
  TIMED_OUT: 'timed out: the sharded run took longer than it is allowed',
  ABORTED: 'the sharded run was stopped',
  FAILED: 'the sharded run failed',
};

/** The job an ended execution ran, from its input ({ kind, id, of, shards }), or undefined when it is not there. */
function jobOfExecution(detail: ExecutionEnded['detail']): { kind: string; id: string } | undefined {
  try {
    const input = JSON.parse(detail.input ?? '') as { kind?: unknown; id?: unknown };
    return typeof input.kind === 'string' && typeof input.id === 'string'
      ? { kind: input.kind, id: input.id }
      : undefined;
  } catch {
    return undefined;
  }
}

/** What the user reads when the state machine gave up, by Step Functions error name (never a stack trace). */
function failureReason(error: string | undefined): string {
  if (error === 'States.Timeout') return 'timed out: the sharded run took longer than it is allowed';
  if (error === 'ShardFailed' || error === 'States.TaskFailed') return 'a shard of the run failed after its retries';
  return 'the sharded run failed';
}

const isExecutionEnded = (e: MergeEvent): e is ExecutionEnded =>
  (e as Partial<ExecutionEnded> | undefined)?.['detail-type'] === EXECUTION_STATUS_CHANGE;

export async function handler(event: MergeEvent, context: Context): Promise<{ ok: boolean }> {
  const store = getStore();
  const now = () => new Date();
  if (isExecutionEnded(event)) {
    const ended = event;
    const logger = requestLogger({ requestId: context.awsRequestId ?? 'local', action: 'execution-ended' });
    const reason = ENDED_REASONS[ended.detail?.status];
    const job = ended.detail ? jobOfExecution(ended.detail) : undefined;
    if (!reason || !job) {
      // nothing to act on (a status that is not an end, or an input EventBridge left out): the job's stale heartbeat
      // shows it failed, and the next look at it by hand finds the execution's history
      logger.error('ended execution not handled', { status: ended.detail?.status, execution: ended.detail?.name });
      return { ok: false };
    }
    await failShardedJob({ store, now }, job.kind, job.id, reason);
    logger.warn('sharded job ended by its execution', { id: job.id, status: ended.detail.status });
    return { ok: false };
  }
  const logger = requestLogger({ requestId: context.awsRequestId ?? 'local', job: event?.kind, action: event?.action });
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
