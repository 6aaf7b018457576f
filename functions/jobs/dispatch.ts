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

/** Queue the job, or fan it out over shards when it is large. Resolves to the number of shards (1: one message). */
export async function dispatchJob(queue: JobQueue, m: SizedMessage): Promise<number> {
  const { size, ...message } = m;
  const fanOut = size ? getFanOut() : null;
  const shards: Shard[] =
    fanOut && size
      ? planShards(size.runs, size.work, { workPerShard: fanOut.workPerShard, maxShards: fanOut.maxShards })
      : [];
  if (fanOut && shards.length > 1) {
    await fanOut.start({ kind: message.kind, id: message.id, shards });
    return shards.length;
  }
  await queue.send(message as JobMessage);
  return 1;
}
