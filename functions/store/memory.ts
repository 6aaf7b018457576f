/**
 * The Store port in memory, for fast unit tests of handlers and jobs (no emulator, no network). Same contract as the
 * DynamoDB adapter: Conflict on a duplicate create, conditional updates by status, newest-first pages with signed
 * cursors, blobs copied in and out (a caller never shares an object with the store), idempotency claims that expire,
 * and the same numbers refused (values DynamoDB cannot hold). Not for production: one process, no persistence.
 */
import { forgetFinal } from './final-cache.js';
import { randomBytes } from 'node:crypto';
import { Conflict } from '#functions/errors';
import { decodeCursor, encodeCursor } from './cursor.js';
import { DEV_CURSOR_SECRET } from './dynamo.js';
import { storableIssues } from './storable.js';
import { checkMany } from './store.js';
import type {
  IdempotencyClaim,
  ListOptions,
  NewRecord,
  Page,
  RememberedResponse,
  Store,
  StoredRecord,
  UpdateOptions,
  DeleteOptions,
} from './store.js';

interface Entry {
  record: StoredRecord<Record<string, unknown>>;
  blobs: Map<string, string>;
}

const keyOf = (kind: string, id: string) => `${kind.toUpperCase()}#${id}`;

export class MemoryStore implements Store {
  private readonly records = new Map<string, Entry>();
  private readonly claims = new Map<string, { bodyHash: string; expiresAtMs: number; response?: string }>();
  /** set to make every call fail as an unreachable store would */
  unreachable = false;

  constructor(private readonly cursorSecret = DEV_CURSOR_SECRET) {}

  private check(): void {
    if (this.unreachable) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  }

  private storable(summary: unknown): void {
    // DynamoDB refuses such an item with a ValidationException: a 500 unless the caller checked first
    if (storableIssues(summary, 'summary').length) throw new Error('ValidationException: number out of range');
  }

  async ping(): Promise<void> {
    this.check();
  }

  async create<S extends object>(record: NewRecord<S>, blobs?: Record<string, unknown>): Promise<StoredRecord<S>> {
    this.check();
    this.storable(record.summary);
    const key = keyOf(record.kind, record.id);
    if (this.records.has(key)) throw new Conflict(`${record.kind} ${record.id} already exists`);
    const stored = new Map<string, string>();
    const refs: StoredRecord['blobs'] = {};
    for (const [name, value] of Object.entries(blobs ?? {})) {
      const text = JSON.stringify(value ?? null);
      stored.set(name, text);
      refs[name] = { gen: randomBytes(6).toString('hex'), parts: 1, bytes: Buffer.byteLength(text) };
    }
    const full: StoredRecord<Record<string, unknown>> = {
      kind: record.kind,
      id: record.id,
      createdAt: record.createdAt,
      updatedAt: record.createdAt,
      ...(record.createdBy !== undefined ? { createdBy: record.createdBy } : {}),
      ...(record.tenant !== undefined ? { tenant: record.tenant } : {}),
      summary: structuredClone(record.summary) as Record<string, unknown>,
      blobs: refs,
    };
    this.records.set(key, { record: full, blobs: stored });
    return structuredClone(full) as unknown as StoredRecord<S>;
  }

  async get<S>(kind: string, id: string): Promise<StoredRecord<S> | undefined> {
    this.check();
    const e = this.records.get(keyOf(kind, id));
    return e ? (structuredClone(e.record) as unknown as StoredRecord<S>) : undefined;
  }

  async getMany<S>(kind: string, ids: readonly string[]): Promise<(StoredRecord<S> | undefined)[]> {
    checkMany(ids);
    return Promise.all(ids.map((id) => this.get<S>(kind, id)));
  }

