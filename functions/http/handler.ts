/**
 * The middy stack every HTTP handler shares: request id and logger, auth from the authorizer's claims, body size,
 * JSON and zod validation, Idempotency-Key, and — in one place — typed errors mapped to HTTP. A handler file is then
 * one call: `export const handler = httpRoute('GetScenario', {}, async (req) => ok(...))`.
 */
import { createHash, randomUUID } from 'node:crypto';
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { config, loadKeys } from '#functions/config';
import { ROUTES, type RouteDef } from '#functions/routes';
import { getStore } from '#functions/store/index';
import { runAsTenant } from '#functions/tenancy';
import { authorize, principalFrom, type Principal } from './auth.js';
import {
  AppError,
  BadRequest,
  Conflict,
  ForbiddenField,
  Gone,
  InvalidInput,
  InvalidQuery,
  PayloadTooLarge,
  Unavailable,
  UnsupportedMediaType,
  isStoreUnreachable,
  type Issue,
} from '#functions/errors';
import { type Logger, logUnexpected, requestLogger } from './logger.js';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export interface HttpRequest<B> {
  route: RouteDef;
  requestId: string;
  principal: Principal | undefined;
  body: B;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  logger: Logger;
  /** the time the request arrived (handlers take the clock from here, not from Date.now) */
  now: Date;
}

/** A JSON response, or raw content (CSV, SVG, base64 xlsx) when `contentType` is given. */
export interface HttpResponse {
  statusCode: number;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  isBase64Encoded?: boolean;
}

export const ok = (body: unknown, statusCode = 200): HttpResponse => ({ statusCode, body });

export interface RouteOptions<B> {
  /** zod schema of the JSON body; without it the body is ignored */
  body?: z.ZodType<B>;
  /**
   * zod schema of the query parameters (strings in, strings out; the route table names it for OpenAPI as
   * `querySchema`): a parameter it refuses is a 400 naming the parameter, before the handler runs.
   */
  query?: z.ZodType<Record<string, string | undefined>>;
}

interface State {
  req: HttpRequest<unknown>;
  idempotencyKey?: string;
}
type Ctx = Context & { state?: State };

export function routeById(id: string): RouteDef {
  const r = ROUTES.find((x) => x.id === id);
  if (!r) throw new Error(`no route ${id} in functions/routes.ts`);
  return r;
}

export function toResult(res: HttpResponse, requestId: string): HttpResult {
  const headers: Record<string, string> = { 'x-request-id': requestId, ...res.headers };
  if (res.body === undefined) return { statusCode: res.statusCode, headers };
  if (res.contentType) {
    headers['content-type'] = res.contentType;
    return {
      statusCode: res.statusCode,
      headers,
      body: res.body as string,
      ...(res.isBase64Encoded ? { isBase64Encoded: true } : {}),
    };
  }
  headers['content-type'] = 'application/json; charset=utf-8';
  return { statusCode: res.statusCode, headers, body: JSON.stringify(res.body) };
}

/** Typed errors → status and body. Anything else is a 500 whose body holds only the request id. */
export function errorResponse(err: unknown, requestId: string, logger?: Logger): HttpResponse {
  if (err instanceof AppError) {
    if (err.statusCode >= 500) logger?.error('request failed', { error: err.error, reason: err.message });
    else logger?.info('request refused', { error: err.error, statusCode: err.statusCode });
    return {
      statusCode: err.statusCode,
      body: { error: err.error, message: err.message, requestId, ...err.details() },
    };
  }
  if (isStoreUnreachable(err)) {
    logger?.error('store unreachable', { errorName: (err as Error).name });
    const e = new Unavailable('the data store is not reachable; try again shortly');
    return { statusCode: 503, body: { error: e.error, message: e.message, requestId } };
  }
  logUnexpected(logger, 'unhandled error', err, { requestId });
  return { statusCode: 500, body: { error: 'InternalError', requestId } };
}

