/**
 * The store port: what handlers and jobs need from persistence, nothing about DynamoDB. A record is a small summary
 * item (listed by kind, newest first) plus named blobs of any size, which the adapter splits into parts. The contract:
 * blobs are written before the summary that points at them, so a reader never sees a half-written record.
 */

export interface BlobRef {
  /** write generation: parts of a rewritten blob get a new one, so old and new parts never mix */
  gen: string;
  parts: number;
  bytes: number;
}

export interface StoredRecord<S = Record<string, unknown>> {
  kind: string;
  id: string;
  /** ISO timestamp; the list order */
  createdAt: string;
  updatedAt: string;
  /** the principal (token subject) who created it, when a person did */
  createdBy?: string;
  /** the council ("council:E06000031") or region ("region:eastern") it belongs to (functions/tenancy.ts) */
  tenant?: string;
  summary: S;
  blobs: Record<string, BlobRef>;
}

export interface NewRecord<S> {
  kind: string;
  id: string;
  createdAt: string;
  createdBy?: string;
  tenant?: string;
  summary: S;
}

export interface Page<T> {
  items: T[];
  /** opaque; pass back to get the next page; absent on the last page */
  cursor?: string;
}

export interface ListOptions {
  limit: number;
  cursor?: string;
  createdBy?: string;
  /** only the records of this tenant */
  tenant?: string;
}

export interface UpdateOptions {
  /** only update when the summary's `status` is one of these (else resolves false) */
  expectStatus?: readonly string[];
  /** only update when each of these summary fields holds exactly this value (else resolves false) */
  expectFields?: Readonly<Record<string, string>>;
}

export interface DeleteOptions {
  /**
   * Remove the blob parts first and the summary item last (conditionally), for records that hold personal data: a
   * delete that stops midway leaves the summary item, so a retry finds the record and finishes; nothing is left
   * that no record points at. Readers of the record meanwhile may find its blobs gone (an error, not stale data).
   */
  partsFirst?: boolean;
}

/** A response remembered for an Idempotency-Key. */
export interface RememberedResponse {
  statusCode: number;
  body: unknown;
}

export type IdempotencyClaim =
  | { state: 'claimed' }
  | { state: 'replay'; response: RememberedResponse }
  /** the first request with this key is still being served */
  | { state: 'in-progress' }
  /** the key was used with a different body */
  | { state: 'mismatch' };

export interface Store {
  /** a cheap read that proves the table is reachable */
  ping(): Promise<void>;
  /** blobs first, then the summary item; Conflict when a record with this kind and id exists */
  create<S extends object>(record: NewRecord<S>, blobs?: Record<string, unknown>): Promise<StoredRecord<S>>;
  get<S = Record<string, unknown>>(kind: string, id: string): Promise<StoredRecord<S> | undefined>;
  /** several records of one kind at once, in the order of `ids` (undefined where there is none); ≤ 1,000 ids */
  getMany<S = Record<string, unknown>>(kind: string, ids: readonly string[]): Promise<(StoredRecord<S> | undefined)[]>;
  readBlob<T = unknown>(record: StoredRecord<unknown>, name: string): Promise<T | undefined>;
  /** the blob as JSON text, for handlers that pass it through unchanged (no parse and re-serialise) */
  readBlobJson(record: StoredRecord<unknown>, name: string): Promise<string | undefined>;
  /**
   * Merge fields into the summary and replace the named blobs (new parts first, then the summary item, then the old
   * parts are removed). Resolves false when the record is gone or its status is not one of `expectStatus`.
   */
  update<S extends object>(
    kind: string,
    id: string,
    patch: { summary?: Partial<S>; blobs?: Record<string, unknown> },
    options?: UpdateOptions,
  ): Promise<boolean>;
  list<S = Record<string, unknown>>(kind: string, options: ListOptions): Promise<Page<StoredRecord<S>>>;
  /**
   * The summary item first (the record disappears at once), then its parts — or, with `partsFirst`, every part and
   * then the summary item; false when it did not exist.
   */
  delete(kind: string, id: string, options?: DeleteOptions): Promise<boolean>;

  /**
   * Claim a key for a request now being served. `ttlMs` is the request's own time limit: a claim whose request
   * never finished (the process died) expires then, so a retry is served instead of refused for a day.
   */
  claimIdempotency(key: string, bodyHash: string, nowMs: number, ttlMs: number): Promise<IdempotencyClaim>;
  /** remember the response until `untilMs` (epoch ms: the replay window) */
  completeIdempotency(key: string, response: RememberedResponse, untilMs: number): Promise<void>;
  /** forget a claim whose request failed, so that a retry runs again */
  releaseIdempotency(key: string): Promise<void>;
}

/** The most ids one `getMany` takes (callers page what they read; a store reads them in batches of 100). */
export const GET_MANY_MAX = 1000;

/** A caller asking for more than GET_MANY_MAX ids at once is a bug of the caller's, not bad input. */
export function checkMany(ids: readonly string[]): void {
  if (ids.length > GET_MANY_MAX) throw new Error(`getMany takes at most ${GET_MANY_MAX} ids, not ${ids.length}`);
}
