/**
 * The embedded store of the local runtime: dynalite keeping the table under the data folder, or any
 * DynamoDB-compatible endpoint given instead; the folder is locked to one process (dynalite's files can be open in
 * one process only), and the table is created on first start.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { makeDynamoClient } from '#functions/store/dynamo';
import { createTableInput } from '#functions/store/table';
import { typeScriptWorker } from '../ts-worker.js';
import { StartupError } from './paths.js';

export interface EmbeddedStore {
  endpoint: string;
  /** a description for the start-up banner */
  describe: string;
  close(): Promise<void>;
}

/** Start dynalite on the data folder (or use the endpoint given) and make sure the table exists. */
export async function openStore(opts: {
  dataDir: string;
  endpoint?: string;
  tableName: string;
  region: string;
}): Promise<EmbeddedStore> {
  if (opts.endpoint) {
    await ensureTable(opts.endpoint, opts.tableName, opts.region);
    return { endpoint: opts.endpoint, describe: opts.endpoint, close: async () => undefined };
  }
  const releaseLock = await lockDataDir(opts.dataDir);
  // dynalite runs on its own thread, off the API's event loop (bin/local/store-thread.ts)
  const thread = typeScriptWorker(new URL('./store-thread.ts', import.meta.url), {
    path: join(opts.dataDir, 'dynalite'),
  });
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      thread.on('message', (m: { port?: number; error?: string }) => {
        if (m.port) resolve(m.port);
        else if (m.error) reject(new StartupError(`the embedded store could not start: ${m.error}`));
      });
      thread.once('error', (e) => reject(new StartupError(`the embedded store could not start: ${e.message}`)));
      thread.once('exit', (code) => reject(new StartupError(`the embedded store stopped at start (exit ${code})`)));
    });
  } catch (e) {
    await thread.terminate();
    await releaseLock();
    throw e;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  await ensureTable(endpoint, opts.tableName, opts.region);
  return {
    endpoint,
    describe: `dynalite, data in ${join(opts.dataDir, 'dynalite')}`,
    close: async () => {
      const closed = new Promise<void>((r) => {
        thread.on('message', (m: { closed?: boolean }) => m.closed && r());
        thread.once('exit', () => r());
      });
      thread.postMessage({ close: true });
      await closed;
      await thread.terminate();
      await releaseLock();
    },
  };
}

async function ensureTable(endpoint: string, tableName: string, region: string): Promise<void> {
  const client = makeDynamoClient({ endpoint, region });
  try {
    for (;;) {
      try {
        const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
        if (d.Table?.TableStatus === 'ACTIVE') return;
      } catch (e) {
        if (!(e instanceof ResourceNotFoundException)) throw e;
        await client.send(new CreateTableCommand(createTableInput(tableName)));
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.destroy();
  }
}

/** Marks the data folder as in use by this process; refuses while another live process holds it. */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = join(dataDir, 'service.pid');
  const held = Number(await readFile(lockFile, 'utf8').catch(() => ''));
  if (held && held !== process.pid) {
    let alive = true;
    try {
      process.kill(held, 0);
    } catch {
      alive = false; // a stale lock from a process that did not stop cleanly
    }
    if (alive)
      throw new StartupError(
        `another local service (process ${held}) is using ${dataDir}: stop it first, or start this one with its own DATA_DIR and PORT`,
      );
  }
  await writeFile(lockFile, String(process.pid));
  return () => rm(lockFile, { force: true });
}
