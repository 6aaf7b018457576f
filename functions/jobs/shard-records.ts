/**
 * The stored shard summaries of sharded jobs (./shards.ts): record shard/<job kind>.<job id>.<index>, one per shard
 * of the job's plan. Kept apart from the shard jobs so that an API handler (a delete) can remove them without the
 * engine in its bundle.
 */
import type { ShardPlan } from '#models/shards';
import type { Store } from '#functions/store/store';

/**
 * The longest a sharded job may run on AWS: the shard state machine's timeout (lib/constructs/shard-state-machine.ts).
 * Its heartbeat comes from one shard, so a job whose shards run in waves may be quiet for a while and still be alive.
 */
export const SHARD_JOB_TIMEOUT_SECONDS = 2 * 60 * 60;

/** store record kind of a stored shard summary */
export const SHARD_RECORD = 'shard';

export interface ShardRecordSummary {
  job: string;
  jobId: string;
  index: number;
  of: number;
  from: number;
  to: number;
  elapsedMs: number;
}

export const shardRecordId = (job: string, id: string, index: number): string => `${job}.${id}.${index}`;

/** The shard plan a job's record keeps (functions/jobs/submit.ts), or undefined: it runs whole. */
export function planOf(summary: unknown): ShardPlan | undefined {
  const p = (summary as { shards?: Partial<ShardPlan> } | undefined)?.shards;
  if (!p || !Number.isInteger(p.of) || !Number.isInteger(p.runs) || (p.of as number) < 1) return undefined;
  return { of: p.of as number, runs: p.runs as number };
}

/** Remove the shard records 0..of-1 of a job (those there are), a few at a time. */
export async function removeShards(store: Store, job: string, id: string, of: number): Promise<void> {
  for (let i = 0; i < of; i += 25)
    await Promise.all(
      Array.from({ length: Math.min(25, of - i) }, (_, k) => store.delete(SHARD_RECORD, shardRecordId(job, id, i + k))),
    );
}

/**
 * Remove a job's shard records, by the plan its record keeps (read before the record is deleted; `store`: the whole
 * store, shard records belong to no tenant). A job that runs whole has none. A shard still running when this is
 * called finds the job ended after storing its summary and removes it itself (./shards.ts).
 */
export async function removeJobShards(
  store: Store,
  job: string,
  id: string,
  plan: ShardPlan | undefined,
): Promise<void> {
  if (plan) await removeShards(store, job, id, plan.of);
}
