/**
 * The SQS runner as Lambda calls it: partial batch failures, no retry for bad input, a retry for what a retry may
 * cure, and on the last delivery (or near Lambda's timeout) the record marked failed rather than left running.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import type { Context, ScheduledEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { ingestRecords } from '#models/ingest/records';
import { handler as monthly } from '#functions/jobs/monthly-forecast';
import { history, recordsAt } from './records-fixture.js';
import { readFileSync } from 'node:fs';
import { parseScenario } from '#models/scenario';
import { simulate } from '#models/engine';
import { resetConfig } from '#functions/config';
import { handler } from '#functions/jobs/scenario-runner';
import { handler as deadLetters } from '#functions/jobs/dead-letters';
import { DynamoStore, makeDynamoClient } from '#functions/store/dynamo';
import { setStore } from '#functions/store/index';
import { setQueue, type JobMessage } from '#functions/queue/index';
import { saveDataset } from '#functions/records/dataset';
import { scopedStore } from '#functions/tenancy';
import { KIND } from '#functions/records/kinds';
import type { ScenarioSummary } from '#functions/records/scenario';
import { createTableInput } from '#functions/store/table';
import { freePort, startDynalite, type Emulator } from './emulators.js';

const BASE = JSON.parse(
  readFileSync(new URL('../../data/scenarios/peterborough-2018.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

function sqs(bodies: Array<{ id: string; body: string; receiveCount?: number }>): SQSEvent {
  return {
    Records: bodies.map(
      (b) =>
        ({
          messageId: b.id,
          receiptHandle: b.id,
          body: b.body,
          attributes: { ApproximateReceiveCount: String(b.receiveCount ?? 1) },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:eu-west-2:000000000000:runs',
          awsRegion: 'eu-west-2',
        }) as unknown as SQSRecord,
    ),
  };
}

const context = (remainingMs = 900_000) =>
  ({ awsRequestId: 'test', getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;

describe('the scenario runner (SQS → Lambda)', () => {
  let emulator: Emulator;
  let store: DynamoStore;

  async function queued(id: string, scenario: unknown): Promise<void> {
    await store.create<ScenarioSummary>(
      {
        kind: KIND.scenario,
        id,
        createdAt: new Date().toISOString(),
        summary: { name: id, status: 'queued', progress: 0, runs: 1, horizonMonths: 1, start: '2018-04' },
      },
      { scenario },
    );
  }
  const status = async (id: string) => (await store.get<ScenarioSummary>(KIND.scenario, id))?.summary;

  beforeAll(async () => {
    emulator = await startDynalite();
    const client = makeDynamoClient({ endpoint: emulator.endpoint });
    await client.send(new CreateTableCommand(createTableInput('runner-test')));
    client.destroy();
    process.env.TABLE_NAME = 'runner-test';
    resetConfig();
    store = new DynamoStore({ tableName: 'runner-test', endpoint: emulator.endpoint });
  });
  beforeEach(() => setStore(store));
  afterAll(async () => {
    setStore(undefined);
    await emulator?.stop();
  });

  it('records progress between engine steps on Lambda, and the stepped result equals one simulate call', async () => {
    const sc = parseScenario({ ...BASE, runs: 200 });
    if (!sc.ok) throw new Error('fixture invalid');
    await queued('stepped', sc.value);
    // watch the progress the runner writes while the job runs
    const seen: number[] = [];
    const update = store.update.bind(store);
    store.update = (async (...args: Parameters<typeof store.update>) => {
      const summary = (args[2] as { summary?: Partial<ScenarioSummary> }).summary;
      if (summary?.progress !== undefined) seen.push(summary.progress);
      return update(...args);
    }) as typeof store.update;
    try {
      const out = await handler(
        sqs([{ id: 'p1', body: JSON.stringify({ kind: 'scenario', id: 'stepped' }) }]),
        context(),
      );
      expect(out.batchItemFailures).toEqual([]);
    } finally {
      store.update = update;
    }
    const between = seen.filter((p) => p > 0 && p < 100);
    expect(between.length).toBeGreaterThanOrEqual(10); // steps of 5%: 5, 10, …, 95
    expect(between).toEqual([...between].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(100);
    const stored = await store.get<ScenarioSummary>(KIND.scenario, 'stepped');
    const result = await store.readBlob<{ population: { total: { mean: number[] } } }>(stored!, 'result');
    expect(result!.population.total.mean).toEqual(simulate(sc.value).population.total.mean);
  });

  it('runs a queued scenario, drops a malformed message, and fails bad input without a retry', async () => {
    const good = parseScenario({ ...BASE, runs: 20 });
    if (!good.ok) throw new Error('fixture invalid');
    await queued('ok', good.value);
    await queued('bad', { ...good.value, runs: -1 });
    const out = await handler(
      sqs([
        { id: 'm1', body: JSON.stringify({ kind: 'scenario', id: 'ok' }) },
        { id: 'm2', body: 'not json' },
        { id: 'm3', body: JSON.stringify({ kind: 'scenario', id: 'bad' }) },
      ]),
      context(),
    );
    expect(out.batchItemFailures).toEqual([]);
    expect(await status('ok')).toMatchObject({ status: 'complete', progress: 100 });
    const bad = await status('bad');
    expect(bad?.status).toBe('failed');
    expect(bad?.reason).toMatch(/^invalid scenario: runs: /);
  });

  it('asks for a retry when the store is unreachable, until the last delivery', async () => {
    const nowhere = new DynamoStore({ tableName: 'runner-test', endpoint: `http://127.0.0.1:${await freePort()}` });
    setStore(nowhere);
    const first = await handler(
      sqs([{ id: 'm4', body: JSON.stringify({ kind: 'scenario', id: 'any' }), receiveCount: 1 }]),
      context(),
    );
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm4' }]);
    // last delivery: the failure cannot be recorded either, so the message goes on to the dead-letter queue
    const last = await handler(
      sqs([{ id: 'm5', body: JSON.stringify({ kind: 'scenario', id: 'any' }), receiveCount: 2 }]),
      context(),
    );
    expect(last.batchItemFailures).toEqual([{ itemIdentifier: 'm5' }]);
  });

  it('marks a run failed when Lambda is about to time out', async () => {
    const s = parseScenario({ ...BASE, runs: 50 });
    if (!s.ok) throw new Error('fixture invalid');
    await queued('slow', s.value);
    const out = await handler(
      sqs([{ id: 'm6', body: JSON.stringify({ kind: 'scenario', id: 'slow' }) }]),
      context(10_000),
    );
    expect(out.batchItemFailures).toEqual([]);
    expect(await status('slow')).toMatchObject({
      status: 'failed',
      reason: 'timed out: the run needs more time than the runner has',
    });
  });

  it('runs the monthly forecast on its schedule once per month', async () => {
    const ingested = ingestRecords(recordsAt(history(30, 2), '2016-03-31'), {
      mode: 'strict',
      salt: 'test-salt-2',
      referenceYear: 2026,
    });
    if (!ingested.ok) throw new Error('fixture invalid');
    // the council's dataset, as an upload with its token makes it: the schedule forecasts each council in its tenant
    const own = scopedStore(store, { tenant: { council: 'E06000031' } });
    await saveDataset(own, ingested.dataset, {
      id: 'ds_1',
      format: 'records',
      mode: 'strict',
      contentHash: 'h',
      council: 'E06000031',
      createdAt: new Date().toISOString(),
    });
    const event = {
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      time: '2026-12-01T06:00:00Z',
      detail: {},
    } as unknown as ScheduledEvent;
    // the schedule opens each council's month and queues its job; it runs nothing itself
    const sent: JobMessage[] = [];
    setQueue({ send: async (m) => void sent.push(m) });
    const once = { council: 'E06000031', month: '2026-12', status: 'queued' };
    expect(await monthly(event, context())).toEqual({ councils: [{ ...once, created: true }] });
    expect(await monthly(event, context())).toEqual({ councils: [{ ...once, created: false }] });
    expect(sent).toEqual([{ kind: 'monthly-forecast', id: '2026-12', council: 'E06000031' }]);
    // the runner runs the job as it runs any other: the month's baseline, complete
    const out = await handler(sqs([{ id: 'mf', body: JSON.stringify(sent[0]) }]), context());
    expect(out.batchItemFailures).toEqual([]);
    const stored = await own.get<{ start: string; datasetId: string; status: string }>('forecast', '2026-12');
    expect(stored?.summary).toMatchObject({
      status: 'complete',
      start: '2016-04',
      datasetId: 'ds_1',
      accuracyUpdated: [],
    });
    const result = await own.readBlob<{ runs: number; months: string[] }>(stored!, 'result');
    expect(result?.months[0]).toBe('2016-04');
    setQueue(undefined);
  });

  it('marks failed at once a job whose runner died on every attempt (the dead-letter queue), and leaves finished ones', async () => {
    const sc = parseScenario({ ...BASE, runs: 5 });
    if (!sc.ok) throw new Error('fixture invalid');
    // a run whose last attempt died: still `running`, its heartbeat not yet stale
    await queued('died', sc.value);
    await store.update(KIND.scenario, 'died', { summary: { status: 'running', attempts: 2 } });
    const finishedBefore = await store.get<ScenarioSummary>(KIND.scenario, 'ok');
    const out = await deadLetters(
      sqs([
        { id: 'd1', body: JSON.stringify({ kind: 'scenario', id: 'died' }), receiveCount: 2 },
        { id: 'd2', body: JSON.stringify({ kind: 'scenario', id: 'ok' }), receiveCount: 2 },
        { id: 'd3', body: 'not json' },
        { id: 'd4', body: JSON.stringify({ kind: 'no-such-kind', id: 'x' }) },
      ]),
      context(),
    );
    expect(out.batchItemFailures).toEqual([]);
    expect(await status('died')).toMatchObject({
      status: 'failed',
      reason: 'failed: its runner stopped (crash, out of memory or time limit) on each of its 2 attempts; not retried',
    });
    // a complete run is not touched
    expect((await store.get(KIND.scenario, 'ok'))?.updatedAt).toBe(finishedBefore?.updatedAt);
    expect((await status('ok'))?.status).toBe('complete');
  });

  it('keeps a dead letter for another delivery when the store cannot be written', async () => {
    await queued('later', { ...BASE, runs: 5 });
    const update = store.update.bind(store);
    store.update = (async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'TimeoutError' });
    }) as typeof store.update;
    try {
      const out = await deadLetters(
        sqs([{ id: 'd5', body: JSON.stringify({ kind: 'scenario', id: 'later' }) }]),
        context(),
      );
      expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'd5' }]);
    } finally {
      store.update = update;
    }
    expect((await status('later'))?.status).toBe('queued');
  });

  it('ignores a second delivery of a finished run', async () => {
    const before = await store.get<ScenarioSummary>(KIND.scenario, 'ok');
    const out = await handler(sqs([{ id: 'm7', body: JSON.stringify({ kind: 'scenario', id: 'ok' }) }]), context());
    expect(out.batchItemFailures).toEqual([]);
    expect((await store.get(KIND.scenario, 'ok'))?.updatedAt).toBe(before?.updatedAt);
  });
});
