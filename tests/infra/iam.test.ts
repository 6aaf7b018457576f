import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, WORKERS } from '#functions/routes';
import { TABLE_WRITE_ACTIONS } from '#lib/constructs/data-table';
import {
  actionsOf,
  functionsById,
  resources,
  resourcesOf,
  statementsOfRole,
  synthesise,
  type Synthesised,
} from './synth.js';

let s: Synthesised;
beforeAll(() => {
  s = synthesise();
});

const roleOf = (id: string): string => {
  const fn = functionsById(s.template).get(id);
  if (!fn) throw new Error(`no function for ${id}`);
  return (fn[1].Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
};

/** Actions that change data, anywhere: the table, its key, the queue. */
const WRITE_ACTIONS = [
  ...TABLE_WRITE_ACTIONS,
  'dynamodb:ConditionCheckItem',
  'dynamodb:Transact',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:ReEncrypt',
  'sqs:SendMessage',
];

describe('least privilege', () => {
  it('grants no wildcard action or resource to any handler function', () => {
    for (const def of [...ROUTES, ...WORKERS]) {
      for (const statement of statementsOfRole(s.template, roleOf(def.id))) {
        expect(statement.Effect).toBe('Allow');
        for (const action of actionsOf(statement)) expect(action, `${def.id} action ${action}`).not.toContain('*');
        for (const resource of resourcesOf(statement))
          expect(resource, `${def.id} resource ${resource}`).not.toContain('*');
      }
    }
  });

  it("touches only the table, its key, the run queue, the shard state machine, the stack's secrets and the function's own log group", () => {
    const allowedServices = ['dynamodb', 'kms', 'sqs', 'states', 'logs', 'secretsmanager'];
    for (const def of [...ROUTES, ...WORKERS]) {
      const services = statementsOfRole(s.template, roleOf(def.id)).flatMap((st) =>
        actionsOf(st).map((a) => a.split(':')[0]),
      );
      for (const service of services) expect(allowedServices, def.id).toContain(service);
    }
  });

  it('gives read-only handlers no write action on the table, the key or the queue', () => {
    const readOnly = [...ROUTES, ...WORKERS].filter((d) => d.access.table !== 'write' && !d.access.queue);
    expect(readOnly.length).toBeGreaterThan(5);
    for (const def of readOnly) {
      const actions = statementsOfRole(s.template, roleOf(def.id)).flatMap(actionsOf);
      for (const write of WRITE_ACTIONS)
        expect(
          actions.filter((a) => a.startsWith(write)),
          `${def.id} has ${write}`,
        ).toEqual([]);
      if (def.access.table === 'read')
        expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'kms:Decrypt']));
      if (def.access.table === 'none')
        expect(actions.filter((a) => a.startsWith('dynamodb:') || a.startsWith('kms:'))).toEqual([]);
    }
  });

  it('lets only the handlers that enqueue runs send to the queue, and only the runner (and the dead-letter consumer, from its queue) receive', () => {
    const queues = resources(s.template, 'AWS::SQS::Queue');
    const mainId = queues.find(([, q]) => q.Properties?.RedrivePolicy)![0];
    const dlqId = queues.find(([id]) => id !== mainId)![0];
    for (const def of [...ROUTES, ...WORKERS]) {
      const statements = statementsOfRole(s.template, roleOf(def.id));
      const actions = statements.flatMap(actionsOf);
      expect(actions.includes('sqs:SendMessage'), def.id).toBe(def.access.queue === true);
      const receives = 'trigger' in def && (def.trigger === 'queue' || def.trigger === 'dead-letter');
      expect(actions.includes('sqs:ReceiveMessage'), def.id).toBe(receives);
      if (!receives) continue;
      const from = statements.filter((st) => actionsOf(st).includes('sqs:ReceiveMessage')).flatMap(resourcesOf);
      const queueId = def.trigger === 'queue' ? mainId : dlqId;
      expect(from, def.id).toEqual([JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] })]);
    }
  });

  it('lets only the handlers that enqueue runs start the shard state machine, and nothing else of Step Functions', () => {
    const [machineId] = resources(s.template, 'AWS::StepFunctions::StateMachine').map(([id]) => id);
    for (const def of [...ROUTES, ...WORKERS]) {
      const statements = statementsOfRole(s.template, roleOf(def.id)).filter((st) =>
        actionsOf(st).some((a) => a.startsWith('states:')),
      );
      if (def.access.queue !== true) {
        expect(statements, def.id).toEqual([]);
        continue;
      }
      expect(statements.flatMap(actionsOf), def.id).toEqual(['states:StartExecution']);
      expect(statements.flatMap(resourcesOf), def.id).toEqual([JSON.stringify({ Ref: machineId })]);
    }
  });

  it('lets only the function that hashes child ids read the data salt, and only the list routes the cursor key: GetSecretValue on that one secret', () => {
    const secretIds = resources(s.template, 'AWS::SecretsManager::Secret').map(([id]) => id);
    const saltId = secretIds.find((id) => id.startsWith('DataSalt'))!;
    const cursorId = secretIds.find((id) => id.startsWith('CursorKey'))!;
    expect(saltId).toBeDefined();
    expect(cursorId).toBeDefined();
    const readers = new Map<string, string[]>([
      [saltId, []],
      [cursorId, []],
    ]);
    for (const def of [...ROUTES, ...WORKERS]) {
      const statements = statementsOfRole(s.template, roleOf(def.id)).filter((st) =>
        actionsOf(st).some((a) => a.startsWith('secretsmanager:')),
      );
      const expected = [...(def.access.dataSalt ? [saltId] : []), ...(def.access.cursors ? [cursorId] : [])];
      expect(statements, def.id).toHaveLength(expected.length);
      for (const st of statements) {
        expect(actionsOf(st), def.id).toEqual(['secretsmanager:GetSecretValue']);
        const [resource] = [st.Resource].flat() as { Ref: string }[];
        expect([st.Resource].flat(), def.id).toHaveLength(1);
        readers.get(resource!.Ref)?.push(def.id);
      }
      expect(
        statements.map((st) => (st.Resource as { Ref: string }).Ref),
        def.id,
      ).toEqual(expected);
    }
    expect(readers.get(saltId)).toEqual(['CreateDataset']);
    expect(readers.get(cursorId)?.sort()).toEqual(
      ROUTES.filter((r) => r.access.cursors)
        .map((r) => r.id)
        .sort(),
    );
    // and no other role of the stack (CDK's own helper functions, the state machine, the authorizer) reads them
    const anyReader = resources(s.template, 'AWS::IAM::Policy').filter(([, p]) =>
      JSON.stringify(p.Properties?.PolicyDocument).includes('secretsmanager:'),
    );
    expect(anyReader).toHaveLength(readers.get(saltId)!.length + readers.get(cursorId)!.length);
  });

  it('writes to the table itself, never through the index', () => {
    for (const def of [...ROUTES, ...WORKERS].filter((d) => d.access.table === 'write')) {
      const writes = statementsOfRole(s.template, roleOf(def.id)).filter((st) =>
        actionsOf(st).includes('dynamodb:PutItem'),
      );
      expect(writes, def.id).toHaveLength(1);
      expect(resourcesOf(writes[0]!), def.id).toEqual([
        expect.stringMatching(/^\{"Fn::GetAtt":\["DataTable[0-9A-F]+","Arn"\]\}$/),
      ]);
    }
  });
});
