/**
 * API Gateway in miniature: the route table's routes over node:http, calling each Lambda handler with the event and
 * context API Gateway HTTP API (payload 2.0) and its JWT authorizer would give it. Also what the gateway does before
 * any function runs: 10 MB body limit, 401 for a missing/invalid token, 400 for a path it cannot decode. Outside the
 * API: the dashboard (web/) and the development sign-in (/dev/tokens).
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Logger } from '#functions/http/logger';
import { ROUTES, type RouteDef } from '#functions/routes';
import { type DevAuth, devTokensAllowed } from './auth.js';
import { ROOT } from './paths.js';

/** API Gateway HTTP API refuses bodies over 10 MB before any function runs */
const GATEWAY_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

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
  let rel: string;
  try {
    rel = path === '/' ? 'index.html' : decodeURIComponent(path).replace(/^\/+/, '');
  } catch {
    return false;
  }
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

export function sendJson(res: ServerResponse, statusCode: number, body: unknown): void {
  res.writeHead(statusCode, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * A base64 body as bytes. A hot result comes back as the same string object every time (functions/http/immutable.ts
 * keeps it), so the last few decodings are kept, keyed by that string (V8 keeps a string's hash, so the lookup does
 * not rehash 20 KB).
 */
const decoded = new Map<string, Buffer>();
function decodeBase64(body: string): Buffer {
  let bytes = decoded.get(body);
  if (!bytes) {
    bytes = Buffer.from(body, 'base64');
    decoded.set(body, bytes);
    if (decoded.size > 16) decoded.delete(decoded.keys().next().value as string);
  }
  return bytes;
}

type LambdaHandler = (e: unknown, c: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export function gateway(auth: DevAuth, log: Logger) {
  const compiled = compileRoutes();
  const modules = new Map<string, Promise<{ handler: LambdaHandler }>>();
  const handlerOf = (route: RouteDef) => {
    let m = modules.get(route.handler);
    if (!m) {
      m = import(pathToFileURL(join(ROOT, route.handler)).href);
      modules.set(route.handler, m);
    }
    return m;
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendJson(res, 400, { message: 'Bad Request' });
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const match = compiled.find((c) => c.route.method === method && c.pattern.test(url.pathname));
    if (!match) {
      // The dashboard's development sign-in (a deployed stack has no such route; Cognito signs users in there).
      if (method === 'GET' && url.pathname === '/dev/tokens') {
        // the first council's tokens by role (as before), then every demo council's and region's
        if (devTokensAllowed(req))
          return sendJson(res, 200, { ...auth.tokens, councils: auth.councils, regions: auth.regions });
        return sendJson(res, 404, { message: 'Not Found' });
      }
      if ((method === 'GET' || method === 'HEAD') && (await serveStatic(url.pathname, res))) return;
      return sendJson(res, 404, { message: 'Not Found' });
    }
    // a body declared past the limit is refused before any of it is read (a client that waits for 100 Continue, or
    // claims 2 GB and sends slowly, gets its answer at once); the connection is closed rather than drained
    if (Number(req.headers['content-length']) > GATEWAY_BODY_LIMIT_BYTES) {
      res.setHeader('connection', 'close');
      return sendJson(res, 413, { message: 'Request Entity Too Large' });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    // a request with neither a length nor chunked encoding has no body (RFC 9112 §6.3): nothing to read
    const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    if (hasBody)
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
    let claims: Record<string, string> | undefined;
    if (route.roles !== 'public') {
      claims = await auth.verify(req.headers.authorization);
      if (!claims) return sendJson(res, 401, { message: 'Unauthorized' });
    }
    const values = match.pattern.exec(url.pathname)?.slice(1) ?? [];
    let pathParameters: Record<string, string>;
    try {
      pathParameters = Object.fromEntries(match.params.map((p, i) => [p, decodeURIComponent(values[i] ?? '')]));
    } catch {
      // API Gateway answers a path it cannot decode itself
      return sendJson(res, 400, { message: 'Bad Request' });
    }
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
    if (result.body === undefined || method === 'HEAD') res.end();
    else res.end(result.isBase64Encoded ? decodeBase64(result.body) : result.body);
  };

  return (req: IncomingMessage, res: ServerResponse): void => {
    onRequest(req, res).catch((e: unknown) => {
      log.error('request failed', { errorName: (e as Error)?.name });
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
      else res.end();
    });
  };
}
