/**
 * The Store on DynamoDB (single table, see ./table.ts). Uses only what dynalite and DynamoDB Local both implement:
 * no transactions, TTL, streams or PartiQL. Atomicity comes from ordering (parts first, summary item last) and
 * conditional writes (idempotency claims, status transitions).
 */
import { forgetFinal } from './final-cache.js';
import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { Conflict, Unavailable } from '#functions/errors';
import { decodeCursor, encodeCursor, type ListKey } from './cursor.js';
import { BY_KIND_INDEX } from './table.js';
import type {
  BlobRef,
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
import { checkMany } from './store.js';

/**
 * Blob contents by (record, name, generation). A generation is never rewritten (a new write gets a new one), so a
 * cached copy can never be stale; the raw bytes are kept and parsed per read so that callers cannot share objects.
 */
class BlobCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}
  get(key: string): Buffer | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // refresh its place in the least-recently-used order
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }
  /** drop every cached blob of one record (its key prefix): a deleted record's contents are not kept in memory */
  forget(prefix: string): void {
    for (const [k, v] of this.entries)
      if (k.startsWith(prefix)) {
        this.entries.delete(k);
        this.bytes -= v.length;
      }
  }
  set(key: string, value: Buffer): void {
    if (value.length > this.maxBytes / 4 || this.entries.has(key)) return;
    this.entries.set(key, value);
    this.bytes += value.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.length;
    }
  }
}

/** Well under DynamoDB's 400 KB item limit, leaving room for keys and attribute names. */
export const DEFAULT_PART_BYTES = 350_000;
const META = 'META';
/** used when no secret is configured (tests, tools); the deployed stack and the local runtime pass their own */
export const DEV_CURSOR_SECRET = 'placement-forecast-cursor';

const pkOf = (kind: string, id: string) => `${kind.toUpperCase()}#${id}`;
const partSk = (name: string, gen: string, n: number) => `BLOB#${name}#${gen}#${String(n).padStart(5, '0')}`;

export interface DynamoStoreOptions {
  tableName: string;
  /** a DynamoDB-compatible endpoint (dynalite, DynamoDB Local); dummy credentials are used with it */
  endpoint?: string;
  region?: string;
  partBytes?: number;
  client?: DynamoDBClient;
  /** memory for immutable blob contents (default 64 MB; 0 turns the cache off) */
  cacheBytes?: number;
  /** signs page cursors (default: a fixed development secret) */
  cursorSecret?: string;
}

interface MetaItem {
  pk: string;
  sk: string;
  kind: string;
  id: string;
  createdAt: string;
  updatedAt: string;
  createdBy?: string;
  tenant?: string;
  summary: Record<string, unknown>;
  blobs: Record<string, BlobRef>;
}

export function makeDynamoClient(options: { endpoint?: string; region?: string }): DynamoDBClient {
  const cfg: DynamoDBClientConfig = { region: options.region ?? 'eu-west-2', maxAttempts: 3 };
  if (options.endpoint) {
    cfg.endpoint = options.endpoint;
    // emulators accept any key; real credentials must never be needed (or sent) locally
    cfg.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  }
  return new DynamoDBClient(cfg);
}

export class DynamoStore implements Store {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly partBytes: number;
  private readonly cache: BlobCache | undefined;
  private readonly cursorSecret: string;

  constructor(options: DynamoStoreOptions) {
    const cacheBytes = options.cacheBytes ?? 64 * 1024 * 1024;
    this.cache = cacheBytes > 0 ? new BlobCache(cacheBytes) : undefined;
    const client = options.client ?? makeDynamoClient(options);
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    this.table = options.tableName;
    this.partBytes = options.partBytes ?? DEFAULT_PART_BYTES;
    this.cursorSecret = options.cursorSecret ?? DEV_CURSOR_SECRET;
  }

