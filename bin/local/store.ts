/**
 * The embedded store of the local runtime: dynalite keeping the table under the data folder, or any
 * DynamoDB-compatible endpoint given instead; the folder is locked to one process (dynalite's files can be open in
 * one process only), and the table is created on first start.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { makeDynamoClient } from '#functions/store/dynamo';
import { createTableInput } from '#functions/store/table';
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
  const server = dynalite({
    path: join(opts.dataDir, 'dynalite'),
    createTableMs: 0,
    updateTableMs: 0,
    deleteTableMs: 0,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await ensureTable(endpoint, opts.tableName, opts.region);
  return {
    endpoint,
    describe: `dynalite, data in ${join(opts.dataDir, 'dynalite')}`,
    close: async () => {
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
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
