/**
 * Finished records, kept warm. A record whose work is done (a complete scenario: its summary and blobs never change
 * again) needs no store round trip on every read of it: the process keeps the summary item it last read, per caller
 * tenant, for a short time. This is what makes a hot result cheap to serve (docs/hardening.md, "Fast reads").
 *
 * - Only records the reader declares final are kept, and only while a request is served (the key includes the
 *   caller's tenant, so a record is only ever handed to a caller the scoped store already let see it).
 * - A delete or update through this process forgets the record at once (tenancy.ts calls `forgetFinal`); a change made
 *   by another process (another Lambda container) is seen within FINAL_RECORD_TTL_MS (default 2 s).
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
const keyOf = (tenant: string, kind: string, id: string) => `${kind}\u0000${id}\u0000${tenant}`;

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
    pending = read().then((record) => {
      if (record && isFinal(record)) {
        entries.set(key, { record, at: now });
        if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      }
      return record;
    });
    reading.set(key, pending);
    const done = () => reading.delete(key);
    pending.then(done, done);
  }
  return pending;
}

/** Forget a record for every tenant (it was deleted or changed through this process). */
export function forgetFinal(kind: string, id: string): void {
  const prefix = `${kind}\u0000${id}\u0000`;
  for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
}

/** entries held (for tests and the memory figures) */
export const finalCacheSize = (): number => entries.size;
