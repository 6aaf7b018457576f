/**
 * The whole service on AWS, driven by the route table (functions/routes.ts): one function per route and worker,
 * the HTTP API and its JWT authorizer, the table, the run queue, the monthly schedule, alarms and the dashboard.
 * Synthesises offline: nothing here looks anything up in an AWS account.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { ROUTES, WORKERS, type RouteDef, type WorkerDef } from '#functions/routes';
import { Alarms } from './constructs/alarms.js';
import { Auth } from './constructs/auth.js';
import { DashboardSite } from './constructs/dashboard-site.js';
import { DataTable } from './constructs/data-table.js';
import { HandlerFunction } from './constructs/handler-function.js';
import { MAX_RECEIVE_COUNT, RunQueue } from './constructs/run-queue.js';
import { ShardStateMachine } from './constructs/shard-state-machine.js';
import type { StackSettings } from './settings.js';

/** The repository root (this file lives in lib/). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Steady-state and burst requests per second for the whole API: generous for a council's staff, a lid on abuse. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * Runner invocations at once. Each message is one whole scenario or variant (seconds of CPU), so parallelism comes
 * from concurrent invocations, not batches; the cap keeps a large sweep from using the account's whole concurrency.
 */
export const RUNNER_MAX_CONCURRENCY = 50;

export interface PlacementForecastStackProps extends StackProps {
  settings: StackSettings;
  /** where handler files and web/ are read from (default: this repository) */
  projectRoot?: string;
}

/** Handler files named by the route table that are not on disk: NodejsFunction cannot be built without them. */
export function missingHandlerFiles(
  projectRoot: string,
  defs: readonly { handler: string }[] = [...ROUTES, ...WORKERS],
): string[] {
  return [...new Set(defs.map((d) => d.handler))].filter((h) => !existsSync(path.join(projectRoot, h))).sort();
}

export class PlacementForecastStack extends Stack {
  readonly functions = new Map<string, HandlerFunction>();
  readonly api: apigwv2.HttpApi;
  readonly data: DataTable;
  readonly runQueue: RunQueue;
  readonly shards: ShardStateMachine;
  /** the salt of the child keys in stored datasets: read only by the functions that hash child ids */
  readonly dataSalt: secretsmanager.Secret;
  /** the key that signs page cursors: read only by the functions that hand cursors out */
  readonly cursorKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: PlacementForecastStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;
    Tags.of(this).add('project', 'placement-forecast');
    Tags.of(this).add('stage', settings.stage);

    const missing = missingHandlerFiles(projectRoot);
    if (missing.length > 0)
      throw new Error(`handler files named in functions/routes.ts are missing: ${missing.join(', ')}`);

    const logRetention = settings.logRetentionDays as logs.RetentionDays;
    this.data = new DataTable(this, 'Data');
    const runner = WORKERS.find((w) => w.trigger === 'queue');
    if (!runner) throw new Error('functions/routes.ts: WORKERS has no queue-triggered runner');
    this.runQueue = new RunQueue(this, 'RunQueue', { consumerTimeout: Duration.seconds(runner.timeoutSeconds) });

