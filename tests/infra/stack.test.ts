import { Match } from 'aws-cdk-lib/assertions';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { config, cursorSecret, dataSalt, resetConfig } from '#functions/config';
import { ROUTES, ROLES, WORKERS } from '#functions/routes';
import { BY_KIND_INDEX as STORE_INDEX, KEY as STORE_KEY } from '#functions/store/table';
import { esbuildOptions, nodejsBundling } from '#lib/bundling';
import { apiPathPatterns } from '#lib/constructs/dashboard-site';
import { BY_KIND_INDEX, TABLE_KEYS } from '#lib/constructs/data-table';
import { MAX_RECEIVE_COUNT } from '#lib/constructs/run-queue';
import { API_THROTTLE, PROJECT_ROOT } from '#lib/stack';
import { functionsById, resources, synthesise, TEST_SETTINGS, type Synthesised } from './synth.js';

let s: Synthesised;
beforeAll(() => {
  s = synthesise();
});

const PUBLIC_ROUTE_KEYS = ['GET /health', 'GET /openapi.json'];

describe('HTTP API', () => {
  it('has every route of the route table, all behind the Cognito JWT authorizer except /health and /openapi.json', () => {
    const routes = resources(s.template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties!);
    const [authorizerId] = resources(s.template, 'AWS::ApiGatewayV2::Authorizer').map(([id]) => id);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const r of routes) {
      if (PUBLIC_ROUTE_KEYS.includes(r.RouteKey)) {
        expect(r.AuthorizationType, r.RouteKey).toBe('NONE');
        expect(r.AuthorizerId, r.RouteKey).toBeUndefined();
      } else {
        expect(r.AuthorizationType, r.RouteKey).toBe('JWT');
        expect(r.AuthorizerId, r.RouteKey).toEqual({ Ref: authorizerId });
      }
    }
    expect(
      ROUTES.filter((r) => r.roles === 'public')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(PUBLIC_ROUTE_KEYS);
  });

  it('authorizes with tokens from the stack user pool and its app client', () => {
    const [poolId] = resources(s.template, 'AWS::Cognito::UserPool').map(([id]) => id);
    const [clientId] = resources(s.template, 'AWS::Cognito::UserPoolClient').map(([id]) => id);
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: clientId }],
        Issuer: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('cognito-idp'), { Ref: poolId }])] },
      },
    });
  });

  it('throttles, writes access logs and allows CORS from the dashboard origin only', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: API_THROTTLE.rateLimit,
        ThrottlingBurstLimit: API_THROTTLE.burstLimit,
      },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context.requestId') },
    });
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowOrigins: [TEST_SETTINGS.dashboardOrigin],
        AllowHeaders: Match.arrayWith(['authorization', 'idempotency-key']),
      }),
    });
  });
});

