/**
 * The fault tests. (1) The local service, run as `npm start` runs it (a child process), killed hard (SIGKILL)
 * with jobs of every queued kind in flight — a scenario running; a comparison's variants, a target search and a
 * monthly forecast queued —
 * and started again on the same data folder: every job ends complete or failed with a reason, an earlier record reads
 * byte for byte as before, and an idempotent retry is answered. (2) A job that kills its job process ends `failed`
 * after its attempts while the API keeps answering, and the next start does not run it again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalService } from '../../bin/serve.js';
import { client } from '../integration/client.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BASE = JSON.parse(readFileSync(join(ROOT, 'data/scenarios/peterborough-2018.json'), 'utf8'));
const small = (over: Record<string, unknown> = {}) => ({ ...BASE, runs: 20, horizonMonths: 24, ...over });
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function startChild(dataDir: string): Promise<{ proc: ChildProcess; url: string }> {
  // node itself with tsx's loader (not the tsx wrapper, whose death would leave the service running)
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bin/serve.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, WORKERS: '1', LOG_LEVEL: 'SILENT' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  for (;;) {
    const m = /service on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (m && /curl -s -X POST/.test(out)) return { proc, url: m[1] as string };
    if (proc.exitCode !== null) throw new Error(`the service exited: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a hard kill with jobs of every kind in flight', () => {
  it('ends every job complete or failed, keeps earlier records byte-identical, and answers an idempotent retry', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pf-fault-'));
    dirs.push(dataDir);
    let { proc, url } = await startChild(dataDir);
    const { call } = client(() => url);
    const tokens = JSON.parse(readFileSync(join(dataDir, 'dev-tokens.json'), 'utf8')).tokens as Record<string, string>;
    const fin = tokens.finance as string;
    const until = async (path: string, done: (b: { status: string }) => boolean) => {
      for (;;) {
        const r = await call('GET', path, { token: fin });
        if (r.status === 200 && done(r.body)) return r;
        await new Promise((res) => setTimeout(res, 100));
      }
    };
    const finished = (b: { status: string }) => b.status === 'complete' || b.status === 'failed';

    const earlier = await call('POST', '/scenarios', { token: fin, body: small({ name: 'earlier' }) });
    await until(`/scenarios/${earlier.body.id}`, finished);
    const before = await fetch(`${url}/scenarios/${earlier.body.id}`, { headers: { authorization: `Bearer ${fin}` } });
    const beforeText = await before.text();
    const keyed = { token: fin, raw: JSON.stringify(small({ name: 'keyed' })) };
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'before-the-crash' };
    const first = await call('POST', '/scenarios', { ...keyed, headers });
    expect(first.status).toBe(202);

    const long = await call('POST', '/scenarios', { token: fin, body: small({ name: 'long', runs: 4000 }) });
    const cmp = await call('POST', '/comparisons', {
      token: fin,
      body: {
        base: small(),
        variants: [{ name: 'more recruits', overrides: { capacity: { recruitmentPerYear: 20 } } }],
      },
    });
    const tgt = await call('POST', '/targets', {
      token: fin,
      body: {
        base: small(),
        search: { path: 'capacity.recruitmentPerYear', min: 0, max: 20 },
        goal: { metric: 'agencyFoster', atMost: 40 },
      },
    });
    // the second demo council has data but no monthly forecast yet: its month is queued as a job
    const councils = JSON.parse(readFileSync(join(dataDir, 'dev-tokens.json'), 'utf8')).councils as Record<
      string,
      Record<string, string>
    >;
    const dm2 = councils.E10000003?.['data-manager'] as string;
    const monthly = await call('POST', '/forecasts/run', { token: dm2 });
    expect([long.status, cmp.status, tgt.status, monthly.status]).toEqual([202, 202, 202, 202]);
    await until(`/scenarios/${long.body.id}`, (b) => b.status === 'running');
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));

    ({ proc, url } = await startChild(dataDir));
    try {
      const ends = await Promise.all([
        until(`/scenarios/${long.body.id}`, finished),
        until(`/comparisons/${cmp.body.id}`, finished),
        until(`/targets/${tgt.body.id}`, finished),
      ]);
      // the monthly forecast, read as its own council's data manager
      for (;;) {
        const r = await call('GET', `/forecasts/${monthly.body.forecast.month}`, { token: dm2 });
        if (r.status === 200 && finished(r.body)) {
          ends.push(r);
          break;
        }
        await new Promise((res) => setTimeout(res, 100));
      }
      for (const e of ends) {
        expect(['complete', 'failed']).toContain(e.body.status);
        if (e.body.status === 'failed') expect(e.body.reason).toBeTruthy();
      }
      // nothing was left queued or running, and the interrupted run was resumed (its attempts were not spent)
      expect(ends.map((e) => e.body.status)).toEqual(['complete', 'complete', 'complete', 'complete']);
      const after = await fetch(`${url}/scenarios/${earlier.body.id}`, { headers: { authorization: `Bearer ${fin}` } });
      expect(await after.text()).toBe(beforeText);
      const retry = await call('POST', '/scenarios', { ...keyed, headers });
      expect(retry.status).toBe(202);
      expect(retry.body.id).toBe(first.body.id);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
    } finally {
      proc.kill('SIGINT');
      await new Promise((r) => proc.once('exit', r));
    }
  });
});

describe('a job that kills its job process', () => {
  it('ends failed after its attempts while the API answers, and is not run again on the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pf-poison-'));
    dirs.push(dataDir);
    process.env.LOCAL_FAULT_KILL_SCENARIO_NAME = 'poison';
    try {
      let svc = await startLocalService({ port: 0, dataDir, quiet: true, loadDemo: false, workers: 1 });
      const { call } = client(() => svc.url);
      const attempts: number[] = [];
      svc.events.on('attempt-failed', (e: { receiveCount: number }) => attempts.push(e.receiveCount));
      const deadLettered = new Promise((r) => svc.events.once('dead-lettered', r));
      const r = await call('POST', '/scenarios', { token: svc.tokens.finance, body: small({ name: 'poison' }) });
      expect(r.status).toBe(202);
      await deadLettered;
      expect(attempts).toEqual([1, 2]);
      const failed = await call('GET', `/scenarios/${r.body.id}`, { token: svc.tokens.finance });
      expect(failed.body.status).toBe('failed');
      expect(failed.body.reason).toMatch(/stopped its job process \(SIGKILL\)/);
      expect((await call('GET', '/health')).status).toBe(200);
      // the host replaced the dead process: another job still runs
      const ok = await call('POST', '/scenarios', { token: svc.tokens.finance, body: small({ name: 'healthy' }) });
      for (;;) {
        const s = await call('GET', `/scenarios/${ok.body.id}`, { token: svc.tokens.finance });
        if (s.body.status === 'complete') break;
        expect(s.body.status).not.toBe('failed');
        await new Promise((res) => setTimeout(res, 100));
      }
      await svc.close();
      svc = await startLocalService({ port: 0, dataDir, quiet: true, loadDemo: false, workers: 1 });
      expect(svc.recovered).toEqual({ requeued: 0, failed: 0 });
      await svc.close();
    } finally {
      delete process.env.LOCAL_FAULT_KILL_SCENARIO_NAME;
    }
  });
});
