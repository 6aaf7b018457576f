/**
 * Deleting a run record — a scenario, a target search, a regional forecast, a comparison's variants — the one way for
 * every kind: only its creator may (403 for anyone else who can see it; 404 for anyone who cannot); the record goes at
 * once, so a job still queued or running finds it gone and stores nothing (every job write is a conditional update,
 * functions/jobs/lifecycle.ts); then a sharded job's stored shard summaries go with it (functions/jobs/shard-records.ts:
 * they belong to no tenant, so the whole store removes them; a shard still running stores its summary, finds the job
 * gone and removes it itself).
 */
import { Forbidden, NotFound } from '#functions/errors';
import type { HttpRequest } from '#functions/http/handler';
import { planOf, removeJobShards } from '#functions/jobs/shard-records';
import { getStore, rawStore } from '#functions/store/index';
import type { StoredRecord } from '#functions/store/store';

/** The record the caller may delete: 404 when the caller cannot see it, 403 when the caller did not create it. */
export async function ownRun<S = Record<string, unknown>>(
  req: HttpRequest<unknown>,
  kind: string,
  label: string,
): Promise<StoredRecord<S>> {
  const id = req.params.id ?? '';
  const record = await getStore().get<S>(kind, id);
  if (!record) throw new NotFound(`no ${label} ${id}`);
  if (record.createdBy !== req.principal?.sub) throw new Forbidden(`only the creator of a ${label} may delete it`);
  return record;
}

/**
 * Delete one run record and its shard summaries. `store`: the caller's view for the record the request names (false
 * when it is gone or not the caller's), the whole store for a child whose parent was checked (a comparison's
 * variants). The record's own summary (read before) keeps its shard plan.
 */
export async function deleteRun(
  store: ReturnType<typeof getStore>,
  record: StoredRecord<unknown>,
  job: string | undefined,
): Promise<boolean> {
  const deleted = await store.delete(record.kind, record.id);
  if (job) await removeJobShards(rawStore(), job, record.id, planOf(record.summary));
  return deleted;
}
