/**
 * Sending a job on its way: a small job is one queue message (SQS on AWS, the in-process queue locally); a job large
 * enough to fill several shards (models/shards.ts: runs × children × months) goes to the fan-out instead — the shard
 * state machine on AWS, the worker pool locally — when this host has one and the kind can shard.
 */
import { getFanOut } from '#functions/queue/fanout';
import { getQueue, type JobMessage } from '#functions/queue/index';
import { planShards, type Shard } from '#models/shards';

export interface Dispatched {
  /** 1 when the job went as one queue message */
  shards: number;
}

/**
 * Queue the job, or fan it out over shards when `size` says it is large. `size.runs` and `size.work` (work units) come
 * from its input; a kind that cannot shard passes no size.
 */
export async function dispatchJob(message: JobMessage, size?: { runs: number; work: number }): Promise<Dispatched> {
  const fanOut = size ? getFanOut() : null;
  const shards: Shard[] =
    fanOut && size
      ? planShards(size.runs, size.work, { workPerShard: fanOut.workPerShard, maxShards: fanOut.maxShards })
      : [];
  if (fanOut && shards.length > 1) {
    await fanOut.start({ kind: message.kind, id: message.id, shards });
    return { shards: shards.length };
  }
  await getQueue().send(message);
  return { shards: 1 };
}
