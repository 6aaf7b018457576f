/**
 * Finished records, kept warm. A record whose work is done (a complete scenario: its summary and blobs never change
 * again) needs no store round trip on every read of it: the process keeps the summary item it last read, per caller
 * tenant, for a short time. This is what makes a hot result cheap to serve (docs/hardening.md, "Fast reads").
 *
 * - Only records the reader declares final are kept, and only while a request is served (the key includes the
 *   caller's tenant, so a record is only ever handed to a caller the scoped store already let see it).
 * - A delete or update through this process forgets the record at once (the stores call `forgetFinal`); a change made
 *   by another process (another Lambda container, a local job process) is seen within FINAL_RECORD_TTL_MS (2 s).
 * - Bounded: at most FINAL_RECORD_MAX entries (summary items are small, a few KB), least recently used out first.
 */
import type { StoredRecord } from './store.js';

const TTL_MS = Number(process.env.FINAL_RECORD_TTL_MS ?? 2000);
const MAX_ENTRIES = 2000;

interface Entry {
  record: StoredRecord<unknown>;
  at: number;
}

const entries = new Map<string, Entry>();
const reading = new Map<string, Promise<StoredRecord<unknown> | undefined>>();
const recordKey = (kind: string, id: string) => `${kind}\u0000${id}`;
const keyOf = (tenant: string, kind: string, id: string) => `${recordKey(kind, id)}\u0000${tenant}`;
/** the last forget of each record recently changed (a read that overlapped one is not kept) */
const forgets = new Map<string, number>();
let forgetCount = 0;

/**
 * The record as `read` gives it, or the copy kept from an earlier read when that one was final and is still fresh.
 * `tenant` is the caller's (tenantKey); `read` is the caller's scoped read.
 */
export async function readFinal<S>(
  tenant: string,
  kind: string,
  id: string,
  read: () => Promise<StoredRecord<S> | undefined>,
  isFinal: (r: StoredRecord<S>) => boolean,
  now: number = Date.now(),
): Promise<StoredRecord<S> | undefined> {
  const key = keyOf(tenant, kind, id);
  const hit = entries.get(key);
  if (hit && now - hit.at < TTL_MS) {
    entries.delete(key);
    entries.set(key, hit);
    return hit.record as StoredRecord<S>;
  }
  if (hit) entries.delete(key);
  // concurrent readers of the same record share one store read
  let pending = reading.get(key) as Promise<StoredRecord<S> | undefined> | undefined;
  if (!pending) {
    const forgetsBefore = forgets.get(recordKey(kind, id));
    pending = read().then((record) => {
      // kept only when the record was not changed or deleted while it was being read
      if (record && isFinal(record) && forgets.get(recordKey(kind, id)) === forgetsBefore) {
        entries.set(key, { record, at: now });
        if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      }
      return record;
    });
    reading.set(key, pending);
    const mine = pending;
    const done = () => reading.get(key) === mine && reading.delete(key);
    pending.then(done, done);
  }
  return pending;
}

/**
 * Forget a record for every tenant: it was deleted or changed through this process. The stores call it with the
 * stored id, which for kinds whose ids are per council is "<council>~<id>" (functions/tenancy.ts): the id part counts.
 */
export function forgetFinal(kind: string, storedId: string): void {
  const id = storedId.slice(storedId.indexOf('~') + 1);
  const prefix = `${recordKey(kind, id)}\u0000`;
  for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
  for (const key of reading.keys()) if (key.startsWith(prefix)) reading.delete(key);
  const at = recordKey(kind, id);
  forgets.delete(at);
  forgets.set(at, ++forgetCount);
  if (forgets.size > MAX_ENTRIES * 4) forgets.delete(forgets.keys().next().value as string);
}

/** entries held (for tests and the memory figures) */
export const finalCacheSize = (): number => entries.size;
