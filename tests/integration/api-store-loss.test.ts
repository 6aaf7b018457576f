/**
 * Losing the store mid-run, on both emulators: the run must end `failed` with a reason (never stuck in `running`),
 * and nothing stored before may be lost. The emulator is stopped while the run is under way and started again once
 * the job host has dead-lettered the run — the test waits on those events, not on a clock.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalService, type LocalService } from '../../bin/serve.js';
import { backends, type Emulator } from './emulators.js';
import { client } from './client.js';
import { history, recordsAt } from './records-fixture.js';

const BASE = JSON.parse(
  readFileSync(new URL('../../data/scenarios/peterborough-2018.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const small = (over: Record<string, unknown> = {}) => ({ ...BASE, runs: 200, ...over });

describe.each(backends())('store loss on $name', ({ start }) => {
  let emulator: Emulator;
  let svc: LocalService;
  const fin = () => svc.tokens.finance;
  const { call, untilDone: poll } = client(() => svc.url);
  const untilDone = (id: string) => poll(id, fin());

  beforeAll(async () => {
    emulator = await start();
    svc = await startLocalService({
      dynamodbEndpoint: emulator.endpoint,
      dataDir: mkdtempSync(join(tmpdir(), 'svc-')),
      port: 0,
      loadDemo: false,
      quiet: true,
      workers: 1,
      drainSeconds: 0,
    });
  });
  afterAll(async () => {
    await svc?.close();
    await emulator?.stop();
  });

  it('leaves a run failed, not running, when the store dies mid-run, and loses no earlier data', async () => {
    const earlier = await call('POST', '/scenarios', { token: fin(), body: small({ seed: 2 }) });
    expect((await untilDone(earlier.body.id)).body.status).toBe('complete');
    const upload = await call('POST', '/datasets', {
      token: svc.tokens['data-manager'],
      body: { format: 'records', ...recordsAt(history(20, 4), '2016-03-31') },
    });
    expect(upload.status).toBe(201);
    const before = await call('GET', '/scenarios?limit=100', { token: fin() });
    const datasets = await call('GET', '/datasets?limit=100', { token: fin() });
    const created = await call('POST', '/scenarios', { token: fin(), body: small({ runs: 20_000, seed: 3 }) });
    expect(created.status).toBe(202);
    // wait for a written progress mark: the run is under way and has 95% still to go
    for (;;) {
      const r = await call('GET', `/scenarios/${created.body.id}`, { token: fin() });
      if (r.body.status === 'running' && r.body.progress >= 5) break;
      if (r.body.status === 'complete' || r.body.status === 'failed')
        throw new Error(`the run ended too soon: ${r.body.status}`);
      await new Promise((res) => setTimeout(res, 20));
    }
    const deadLetter = once(svc.events, 'dead-letter');
    await emulator.stop();
    expect((await call('GET', '/health')).status).toBe(503);
    const [event] = (await deadLetter) as [{ id: string }];
    expect(event.id).toBe(created.body.id);
    const recorded = once(svc.events, 'dead-lettered');
    await emulator.start();
    await recorded;
    const after = await untilDone(created.body.id);
    expect(after.body.status).toBe('failed');
    expect(after.body.reason).toMatch(
      /^(interrupted: the data store became unreachable|the data store was unreachable)$/,
    );
    // everything stored before is still there, complete results included
    const listed = await call('GET', '/scenarios?limit=100', { token: fin() });
    const byId = new Map(listed.body.items.map((s: { id: string; status: string }) => [s.id, s.status]));
    for (const s of before.body.items) expect(byId.get(s.id)).toBe(s.status);
    const kept = await call('GET', `/scenarios/${earlier.body.id}`, { token: fin() });
    expect(kept.body.result.population.total.mean).toHaveLength(60);
    expect((await call('GET', '/datasets?limit=100', { token: fin() })).body.items).toEqual(datasets.body.items);
  });
});
