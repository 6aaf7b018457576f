/**
 * The dead-letter consumer (Lambda, on the run queue's dead-letter queue). SQS moves a job message there after
 * MAX_RECEIVES deliveries that did not succeed. Usually the runner already marked the record failed on its last attempt;
 * when that attempt died instead (out of memory, killed at the Lambda timeout, a crash of the runtime) the record would
 * stay `running` until its heartbeat went stale. This marks it failed at once, through the job kind's own giveUp —
 * a conditional update, so a record already complete or failed is left as it is — and logs what it did (kind and id,
 * nothing of the record's content) for the operator, whom the dead-letter alarm has paged.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { config } from '#functions/config';
import { requestLogger } from '#functions/http/logger';
import { parseJobMessage } from '#functions/queue/queue';
import { getStore } from '#functions/store/index';
import { giveUpJob, jobDefinition } from './registry.js';
import './kinds.js';

if (process.env.AWS_LAMBDA_FUNCTION_NAME) config();

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  const attempts = config().MAX_RECEIVES;
  for (const record of event.Records) {
    const logger = requestLogger({ requestId: context.awsRequestId ?? 'local', messageId: record.messageId });
    const message = parseJobMessage(record.body);
    if (!message) {
      logger.error('malformed dead letter dropped');
      continue;
    }
    const def = jobDefinition(message.kind);
    if (!def) {
      logger.error('dead letter of an unknown job kind dropped', { kind: message.kind });
      continue;
    }
    const reason = `failed: its runner stopped (crash, out of memory or time limit) on each of its ${attempts} attempts; not retried`;
    try {
      await giveUpJob(message, reason, {
        store: getStore(),
        logger,
        receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? attempts),
        now: () => new Date(),
      });
      logger.error('job failed on every attempt: marked failed from the dead-letter queue', {
        kind: message.kind,
        id: message.id,
      });
    } catch (e) {
      // the store could not be written: the message stays in the dead-letter queue and is delivered again
      logger.error('dead letter not handled yet', { kind: message.kind, id: message.id, errorName: (e as Error).name });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