describe('functions', () => {
  it('run every handler on Node.js 22, arm64, with the memory and timeout the route table gives', () => {
    const fns = functionsById(s.template);
    for (const def of [...ROUTES, ...WORKERS]) {
      const props = fns.get(def.id)?.[1].Properties;
      expect(props, def.id).toBeDefined();
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: def.memoryMb,
        Timeout: def.timeoutSeconds,
        Handler: 'index.handler',
      });
    }
  });

  it('are bundled with the same esbuild settings the size report uses (ESM, minified, node22, SDK included)', () => {
    const report = esbuildOptions('entry.ts', 'out.mjs');
    const stack = nodejsBundling();
    expect(report).toMatchObject({
      format: 'esm',
      minify: true,
      target: 'node22',
      sourcemap: true,
      sourcesContent: false,
      platform: 'node',
      bundle: true,
    });
    expect(stack).toMatchObject({
      format: 'esm',
      minify: true,
      sourceMap: true,
      sourcesContent: false,
      bundleAwsSDK: true,
      forceDockerBundling: false,
    });
    expect(stack.target).toBe(report.target);
    expect(stack.mainFields).toEqual(report.mainFields);
    expect(stack.banner).toBe((report.banner as { js: string }).js);
    // no externals: the bundle must be complete, there are no node_modules on Lambda
    expect(stack.externalModules).toBeUndefined();
    expect(report.external).toBeUndefined();
  });

  it('get the table name and stage everywhere, and the queue URL only where the route table says they enqueue', () => {
    const fns = functionsById(s.template);
    const [saltId, cursorId] = [secretId('DataSalt'), secretId('CursorKey')];
    for (const def of [...ROUTES, ...WORKERS]) {
      const env = fns.get(def.id)![1].Properties!.Environment.Variables as Record<string, unknown>;
      expect(env.STAGE, def.id).toBe('test');
      expect(env.TABLE_NAME, def.id).toEqual({ Ref: expect.stringMatching(/^DataTable/) });
      expect(env.MAX_RECEIVES, def.id).toBe(String(MAX_RECEIVE_COUNT));
      // no salt or cursor key in any environment: only the ARN of the secret, where the route table says it is needed
      expect(env.DATA_SALT, def.id).toBeUndefined();
      expect(env.CURSOR_SECRET, def.id).toBeUndefined();
      expect(env.DATA_SALT_SECRET_ARN, def.id).toEqual(def.access.dataSalt ? { Ref: saltId } : undefined);
      expect(env.CURSOR_SECRET_ARN, def.id).toEqual(def.access.cursors ? { Ref: cursorId } : undefined);
      expect('QUEUE_URL' in env, def.id).toBe(def.access.queue === true);
      // whoever queues a job may fan a large one out instead (functions/jobs/dispatch.ts)
      expect('SHARD_STATE_MACHINE_ARN' in env, def.id).toBe(def.access.queue === true);
      // the local runtime's emulator endpoint must never reach AWS
      expect(env.DYNAMODB_ENDPOINT, def.id).toBeUndefined();
    }
  });

  describe('environment', () => {
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
      resetConfig();
    });

    it("passes the handlers' own config schema (functions/config.ts) for every function", () => {
      const fns = functionsById(s.template);
      for (const def of [...ROUTES, ...WORKERS]) {
        const env = fns.get(def.id)![1].Properties!.Environment.Variables as Record<string, unknown>;
        // CloudFormation fills tokens at deploy time: stand in plausible values of the same kind
        const resolved = Object.fromEntries(
          Object.entries(env).map(([k, v]) => [
            k,
            typeof v === 'string'
              ? v
              : k === 'QUEUE_URL'
                ? 'https://sqs.eu-west-2.amazonaws.com/123456789012/runs'
                : k === 'SHARD_STATE_MACHINE_ARN'
                  ? 'arn:aws:states:eu-west-2:123456789012:stateMachine:shards'
                  : k.endsWith('_SECRET_ARN')
                    ? `arn:aws:secretsmanager:eu-west-2:123456789012:secret:${k}-AbCdEf`
                    : `${k.toLowerCase()}-from-cloudformation`,
          ]),
        );
        process.env = { AWS_REGION: 'eu-west-2', ...resolved };
        resetConfig();
        const c = config();
        expect(c.STAGE, def.id).toBe('test');
        expect(c.TABLE_NAME, def.id).toBe('table_name-from-cloudformation');
        expect(c.MAX_RECEIVES, def.id).toBe(MAX_RECEIVE_COUNT);
        expect(c.DYNAMODB_ENDPOINT, def.id).toBeUndefined();
        // never the repository's default salt on AWS: no salt until the secret is read (functions/config.ts#loadKeys)
        expect(c.DATA_SALT, def.id).toBeUndefined();
        expect(() => dataSalt(), def.id).toThrow(
          def.access.dataSalt ? 'DATA_SALT_SECRET_ARN is set but its secret has not been read' : 'has no salt',
        );
        if (def.access.cursors)
          expect(() => cursorSecret(), def.id).toThrow('CURSOR_SECRET_ARN is set but its secret has not been read');
      }
    });
  });

  it('log to their own log group with a retention period', () => {
    const fns = functionsById(s.template);
    const groups = new Map(resources(s.template, 'AWS::Logs::LogGroup'));
    for (const [id, [, fn]] of fns) {
      const groupId = fn.Properties!.LoggingConfig.LogGroup.Ref as string;
      expect(groups.get(groupId)?.Properties?.RetentionInDays, id).toBe(TEST_SETTINGS.logRetentionDays);
    }
    for (const [id, group] of groups) expect(group.Properties?.RetentionInDays, id).toBeGreaterThan(0);
  });
});

/** The logical id of one of the stack's secrets (DataSalt, CursorKey). */
function secretId(name: string): string {
  const ids = resources(s.template, 'AWS::SecretsManager::Secret')
    .map(([id]) => id)
    .filter((id) => id.startsWith(name));
  expect(ids, name).toHaveLength(1);
  return ids[0] as string;
}

