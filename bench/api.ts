/**
 * `npm run bench:api`: the local service (bin/serve.ts, dynalite, job processes) started as a child process on a
 * loopback port with a throwaway data directory, then
 *   1. the time from POST /scenarios (the default scenario, 2,000 runs) to `complete`, polled every 10 ms;
 *   2. GET /scenarios/{id} of that completed run at 50 concurrent connections for DURATION_S seconds (autocannon),
 *      cached (hot-result cache, br), uncached (`cache-control: no-cache`: built from the store each time), and
 *      while a burst of 100 scenarios runs: p50/p99 latency, requests per second, errors and non-2xx answers.
 * Bounded: loopback only, fixed duration; prints figures and never fails on time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const ROOT = new URL('..', import.meta.url).pathname;
const DURATION_S = Number(process.env.DURATION_S ?? 10);
const CONNECTIONS = 50;
const RUNS = 2000;

const dataDir = mkdtempSync(join(tmpdir(), 'bench-api-'));
const proc = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/serve.ts'], {
  cwd: ROOT,
  env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'WARN', DRAIN_SECONDS: '0' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
const started = Date.now();
while (!/curl -s -X POST .*\n/.test(out)) {
  if (proc.exitCode !== null) throw new Error(`the service exited:\n${out}`);
  if (Date.now() - started > 120_000) throw new Error('the service did not start within 120 s');
  await new Promise((r) => setTimeout(r, 50));
}
const url = /service on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] as string;
const tokens = (
  JSON.parse(readFileSync(join(dataDir, 'dev-tokens.json'), 'utf8')) as { tokens: Record<string, string> }
).tokens;
const auth = { authorization: `Bearer ${tokens.finance}`, 'content-type': 'application/json' };

try {
  const scenario = JSON.parse(readFileSync(join(ROOT, 'data/scenarios/peterborough-2018.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const t0 = performance.now();
  const res = await fetch(`${url}/scenarios`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ ...scenario, runs: RUNS }),
  });
  const { id } = (await res.json()) as { id: string };
  let status = 'queued';
  let body: { status: string; elapsedMs?: number; reason?: string } = { status };
  while (status === 'queued' || status === 'running') {
    await new Promise((r) => setTimeout(r, 10));
    body = (await (await fetch(`${url}/scenarios/${id}`, { headers: auth })).json()) as typeof body;
    status = body.status;
  }
  const toCompleteMs = performance.now() - t0;
  if (status !== 'complete') throw new Error(`the run ended ${status}: ${body.reason}`);

  const read = (headers: Record<string, string>) =>
    autocannon({ url: `${url}/scenarios/${id}`, connections: CONNECTIONS, duration: DURATION_S, headers });
  const line = (label: string, r: Awaited<ReturnType<typeof read>>) =>
    console.log(
      `  ${label}: p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; ${r.requests.average.toFixed(0)} req/s; errors ${r.errors}, non-2xx ${r.non2xx}`,
    );
  const bytes = Buffer.byteLength(JSON.stringify(body));
  // cached: the hot-result cache holds the compressed body; uncached: built from the store on every request
  const cached = await read({ ...auth, 'accept-encoding': 'br' });
  const uncached = await read({ ...auth, 'accept-encoding': 'identity', 'cache-control': 'no-cache' });
  // reads while 100 scenarios (200 runs each) are queued and running
  const small = { ...scenario, runs: 200 };
  await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      fetch(`${url}/scenarios`, { method: 'POST', headers: auth, body: JSON.stringify({ ...small, seed: i + 1 }) }),
    ),
  );
  const burst = await read({ ...auth, 'accept-encoding': 'br' });

  console.log(
    `machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}; store: dynalite`,
  );
  console.log(
    `POST /scenarios (default scenario, ${RUNS} runs) → complete: ${toCompleteMs.toFixed(0)} ms (engine ${body.elapsedMs} ms)`,
  );
  console.log(
    `GET /scenarios/{id} (${(bytes / 1024).toFixed(0)} KB JSON), ${CONNECTIONS} connections, ${DURATION_S} s each:`,
  );
  line('cached read (br, hot cache)', cached);
  line('uncached read (identity, no-cache)', uncached);
  line('read during a burst of 100 scenarios', burst);
} finally {
  proc.kill('SIGINT');
  await new Promise((r) => proc.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
