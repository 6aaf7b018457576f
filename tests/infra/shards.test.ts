/**
 * The shard state machine: a Distributed Map of the shard function over the job's shards, then the merge
 * function, with retries, a concurrency limit, a catch that marks the job failed, execution history in logs and
 * X-Ray, and the right to start it only for the handlers that queue jobs (see iam.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKERS } from '#functions/routes';
import { SHARD_JOB_TIMEOUT, SHARD_MAP_CONCURRENCY, SHARD_RETRIES } from '#lib/constructs/shard-state-machine';
import { AWS_MAX_SHARDS } from '#models/shards';
import { actionsOf, functionsById, resources, statementsOfRole, synthesise, type Synthesised } from './synth.js';

let s: Synthesised;
// biome-ignore lint/suspicious/noExplicitAny: the parsed Amazon States Language document
let definition: any;
let machine: Record<string, any>;
let machineId: string;

/** The definition with each CloudFormation token replaced by "<logical id>", parsed. */
function parseDefinition(def: unknown): unknown {
  if (typeof def === 'string') return JSON.parse(def);
  const parts = (def as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const text = parts
    .map((p) => (typeof p === 'string' ? p : `<${Object.values(p as Record<string, unknown[]>)[0]![0]}>`))
    .join('');
  return JSON.parse(text);
}

beforeAll(() => {
  s = synthesise();
  const machines = resources(s.template, 'AWS::StepFunctions::StateMachine');
  expect(machines).toHaveLength(1);
  machineId = machines[0]![0];
  machine = machines[0]![1].Properties!;
  definition = parseDefinition(machine.DefinitionString);
});

const fnLogicalId = (id: string): string => {
  const fn = functionsById(s.template).get(id);
  if (!fn) throw new Error(`no function ${id}`);
  return fn[0];
};

describe('shard state machine', () => {
  it('runs the shard function over $.shards in a Distributed Map of standard child executions, at most 200 at once', () => {
    expect(definition.StartAt).toBe('Shards');
    const map = definition.States.Shards;
    expect(map.Type).toBe('Map');
    expect(map.ItemsPath).toBe('$.shards');
    expect(map.ItemSelector).toEqual({ 'kind.$': '$.kind', 'id.$': '$.id', 'shard.$': '$$.Map.Item.Value' });
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.MaxConcurrency).toBe(SHARD_MAP_CONCURRENCY);
    // the planner never makes more shards than run at once, so all shards of a job run together
    expect(SHARD_MAP_CONCURRENCY).toBe(AWS_MAX_SHARDS);
    // no tolerated failures: a lost shard would be a lost share of the runs
    expect(map.ToleratedFailurePercentage ?? 0).toBe(0);
    expect(map.ToleratedFailureCount ?? 0).toBe(0);
    // the shards' summaries go to the table, never through the execution's state
    expect(map.ResultPath).toBeNull();
    const step = map.ItemProcessor.States[map.ItemProcessor.StartAt];
    expect(step.Type).toBe('Task');
    expect(step.Resource).toBe(`<${fnLogicalId('ShardRunner')}>`);
    expect(step.ResultPath).toBeNull();
    expect(step.TimeoutSeconds).toBe(WORKERS.find((w) => w.id === 'ShardRunner')!.timeoutSeconds);
  });

  it('retries a crashed, timed-out or throttled shard and merge, with backoff and jitter', () => {
    for (const step of [definition.States.Shards.ItemProcessor.States.RunShard, definition.States.Merge]) {
      const policy = step.Retry.find((r: { ErrorEquals: string[] }) => r.ErrorEquals.includes('States.TaskFailed'));
      expect(policy).toMatchObject({
        ErrorEquals: expect.arrayContaining(['States.TaskFailed', 'States.Timeout', 'Lambda.TooManyRequestsException']),
        MaxAttempts: SHARD_RETRIES,
        BackoffRate: 2,
        JitterStrategy: 'FULL',
      });
      expect(step.Retry.some((r: { ErrorEquals: string[] }) => r.ErrorEquals.includes('Lambda.ServiceException'))).toBe(
        true,
      );
    }
  });

  it('merges once after every shard, then succeeds; a failed map or merge marks the job failed, then fails', () => {
    const { Shards, Merge, MarkFailed, JobFailed, Done } = definition.States;
    expect(Shards.Next).toBe('Merge');
    expect(Merge.Resource).toBe(`<${fnLogicalId('ShardMerge')}>`);
    expect(Merge.Parameters).toEqual({ action: 'merge', 'kind.$': '$.kind', 'id.$': '$.id', 'of.$': '$.of' });
    expect(Merge.Next).toBe('Done');
    expect(Done.Type).toBe('Succeed');
    for (const step of [Shards, Merge])
      expect(step.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'MarkFailed' }]);
    expect(MarkFailed.Resource).toBe(`<${fnLogicalId('ShardMerge')}>`);
    expect(MarkFailed.Parameters).toEqual({
      action: 'fail',
      'kind.$': '$.kind',
      'id.$': '$.id',
      'error.$': '$.failure.Error',
    });
    expect(MarkFailed.Next).toBe('JobFailed');
    expect(JobFailed.Type).toBe('Fail');
    expect(definition.TimeoutSeconds).toBe(SHARD_JOB_TIMEOUT.toSeconds());
  });

  it('fails the job of an execution that ends without MarkFailed (its timeout, a stop, MarkFailed failing)', () => {
    const rules = resources(s.template, 'AWS::Events::Rule').filter(([, r]) =>
      JSON.stringify(r.Properties?.EventPattern ?? {}).includes('aws.states'),
    );
    expect(rules).toHaveLength(1);
    const [ruleId, rule] = rules[0]!;
    expect(rule.Properties!.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: machineId }] },
    });
    const merge = fnLogicalId('ShardMerge');
    expect(rule.Properties!.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [merge, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 6 * 3600 },
      }),
    ]);
    // EventBridge may invoke the merge function, from this rule only
    const allowed = resources(s.template, 'AWS::Lambda::Permission').filter(
      ([, p]) =>
        p.Properties?.Principal === 'events.amazonaws.com' &&
        JSON.stringify(p.Properties?.FunctionName).includes(merge),
    );
    expect(allowed.map(([, p]) => p.Properties!.SourceArn)).toEqual([{ 'Fn::GetAtt': [ruleId, 'Arn'] }]);
  });

  it('is a standard state machine that logs every event (without execution data) and traces with X-Ray', () => {
    expect(machine.StateMachineType).toBe('STANDARD');
    expect(machine.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    const groupId = machine.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    expect(resources(s.template, 'AWS::Logs::LogGroup').map(([id]) => id)).toContain(groupId);
  });

  it('may invoke the shard and merge functions and nothing else of Lambda', () => {
    const roleId = (machine.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const invokes = statementsOfRole(s.template, roleId).filter((st) =>
      actionsOf(st).includes('lambda:InvokeFunction'),
    );
    const targets = new Set(
      invokes.flatMap((st) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource])).map((r) => JSON.stringify(r)),
    );
    const allowed = [fnLogicalId('ShardRunner'), fnLogicalId('ShardMerge')];
    expect(targets.size).toBeGreaterThan(0);
    for (const t of targets)
      expect(
        allowed.some((id) => t.includes(`"${id}"`)),
        t,
      ).toBe(true);
  });

  it('gives the shard and merge functions the table and nothing to queue', () => {
    for (const id of ['ShardRunner', 'ShardMerge']) {
      const def = WORKERS.find((w) => w.id === id)!;
      expect(def).toMatchObject({ trigger: 'state-machine', access: { table: 'write' } });
      expect(def.access.queue).toBeUndefined();
    }
  });
});
