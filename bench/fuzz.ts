/**
 * `npm run fuzz`: a long fuzz run of every route against a local service in a temporary data folder, printing the
 * counts by status and any problem found (a 5xx, a stack trace or internal path, child data echoed). FUZZ_REQUESTS
 * (default 5000) and FUZZ_SEED set the run. Exit 1 when a problem was found.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { startLocalService } from '../bin/serve.js';
import { fuzzRequest, problemsOf, send } from '../tests/fuzz/requests.js';

process.env.LOG_LEVEL ??= 'SILENT';
const total = Number(process.env.FUZZ_REQUESTS ?? 5000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'pf-fuzz-'));
const svc = await startLocalService({ port: 0, dataDir: dir, quiet: true, loadDemo: true, workers: 1 });
const statuses = new Map<number, number>();
const routes = new Set<string>();
const problems: string[] = [];
const started = Date.now();
const samples = fc.sample(fuzzRequest, { numRuns: total, seed });
for (const req of samples) {
  const { status, text } = await send(svc.url, svc.tokens, req);
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  routes.add(req.route);
  problems.push(...problemsOf(req, status, text));
}
const health = await fetch(`${svc.url}/health`);
await svc.close();
rmSync(dir, { recursive: true, force: true });
const seconds = (Date.now() - started) / 1000;
const out = [`fuzz: ${samples.length} requests over ${routes.size} routes in ${seconds.toFixed(0)} s (seed ${seed})`];
out.push('by status:');
for (const [s, n] of [...statuses].sort((a, b) => a[0] - b[0])) out.push(`  ${s}  ${n}`);
out.push(`health afterwards: ${health.status}`, `problems: ${problems.length}`, ...problems.slice(0, 20));
process.stdout.write(`${out.join('\n')}\n`);
process.exit(problems.length || health.status !== 200 ? 1 : 0);
