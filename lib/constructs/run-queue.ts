/**
 * The queue between the API and the scenario runner: one message per scenario run or comparison variant, so a
 * comparison of ten variants becomes ten runner invocations in parallel. A message that fails twice is parked in the
 * dead-letter queue (alarmed) instead of retrying for ever.
 */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Deliveries before dead-lettering; the handlers read the same number as MAX_RECEIVES (functions/config.ts). */
export const MAX_RECEIVE_COUNT = 2;

export interface RunQueueProps {
  /** the consumer's timeout: a message must stay invisible at least that long, or a second runner picks it up mid-run */
  consumerTimeout: Duration;
}

export class RunQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: RunQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // the longest SQS allows: time for someone to read the alarm, look, and redrive
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Runs', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's guidance for Lambda event sources: six times the function timeout, so batches returned while the
      // function was throttled are not counted as failed deliveries too early
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
  }

  /** SendMessage on this queue only (the API handlers that enqueue runs). */
  grantSend(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
  }
}
