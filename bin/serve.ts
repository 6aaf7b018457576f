/**
 * `npm start`: the whole service on one machine, with nothing else installed. dynalite keeps the table under .data/,
 * the demo dataset is loaded on first start, the API answers on 127.0.0.1:3000 (PORT) exactly as API Gateway with
 * its JWT authorizer would call the Lambda handlers, worker threads run queued jobs with the Lambda runner's code,
 * and the dashboard (web/) is served at /. Ctrl-C drains running jobs or marks them `failed: interrupted`.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import dynalite from 'dynalite';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { ROLES, ROUTES, type Role, type RouteDef } from '#functions/routes';
import { config, resetConfig } from '#functions/config';
import { requestLogger } from '#functions/http/logger';
import { jobDefinition } from '#functions/jobs/registry';
import '#functions/jobs/kinds';
import { setQueue } from '#functions/queue/index';
import { LocalQueue, type Delivery } from '#functions/queue/local';
import { DynamoStore, makeDynamoClient } from '#functions/store/dynamo';
import { setStore } from '#functions/store/index';
import { saveDataset } from '#functions/records/dataset';
import { KIND } from '#functions/records/kinds';
import type { ScenarioSummary } from '#functions/records/scenario';
import type { Store } from '#functions/store/store';
import { createTableInput } from '#functions/store/table';
import { CANCEL, type WorkRequest, type WorkerReply } from './serve-worker.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const LOCAL_ISSUER = 'https://placement-forecast.local/issuer';
export const LOCAL_AUDIENCE = 'placement-forecast';
/** API Gateway HTTP API refuses bodies over 10 MB before any function runs */
const GATEWAY_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export interface LocalServiceOptions {
  port?: number;
  host?: string;
  /** where dynalite keeps its files and the keys and tokens are written (default .data/) */
  dataDir?: string;
  /** use this DynamoDB-compatible endpoint instead of an embedded dynalite */
  dynamodbEndpoint?: string;
  tableName?: string;
  workers?: number;
  /** load data/demo/ when the store holds no dataset (default true) */
  loadDemo?: boolean;
  /** how long Ctrl-C waits for running jobs before interrupting them */
  drainSeconds?: number;
  quiet?: boolean;
}

export interface LocalService {
  url: string;
  port: number;
  tokens: Record<Role, string>;
  store: Store;
  /**
   * What the job host does, for tests that must wait for a state rather than a time:
   * 'attempt-failed' {kind, id, receiveCount, reason}, 'dead-letter' {kind, id, reason}, 'dead-lettered' {kind, id}.
   */
  events: EventEmitter;
  /** mint a token as the authorizer would accept it (tests: other subjects, expired tokens) */
  token(
    claims: JWTPayload & { sub: string },
    expiresIn?: string | number,
    signedFor?: { issuer?: string; audience?: string },
  ): Promise<string>;
  /** stop: drain or interrupt running jobs, close the API and the embedded store */
  close(): Promise<void>;
}

interface KeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

async function loadOrCreateKeys(dataDir: string): Promise<KeyPair> {
  const file = join(dataDir, 'jwt-keys.json');
  if (existsSync(file)) {
    const jwks = JSON.parse(await readFile(file, 'utf8')) as { privateJwk: JWK; publicJwk: JWK };
    return {
      privateKey: (await importJWK(jwks.privateJwk, 'RS256')) as CryptoKey,
      publicKey: (await importJWK(jwks.publicJwk, 'RS256')) as CryptoKey,
    };
  }
  const pair = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = await exportJWK(pair.privateKey);
  const publicJwk = await exportJWK(pair.publicKey);
  await writeFile(file, JSON.stringify({ privateJwk, publicJwk }), { mode: 0o600 });
  return pair;
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

/** API Gateway HTTP API flattens array claims to "[a b]" and other values to strings: handlers see exactly that. */
function gatewayClaims(payload: JWTPayload): Record<string, string | number | boolean | string[]> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) {
    out[k] = Array.isArray(v)
      ? `[${v.join(' ')}]`
      : typeof v === 'object' && v !== null
        ? JSON.stringify(v)
        : String(v);
  }
  return out;
}

interface CompiledRoute {
  route: RouteDef;
  pattern: RegExp;
  params: string[];
}

