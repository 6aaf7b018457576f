/**
 * The fan-out of the local runtime: what the shard state machine does on AWS (lib/constructs/shard-state-machine.ts),
 * through the job host that runs every other job — its processes, retries, timeouts and dead-lettering. The shards of
 * a job go to the queue as `shard` jobs; once the host reports every one finished, the `shard-merge` job follows. A
 * shard that fails for good fails the job (its kind's giveUp), and no merge is sent. The shards' summaries are stored
 * under (job, shard index), so a shard run twice counts once (functions/jobs/shards.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '#functions/http/logger';
import { SHARD_JOB, SHARD_MERGE_JOB, type ShardMergeMessage, type ShardMessage } from '#functions/jobs/shards';
import type { FanOut, FanOutJob } from '#functions/queue/fanout';
import type { LocalQueue } from '#functions/queue/local';
import type { JobMessage } from '#functions/queue/queue';
import { LOCAL_WORK_PER_SHARD } from '#models/shards';
import type { JobHost, JobFinished } from './job-host.js';

export class LocalFanOut implements FanOut {
  readonly workPerShard = LOCAL_WORK_PER_SHARD;
  private readonly waiting = new Map<string, (ok: boolean) => void>();

  constructor(
    private readonly queue: LocalQueue,
    private readonly host: JobHost,
    /** the host's job processes: one shard each */
    readonly maxShards: number,
    private readonly logger: Logger,
  ) {
    host.events.on('finished', (f: JobFinished) => {
      const tag = (f.message as { delivery?: unknown }).delivery;
      if (typeof tag !== 'string') return;
      this.waiting.get(tag)?.(f.ok);
      this.waiting.delete(tag);
    });
  }

  async start(job: FanOutJob): Promise<void> {
    // sent now (so a shard is queued before the request returns); the merge follows in the background
    const shards = job.shards.map((shard) =>
      this.deliver({ kind: SHARD_JOB, id: job.id, job: job.kind, shard } satisfies ShardMessage),
    );
    void Promise.all(shards)
      .then(async (done) => {
        if (!done.every(Boolean)) return; // a failed shard has failed the job
        const merge: ShardMergeMessage = { kind: SHARD_MERGE_JOB, id: job.id, job: job.kind, of: job.shards.length };
        await this.deliver(merge);
      })
      .catch(() => this.logger.error('the shards of a job could not be merged', { kind: job.kind, id: job.id }));
  }

  /** Queue one message; resolves when the host has finished with it (true: succeeded). */
  private deliver(message: JobMessage): Promise<boolean> {
    // the host is stopping: the message is not lost — its job goes back to the queue for the next start
    if (this.queue.isClosed) {
      this.host.notStarted(message);
      return Promise.resolve(false);
    }
    const delivery = randomUUID();
    const finished = new Promise<boolean>((resolve) => this.waiting.set(delivery, resolve));
    return this.queue.send({ ...message, delivery }).then(() => finished);
  }
}