  async readBlob<T>(record: StoredRecord<unknown>, name: string): Promise<T | undefined> {
    const text = await this.readBlobJson(record, name);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async readBlobJson(record: StoredRecord<unknown>, name: string): Promise<string | undefined> {
    this.check();
    const e = this.records.get(keyOf(record.kind, record.id));
    if (!e || !record.blobs[name] || e.record.blobs[name]?.gen !== record.blobs[name]?.gen) return undefined;
    return e.blobs.get(name);
  }

  async update<S extends object>(
    kind: string,
    id: string,
    patch: { summary?: Partial<S>; blobs?: Record<string, unknown> },
    options: UpdateOptions = {},
  ): Promise<boolean> {
    forgetFinal(kind, id); // a warm copy of it is stale from now (./final-cache.ts)
    this.check();
    const e = this.records.get(keyOf(kind, id));
    if (!e) return false;
    if (options.expectStatus && !options.expectStatus.includes(String(e.record.summary.status))) return false;
    for (const [field, value] of Object.entries(options.expectFields ?? {}))
      if (e.record.summary[field] !== value) return false;
    const summary = { ...e.record.summary, ...structuredClone(patch.summary ?? {}) };
    this.storable(summary);
    e.record.summary = summary;
    for (const [name, value] of Object.entries(patch.blobs ?? {})) {
      const text = JSON.stringify(value ?? null);
      e.blobs.set(name, text);
      e.record.blobs[name] = { gen: randomBytes(6).toString('hex'), parts: 1, bytes: Buffer.byteLength(text) };
    }
    e.record.updatedAt = new Date().toISOString();
    return true;
  }

  async list<S>(kind: string, options: ListOptions): Promise<Page<StoredRecord<S>>> {
    this.check();
    let all = [...this.records.values()]
      .map((e) => e.record)
      .filter((r) => r.kind === kind)
      .sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
    if (options.cursor) {
      const after = decodeCursor(options.cursor, kind, this.cursorSecret);
      const i = all.findIndex((r) => keyOf(r.kind, r.id) === after.pk);
      all = i >= 0 ? all.slice(i + 1) : all.filter((r) => r.createdAt < after.createdAt);
    }
    if (options.createdBy !== undefined) all = all.filter((r) => r.createdBy === options.createdBy);
    if (options.tenant !== undefined) all = all.filter((r) => r.tenant === options.tenant);
    const items = all.slice(0, options.limit);
    const more = all.length > options.limit;
    const last = items[items.length - 1];
    return {
      items: structuredClone(items) as unknown as StoredRecord<S>[],
      ...(more && last
        ? {
            cursor: encodeCursor(
              { pk: keyOf(last.kind, last.id), sk: 'META', kind, createdAt: last.createdAt },
              this.cursorSecret,
            ),
          }
        : {}),
    };
  }

  async delete(kind: string, id: string, _options?: DeleteOptions): Promise<boolean> {
    // one map entry holds the summary and the blobs: either order removes both at once
    forgetFinal(kind, id);
    this.check();
    return this.records.delete(keyOf(kind, id));
  }

  async claimIdempotency(key: string, bodyHash: string, nowMs: number, ttlMs: number): Promise<IdempotencyClaim> {
    this.check();
    const c = this.claims.get(key);
    if (!c || c.expiresAtMs < nowMs) {
      this.claims.set(key, { bodyHash, expiresAtMs: nowMs + ttlMs });
      return { state: 'claimed' };
    }
    if (c.bodyHash !== bodyHash) return { state: 'mismatch' };
    if (c.response !== undefined) return { state: 'replay', response: JSON.parse(c.response) as RememberedResponse };
    return { state: 'in-progress' };
  }

  async completeIdempotency(key: string, response: RememberedResponse, untilMs: number): Promise<void> {
    this.check();
    const c = this.claims.get(key);
    if (!c) return;
    c.response = JSON.stringify(response);
    c.expiresAtMs = untilMs;
  }

  async releaseIdempotency(key: string): Promise<void> {
    this.check();
    this.claims.delete(key);
  }
}
