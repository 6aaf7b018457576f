/**
 * The one path by which a request starts work: the records are checked storable, written (dependants first, then the
 * record the client polls), the job messages sent, and — if queueing fails — the polled record marked failed so
 * nothing stays `queued` with no message behind it. Validation of the request happens before this (in the handler),
 * so a rejected request never reaches the store.
 */
import type { Logger } from '#functions/http/logger';
import type { JobQueue } from '#functions/queue/queue';
import { assertStorable } from '#functions/store/storable';
import { dispatchJob, type SizedMessage } from './dispatch.js';
import type { NewRecord, Store } from '#functions/store/store';

export interface Submission {
  /** written first, concurrently (e.g. a comparison's variants); the main record is written only after all of them */
  dependants?: Array<{ record: NewRecord<object>; blobs?: Record<string, unknown> }>;
  /** the record the client polls; its summary must have `status: 'queued'` */
  main: { record: NewRecord<object>; blobs?: Record<string, unknown> };
  /** one per job; a message with a size may go to the fan-out as shards instead (./dispatch.ts) */
  messages: SizedMessage[];
}

export async function submitJob(store: Store, queue: JobQueue, s: Submission, logger?: Logger): Promise<void> {
  // numbers the table cannot hold (1e308, 5e-324) are a 422 before the first write, never orphaned records
  for (const d of s.dependants ?? []) assertStorable(d.record.summary, 'summary');
  assertStorable(s.main.record.summary, 'summary');
  await Promise.all((s.dependants ?? []).map((d) => store.create(d.record, d.blobs)));
  await store.create(s.main.record, s.main.blobs);
  await queueFor(store, queue, s.main.record, s.messages, logger);
}

/**
 * Send the job messages of a record just written (`queued`). If queueing fails, nothing would ever run it: the record
 * is marked failed ("could not be queued") instead of being left queued, and the error is thrown on.
 */
export async function queueFor(
  store: Store,
  queue: JobQueue,
  record: { kind: string; id: string },
  messages: SizedMessage[],
  logger?: Logger,
): Promise<void> {
  try {
    await Promise.all(messages.map((m) => dispatchJob(queue, m)));
  } catch (e) {
    logger?.error('job could not be queued', { kind: record.kind, id: record.id });
    await store.update(record.kind, record.id, { summary: { status: 'failed', reason: 'could not be queued' } });
    throw e;
  }
}
