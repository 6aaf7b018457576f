/**
 * The SQS runner (Lambda): one message per job, dispatched on `message.kind` through the registry. Partial batch
 * failures: only the messages that may succeed on a retry are returned, and the queue's redrive policy sends a
 * message that failed MAX_RECEIVES times to the dead-letter queue — by then its record is already marked failed.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { config } from '#functions/config';
import { requestLogger } from '#functions/http/logger';
import { parseJobMessage } from '#functions/queue/queue';
import { getStore } from '#functions/store/index';
import { processJob, steppedProgress } from './registry.js';
import './kinds.js';

// fail at cold start on a wrong environment (see functions/config.ts)
if (process.env.AWS_LAMBDA_FUNCTION_NAME) config();

/** stop the engine this long before Lambda's own timeout, so the failure can still be written */
const TIMEOUT_MARGIN_MS = 30_000;

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  const maxReceives = config().MAX_RECEIVES;
  for (const record of event.Records) {
    const logger = requestLogger({ requestId: context.awsRequestId ?? 'local', messageId: record.messageId });
    const message = parseJobMessage(record.body);
    if (!message) {
      // a malformed message can never succeed: dropped rather than cycled through the queue
      logger.error('malformed job message dropped');
      continue;
    }
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1');
    const store = getStore();
    const now = () => new Date();
    const outcome = await processJob(message, {
      store,
      logger,
      receiveCount,
      finalAttempt: receiveCount >= maxReceives,
      // Lambda cannot write while the synchronous engine runs: jobs run it in steps and progress is written between them
      ...steppedProgress(message, { store, now }),
      shouldCancel: () =>
        typeof context.getRemainingTimeInMillis === 'function' &&
        context.getRemainingTimeInMillis() < TIMEOUT_MARGIN_MS,
      cancelReason: () => 'timed out: the run needs more time than the runner has',
      now,
    });
    if (!outcome.ok && outcome.retry) failures.push({ itemIdentifier: record.messageId });
  }
  return { batchItemFailures: failures };
}