function compileRoutes(): CompiledRoute[] {
  return ROUTES.map((route) => {
    const params: string[] = [];
    const source = route.path
      .split('/')
      .map((seg) => {
        const m = /^\{(\w+)\}$/.exec(seg);
        if (m) {
          params.push(m[1] as string);
          return '([^/]+)';
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    return { route, pattern: new RegExp(`^${source}$`), params };
  });
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

async function serveStatic(path: string, res: ServerResponse): Promise<boolean> {
  const webRoot = join(ROOT, 'web');
  const rel = path === '/' ? 'index.html' : decodeURIComponent(path).replace(/^\/+/, '');
  const file = normalize(join(webRoot, rel));
  if (!file.startsWith(webRoot + sep)) return false;
  try {
    const s = await stat(file);
    if (!s.isFile()) return false;
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    res.end(body);
    return true;
  } catch {
    return false;
  }
}

function sendJson(res: ServerResponse, statusCode: number, body: unknown): void {
  res.writeHead(statusCode, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** A worker thread and the job it is running. */
interface Slot {
  worker: Worker;
  busy?: { delivery: Delivery; flag: Int32Array; done: (reply: Extract<WorkerReply, { type: 'done' }>) => void };
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

  let embedded: ReturnType<typeof dynalite> | undefined;
  let endpoint = options.dynamodbEndpoint;
  let releaseLock: (() => Promise<void>) | undefined;
  if (!endpoint) {
    // dynalite's store can be open in one process only: say so plainly instead of crashing inside its database
    releaseLock = await lockDataDir(dataDir);
    embedded = dynalite({ path: join(dataDir, 'dynalite'), createTableMs: 0, updateTableMs: 0, deleteTableMs: 0 });
    await new Promise<void>((r) => embedded?.listen(0, '127.0.0.1', () => r()));
    endpoint = `http://127.0.0.1:${(embedded.address() as AddressInfo).port}`;
  }
  const tableName = options.tableName ?? process.env.TABLE_NAME ?? 'placement-forecast';
  Object.assign(process.env, { TABLE_NAME: tableName, DYNAMODB_ENDPOINT: endpoint, STAGE: 'local' });
  delete process.env.QUEUE_URL;
  resetConfig();
  const cfg = config();
  await ensureTable(endpoint, tableName, cfg.AWS_REGION);
  const store = new DynamoStore({ tableName, endpoint, region: cfg.AWS_REGION });
  setStore(store);
  const queue = new LocalQueue();
  setQueue(queue);
  const log = requestLogger({ requestId: 'local-runtime' });

  // Runs that were in flight when the service last stopped without draining (a crash, kill -9) can never finish:
  // say so. Queued ones lost their in-memory message: queue them again.
  let cursor: string | undefined;
  let requeued = 0;
  do {
    const page = await store.list<ScenarioSummary>(KIND.scenario, { limit: 100, ...(cursor ? { cursor } : {}) });
    cursor = page.cursor;
    for (const r of page.items) {
      if (r.summary.status === 'running') {
        await store.update<ScenarioSummary>(
          KIND.scenario,
          r.id,
          { summary: { status: 'failed', reason: 'interrupted: the local service stopped while it ran' } },
          { expectStatus: ['running'] },
        );
      } else if (r.summary.status === 'queued') {
        await queue.send({ kind: 'scenario', id: r.id });
        requeued++;
      }
    }
  } while (cursor);

  if ((options.loadDemo ?? true) && (await loadDemoIfEmpty(store, cfg.DATA_SALT, say))) {
    // First start: make this month's baseline forecast from the demo data, so the dashboard opens on a forecast
    // (the monthly schedule does this on AWS; POST /forecasts/run does it on demand).
    try {
      const { runMonthlyForecast } = await import('../functions/jobs/monthly-forecast.js');
      const outcome = await runMonthlyForecast(store, new Date(), log);
      say(`made the monthly baseline forecast ${outcome.forecast.month} from the demo data`);
    } catch (e) {
      say(`the first monthly forecast could not be made (${(e as Error).message}); run it with POST /forecasts/run`);
    }
  }

  const keys = await loadOrCreateKeys(dataDir);
  const mint = (
    claims: JWTPayload & { sub: string },
    expiresIn: string | number = '30d',
    signedFor: { issuer?: string; audience?: string } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'local' })
      .setIssuer(signedFor.issuer ?? LOCAL_ISSUER)
      .setAudience(signedFor.audience ?? LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(keys.privateKey);
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    tokens[role] = await mint({
      sub: `dev-${role}`,
      'cognito:username': `dev-${role}`,
      'cognito:groups': [role],
      token_use: 'id',
    });
  }

  // ---- worker pool ----
  const workerCount =
    options.workers ?? Number(process.env.WORKERS ?? Math.max(1, Math.min(4, availableParallelism() - 1)));
  const workerUrl = new URL('./serve-worker.ts', import.meta.url).href;
  // A worker needs TypeScript too: register tsx inside it before loading the entry (`--import tsx` in execArgv does
  // not reach worker threads on Node 20). The bootstrap is a data: URL, so the API is named by absolute URL.
  const tsxApi = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'esm', 'api', 'index.mjs')).href;
  const bootstrap = new URL(
    `data:text/javascript,${encodeURIComponent(`const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(workerUrl)});`)}`,
  );
  let crashes = 0;
  const slots: Slot[] = [];
  let stopping = false;
  const progressCtx = { store, now: () => new Date() };

  const events = new EventEmitter();
  const deadLetter = async (d: Delivery, reason: string): Promise<void> => {
    const def = jobDefinition(d.message.kind);
    events.emit('dead-letter', { kind: d.message.kind, id: d.message.id, reason });
    if (!def) return;
    // The record must not stay `running`: keep trying while the store is away (bounded), as a DLQ consumer would.
    for (let attempt = 0; attempt < 240; attempt++) {
      try {
        await def.giveUp(d.message, reason, {
          ...progressCtx,
          logger: log,
          receiveCount: d.receiveCount,
          finalAttempt: true,
          progress: () => undefined,
          shouldCancel: () => false,
          cancelReason: () => reason,
        });
        log.warn('job dead-lettered', { kind: d.message.kind, id: d.message.id, reason });
        events.emit('dead-lettered', { kind: d.message.kind, id: d.message.id });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    log.error('could not record a dead-lettered job', { kind: d.message.kind, id: d.message.id });
  };

  const settle = (d: Delivery, reply: Extract<WorkerReply, { type: 'done' }>): void => {
    if (reply.ok) return;
    events.emit('attempt-failed', {
      kind: d.message.kind,
      id: d.message.id,
      receiveCount: d.receiveCount,
      reason: reply.reason,
    });
    if (!reply.retry) return;
    if (d.receiveCount < cfg.MAX_RECEIVES && !stopping) queue.retry(d);
    else void deadLetter(d, reply.reason ?? 'failed');
  };

  const spawn = (): Slot => {
    const worker = new Worker(bootstrap);
    const slot: Slot = { worker };
    let lastWrittenPercent = -1;
    worker.on('message', (msg: WorkerReply) => {
      const busy = slot.busy;
      if (!busy) return;
      if (msg.type === 'progress') {
        // every 5%: enough for a progress bar, few enough writes
        if (msg.percent < lastWrittenPercent + 5) return;
        lastWrittenPercent = msg.percent;
        const def = jobDefinition(busy.delivery.message.kind);
        def?.reportProgress?.(busy.delivery.message, msg.percent, progressCtx).catch(() => {
          // the store is gone: stop the engine rather than compute a result nobody can save
          Atomics.store(busy.flag, 0, CANCEL.storeLost);
        });
      } else {
        lastWrittenPercent = -1;
        busy.done(msg);
      }
    });
    worker.on('error', (e) => log.error('worker crashed', { errorName: e.name }));
    worker.on('exit', (code) => {
      const busy = slot.busy;
      if (busy) busy.done({ type: 'done', ok: false, retry: true, reason: `the run crashed (worker exit ${code})` });
      else crashes++;
      // a worker that dies before taking any job would die again: stop replacing it after a few
      if (!stopping && crashes < 5) {
        const i = slots.indexOf(slot);
        if (i >= 0) {
          const fresh = spawn();
          slots[i] = fresh;
          loops.push(loop(fresh));
        }
      }
    });
    return slot;
  };

  const loops: Promise<void>[] = [];
  const loop = async (slot: Slot): Promise<void> => {
    for (;;) {
      if (slots.indexOf(slot) < 0 || stopping) return;
      const d = await queue.take();
      if (!d) return;
      if (slots.indexOf(slot) < 0) {
        queue.retry({ ...d, receiveCount: d.receiveCount - 1 });
        return;
      }
      const flag = new Int32Array(new SharedArrayBuffer(4));
      const reply = await new Promise<Extract<WorkerReply, { type: 'done' }>>((done) => {
        slot.busy = { delivery: d, flag, done };
        const req: WorkRequest = {
          message: d.message,
          receiveCount: d.receiveCount,
          cancel: flag.buffer as SharedArrayBuffer,
        };
        slot.worker.postMessage(req);
      });
      slot.busy = undefined;
      settle(d, reply);
    }
  };
  for (let i = 0; i < workerCount; i++) slots.push(spawn());
  for (const s of slots) loops.push(loop(s));

  // ---- API Gateway in miniature ----
  const compiled = compileRoutes();
  const modules = new Map<
    string,
    Promise<{ handler: (e: unknown, c: Context) => Promise<APIGatewayProxyStructuredResultV2> }>
  >();
  const handlerOf = (route: RouteDef) => {
    let m = modules.get(route.handler);
    if (!m) {
      m = import(pathToFileURL(join(ROOT, route.handler)).href);
      modules.set(route.handler, m);
    }
    return m;
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const byPath = compiled.filter((c) => c.pattern.test(url.pathname));
    const match = byPath.find((c) => c.route.method === method);
    if (!match) {
      // The dashboard's development sign-in: the tokens this process already printed, to loopback callers only
      // (a deployed stack has no such route; Cognito signs users in there).
      if (method === 'GET' && url.pathname === '/dev/tokens') {
        const remote = req.socket.remoteAddress ?? '';
        if (remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1')
          return sendJson(res, 200, tokens);
        return sendJson(res, 404, { message: 'Not Found' });
      }
      if ((method === 'GET' || method === 'HEAD') && (await serveStatic(url.pathname, res))) return;
      sendJson(res, 404, { message: 'Not Found' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > GATEWAY_BODY_LIMIT_BYTES) {
        sendJson(res, 413, { message: 'Request Entity Too Large' });
        req.destroy();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const { route } = match;
    let claims: Record<string, unknown> | undefined;
    const auth = req.headers.authorization;
    if (route.roles !== 'public') {
      const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
      if (!token) return sendJson(res, 401, { message: 'Unauthorized' });
      try {
        const { payload } = await jwtVerify(token, keys.publicKey, {
          issuer: LOCAL_ISSUER,
          audience: LOCAL_AUDIENCE,
          algorithms: ['RS256'],
        });
        claims = gatewayClaims(payload);
      } catch {
        return sendJson(res, 401, { message: 'Unauthorized' });
      }
    }
    const values = match.pattern.exec(url.pathname)?.slice(1) ?? [];
    const pathParameters = Object.fromEntries(match.params.map((p, i) => [p, decodeURIComponent(values[i] ?? '')]));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
    const requestId = randomUUID();
    const now = Date.now();
    const body = Buffer.concat(chunks);
    const event = {
      version: '2.0',
      routeKey: `${route.method} ${route.path}`,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(match.params.length ? { pathParameters } : {}),
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: {
          method,
          path: url.pathname,
          protocol: 'HTTP/1.1',
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId,
        routeKey: `${route.method} ${route.path}`,
        stage: '$default',
        time: new Date(now).toISOString(),
        timeEpoch: now,
        ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
      },
      ...(body.length ? { body: body.toString('utf8') } : {}),
      isBase64Encoded: false,
    };
    const deadline = now + route.timeoutSeconds * 1000;
    const context = {
      awsRequestId: requestId,
      functionName: route.id,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${route.id}`,
      memoryLimitInMB: String(route.memoryMb),
      logGroupName: `/aws/lambda/${route.id}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    } as Context;
    let result: APIGatewayProxyStructuredResultV2;
    try {
      const mod = await handlerOf(route);
      result = await mod.handler(event, context);
    } catch (e) {
      // API Gateway's answer when the integration itself fails
      log.error('handler threw', { route: route.id, errorName: (e as Error)?.name });
      return sendJson(res, 500, { message: 'Internal Server Error' });
    }
    const outHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(result.headers ?? {})) outHeaders[k] = String(v);
    res.writeHead(result.statusCode ?? 200, outHeaders);
    if (result.body === undefined) res.end();
    else res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
  };

  const server: Server = createServer((req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      log.error('request failed', { errorName: (e as Error)?.name });
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? Number(process.env.PORT ?? 3000);
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(requestedPort, host, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  await writeFile(
    join(dataDir, 'dev-tokens.json'),
    JSON.stringify({ issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, url, tokens }, null, 2),
    { mode: 0o600 },
  );

  say(`placement forecast service on ${url}  (dashboard: ${url}/, API description: ${url}/openapi.json)`);
  say(
    `store: ${embedded ? `dynalite, data in ${join(dataDir, 'dynalite')}` : endpoint}; ${workerCount} worker thread(s)${requeued ? `; ${requeued} queued run(s) resumed` : ''}`,
  );
  say(`development tokens (also in ${join(dataDir, 'dev-tokens.json')}):`);
  for (const role of ROLES) say(`  ${role.padEnd(13)} ${tokens[role]}`);
  say('run the default scenario:');
  say(
    `  curl -s -X POST ${url}/scenarios -H "Authorization: Bearer ${tokens.finance}" -H 'content-type: application/json' --data @${join(ROOT, 'data/scenarios/peterborough-2018.json')}`,
  );

  let closing: Promise<void> | undefined;
  const drainSeconds = options.drainSeconds ?? Number(process.env.DRAIN_SECONDS ?? 10);
  const close = (): Promise<void> => {
    closing ??= (async () => {
      stopping = true;
      queue.close();
      server.closeIdleConnections();
      const serverClosed = new Promise<void>((r) => server.close(() => r()));
      const running = slots.filter((s) => s.busy);
      if (running.length) {
        say(`waiting up to ${drainSeconds} s for ${running.length} running job(s)…`);
        const drained = Promise.all(loops);
        const timedOut = await Promise.race([
          drained.then(() => false),
          new Promise<boolean>((r) => setTimeout(() => r(true), drainSeconds * 1000).unref()),
        ]);
        if (timedOut) {
          // the engine polls this flag; the job then records `failed: interrupted` itself
          for (const s of slots) if (s.busy) Atomics.store(s.busy.flag, 0, CANCEL.shutdown);
          await drained;
        }
      }
      await Promise.all(slots.map((s) => s.worker.terminate()));
      server.closeAllConnections();
      await serverClosed;
      if (embedded) await new Promise<void>((r) => embedded?.close(() => r()));
      await releaseLock?.();
      setQueue(undefined);
      setStore(undefined);
    })();
    return closing;
  };

  return { url, port, tokens, store, events, token: mint, close };
}

/** Loads data/demo/ when the store has no dataset; true when it did. */
async function loadDemoIfEmpty(store: Store, salt: string, say: (line: string) => void): Promise<boolean> {
  const demoDir = join(ROOT, 'data', 'demo');
  if (!existsSync(demoDir)) return false;
  const { items } = await store.list(KIND.dataset, { limit: 1 });
  if (items.length > 0) return false;
  const { loadDataDirectory } = await import('./data-dir.js');
  const outcome = await loadDataDirectory(demoDir, { mode: 'lenient', salt });
  if (!outcome.ok) {
    say(`the demo data in ${demoDir} could not be loaded (${outcome.report.errors} errors)`);
    return false;
  }
  const record = await saveDataset(store, outcome.dataset, {
    id: 'ds_demo',
    format: outcome.dataset.format,
    mode: 'lenient',
    contentHash: 'demo',
    createdAt: new Date().toISOString(),
  });
  say(
    `loaded the demo dataset (${record.summary.counts.children} children, data to ${record.summary.period.end}) as ${record.id}`,
  );
  return true;
}

/** A startup problem the user can fix, reported as one line without a stack trace. */
class StartupError extends Error {}

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

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  let service: LocalService;
  try {
    service = await startLocalService();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const message =
      e instanceof StartupError
        ? e.message
        : err.code === 'EADDRINUSE'
          ? `port ${process.env.PORT ?? 3000} is in use: stop what uses it, or start with PORT=<another port>`
          : `the local service could not start: ${err.message}`;
    process.stderr.write(`error: ${message}\n`);
    process.exit(1);
  }
  let signals = 0;
  const stop = () => {
    signals++;
    if (signals > 1) process.exit(130);
    process.stdout.write('\nstopping (Ctrl-C again to quit at once)…\n');
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
