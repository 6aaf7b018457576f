/**
 * What pages someone: any function error or throttle, anything in the dead-letter queue, any 5xx from the API.
 * All alarms notify one SNS topic; `alarmEmail` subscribes an address to it. Alarm messages carry metric names and
 * counts only, never request content.
 */
import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Alarm periods: five minutes is CloudWatch's cheapest standard resolution and quick enough for a batch service. */
const PERIOD = Duration.minutes(5);

export interface AlarmsProps {
  /** function id (route table) → function */
  functions: ReadonlyMap<string, lambda.IFunction>;
  deadLetterQueue: sqs.IQueue;
  api: apigwv2.HttpApi;
  alarmEmail?: string;
}

export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Placement forecast alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    for (const [fnId, fn] of props.functions) {
      this.add(
        `${fnId}Errors`,
        fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
        `${fnId}: the function failed (unhandled error or timeout)`,
      );
      this.add(
        `${fnId}Throttles`,
        fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
        `${fnId}: invocations were throttled (account concurrency reached)`,
      );
    }
    this.add(
      'DeadLetters',
      // its consumer takes each message at once (the record is marked failed), so count receipts, not what waits
      props.deadLetterQueue.metricNumberOfMessagesReceived({ period: PERIOD, statistic: 'Sum' }),
      "a job's runner died on every attempt: the job was moved to the dead-letter queue and marked failed",
    );
    this.add(
      'Api5xx',
      props.api.metricServerError({ period: PERIOD, statistic: 'Sum' }),
      'the API answered with a 5xx status',
    );
  }

  /** Alarm when the metric is above zero in one period: every one of these events deserves a look. */
  private add(id: string, metric: cloudwatch.IMetric, description: string): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
