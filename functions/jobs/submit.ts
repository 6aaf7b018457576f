/**
 * The one path by which a request starts work: the records are checked storable, written (dependants first, then the
 * record the client polls), the job messages sent, and — if queueing fails — the polled record marked failed so
 * nothing stays `queued` with no message behind it. Validation of the request happens before this (in the handler),
 * so a rejected request never reaches the store.
 *
 * A job that fans out into shards is planned before its record is written, and the record keeps the plan (`shards`:
 * models/shards.ts ShardPlan): whatever ends the job — its merge, a failure, a delete, a restart after a crash — knows
 * from the record which shard summaries are its own (functions/jobs/shards.ts).
 */
import type { Logger } from '#functions/http/logger';
import type { JobQueue } from '#functions/queue/queue';
import { RECORD_KINDS, type RecordKindDef } from '#functions/records/kinds';
import { assertStorable } from '#functions/store/storable';
import { planOfShards, type Shard } from '#models/shards';
import { dispatchJob, planJob, type SizedMessage } from './dispatch.js';
import type { NewRecord, Store } from '#functions/store/store';

export interface Submission {
  /** written first, concurrently (e.g. a comparison's variants); the main record is written only after all of them */
  dependants?: Array<{ record: NewRecord<object>; blobs?: Record<string, unknown> }>;
  /** the record the client polls; its summary must have `status: 'queued'` */
  main: { record: NewRecord<object>; blobs?: Record<string, unknown> };
  /** one per job; a message with a size may go to the fan-out as shards instead (./dispatch.ts) */
  messages: SizedMessage[];
}

/** The stored kind of the records a job kind works on (e.g. `comparison-variant` for its job). */
function recordKindOf(jobKind: string): string | undefined {
  return (Object.values(RECORD_KINDS) as RecordKindDef[]).find((d) => d.job?.kind === jobKind)?.kind;
}

export async function submitJob(store: Store, queue: JobQueue, s: Submission, logger?: Logger): Promise<void> {
  const plans = s.messages.map((m) => planJob(m));
  // a record whose job fans out keeps its plan
  const planned = <R extends { record: NewRecord<object> }>(r: R): R => {
    const i = s.messages.findIndex((m) => m.id === r.record.id && recordKindOf(m.kind) === r.record.kind);
    const shards = i >= 0 ? plans[i] : undefined;
    return shards
      ? { ...r, record: { ...r.record, summary: { ...r.record.summary, shards: planOfShards(shards) } } }
      : r;
  };
  const dependants = (s.dependants ?? []).map(planned);
  const main = planned(s.main);
  // numbers the table cannot hold (1e308, 5e-324) are a 422 before the first write, never orphaned records
  for (const d of dependants) assertStorable(d.record.summary, 'summary');
  assertStorable(main.record.summary, 'summary');
  await Promise.all(dependants.map((d) => store.create(d.record, d.blobs)));
  await store.create(main.record, main.blobs);
  await queueFor(
    store,
    queue,
    main.record,
    s.messages,
    logger,
    plans,
    dependants.map((d) => d.record),
  );
}

/**
 * Send the job messages of a record just written (`queued`). If queueing fails, nothing would ever run it: the record
 * is marked failed ("could not be queued") instead of being left queued, and the error is thrown on. So are its
 * `dependants` still queued (a comparison's variants: one whose message did go and that is already running finishes,
 * and finds its comparison failed). `plans`: each message's shards, when it was planned with its record
 * (./dispatch.ts planJob).
 */
export async function queueFor(
  store: Store,
  queue: JobQueue,
  record: { kind: string; id: string },
  messages: SizedMessage[],
  logger?: Logger,
  plans?: ReadonlyArray<Shard[] | undefined>,
  dependants: ReadonlyArray<{ kind: string; id: string }> = [],
): Promise<void> {
  try {
    // every send settles before the records are marked failed, so none is still on its way after
    const sent = await Promise.allSettled(messages.map((m, i) => dispatchJob(queue, m, plans ? plans[i] : planJob(m))));
    const refused = sent.find((r) => r.status === 'rejected');
    if (refused) throw refused.reason;
  } catch (e) {
    logger?.error('job could not be queued', { kind: record.kind, id: record.id });
    const failed = { summary: { status: 'failed', reason: 'could not be queued' } };
    await Promise.all(dependants.map((d) => store.update(d.kind, d.id, failed, { expectStatus: ['queued'] })));
    await store.update(record.kind, record.id, failed);
    throw e;
  }
}
