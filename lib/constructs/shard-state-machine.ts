/**
 * The fan-out of a large job: a Step Functions state machine whose Distributed Map runs the shard function
 * over the job's shards (run ranges), then one merge task. Step Functions keeps the count of finished shards, retries
 * a shard that crashed or timed out, caps the functions running at once, and keeps each execution's history; nothing
 * here counts completions by hand. A shard retried after a crash never counts twice: its summary is stored under
 * (job, shard index) by a conditional put, and the merge reads exactly one per index.
 *
 * Input (written by functions/jobs/dispatch.ts): { kind, id, of, shards: [{ index, of, from, to }] }.
 * If a shard still fails after its retries, or the merge does, the job is marked failed with the reason. An execution
 * that ends without getting there — its timeout, a stop by hand, MarkFailed itself failing — is caught by an
 * EventBridge rule that hands its end to the merge function, which fails the job if it is still running and removes
 * its shard summaries: no job is left `running` by its execution, and no summary is left behind.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { AWS_MAX_SHARDS } from '#models/shards';
import { SHARD_JOB_TIMEOUT_SECONDS } from '#functions/jobs/shard-records';

/** shard functions running at once for one job (the Map's MaxConcurrency); models/shards.ts plans at most this many */
export const SHARD_MAP_CONCURRENCY = AWS_MAX_SHARDS;
/** attempts after the first for a shard or the merge that crashed, timed out or was throttled */
export const SHARD_RETRIES = 2;
/** the longest a whole sharded job may take before Step Functions stops it (and the job is marked failed) */
export const SHARD_JOB_TIMEOUT = Duration.seconds(SHARD_JOB_TIMEOUT_SECONDS);

export interface ShardStateMachineProps {
  /** runs one shard: { kind, id, shard } → stores its summary */
  shardFunction: lambda.IFunction;
  /** { action: 'merge', kind, id, of } merges and completes the job; { action: 'fail', kind, id, error } fails it */
  mergeFunction: lambda.IFunction;
  logRetention: logs.RetentionDays;
}

export class ShardStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  /** an execution that ended FAILED, TIMED_OUT or ABORTED → the merge function (functions/jobs/shard-merge.ts) */
  readonly executionEnded: events.Rule;

  constructor(scope: Construct, id: string, props: ShardStateMachineProps) {
    super(scope, id);
    const retry = (task: tasks.LambdaInvoke): tasks.LambdaInvoke => {
      task.addRetry({
        errors: ['States.TaskFailed', 'States.Timeout', 'Lambda.TooManyRequestsException'],
        interval: Duration.seconds(5),
        backoffRate: 2,
        maxAttempts: SHARD_RETRIES,
        jitterStrategy: sfn.JitterType.FULL,
      });
      return task;
    };

    const runShard = retry(
      new tasks.LambdaInvoke(this, 'RunShard', {
        lambdaFunction: props.shardFunction,
        payloadResponseOnly: true,
        retryOnServiceExceptions: true,
        // the summary goes to the table, not through the execution: only the small acknowledgement comes back
        resultPath: sfn.JsonPath.DISCARD,
        taskTimeout: sfn.Timeout.duration(Duration.minutes(15)),
      }),
    );

    const shards = new sfn.DistributedMap(this, 'Shards', {
      itemsPath: sfn.JsonPath.stringAt('$.shards'),
      itemSelector: {
        'kind.$': '$.kind',
        'id.$': '$.id',
        'shard.$': '$$.Map.Item.Value',
      },
      maxConcurrency: SHARD_MAP_CONCURRENCY,
      // one shard lost is a result lost: any failure after its retries fails the map
      toleratedFailurePercentage: 0,
      // standard child executions: each shard's own history (inputs, retries, errors) is kept and can be looked at
      mapExecutionType: sfn.StateMachineType.STANDARD,
      resultPath: sfn.JsonPath.DISCARD,
      label: 'Shards',
    });
    shards.itemProcessor(runShard);

    const merge = retry(
      new tasks.LambdaInvoke(this, 'Merge', {
        lambdaFunction: props.mergeFunction,
        payload: sfn.TaskInput.fromObject({
          action: 'merge',
          'kind.$': '$.kind',
          'id.$': '$.id',
          'of.$': '$.of',
        }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: true,
        resultPath: sfn.JsonPath.DISCARD,
        taskTimeout: sfn.Timeout.duration(Duration.minutes(15)),
      }),
    );

    const markFailed = new tasks.LambdaInvoke(this, 'MarkFailed', {
      lambdaFunction: props.mergeFunction,
      payload: sfn.TaskInput.fromObject({
        action: 'fail',
        'kind.$': '$.kind',
        'id.$': '$.id',
        'error.$': '$.failure.Error',
      }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      resultPath: sfn.JsonPath.DISCARD,
    }).next(new sfn.Fail(this, 'JobFailed', { error: 'ShardedJobFailed', cause: 'a shard or the merge failed' }));
    shards.addCatch(markFailed, { resultPath: '$.failure' });
    merge.addCatch(markFailed, { resultPath: '$.failure' });

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Runs a large forecast in shards (Distributed Map) and merges their summaries',
      definitionBody: sfn.DefinitionBody.fromChainable(shards.next(merge).next(new sfn.Succeed(this, 'Done'))),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: SHARD_JOB_TIMEOUT,
      tracingEnabled: true,
      // every state's events, without the inputs and outputs (ids and run ranges only, but logs stay lean)
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    this.executionEnded = new events.Rule(this, 'ExecutionEnded', {
      description:
        'A sharded job whose execution ended without completing it: the job is failed and its shards removed',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [this.stateMachine.stateMachineArn],
        },
      },
      targets: [new targets.LambdaFunction(props.mergeFunction, { retryAttempts: 4, maxEventAge: Duration.hours(6) })],
    });
    this.suppressAcceptedFindings();
  }

  /** cdk-nag findings on the state machine's own role, accepted with their reasons. */
  private suppressAcceptedFindings(): void {
    NagSuppressions.addResourceSuppressions(
      this.stateMachine,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'generated by aws-cdk-lib for the state machine role: X-Ray tracing and CloudWatch log delivery accept only Resource *; ' +
            'invoking the two shard functions is granted on their ARNs and versions (ARN:*); the Distributed Map starts and ' +
            'watches its own child executions (execution:<this state machine>:*), whose names Step Functions chooses',
          appliesTo: [
            'Resource::*',
            { regex: '/^Resource::<Shard(Runner|Merge)Function[A-Za-z0-9]+\\.Arn>:\\*$/' },
            { regex: '/^Resource::arn:<AWS::Partition>:states:.*:execution:.*\\*$/' },
          ],
        },
      ],
      true,
    );
  }

  /** StartExecution on this state machine only (the handlers that submit jobs). */
  grantStart(grantee: iam.IGrantable): void {
    this.stateMachine.grantStartExecution(grantee);
  }
}
