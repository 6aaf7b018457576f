/**
 * Sending a job on its way: a small job is one queue message (SQS on AWS, the in-process queue locally); a job large
 * enough to fill several shards (models/shards.ts: runs × children × months) goes to the fan-out instead — the shard
 * state machine on AWS, the local job host's processes locally — when this host has one and the kind can shard.
 */
import { getFanOut } from '#functions/queue/fanout';
import type { JobMessage, JobQueue } from '#functions/queue/queue';
import { planShards, type Shard } from '#models/shards';

/** A job's size, for the choice between one message and shards: its runs and its work units. */
export interface JobSize {
  runs: number;
  work: number;
}

/** A message with, for a kind that can shard, the size of its job (not sent: it only steers the dispatch). */
export type SizedMessage = JobMessage & { size?: JobSize };

/**
 * The shards this job fans out into here, or undefined when it runs whole (small, no size, or no fan-out). Planned
 * before the job's record is written, so that the record keeps its plan (./submit.ts).
 */
export function planJob(m: SizedMessage): Shard[] | undefined {
  const fanOut = m.size ? getFanOut() : null;
  if (!fanOut || !m.size) return undefined;
  const shards = planShards(m.size.runs, m.size.work, {
    workPerShard: fanOut.workPerShard,
    maxShards: fanOut.maxShards,
  });
  return shards.length > 1 ? shards : undefined;
}

/**
 * Queue the job, or fan it out over shards when it is large (`shards`: its plan, planned when it was submitted).
 * Resolves to the number of shards (1: one message).
 */
export async function dispatchJob(queue: JobQueue, m: SizedMessage, shards = planJob(m)): Promise<number> {
  const { size: _size, ...message } = m;
  const fanOut = shards ? getFanOut() : null;
  if (fanOut && shards) {
    await fanOut.start({ kind: message.kind, id: message.id, shards });
    return shards.length;
  }
  await queue.send(message as JobMessage);
  return 1;
}