describe('keys kept apart from the data', () => {
  it('are two secrets Secrets Manager generates: the data salt (kept with the table) and the cursor key', () => {
    const secrets = new Map(resources(s.template, 'AWS::SecretsManager::Secret'));
    expect(secrets.size).toBe(2);
    for (const name of ['DataSalt', 'CursorKey']) {
      const secret = secrets.get(secretId(name))!;
      // generated at the first deploy: the value is in no template, repository or environment
      expect(secret.Properties?.SecretString, name).toBeUndefined();
      expect(secret.Properties?.GenerateSecretString, name).toEqual({
        PasswordLength: 64,
        ExcludePunctuation: true,
        IncludeSpace: false,
      });
    }
    // the salt outlives the stack as the table does: the stored child keys were made with it
    expect(secrets.get(secretId('DataSalt'))!.DeletionPolicy).toBe('Retain');
    expect(secrets.get(secretId('DataSalt'))!.UpdateReplacePolicy).toBe('Retain');
    expect(secrets.get(secretId('CursorKey'))!.DeletionPolicy).toBe('Delete');
  });

  it('are read by the one function that hashes child ids and the list routes that hand out cursors', () => {
    expect(
      [...ROUTES, ...WORKERS]
        .filter((d) => d.access.dataSalt)
        .map((d) => d.id)
        .sort(),
    ).toEqual(['CreateDataset']);
    expect(
      [...ROUTES, ...WORKERS]
        .filter((d) => d.access.cursors)
        .map((d) => d.id)
        .sort(),
    ).toEqual([
      'ListComparisons',
      'ListCouncils',
      'ListDatasets',
      'ListForecasts',
      'ListRegionalForecasts',
      'ListRegions',
      'ListScenarios',
      'ListTargets',
    ]);
  });

  it('appear nowhere in the template but as the secrets themselves and references to them', () => {
    const text = JSON.stringify(s.template.toJSON());
    expect(text).not.toContain('placement-forecast-default-salt');
    expect(text).not.toContain('"DATA_SALT"');
    expect(text).not.toContain('"CURSOR_SECRET"');
    expect(text).not.toContain('AWS::StackId');
  });
});

describe('table', () => {
  it('is on demand with point-in-time recovery, a customer-managed rotating KMS key, deletion protection and RETAIN', () => {
    const [[, table]] = resources(s.template, 'AWS::DynamoDB::GlobalTable') as [[string, any]];
    const [[keyId, key]] = resources(s.template, 'AWS::KMS::Key') as [[string, any]];
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(key.DeletionPolicy).toBe('Retain');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byKind',
          KeySchema: [
            { AttributeName: 'kind', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
        },
      ],
    });
    const [replica] = table.Properties.Replicas;
    expect(replica).toMatchObject({
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    });
  });

  it('uses the key names the store uses (functions/store/table.ts)', () => {
    expect([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey]).toEqual([STORE_KEY.partition, STORE_KEY.sort]);
    expect([BY_KIND_INDEX.name, BY_KIND_INDEX.partitionKey, BY_KIND_INDEX.sortKey]).toEqual([
      STORE_INDEX.name,
      STORE_INDEX.partition,
      STORE_INDEX.sort,
    ]);
  });
});

describe('run queue', () => {
  it('redrives to a dead-letter queue after two receives, both queues encrypted and TLS-only', () => {
    const queues = resources(s.template, 'AWS::SQS::Queue');
    const main = queues.find(([, q]) => q.Properties?.RedrivePolicy);
    const dlq = queues.find(([, q]) => !q.Properties?.RedrivePolicy);
    expect(main?.[1].Properties?.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlq?.[0], 'Arn'] },
      maxReceiveCount: 2,
    });
    for (const [, q] of queues) expect(q.Properties?.SqsManagedSseEnabled).toBe(true);
    expect(resources(s.template, 'AWS::SQS::QueuePolicy')).toHaveLength(2);
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const runner = WORKERS.find((w) => w.trigger === 'queue')!;
    expect(main?.[1].Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(runner.timeoutSeconds);
  });

  it('feeds the scenario runner, and the dead-letter consumer from the dead-letter queue, with partial batch failure reporting', () => {
    const [runnerId] = functionsById(s.template).get('ScenarioRunner')!;
    const [deadLettersId] = functionsById(s.template).get('DeadLetters')!;
    const queues = resources(s.template, 'AWS::SQS::Queue');
    const queueId = queues.find(([, q]) => q.Properties?.RedrivePolicy)![0];
    const dlqId = queues.find(([id]) => id !== queueId)![0];
    s.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: runnerId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: deadLettersId },
      EventSourceArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('schedule', () => {
  it('runs the monthly forecast at 06:00 UTC on the 1st of each month', () => {
    const [fnId] = functionsById(s.template).get('MonthlyForecast')!;
    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 6 1 * ? *)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } })],
    });
  });

  it('sweeps stalled jobs every hour (functions/jobs/stalled.ts)', () => {
    const [fnId] = functionsById(s.template).get('StalledJobs')!;
    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } })],
    });
  });
});

