/**
 * The whole service on one machine: the embedded store (./store.ts), development auth (./auth.ts), the job host
 * (./job-host.ts), the API Gateway stand-in (./gateway.ts); start-up (recovery of every job kind, the demo data on
 * first start) and shutdown (drain, then interrupt).
 */
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { config, deriveCursorSecret, resetConfig, useKeys } from '#functions/config';
import { requestLogger } from '#functions/http/logger';
import '#functions/jobs/kinds';
import { recoverJobs } from '#functions/jobs/recovery';
import { setFanOut } from '#functions/queue/fanout';
import { setQueue } from '#functions/queue/index';
import { LocalQueue } from '#functions/queue/local';
import { ROLES, type Role, WORKERS } from '#functions/routes';
import { KIND } from '#functions/records/kinds';
import { DynamoStore, makeDynamoClient } from '#functions/store/dynamo';
import { setStore } from '#functions/store/index';
import type { Store } from '#functions/store/store';
import { DEMO_COUNCILS, DEMO_REGION, devAuth, LOCAL_AUDIENCE, LOCAL_ISSUER, type Mint } from './auth.js';
import { setUpDemoTenants } from './demo-tenants.js';
import { gateway } from './gateway.js';
import { LocalFanOut } from './fan-out.js';
import { JobHost } from './job-host.js';
import { ROOT } from './paths.js';
import { type LocalSalt, localSalt } from './salt.js';
import { openStore } from './store.js';

export interface LocalServiceOptions {
  port?: number;
  host?: string;
  /** where dynalite keeps its files and the keys and tokens are written (default .data/) */
  dataDir?: string;
  /** use this DynamoDB-compatible endpoint instead of an embedded dynalite */
  dynamodbEndpoint?: string;
  tableName?: string;
  /** job processes (default: one per core, 1 to 4); a large job runs in as many shards */
  workers?: number;
  /** heap ceiling of a job process in MB (default 2048, JOB_MEMORY_MB) */
  jobMemoryMb?: number;
  /** load data/demo/ when the store holds no dataset (default true) */
  loadDemo?: boolean;
  /** how long Ctrl-C waits for running jobs before interrupting them */
  drainSeconds?: number;
  quiet?: boolean;
}

export interface LocalService {
  url: string;
  port: number;
  /** a token per role for the first demo council */
  tokens: Record<Role, string>;
  /** a token per role for each demo council (by code) and for the demo region (by id) */
  councilTokens: Record<string, Record<Role, string>>;
  regionTokens: Record<string, Record<Role, string>>;
  store: Store;
  /** the job host's events (see JobHost.events) */
  events: EventEmitter;
  /** what start-up recovery did */
  recovered: { requeued: number; failed: number };
  /** where the data salt came from (bin/local/salt.ts), and the data folder's salt file */
  salt: { source: LocalSalt['source']; file: string };
  /** mint a token as the authorizer would accept it (tests: other subjects, expired tokens; expiresIn 0 = no exp) */
  token: Mint;
  /** stop: drain or interrupt running jobs, close the API and the embedded store */
  close(): Promise<void>;
}

