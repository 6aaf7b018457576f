/**
 * `npm run bundle:report`: bundles every handler of the route table exactly as the stack does (lib/bundling.ts: ESM,
 * minified, node22) and prints each one's size, then times a cold import of the largest bundle in fresh Node processes
 * (what a Lambda cold start pays for loading code, before the first request).
 *
 *   npm run bundle:report [-- --imports N] [--out DIR]
 *
 * Targets: every bundle under 1 MB minified; API handlers well under it. Prints figures; fails only if a build fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ROUTES, WORKERS } from '#functions/routes';
import { esbuildOptions } from '#lib/bundling';
import { PROJECT_ROOT } from '#lib/stack';

const LIMIT_BYTES = 1024 * 1024;

const { values: args } = parseArgs({
  options: { imports: { type: 'string', default: '7' }, out: { type: 'string' } },
});
const importRuns = Math.max(1, Number(args.imports));
const outRoot = args.out ? path.resolve(args.out) : mkdtempSync(path.join(tmpdir(), 'bundle-report-'));

interface Row {
  handler: string;
  functions: string[];
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  buildMs: number;
  /** of which the AWS SDK (bundled so the tested version is the deployed one) */
  sdkBytes: number;
  outfile: string;
  /** the biggest packages (or project folders), by KB in the output */
  biggest: string[];
}

const kb = (n: number): string => (n / 1024).toFixed(1);

/** Output bytes per npm package (node_modules/@scope/name) or per project folder (functions/store). */
function bytesByPackage(inputs: Record<string, { bytesInOutput: number }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file.split('/').slice(0, 2).join('/');
    out[pkg] = (out[pkg] ?? 0) + bytesInOutput;
  }
  return out;
}

/** Group route/worker ids by handler file: the same file deployed twice is bundled once. */
const byHandler = new Map<string, string[]>();
for (const def of [...ROUTES, ...WORKERS]) byHandler.set(def.handler, [...(byHandler.get(def.handler) ?? []), def.id]);

const rows: Row[] = [];
const failed: string[] = [];
for (const [handler, ids] of byHandler) {
  const outfile = path.join(outRoot, handler.replace(/\.ts$/, ''), 'index.mjs');
  mkdirSync(path.dirname(outfile), { recursive: true });
  const started = performance.now();
  try {
    const result = await build(esbuildOptions(path.join(PROJECT_ROOT, handler), outfile));
    const buildMs = performance.now() - started;
    const code = readFileSync(outfile);
    const output = Object.values(result.metafile!.outputs).find((o) => o.entryPoint !== undefined);
    const biggest = Object.entries(bytesByPackage(output?.inputs ?? {}))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([pkg, bytes]) => `${pkg} ${kb(bytes)}`);
    const sdkBytes = Object.entries(bytesByPackage(output?.inputs ?? {}))
      .filter(([pkg]) => pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/'))
      .reduce((n, [, b]) => n + b, 0);
    rows.push({
      handler,
      functions: ids,
      bytes: code.length,
      sdkBytes,
      gzipBytes: gzipSync(code).length,
      mapBytes: statSync(`${outfile}.map`).size,
      buildMs,
      outfile,
      biggest,
    });
  } catch (e) {
    failed.push(`${handler}: ${(e as Error).message.split('\n')[0]}`);
  }
}

rows.sort((a, b) => b.bytes - a.bytes);
const table = rows.map((r) => ({
  handler: r.handler,
  functions: r.functions.join(', '),
  'minified KB': kb(r.bytes),
  'gzip KB': kb(r.gzipBytes),
  'AWS SDK KB': kb(r.sdkBytes),
  'map KB': kb(r.mapBytes),
  'build ms': Math.round(r.buildMs),
  'under 1 MB': r.bytes < LIMIT_BYTES ? 'yes' : 'NO',
}));
console.log(`\nbundles (esbuild, ESM, minified, target node22)${args.out ? ` in ${outRoot}` : ''}`);
console.table(table);
const total = rows.reduce((n, r) => n + r.bytes, 0);
const over = rows.filter((r) => r.bytes >= LIMIT_BYTES).map((r) => r.handler);
console.log(`over 1 MB: ${over.length ? over.join(', ') : 'none'}`);
console.log(
  `${rows.length} bundles, ${kb(total)} KB in all; largest ${rows[0] ? `${rows[0].handler} ${kb(rows[0].bytes)} KB` : '-'}`,
);
const smallest = rows[rows.length - 1];
for (const r of [...rows.slice(0, 2), ...(smallest && rows.length > 2 ? [smallest] : [])])
  console.log(`  KB by package in ${r.handler}: ${r.biggest.join('; ')}`);
if (failed.length) console.log(`\nfailed to bundle:\n  ${failed.join('\n  ')}`);

// Cold import: a fresh process per run (a warm module cache would hide the cost), with NODE_OPTIONS as the stack sets
// it (source maps on). The environment is the stack's, with placeholder values for what CloudFormation fills in.
const env = {
  ...process.env,
  TABLE_NAME: 'placement-forecast-report',
  STAGE: 'report',
  QUEUE_URL: 'https://sqs.eu-west-2.amazonaws.com/123456789012/report',
  AWS_REGION: 'eu-west-2',
  MAX_RECEIVES: '2',
  LOG_LEVEL: 'SILENT',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  NODE_OPTIONS: '--enable-source-maps',
};

/** Median, min and max milliseconds to import the bundle and find its handler, or the first failure. */
function timeColdImport(row: Row): string {
  const script =
    `const t=performance.now();const m=await import(${JSON.stringify(pathToFileURL(row.outfile).href)});` +
    `const ms=performance.now()-t;if(typeof m.handler!=='function')throw new Error('no handler export');console.log(ms.toFixed(1));`;
  const timesMs: number[] = [];
  for (let i = 0; i < importRuns; i++) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
    if (run.status !== 0) return `failed: ${(run.stderr || run.stdout).trim().split('\n').slice(0, 3).join(' | ')}`;
    timesMs.push(Number(run.stdout.trim()));
  }
  const sorted = [...timesMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `median ${median.toFixed(1)} ms, min ${sorted[0]!.toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms`;
}

const largest = rows[0];
if (largest && smallest) {
  console.log(`\ncold import (fresh node ${process.version} process each, ${importRuns} runs, source maps on):`);
  console.log(`  largest  ${largest.handler} (${kb(largest.bytes)} KB): ${timeColdImport(largest)}`);
  if (smallest !== largest)
    console.log(`  smallest ${smallest.handler} (${kb(smallest.bytes)} KB): ${timeColdImport(smallest)}`);
}
if (!args.out) rmSync(outRoot, { recursive: true, force: true });
process.exitCode = failed.length ? 1 : 0;