describe('alarms', () => {
  const alarmsOn = (metric: string, dimension: string, ref: unknown) =>
    resources(s.template, 'AWS::CloudWatch::Alarm').filter(
      ([, a]) =>
        a.Properties?.MetricName === metric &&
        JSON.stringify(a.Properties?.Dimensions) === JSON.stringify([{ Name: dimension, Value: ref }]),
    );

  it('alarm on errors and throttles of every function, each above zero in five minutes and notifying the topic', () => {
    const [topicId] = resources(s.template, 'AWS::SNS::Topic').map(([id]) => id);
    for (const [id, [fnId]] of functionsById(s.template)) {
      for (const metric of ['Errors', 'Throttles']) {
        const found = alarmsOn(metric, 'FunctionName', { Ref: fnId });
        expect(found, `${id} ${metric}`).toHaveLength(1);
        expect(found[0]![1].Properties).toMatchObject({
          Namespace: 'AWS/Lambda',
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          Period: 300,
          AlarmActions: [{ Ref: topicId }],
        });
      }
    }
  });

  it('alarm when anything reaches the dead-letter queue and on any API 5xx', () => {
    const dlqId = resources(s.template, 'AWS::SQS::Queue').find(([, q]) => !q.Properties?.RedrivePolicy)![0];
    const [apiId] = resources(s.template, 'AWS::ApiGatewayV2::Api').map(([id]) => id);
    // the dead-letter consumer takes each message at once: the alarm counts receipts
    const dlq = alarmsOn('NumberOfMessagesReceived', 'QueueName', { 'Fn::GetAtt': [dlqId, 'QueueName'] });
    expect(dlq).toHaveLength(1);
    expect(dlq[0]![1].Properties).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Statistic: 'Sum',
    });
    const api = alarmsOn('5xx', 'ApiId', { Ref: apiId });
    expect(api).toHaveLength(1);
    expect(api[0]![1].Properties).toMatchObject({ Namespace: 'AWS/ApiGateway', Threshold: 0, Statistic: 'Sum' });
    // two per function, plus the dead-letter and 5xx alarms
    s.template.resourceCountIs('AWS::CloudWatch::Alarm', 2 * (ROUTES.length + WORKERS.length) + 2);
  });
});

describe('sign-in', () => {
  it('creates a user pool with the four role groups, no self sign-up, MFA and the Plus feature plan', () => {
    const groups = resources(s.template, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties?.GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      UserPoolTier: 'PLUS',
    });
  });

  it('uses an existing user pool when one is given, creating no pool and no groups', () => {
    // a pool in another region than the stack: the issuer must name the pool's region
    const existing = synthesise({ existingUserPoolId: 'eu-west-1_AbCdEf123' });
    existing.template.resourceCountIs('AWS::Cognito::UserPool', 0);
    existing.template.resourceCountIs('AWS::Cognito::UserPoolGroup', 0);
    existing.template.hasResourceProperties('AWS::Cognito::UserPoolClient', { UserPoolId: 'eu-west-1_AbCdEf123' });
    existing.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123' },
    });
  });
});

describe('dashboard hosting', () => {
  it('serves web/ from a private bucket through CloudFront and sends the API paths to the API', () => {
    const [[, dist]] = resources(s.template, 'AWS::CloudFront::Distribution') as [[string, any]];
    const config = dist.Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    const patterns = (config.CacheBehaviors as { PathPattern: string }[]).map((b) => b.PathPattern).sort();
    expect(patterns).toEqual([
      '/comparisons*',
      '/councils*',
      '/datasets*',
      '/forecasts*',
      '/health*',
      '/openapi.json*',
      '/regional-forecasts*',
      '/regions*',
      '/scenarios*',
      '/targets*',
    ]);
    expect(patterns).toEqual(apiPathPatterns(ROUTES.map((r) => r.path)));
    s.template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    // a dashboard file whose name starts like an API path would be sent to the API instead of S3
    const webFiles = readdirSync(join(PROJECT_ROOT, 'web'), { recursive: true }).map((f) => `/${String(f)}`);
    expect(webFiles).toContain('/index.html');
    for (const f of webFiles)
      for (const p of patterns) expect(f.startsWith(p.slice(0, -1)), `${f} is shadowed by ${p}`).toBe(false);
    for (const [, bucket] of resources(s.template, 'AWS::S3::Bucket')) {
      expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });
});