export async function startLocalService(options: LocalServiceOptions = {}): Promise<LocalService> {
  // The SDK's Node-version notice and credentials must not depend on the user's shell.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dataDir = resolve(options.dataDir ?? process.env.DATA_DIR ?? join(ROOT, '.data'));
  await mkdir(dataDir, { recursive: true });
  const quiet = options.quiet ?? false;
  const say = (line: string) => {
    if (!quiet) process.stdout.write(`${line}\n`);
  };

  const tableName = options.tableName ?? process.env.TABLE_NAME ?? 'placement-forecast';
  const region = process.env.AWS_REGION ?? 'eu-west-2';
  const embedded = await openStore({
    dataDir,
    tableName,
    region,
    ...(options.dynamodbEndpoint ? { endpoint: options.dynamodbEndpoint } : {}),
  });
  // job processes inherit this environment
  Object.assign(process.env, { TABLE_NAME: tableName, DYNAMODB_ENDPOINT: embedded.endpoint, STAGE: 'local' });
  delete process.env.QUEUE_URL;
  resetConfig();
  const cfg = config();
  const client = makeDynamoClient({ endpoint: embedded.endpoint, region: cfg.AWS_REGION });
  // The data salt: DATA_SALT, else the data folder's own (made on the first start, bin/local/salt.ts). Handed to the
  // handlers in this process (useKeys), never put in the environment: job processes hash no child ids.
  let salt: LocalSalt;
  try {
    salt = await localSalt(dataDir, async () => {
      const probe = new DynamoStore({ tableName, client, cacheBytes: 0 });
      return (await probe.list(KIND.dataset, { limit: 1 })).items.length > 0;
    });
  } catch (e) {
    await embedded.close();
    throw e;
  }
  if (salt.warning) say(salt.warning);
  // cursors: CURSOR_SECRET, else derived from a salt of the folder's own (stable across restarts); a folder on the
  // public default salt gets a random key per start instead (its cursors then last until the next start)
  const cursorKey =
    cfg.CURSOR_SECRET ??
    (salt.source === 'public-default' ? randomBytes(32).toString('base64url') : deriveCursorSecret(salt.salt));
  useKeys({ dataSalt: salt.salt, cursorSecret: cursorKey });
  const store = new DynamoStore({ tableName, client, cursorSecret: cursorKey });
  setStore(store);
  const queue = new LocalQueue();
  setQueue(queue);
  const log = requestLogger({ requestId: 'local-runtime' });

  const runner = WORKERS.find((w) => w.trigger === 'queue');
  const host = new JobHost({
    store,
    queue,
    logger: log,
    // one per core (up to 4): a large job runs one shard per process, and the API waits on I/O
    workers: options.workers ?? Number(process.env.WORKERS ?? Math.max(1, Math.min(4, availableParallelism()))),
    maxReceives: cfg.MAX_RECEIVES,
    memoryMb: options.jobMemoryMb ?? Number(process.env.JOB_MEMORY_MB ?? 2048),
    timeoutMs: (runner?.timeoutSeconds ?? 900) * 1000,
    jobsPerProcess: 50,
  });
  host.start();
  // large jobs run in shards over the job processes, merged when all are done (the shard state machine on AWS)
  const fanOut = new LocalFanOut(queue, host, host.size, log);
  setFanOut(fanOut);

  // Jobs of every kind that the last process left queued or running (a crash, kill -9): queued again, or failed
  // once their deliveries are spent — as SQS and its dead-letter queue would do. A sharded job is resumed through the
  // fan-out with the shards it had already finished (functions/jobs/recovery.ts), so the host runs before this.
  let recovered: LocalService['recovered'];
  let auth: Awaited<ReturnType<typeof devAuth>>;
  try {
    recovered = await recoverJobs(store, (message, receiveCount) => queue.requeue(message, receiveCount), {
      maxReceives: cfg.MAX_RECEIVES,
      now: () => new Date(),
      logger: log,
      fanOut,
    });
    if (options.loadDemo ?? true) await setUpDemoTenants(store, salt.salt, say, log);
    auth = await devAuth(dataDir);
  } catch (e) {
    // the job processes are running: stop them with the store rather than leave them behind
    await host.close(0);
    await embedded.close();
    throw e;
  }

  const server: Server = createServer(gateway(auth, log));
  // longer than any client's idle timeout (undici: 4 s), so a client never reuses a socket the server is closing —
  // even after its own event loop was blocked for a while (a test computing an expected result in-process)
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const bindHost = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? Number(process.env.PORT ?? 3000);
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(requestedPort, bindHost, () => ok());
    });
  } catch (e) {
    await host.close(0);
    await embedded.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${bindHost}:${port}`;
  await writeFile(
    join(dataDir, 'dev-tokens.json'),
    JSON.stringify(
      {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        url,
        // the first demo council's tokens, then every demo council's and the demo region's
        tokens: auth.tokens,
        councils: auth.councils,
        regions: auth.regions,
      },
      null,
      2,
    ),
    { mode: 0o600 },
  );

  say(`placement forecast service on ${url}  (dashboard: ${url}/, API description: ${url}/openapi.json)`);
  const resumed = recovered.requeued ? `; ${recovered.requeued} queued job(s) resumed` : '';
  const failed = recovered.failed ? `; ${recovered.failed} interrupted job(s) marked failed` : '';
  say(`store: ${embedded.describe}; ${host.size} job process(es)${resumed}${failed}`);
  say(
    `development tokens for ${DEMO_COUNCILS[0].name} ${DEMO_COUNCILS[0].code} (also in ${join(dataDir, 'dev-tokens.json')}, with ${DEMO_COUNCILS[1].code}'s and region ${DEMO_REGION.id}'s):`,
  );
  for (const role of ROLES) say(`  ${role.padEnd(13)} ${auth.tokens[role]}`);
  say('run the default scenario:');
  say(
    `  curl -s -X POST ${url}/scenarios -H "Authorization: Bearer ${auth.tokens.finance}" -H 'content-type: application/json' --data @${join(ROOT, 'data/scenarios/peterborough-2018.json')}`,
  );

  let closing: Promise<void> | undefined;
  const drainSeconds = options.drainSeconds ?? Number(process.env.DRAIN_SECONDS ?? 10);
  const close = (): Promise<void> => {
    closing ??= (async () => {
      server.closeIdleConnections();
      const serverClosed = new Promise<void>((r) => server.close(() => r()));
      if (host.busyCount()) say(`waiting up to ${drainSeconds} s for ${host.busyCount()} running job(s)…`);
      await host.close(drainSeconds * 1000);
      server.closeAllConnections();
      await serverClosed;
      await embedded.close();
      setQueue(undefined);
      setFanOut(undefined);
      setStore(undefined);
      useKeys(undefined);
    })();
    return closing;
  };

  return {
    url,
    port,
    tokens: auth.tokens,
    councilTokens: auth.councils,
    regionTokens: auth.regions,
    store,
    events: host.events,
    recovered,
    salt: { source: salt.source, file: salt.file },
    token: auth.mint,
    close,
  };
}