/** Path parameters (ids, months): what any id the service makes looks like. Checked before any store read. */
const PATH_PARAM = /^[A-Za-z0-9_.-]{1,128}$/;
/** JSON nesting deeper than any request needs (a scenario is 6 levels deep) is refused before parsing. */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of objects and arrays in JSON text, counted without parsing (linear, no recursion). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/**
 * Field names that mean an object's prototype to JavaScript. JSON.parse keeps them as plain fields, but a merge, a
 * spread or a schema downstream may treat them as the prototype (pollution) or drop them without a word: the body is
 * refused, naming where the field is.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Text that may hold one of FORBIDDEN_KEYS (JSON spells a name's letters as themselves or as `\u` escapes). */
const MAY_NAME_PROTOTYPE = /proto|constructor|\\u/;

/** The path (`body.scenario.__proto__`) of the first field of parsed JSON named in FORBIDDEN_KEYS, else undefined. */
export function forbiddenKeyPath(json: unknown): string | undefined {
  // iterative (the depth is already at most MAX_JSON_DEPTH, but a wide body should not cost a call per value)
  const stack: Array<{ value: unknown; path: string }> = [{ value: json, path: 'body' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}.${i}` });
      continue;
    }
    const keys = Object.keys(value);
    for (const k of keys) if (FORBIDDEN_KEYS.has(k)) return `${path}.${k}`;
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i] as string;
      // a long field name (a file's path) is shortened in the path shown, so the answer stays small
      const shown = k.length > 80 ? `${k.slice(0, 77)}...` : k;
      stack.push({ value: (value as Record<string, unknown>)[k], path: `${path}.${shown}` });
    }
  }
  return undefined;
}

export function zodIssues(error: z.ZodError, prefix: string[] = []): Issue[] {
  return error.issues.map((i) => ({
    path: [...prefix, ...i.path.map(String)].join('.') || '(root)',
    code: i.code,
    message: i.message,
  }));
}

const contextMiddleware = (route: RouteDef): MiddlewareObj<HttpEvent, HttpResult, Error, Ctx> => ({
  before: (request) => {
    const event = request.event;
    const requestId = event.requestContext?.requestId ?? request.context.awsRequestId ?? randomUUID();
    const logger = requestLogger({ requestId, route: route.id });
    const principal = principalFrom(event);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
    request.context.state = {
      req: {
        route,
        requestId,
        principal,
        body: undefined,
        params: Object.fromEntries(
          Object.entries(event.pathParameters ?? {}).filter(([, v]) => v !== undefined),
        ) as Record<string, string>,
        query: Object.fromEntries(
          Object.entries(event.queryStringParameters ?? {}).filter(([, v]) => v !== undefined),
        ) as Record<string, string>,
        headers,
        logger,
        now: new Date(),
      },
    };
    authorize(route, principal);
    for (const [name, value] of Object.entries(request.context.state.req.params))
      if (!PATH_PARAM.test(value))
        throw new BadRequest(`the path parameter ${name} must be 1–128 characters: letters, digits, "_", "-" or "."`);
    const { createdBy } = request.context.state.req.query;
    if (createdBy !== undefined && createdBy.length > 200)
      throw new BadRequest('createdBy must be at most 200 characters');
  },
  onError: (request) => {
    const state = request.context.state;
    const requestId = state?.req.requestId ?? request.context.awsRequestId ?? 'unknown';
    request.response = toResult(errorResponse(request.error, requestId, state?.req.logger), requestId);
  },
});

/**
 * The keys kept in Secrets Manager (the data salt, the cursor key), read once per container before the first request
 * is served — only by the functions the stack gave a secret's ARN to; for the others it resolves at once. Not read
 * before auth, so a caller without a token costs no Secrets Manager call; a failure is a 503 and is tried again.
 */
const keysMiddleware = (): MiddlewareObj<HttpEvent, HttpResult, Error, Ctx> => ({
  before: async (request) => {
    try {
      await loadKeys();
    } catch (e) {
      request.context.state?.req.logger.error('secrets not readable', { errorName: (e as Error).name });
      throw new Unavailable('the service could not read its keys; try again shortly');
    }
  },
});

function rawBody(event: HttpEvent): string | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  // a byte-order mark (a JSON file saved by Notepad, sent with curl --data @file) is dropped, as the CLI drops it
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) || undefined : text;
}

const queryMiddleware = (
  schema: z.ZodType<Record<string, string | undefined>> | undefined,
): MiddlewareObj<HttpEvent, HttpResult, Error, Ctx> => ({
  before: (request) => {
    const state = request.context.state as State;
    if (!schema) return;
    const parsed = schema.safeParse(state.req.query);
    if (!parsed.success) throw new InvalidQuery(zodIssues(parsed.error));
  },
});

/**
 * A body past the limit, in the units an officer knows, and what to do: 903 files are uploaded as a zip (read as its
 * files are, a tenth of their size), or fewer years at once.
 */
export const tooLargeMessage = (size: number, limit: number): string => {
  const mb = (n: number) => (n / 2 ** 20).toFixed(1).replace(/\.0$/, '');
  return `the body is ${mb(size)} MB, more than the ${mb(limit)} MB one request may carry: send less at once (SSDA903 files can be sent as one .zip, read as the files in it are, or fewer years at a time)`;
};

const bodyMiddleware = <B>(schema: z.ZodType<B> | undefined): MiddlewareObj<HttpEvent, HttpResult, Error, Ctx> => ({
  before: (request) => {
    const state = request.context.state as State;
    if (!schema) return;
    // API Gateway passes a compressed body on as it came: say so rather than "not valid JSON"
    const encoding = state.req.headers['content-encoding']?.trim().toLowerCase();
    if (encoding && encoding !== 'identity' && request.event.body)
      throw new UnsupportedMediaType(
        `the body is sent with Content-Encoding "${encoding.slice(0, 40)}": send it uncompressed`,
      );
    const text = rawBody(request.event);
    const limit = config().MAX_BODY_BYTES;
    const size = text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
    if (size > limit) throw new PayloadTooLarge(tooLargeMessage(size, limit));
    if (text === undefined)
      throw new InvalidInput([{ path: '(root)', code: 'required', message: 'a JSON body is required' }]);
    if (jsonDepth(text) > MAX_JSON_DEPTH)
      throw new InvalidInput([
        { path: '(root)', code: 'too_deep', message: `JSON nested more than ${MAX_JSON_DEPTH} levels` },
      ]);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new BadRequest('the body is not valid JSON');
    }
    // such a field's name is in the text as written, or spelt with a \u escape: only then is the body walked
    const forbidden = MAY_NAME_PROTOTYPE.test(text) ? forbiddenKeyPath(json) : undefined;
    if (forbidden !== undefined) throw new ForbiddenField(forbidden);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new InvalidInput(zodIssues(parsed.error));
    state.req.body = parsed.data;
  },
});

/** Words for the kinds a route creates, in a replay's 410. */
const CREATED_WORDS: Record<string, string> = {
  dataset: 'dataset',
  scenario: 'scenario',
  comparison: 'comparison',
  target: 'target search',
  'regional-forecast': 'regional forecast',
};

/**
 * A replay of a request that created a record (the route's `creates`) once that record has been deleted: a 410 saying
 * so, rather than the old answer pointing at nothing. Re-creating it would undo a delete someone chose; a client that
 * wants it again sends the request with a new key. Read as the caller (their council's or region's view).
 */
async function refuseReplayOfDeleted(
  route: RouteDef,
  principal: Principal | undefined,
  response: { statusCode: number; body?: unknown },
): Promise<void> {
  const kind = route.creates;
  const id = (response.body as { id?: unknown } | undefined)?.id;
  if (kind === undefined || response.statusCode < 200 || response.statusCode > 299 || typeof id !== 'string') return;
  const record = await runAsTenant(principal?.tenant, () => getStore().get(kind, id));
  if (record !== undefined) return;
  const what = CREATED_WORDS[kind] ?? kind;
  throw new Gone(
    `the ${what} this Idempotency-Key created (${id}) has been deleted since: send the request again with a new Idempotency-Key to create it again`,
    { id, deleted: true },
  );
}

/**
 * Idempotency-Key: the first request's response is remembered (conditional put, so two concurrent first requests
 * cannot both run); a retry with the same body gets it back, a different body gets 409.
 */
const idempotencyMiddleware = (route: RouteDef): MiddlewareObj<HttpEvent, HttpResult, Error, Ctx> => ({
  before: async (request) => {
    const state = request.context.state as State;
    const key = state.req.headers['idempotency-key'];
    if (!route.idempotent || key === undefined) return;
    if (key.length === 0 || key.length > 200) throw new BadRequest('Idempotency-Key must be 1–200 characters');
    const scoped = `${route.id}#${state.req.principal?.sub ?? 'public'}#${key}`;
    const hash = createHash('sha256')
      .update(rawBody(request.event) ?? '')
      .digest('hex');
    const claim = await getStore().claimIdempotency(
      scoped,
      hash,
      state.req.now.getTime(),
      // the request's own time limit (and a little): a claim left by a request that died expires with it
      route.timeoutSeconds * 1000 + 5_000,
    );
    if (claim.state === 'mismatch') throw new Conflict('this Idempotency-Key was already used with a different body');
    if (claim.state === 'in-progress') throw new Conflict('a request with this Idempotency-Key is still being served');
    if (claim.state === 'replay') {
      await refuseReplayOfDeleted(route, state.req.principal, claim.response);
      const res = toResult({ statusCode: claim.response.statusCode, body: claim.response.body }, state.req.requestId);
      res.headers = { ...res.headers, 'idempotent-replayed': 'true' };
      return res;
    }
    state.idempotencyKey = scoped;
  },
  after: async (request) => {
    const state = request.context.state as State;
    const res = request.response;
    if (!state.idempotencyKey || !res) return;
    const body: unknown = typeof res.body === 'string' && res.body.length > 0 ? JSON.parse(res.body) : undefined;
    await getStore().completeIdempotency(
      state.idempotencyKey,
      { statusCode: res.statusCode ?? 200, body },
      state.req.now.getTime() + config().IDEMPOTENCY_HOURS * 3600_000,
    );
  },
  onError: async (request) => {
    const state = request.context.state;
    if (!state?.idempotencyKey) return;
    try {
      await getStore().releaseIdempotency(state.idempotencyKey);
    } catch {
      // the claim expires on its own; the original error is what the client must see
    }
  },
});

export function httpRoute<B = undefined>(
  routeId: string,
  options: RouteOptions<B>,
  fn: (req: HttpRequest<B>) => Promise<HttpResponse>,
) {
  const route = routeById(routeId);
  // On Lambda a wrong environment should stop the cold start, not the first request that needs it.
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) config();
  // middy runs `before` in order and `after`/`onError` in reverse: the context (and its error mapper) wraps the rest.
  return middy<HttpEvent, HttpResult, Error, Ctx>()
    .use(httpHeaderNormalizer())
    .use(contextMiddleware(route))
    .use(keysMiddleware())
    .use(queryMiddleware(options.query))
    .use(bodyMiddleware(options.body))
    .use(idempotencyMiddleware(route))
    .handler(async (_event, context) => {
      const state = context.state as State;
      // served as the caller: getStore() is the caller's council's or region's view of the store (functions/tenancy.ts)
      const res =
        state.req.route.roles === 'public'
          ? await fn(state.req as HttpRequest<B>)
          : await runAsTenant(state.req.principal?.tenant, () => fn(state.req as HttpRequest<B>));
      return toResult(res, state.req.requestId);
    });
}