    const environment: Record<string, string> = {
      STAGE: settings.stage,
      TABLE_NAME: this.data.table.tableName,
      LOG_LEVEL: 'INFO',
      MAX_RECEIVES: String(MAX_RECEIVE_COUNT),
      POWERTOOLS_SERVICE_NAME: 'placement-forecast',
      NODE_OPTIONS: '--enable-source-maps',
    };
    // Pseudonymisation needs a key kept apart from the data: child ids are 6–7 digit numbers often, so a salt anyone
    // can read (the stack id, a function's environment) lets every stored key be reversed by trying every number.
    // Random, made by Secrets Manager at the first deploy, stable across updates (the same child gets the same key on
    // every upload), and read at cold start by the functions that need it, never put in an environment.
    this.dataSalt = new secretsmanager.Secret(this, 'DataSalt', {
      description:
        'placement-forecast: salt of the child keys in stored datasets. Never rotate or delete it while datasets exist: their keys were made with it',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // kept with the table it belongs to (the table is RETAIN too)
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.cursorKey = new secretsmanager.Secret(this, 'CursorKey', {
      description: 'placement-forecast: signs the page cursors the list routes hand out',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const keys = { dataSalt: this.dataSalt, cursorKey: this.cursorKey };

    const makeFunction = (def: RouteDef | WorkerDef): HandlerFunction => {
      const made = new HandlerFunction(this, def.id, {
        def,
        projectRoot,
        data: this.data,
        queue: this.runQueue,
        environment,
        keys,
        logRetention,
      });
      this.functions.set(def.id, made);
      return made;
    };

    // --- the fan-out of large jobs: shard and merge functions under a Step Functions state machine ---
    const stepFunction = (step: 'shard' | 'merge'): lambda.IFunction => {
      const def = WORKERS.find((w) => w.trigger === 'state-machine' && w.step === step);
      if (!def) throw new Error(`functions/routes.ts: WORKERS has no state-machine worker for the ${step} step`);
      return makeFunction(def).fn;
    };
    this.shards = new ShardStateMachine(this, 'Shards', {
      shardFunction: stepFunction('shard'),
      mergeFunction: stepFunction('merge'),
      logRetention,
    });

    // --- sign-in and the API ---
    const auth = new Auth(this, 'Auth', { existingUserPoolId: settings.existingUserPoolId });
    const authorizer = new HttpUserPoolAuthorizer('Cognito', auth.userPool, {
      userPoolClients: [auth.client],
      // an existing pool may live in another region: its id starts with that region
      userPoolRegion: settings.existingUserPoolId?.split('_')[0],
    });

    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: `placement-forecast-${settings.stage}`,
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      corsPreflight: {
        allowOrigins: [settings.dashboardOrigin],
        allowMethods: [
          apigwv2.CorsHttpMethod.GET,
          apigwv2.CorsHttpMethod.POST,
          apigwv2.CorsHttpMethod.PUT,
          apigwv2.CorsHttpMethod.DELETE,
        ],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        exposeHeaders: ['content-disposition'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logRetention });
    const stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        // the route template, never the raw path: ids stay out of the access log
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            user: '$context.authorizer.claims.sub',
            ip: '$context.identity.sourceIp',
          }),
        ),
      },
    });

    for (const route of ROUTES) {
      const made = makeFunction(route);
      const isPublic = route.roles === 'public';
      const [apiRoute] = this.api.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.id}Integration`, made.fn),
        authorizer: isPublic ? new apigwv2.HttpNoneAuthorizer() : authorizer,
      });
      if (isPublic && apiRoute) {
        NagSuppressions.addResourceSuppressions(apiRoute, [
          {
            id: 'AwsSolutions-APIG4',
            reason: `${route.method} ${route.path} is public by design (route table: roles 'public'): liveness and the API description carry no data`,
          },
        ]);
      }
    }

    // --- workers ---
    for (const worker of WORKERS) {
      if (worker.trigger === 'state-machine') continue; // made with the shard state machine above
      const made = makeFunction(worker);
      if (worker.trigger === 'queue') {
        made.fn.addEventSource(
          new SqsEventSource(this.runQueue.queue, {
            batchSize: 1,
            reportBatchItemFailures: true,
            maxConcurrency: RUNNER_MAX_CONCURRENCY,
          }),
        );
      } else if (worker.trigger === 'dead-letter') {
        // what the runner could not finish: its records marked failed at once (functions/jobs/dead-letters.ts)
        made.fn.addEventSource(
          new SqsEventSource(this.runQueue.deadLetterQueue, { batchSize: 10, reportBatchItemFailures: true }),
        );
      } else {
        if (!worker.schedule)
          throw new Error(`functions/routes.ts: worker ${worker.id} is scheduled but has no schedule`);
        new events.Rule(this, `${worker.id}Schedule`, {
          description: worker.summary,
          schedule: events.Schedule.expression(worker.schedule),
          targets: [new targets.LambdaFunction(made.fn, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
        });
      }
    }

    // whoever queues jobs may start the fan-out of a large one instead (functions/jobs/dispatch.ts)
    for (const def of [...ROUTES, ...WORKERS]) {
      if (!def.access.queue) continue;
      const made = this.functions.get(def.id)!;
      this.shards.grantStart(made.fn);
      made.fn.addEnvironment('SHARD_STATE_MACHINE_ARN', this.shards.stateMachine.stateMachineArn);
    }

    // --- dashboard ---
    const site = new DashboardSite(this, 'Dashboard', {
      webDir: path.join(projectRoot, 'web'),
      apiEndpoint: this.api.apiEndpoint,
      apiPaths: ROUTES.map((r) => r.path),
      logRetention,
    });

    // --- alarms ---
    const alarmed = new Map<string, lambda.IFunction>([...this.functions].map(([fnId, f]) => [fnId, f.fn]));
    const alarms = new Alarms(this, 'Alarms', {
      functions: alarmed,
      deadLetterQueue: this.runQueue.deadLetterQueue,
      api: this.api,
      alarmEmail: settings.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: stage.url, description: 'The API (also reachable under DashboardUrl)' });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${site.distribution.distributionDomainName}`,
      description: 'The dashboard',
    });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.runQueue.deadLetterQueue.queueUrl });

    this.suppressAcceptedFindings(site);
  }

  /** cdk-nag findings accepted on purpose, each with its reason. */
  private suppressAcceptedFindings(site: DashboardSite): void {
    for (const made of this.functions.values()) {
      NagSuppressions.addResourceSuppressions(made.fn, [
        {
          id: 'AwsSolutions-L1',
          reason:
            'Node.js 22 is the runtime this service is built and tested for (docs/ARCHITECTURE.md); moving runtimes is a tested change, not an automatic one',
        },
      ]);
    }
    NagSuppressions.addResourceSuppressions(this.dataSalt, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'the salt must not rotate: every stored child key was made with it, and a new salt would make the same child a different key in the next upload',
      },
    ]);
    NagSuppressions.addResourceSuppressions(this.cursorKey, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'a rotation would need a rotation function for a key whose only use is signing page cursors; replace it by hand (a new value invalidates only the cursors handed out)',
      },
    ]);
    NagSuppressions.addResourceSuppressions(site.logBucket, [
      { id: 'AwsSolutions-S1', reason: 'this is the access-log bucket: logging it into itself would loop' },
    ]);
    NagSuppressions.addResourceSuppressions(site.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'no geo restriction: staff sign in from anywhere, and the API behind it is reachable directly anyway; access is decided by Cognito',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'a CloudFront web ACL must be created in us-east-1 (a second stack); API Gateway throttling and Cognito protect the API. Councils with a WAF policy attach their ACL',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'the default *.cloudfront.net certificate lets CloudFront fix the minimum TLS version; TLSv1.2_2021 applies as soon as a council adds its own domain and certificate',
      },
    ]);
    // The bucket-deployment helper is a CDK-provided function that copies web/ into the bucket at deploy time.
    NagSuppressions.addResourceSuppressionsByPath(
      this,
      this.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment')).map((c) => c.node.path),
      [
        {
          id: 'AwsSolutions-IAM4',
          reason: "CDK's own bucket-deployment function uses the AWS basic execution role; it runs only during deploys",
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "CDK's bucket-deployment function reads the CDK asset bucket, replaces every object of the dashboard bucket (bucket/*, S3 action groups) and invalidates the distribution; aws-cdk-lib grants the CloudFront invalidation actions on *, which this project cannot narrow",
          appliesTo: [
            'Action::s3:GetObject*',
            'Action::s3:GetBucket*',
            'Action::s3:List*',
            'Action::s3:DeleteObject*',
            'Action::s3:Abort*',
            'Resource::*',
            { regex: '/^Resource::<DashboardFiles[A-Za-z0-9]+\\.Arn>\\/\\*$/' },
            { regex: '/^Resource::arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-.+\\/\\*$/' },
          ],
        },
        {
          id: 'AwsSolutions-L1',
          reason: "CDK's bucket-deployment function runtime is chosen by aws-cdk-lib, not by this project",
        },
      ],
      true,
    );
  }
}
