/**
 * Fast reads of finished work. A complete result never changes, so its response is keyed by what it was built from
 * (record id, blob generations, query): a strong ETag from that key (304 when the client has it), Cache-Control for
 * private caching, gzip or brotli when the client accepts it, and a bounded in-process cache of the encoded bodies
 * (32 MB per process by default, HOT_CACHE_MB; least recently used out first) so a hot result is neither re-read nor
 * re-compressed. On Lambda the cache lives as long as the warm container; locally as long as the service.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readFinal } from '#functions/store/final-cache';
import { getStore } from '#functions/store/index';
import type { StoredRecord } from '#functions/store/store';
import { tenantKey } from '#functions/tenancy';
import type { HttpRequest, HttpResponse } from './handler.js';

type Encoding = 'br' | 'gzip' | 'identity';

interface Cached {
  body: string;
  base64: boolean;
  contentType: string;
  bytes: number;
}

class HotCache {
  private readonly entries = new Map<string, Cached>();
  private bytes = 0;
  constructor(readonly maxBytes: number) {}
  get(key: string): Cached | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }
  set(key: string, value: Cached): void {
    if (value.bytes > this.maxBytes / 4 || this.entries.has(key)) return;
    this.entries.set(key, value);
    this.bytes += value.bytes;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.bytes;
    }
  }
  get size(): number {
    return this.bytes;
  }
}

const building = new Map<string, Promise<Cached>>();
const hot = new HotCache(Number(process.env.HOT_CACHE_MB ?? 32) * 1024 * 1024);

/** bytes held by the hot-result cache (for the memory benchmark) */
export const hotCacheBytes = (): number => hot.size;

/** below this a body goes uncompressed: the headers would cost more than the saving */
const MIN_COMPRESS_BYTES = 1024;
export const IMMUTABLE_CACHE_CONTROL = 'private, max-age=300';

function negotiate(acceptEncoding: string | undefined): Encoding {
  const accepted = (acceptEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((p) => p.trim().split(';'))
    .filter(([, q]) => !q || !/^q=0(\.0*)?$/.test(q.trim()))
    .map(([name]) => name);
  if (accepted.includes('br')) return 'br';
  if (accepted.includes('gzip')) return 'gzip';
  return 'identity';
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const v = t.trim();
    return v === '*' || v === etag || v === `W/${etag}`;
  });
}

/**
 * The caller's record of this kind and id; once it is complete, kept warm for a short time (see
 * functions/store/final-cache.ts) so a hot result is served without a store round trip.
 */
export function finishedRecord<S>(
  req: HttpRequest<unknown>,
  kind: string,
  id: string,
): Promise<StoredRecord<S> | undefined> {
  const store = getStore();
  const tenant = req.principal?.tenant ? tenantKey(req.principal.tenant) : '';
  return readFinal<S>(
    tenant,
    kind,
    id,
    () => store.get<S>(kind, id),
    (r) => (r.summary as { status?: string }).status === 'complete',
  );
}

/** What a record's response is built from: its id, last update and blob generations (the immutable response's key). */
export function recordVersion(record: StoredRecord<unknown>): string {
  const gens = Object.entries(record.blobs)
    .map(([name, ref]) => `${name}:${ref.gen}`)
    .sort()
    .join(',');
  return `${record.id}#${record.updatedAt}#${gens}`;
}

/**
 * The response of an immutable resource: `key` names everything it was built from; `build` makes its body (a JSON
 * value or, with a contentType, text) only when neither the client nor the hot cache has it.
 */
export async function immutableResponse(
  req: HttpRequest<unknown>,
  key: string,
  build: () => Promise<{ body: unknown; contentType?: string }>,
): Promise<HttpResponse> {
  const etag = `"${createHash('sha256').update(`${req.route.id}\n${key}`).digest('base64url').slice(0, 32)}"`;
  const headers: Record<string, string> = { etag, 'cache-control': IMMUTABLE_CACHE_CONTROL, vary: 'accept-encoding' };
  if (ifNoneMatch(req.headers['if-none-match'], etag)) return { statusCode: 304, headers };
  const encoding = negotiate(req.headers['accept-encoding']);
  const cacheKey = `${etag}#${encoding}`;
  // a client asking for no-cache gets a freshly built body (and the benchmark its uncached latency)
  const bypass = /no-cache/i.test(req.headers['cache-control'] ?? '');
  let entry = bypass ? undefined : hot.get(cacheKey);
  if (!entry && !bypass) {
    // concurrent first readers of a result share one build and one compression
    let pending = building.get(cacheKey);
    if (!pending) {
      pending = encode(build, encoding).then((e) => {
        hot.set(cacheKey, e);
        return e;
      });
      building.set(cacheKey, pending);
      const done = () => building.delete(cacheKey);
      pending.then(done, done);
    }
    entry = await pending;
  }
  if (!entry) entry = await encode(build, encoding);
  if (entry.base64) headers['content-encoding'] = encoding;
  return {
    statusCode: 200,
    contentType: entry.contentType,
    body: entry.body,
    headers,
    ...(entry.base64 ? { isBase64Encoded: true } : {}),
  };
}

/** Build the body and encode it as the client asked. */
async function encode(
  build: () => Promise<{ body: unknown; contentType?: string }>,
  encoding: Encoding,
): Promise<Cached> {
  const built = await build();
  const text = built.contentType ? String(built.body) : JSON.stringify(built.body);
  const contentType = built.contentType ?? 'application/json; charset=utf-8';
  const raw = Buffer.from(text, 'utf8');
  if (encoding === 'identity' || raw.length < MIN_COMPRESS_BYTES)
    return { body: text, base64: false, contentType, bytes: raw.length };
  const packed =
    encoding === 'br'
      ? brotliCompressSync(raw, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
        })
      : gzipSync(raw, { level: 6 });
  return { body: packed.toString('base64'), base64: true, contentType, bytes: packed.length };
}
