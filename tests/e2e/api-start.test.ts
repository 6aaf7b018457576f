/**
 * `npm start` as a user meets it: a child process running bin/serve.ts with a fresh data directory. It prints a token
 * per role and a curl line that works, loads the demo dataset once, serves the dashboard, and on Ctrl-C (SIGINT) puts
 * a run it cannot finish back in the queue; started again on the same directory it keeps its data and its keys and
 * runs that job again.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROLES } from '#functions/routes';
import { client } from '../integration/client.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

interface Launched {
  proc: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function launch(dataDir: string): Promise<Launched> {
  const proc = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/serve.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, WORKERS: '1', DRAIN_SECONDS: '0', LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  // ready once the curl line (the last thing printed) is out
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (/curl -s -X POST .*\n/.test(out)) return resolve();
      if (proc.exitCode !== null) return reject(new Error(`serve exited early:\n${out}`));
      setTimeout(check, 50);
    };
    check();
  });
  const url = /service on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
  if (!url) throw new Error(`no URL printed:\n${out}`);
  return { proc, url, output: () => out, exited };
}

describe('npm start (bin/serve.ts)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'serve-e2e-'));
  let current: Launched | undefined;
  const { call, untilDone } = client(() => current?.url ?? '');
  afterAll(async () => {
    if (current && current.proc.exitCode === null) {
      current.proc.kill('SIGINT');
      await current.exited;
    }
  });

  it('prints a token per role and a curl line that runs the default scenario, with the demo data loaded', async () => {
    current = await launch(dataDir);
    const saved = JSON.parse(readFileSync(join(dataDir, 'dev-tokens.json'), 'utf8')) as {
      tokens: Record<string, string>;
      url: string;
    };
    expect(saved.url).toBe(current.url);
    for (const role of ROLES) expect(current.output()).toContain(`${role.padEnd(13)} ${saved.tokens[role]}`);
    const datasets = await call('GET', '/datasets', { token: saved.tokens.viewer });
    expect(datasets.body.items.map((d: { id: string }) => d.id)).toEqual(['ds_demo']);
    expect(datasets.body.items[0].counts.children).toBeGreaterThan(300);

    const curl = /(curl -s -X POST .*)\n/.exec(current.output())?.[1] as string;
    const { stdout } = await run('sh', ['-c', curl]);
    const accepted = JSON.parse(stdout) as { id: string; status: string };
    expect(accepted.status).toBe('queued');
    const done = await untilDone(accepted.id, saved.tokens.finance as string);
    expect(done.body.status).toBe('complete');
    expect(done.body.result.runs).toBe(2000);

    const page = await fetch(`${current.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  it('puts a run back in the queue on Ctrl-C, and keeps data, keys and that run across a restart', async () => {
    const saved = JSON.parse(readFileSync(join(dataDir, 'dev-tokens.json'), 'utf8')) as {
      tokens: Record<string, string>;
    };
    const fin = saved.tokens.finance as string;
    const scenario = JSON.parse(readFileSync(join(ROOT, 'data/scenarios/peterborough-2018.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const created = await call('POST', '/scenarios', { token: fin, body: { ...scenario, runs: 100_000 } });
    expect(created.status).toBe(202);
    for (;;) {
      const r = await call('GET', `/scenarios/${created.body.id}`, { token: fin });
      if (r.body.status === 'running' && r.body.progress >= 5) break;
      if (r.body.status !== 'queued' && r.body.status !== 'running')
        throw new Error(`ended too soon: ${r.body.status}`);
      await new Promise((res) => setTimeout(res, 50));
    }
    const first = current as Launched;
    first.proc.kill('SIGINT');
    expect(await first.exited).toBe(0);

    current = await launch(dataDir);
    // the keys were kept: a token minted before the restart still works
    const after = await call('GET', `/scenarios/${created.body.id}`, { token: fin });
    expect(after.status).toBe(200);
    // not failed: queued again (the stop was not one of its attempts) and resumed by the new start
    expect(['queued', 'running']).toContain(after.body.status);
    expect(after.body.reason).toBeUndefined();
    expect(current.output()).toContain('1 queued job(s) resumed');
    for (;;) {
      const r = await call('GET', `/scenarios/${created.body.id}`, { token: fin });
      expect(r.body.status).not.toBe('failed');
      if (r.body.status === 'running' && r.body.progress >= 1) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    // 100,000 runs are not needed to the end: deleting it stops the run
    expect((await call('DELETE', `/scenarios/${created.body.id}`, { token: fin })).status).toBe(204);
    const datasets = await call('GET', '/datasets', { token: fin });
    expect(datasets.body.items.map((d: { id: string }) => d.id)).toEqual(['ds_demo']);
    expect(current.output()).not.toContain('loaded the demo dataset');
  });
});
