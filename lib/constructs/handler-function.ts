/**
 * One Lambda function for one entry in the route table (a route or a worker): bundled from its handler file, with its
 * own role, its own log group, and exactly the table/queue access the table says it needs.
 */
import * as path from 'node:path';
import { Duration, RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Access } from '#functions/routes';
import { nodejsBundling } from '../bundling.js';
import type { DataTable } from './data-table.js';
import type { RunQueue } from './run-queue.js';

/** The tag that ties a deployed function back to its route-table id (the infra tests match on it). */
export const FUNCTION_ID_TAG = 'placement-forecast:function';

/** The fields RouteDef and WorkerDef share. */
export interface FunctionDef {
  id: string;
  handler: string;
  access: Access;
  memoryMb: number;
  timeoutSeconds: number;
  summary: string;
  /** packages installed beside the bundle instead of bundled (they read files of their own at run time) */
  nodeModules?: readonly string[];
}

export interface HandlerFunctionProps {
  def: FunctionDef;
  /** the repository root: handler paths in the route table are relative to it */
  projectRoot: string;
  data: DataTable;
  queue: RunQueue;
  /** variables every function gets (stage, table name, …) */
  environment: Record<string, string>;
  /** the secrets a function reads when its access says so (the stack's ServiceKeys) */
  keys: { dataSalt: secretsmanager.ISecret; cursorKey: secretsmanager.ISecret };
  logRetention: logs.RetentionDays;
}

export class HandlerFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  /** absolute path of the handler file bundled into this function */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const { def } = props;
    this.entry = path.join(props.projectRoot, def.handler);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // A role of its own instead of the AWS managed basic-execution policy, which allows writing to every log group.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${def.id}: ${def.summary}`.slice(0, 1000),
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    const environment: Record<string, string> = { ...props.environment };
    if (def.access.queue) environment.QUEUE_URL = props.queue.queue.queueUrl;
    // The secret's ARN only, never its value: the function reads it at cold start (functions/config.ts#loadKeys).
    // GetSecretValue on that one secret, not grantRead (which adds DescribeSecret): nothing more is needed.
    const readSecret = (variable: string, secret: secretsmanager.ISecret) => {
      environment[variable] = secret.secretArn;
      role.addToPolicy(
        new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
      );
    };
    if (def.access.dataSalt) readSecret('DATA_SALT_SECRET_ARN', props.keys.dataSalt);
    if (def.access.cursors) readSecret('CURSOR_SECRET_ARN', props.keys.cursorKey);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: this.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: path.join(props.projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: def.memoryMb,
      timeout: Duration.seconds(def.timeoutSeconds),
      description: def.summary.slice(0, 256),
      role,
      logGroup: this.logGroup,
      environment,
      bundling: def.nodeModules?.length ? { ...nodejsBundling(), nodeModules: [...def.nodeModules] } : nodejsBundling(),
    });
    Tags.of(this.fn).add(FUNCTION_ID_TAG, def.id);

    if (def.access.table === 'read') props.data.grantRead(this.fn);
    if (def.access.table === 'write') props.data.grantReadWrite(this.fn);
    if (def.access.queue) props.queue.grantSend(this.fn);
  }
}
