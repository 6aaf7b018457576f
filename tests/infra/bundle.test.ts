/**
 * The bundles themselves, built with the stack's settings (lib/bundling.ts) and run in a fresh Node process the way
 * Lambda runs them: an ES module holding CommonJS dependencies (the AWS SDK, Powertools) must load and answer.
 * Three handlers only (HTTP, SQS, and the xlsx export, once the largest) to keep this quick; `npm run bundle:report`
 * builds them all.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '#lib/bundling';
import { PROJECT_ROOT } from '#lib/stack';

let outDir: string;
beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'infra-bundle-'));
});
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

async function bundle(handler: string): Promise<string> {
  const outfile = join(outDir, handler.replace(/[/.]/g, '_'), 'index.mjs');
  await build(esbuildOptions(join(PROJECT_ROOT, handler), outfile));
  return outfile;
}

/** Imports the bundle in a new process with the given environment, calls `handler(event, context)`, prints the JSON result. */
function invoke(outfile: string, event: unknown, env: Record<string, string>): unknown {
  const script = [
    `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)});`,
    `const context = { awsRequestId: 'test-request', getRemainingTimeInMillis: () => 5000 };`,
    `console.log(JSON.stringify(await m.handler(${JSON.stringify(event)}, context)));`,
  ].join('\n');
  const run = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const lines = run.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

// No AWS: a store endpoint on a closed loopback port, dummy credentials, one attempt.
const OFFLINE_ENV = {
  TABLE_NAME: 'placement-forecast-test',
  STAGE: 'test',
  AWS_REGION: 'eu-west-2',
  DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_MAX_ATTEMPTS: '1',
  LOG_LEVEL: 'SILENT',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

describe('Lambda bundles (ESM, minified, node22)', () => {
  it('the health handler loads and answers 503 "degraded" when the store cannot be reached', async () => {
    const outfile = await bundle('functions/api/health.ts');
    expect(statSync(outfile).size).toBeLessThan(1024 * 1024);
    expect(statSync(`${outfile}.map`).size).toBeGreaterThan(0);
    const event = {
      version: '2.0',
      routeKey: 'GET /health',
      rawPath: '/health',
      rawQueryString: '',
      headers: {},
      isBase64Encoded: false,
      requestContext: {
        requestId: 'test-request',
        routeKey: 'GET /health',
        stage: '$default',
        http: { method: 'GET', path: '/health' },
      },
    };
    const res = invoke(outfile, event, OFFLINE_ENV) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'degraded', store: 'unreachable' });
  });

  it('the scenario runner loads and reports no failed items for an empty SQS batch', async () => {
    const outfile = await bundle('functions/jobs/scenario-runner.ts');
    expect(statSync(outfile).size).toBeLessThan(1024 * 1024);
    expect(invoke(outfile, { Records: [] }, OFFLINE_ENV)).toEqual({ batchItemFailures: [] });
  });

  it('the xlsx export stays under 1 MB and loads (no dynamic require of a Node built-in escapes the banner shim)', async () => {
    const outfile = await bundle('functions/api/scenarios-export-xlsx.ts');
    expect(statSync(outfile).size).toBeLessThan(1024 * 1024);
    const script = `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); console.log(typeof m.handler);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', ...OFFLINE_ENV },
      encoding: 'utf8',
    });
    expect(run.stderr).not.toContain('Dynamic require');
    expect(run.stdout.trim()).toBe('function');
  });
});