  async ping(): Promise<void> {
    await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: 'HEALTH', sk: META } }));
  }

  private async writeBlob(pk: string, name: string, value: unknown): Promise<BlobRef> {
    const bytes = Buffer.from(JSON.stringify(value ?? null), 'utf8');
    const gen = randomBytes(6).toString('hex');
    const parts = Math.max(1, Math.ceil(bytes.length / this.partBytes));
    const items = [];
    for (let n = 0; n < parts; n++) {
      items.push({ pk, sk: partSk(name, gen, n), data: bytes.subarray(n * this.partBytes, (n + 1) * this.partBytes) });
    }
    // Parts go out a few at a time: BatchWrite is capped at 16 MB and 25 items, and one request per part keeps
    // each under the 400 KB item limit without pushing emulators past their request-size limits.
    const concurrency = 4;
    for (let i = 0; i < items.length; i += concurrency) {
      await Promise.all(
        items.slice(i, i + concurrency).map((Item) => this.doc.send(new PutCommand({ TableName: this.table, Item }))),
      );
    }
    return { gen, parts, bytes: bytes.length };
  }

  private async writeBlobs(pk: string, blobs: Record<string, unknown> | undefined): Promise<Record<string, BlobRef>> {
    const refs: Record<string, BlobRef> = {};
    for (const [name, value] of Object.entries(blobs ?? {})) refs[name] = await this.writeBlob(pk, name, value);
    return refs;
  }

  async create<S extends object>(record: NewRecord<S>, blobs?: Record<string, unknown>): Promise<StoredRecord<S>> {
    const pk = pkOf(record.kind, record.id);
    const refs = await this.writeBlobs(pk, blobs);
    const item: MetaItem = {
      pk,
      sk: META,
      kind: record.kind,
      id: record.id,
      createdAt: record.createdAt,
      updatedAt: record.createdAt,
      ...(record.createdBy !== undefined ? { createdBy: record.createdBy } : {}),
      ...(record.tenant !== undefined ? { tenant: record.tenant } : {}),
      summary: record.summary as Record<string, unknown>,
      blobs: refs,
    };
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) {
        await this.deleteParts(pk, refs);
        throw new Conflict(`${record.kind} ${record.id} already exists`);
      }
      throw e;
    }
    return toRecord<S>(item);
  }

  async get<S>(kind: string, id: string): Promise<StoredRecord<S> | undefined> {
    const r = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: pkOf(kind, id), sk: META }, ConsistentRead: true }),
    );
    return r.Item ? toRecord<S>(r.Item as MetaItem) : undefined;
  }

  /**
   * BatchGetItem in batches of 100 keys (its limit; duplicate keys read once), consistent reads; the keys DynamoDB
   * leaves unprocessed (throttling, the 16 MB response limit) are asked again with a growing pause, and a batch still
   * unfinished after that is a 503 (Unavailable), never a silently shorter answer.
   */
  async getMany<S>(kind: string, ids: readonly string[]): Promise<(StoredRecord<S> | undefined)[]> {
    checkMany(ids);
    const unique = [...new Set(ids.map((id) => pkOf(kind, id)))];
    const found = new Map<string, MetaItem>();
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] = unique.slice(i, i + 100).map((pk) => ({ pk, sk: META }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 0) {
          if (attempt > 6) throw new Unavailable('the store did not answer every read of a batch: try again');
          await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
        }
        const r = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of r.Responses?.[this.table] ?? []) found.set(item.pk as string, item as MetaItem);
        keys = (r.UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return ids.map((id) => {
      const item = found.get(pkOf(kind, id));
      return item ? toRecord<S>(item) : undefined;
    });
  }

  async readBlob<T>(record: StoredRecord<unknown>, name: string): Promise<T | undefined> {
    const text = await this.readBlobJson(record, name);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async readBlobJson(record: StoredRecord<unknown>, name: string): Promise<string | undefined> {
    const ref = record.blobs[name];
    if (!ref) return undefined;
    const pk = pkOf(record.kind, record.id);
    const cacheKey = `${pk}#${name}#${ref.gen}`;
    const cached = this.cache?.get(cacheKey);
    if (cached) return cached.toString('utf8');
    const chunks: Buffer[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': `BLOB#${name}#${ref.gen}#` },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) chunks.push(Buffer.from(item.data as Uint8Array));
      start = page.LastEvaluatedKey;
    } while (start);
    // its parts went or were replaced after the record was read: a delete under way (parts first) or an update
    if (chunks.length !== ref.parts)
      throw new Conflict(
        `the ${record.kind} ${record.id} was changed or deleted while it was read (${chunks.length} of ${ref.parts} parts found): try again`,
      );
    const whole = Buffer.concat(chunks);
    this.cache?.set(cacheKey, whole);
    return whole.toString('utf8');
  }

  async update<S extends object>(
    kind: string,
    id: string,
    patch: { summary?: Partial<S>; blobs?: Record<string, unknown> },
    options: UpdateOptions = {},
  ): Promise<boolean> {
    forgetFinal(kind, id); // a warm copy of it is stale from now (./final-cache.ts)
    const pk = pkOf(kind, id);
    let old: Record<string, BlobRef> = {};
    if (patch.blobs) {
      const current = await this.get(kind, id);
      if (!current) return false;
      old = current.blobs;
    }
    const refs = await this.writeBlobs(pk, patch.blobs);
    const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':now': new Date().toISOString() };
    const sets = ['#updatedAt = :now'];
    let i = 0;
    for (const [k, v] of Object.entries(patch.summary ?? {})) {
      names['#summary'] = 'summary';
      names[`#f${i}`] = k;
      values[`:f${i}`] = v;
      sets.push(`#summary.#f${i} = :f${i}`);
      i++;
    }
    for (const [name, ref] of Object.entries(refs)) {
      names['#blobs'] = 'blobs';
      names[`#b${i}`] = name;
      values[`:b${i}`] = ref;
      sets.push(`#blobs.#b${i} = :b${i}`);
      i++;
    }
    let condition = 'attribute_exists(pk)';
    if (options.expectStatus) {
      names['#summary'] = 'summary';
      names['#status'] = 'status';
      const alts = options.expectStatus.map((s, j) => {
        values[`:s${j}`] = s;
        return `#summary.#status = :s${j}`;
      });
      condition += ` AND (${alts.join(' OR ')})`;
    }
    let e = 0;
    for (const [field, value] of Object.entries(options.expectFields ?? {})) {
      names['#summary'] = 'summary';
      names[`#e${e}`] = field;
      values[`:e${e}`] = value;
      condition += ` AND #summary.#e${e} = :e${e}`;
      e++;
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk, sk: META },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) {
        await this.deleteParts(pk, refs);
        return false;
      }
      throw e;
    }
    const replaced: Record<string, BlobRef> = {};
    for (const name of Object.keys(refs)) if (old[name]) replaced[name] = old[name];
    await this.deleteParts(pk, replaced);
    return true;
  }

  async list<S>(kind: string, options: ListOptions): Promise<Page<StoredRecord<S>>> {
    const input: QueryCommandInput = {
      TableName: this.table,
      IndexName: BY_KIND_INDEX.name,
      KeyConditionExpression: '#kind = :kind',
      ExpressionAttributeNames: { '#kind': BY_KIND_INDEX.partition },
      ExpressionAttributeValues: { ':kind': kind },
      ScanIndexForward: false,
      Limit: options.limit,
      ExclusiveStartKey: options.cursor
        ? (decodeCursor(options.cursor, kind, this.cursorSecret) as unknown as Record<string, unknown>)
        : undefined,
    };
    const filters: string[] = [];
    if (options.createdBy !== undefined) {
      filters.push('#createdBy = :createdBy');
      input.ExpressionAttributeNames = { ...input.ExpressionAttributeNames, '#createdBy': 'createdBy' };
      input.ExpressionAttributeValues = { ...input.ExpressionAttributeValues, ':createdBy': options.createdBy };
    }
    if (options.tenant !== undefined) {
      // a tenant's records of a kind: read from the kind's index and filtered (a per-tenant index is the next step
      // when one kind holds very many tenants' records)
      filters.push('#tenant = :tenant');
      input.ExpressionAttributeNames = { ...input.ExpressionAttributeNames, '#tenant': 'tenant' };
      input.ExpressionAttributeValues = { ...input.ExpressionAttributeValues, ':tenant': options.tenant };
    }
    if (filters.length) input.FilterExpression = filters.join(' AND ');
    const items: StoredRecord<S>[] = [];
    let last: Record<string, unknown> | undefined;
    // A filter can leave a page short (even empty) while more match further on: keep reading until the page is full.
    do {
      const page = await this.doc.send(new QueryCommand({ ...input, Limit: options.limit - items.length }));
      for (const item of page.Items ?? []) items.push(toRecord<S>(item as MetaItem));
      last = page.LastEvaluatedKey;
      input.ExclusiveStartKey = last;
    } while (last && items.length < options.limit);
    return last ? { items, cursor: encodeCursor(last as unknown as ListKey, this.cursorSecret) } : { items };
  }

  async delete(kind: string, id: string, options: DeleteOptions = {}): Promise<boolean> {
    forgetFinal(kind, id);
    const pk = pkOf(kind, id);
    this.cache?.forget(`${pk}#`);
    if (options.partsFirst) {
      // every part (this record's and any a failed write left), then the summary item: a retry after a stop midway
      // still finds the record and finishes
      if (!(await this.get(kind, id))) return false;
      await this.batchDelete((await this.keysOf(pk)).filter((k) => k.sk !== META));
      return this.deleteMeta(kind, id, pk);
    }
    if (!(await this.deleteMeta(kind, id, pk))) return false;
    await this.batchDelete(await this.keysOf(pk));
    return true;
  }

  /** the summary item, conditionally; false when it was not there */
  private async deleteMeta(kind: string, id: string, pk: string): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk, sk: META },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    } finally {
      forgetFinal(kind, id); // and again: a read that began before the delete is not kept
    }
  }

  /** every item stored under a record's key */
  private async keysOf(pk: string): Promise<Array<{ pk: string; sk: string }>> {
    const keys: Array<{ pk: string; sk: string }> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'pk, sk',
          // a record deleted just after it was written (a shard summary dropped as its job ended) has every part
          // found: an eventually consistent read could miss the newest and leave them behind
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) keys.push({ pk: item.pk as string, sk: item.sk as string });
      start = page.LastEvaluatedKey;
    } while (start);
    return keys;
  }

  private async deleteParts(pk: string, refs: Record<string, BlobRef>): Promise<void> {
    const keys = [];
    for (const [name, ref] of Object.entries(refs))
      for (let n = 0; n < ref.parts; n++) keys.push({ pk, sk: partSk(name, ref.gen, n) });
    await this.batchDelete(keys);
  }

  private async batchDelete(keys: Array<{ pk: string; sk: string }>): Promise<void> {
    for (let i = 0; i < keys.length; i += 25) {
      let requests: unknown[] | undefined = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 0; requests && requests.length > 0 && attempt < 8; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const r: { UnprocessedItems?: Record<string, unknown[]> } = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.table]: requests as never } }),
        );
        requests = r.UnprocessedItems?.[this.table];
      }
    }
  }

  async claimIdempotency(key: string, bodyHash: string, nowMs: number, ttlMs: number): Promise<IdempotencyClaim> {
    const pk = `IDEMPOTENCY#${key}`;
    try {
      // Expired claims count as absent: dynalite has no TTL, so expiry is a condition on read and write.
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk, sk: META, bodyHash, state: 'pending', expiresAtMs: nowMs + ttlMs },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs < :now',
          ExpressionAttributeValues: { ':now': nowMs },
        }),
      );
      return { state: 'claimed' };
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
    const r = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk, sk: META }, ConsistentRead: true }),
    );
    const item = r.Item;
    // deleted between our put and our read: the caller may simply retry
    if (!item) return { state: 'in-progress' };
    if (item.bodyHash !== bodyHash) return { state: 'mismatch' };
    if (item.state === 'done')
      return { state: 'replay', response: JSON.parse(item.response as string) as RememberedResponse };
    return { state: 'in-progress' };
  }

  async completeIdempotency(key: string, response: RememberedResponse, untilMs: number): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `IDEMPOTENCY#${key}`, sk: META },
        UpdateExpression: 'SET #state = :done, #response = :response, expiresAtMs = :until',
        ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
        ExpressionAttributeValues: {
          ':done': 'done',
          ':response': JSON.stringify(response),
          ':until': untilMs,
        },
      }),
    );
  }

  async releaseIdempotency(key: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: `IDEMPOTENCY#${key}`, sk: META } }));
  }
}

function toRecord<S>(item: MetaItem): StoredRecord<S> {
  return {
    kind: item.kind,
    id: item.id,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    ...(item.createdBy !== undefined ? { createdBy: item.createdBy } : {}),
    ...(item.tenant !== undefined ? { tenant: item.tenant } : {}),
    summary: item.summary as S,
    blobs: item.blobs ?? {},
  };
}
