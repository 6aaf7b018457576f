/**
 * Start-up recovery for a host whose previous process died (the local runtime; on AWS, SQS redelivery, the
 * dead-letter queue and the shard state machine do this). Driven by the record-kinds table, so every job kind is
 * covered:
 *   - `queued` records lost their in-memory message: queued again (their receive count continues from `attempts`);
 *   - `running` records were running in the dead process: re-run when they have deliveries left (as SQS would
 *     redeliver after the visibility timeout), else failed through the kind's giveUp — a job that killed its runner
 *     MAX_RECEIVES times is never started again;
 *   - a job that fans out into shards (its record keeps its plan: ./submit.ts) is resumed, not run again whole: its
 *     shards go to the fan-out with the same plan, a shard whose summary is stored finds it there and runs nothing,
 *     and the merge reads the stored summaries with the new ones. Safe because run r draws only from the streams of
 *     (seed, r): a stored shard's summary is exactly its runs, whichever process ran them, so the merged result is the
 *     one a single process gives (tests/integration/shards-recovery.test.ts);
 *   - a job the host interrupted on purpose when it stopped (`suspendJob`, below) is `queued` again and runs as
 *     any queued job: the stop did not count as an attempt;
 *   - shard records no live job will merge — their job finished, failed or was deleted while the process was down, or
 *     they do not fit the job's plan — are removed first, so nothing is left behind and nothing foreign is merged.
 */
import type { Logger } from '#functions/http/logger';
import type { FanOut } from '#functions/queue/fanout';
import type { JobMessage } from '#functions/queue/queue';
import { RECORD_KINDS, type RecordKindDef } from '#functions/records/kinds';
import type { RunStatus } from '#functions/records/status';
import type { Store, StoredRecord } from '#functions/store/store';
import { splitRuns } from '#models/shards';
import { giveUpJob } from './registry.js';
import { planOf, removeJobShards, SHARD_RECORD, type ShardRecordSummary } from './shard-records.js';
import { SHARD_JOB, SHARD_MERGE_JOB } from './shards.js';

export interface RecoveryOutcome {
  requeued: number;
  failed: number;
}

interface JobSummary {
  status: RunStatus;
  attempts?: number;
}

export interface RecoveryOptions {
  maxReceives: number;
  now: () => Date;
  logger: Logger;
  /** where a sharded job's shards go (the local runtime's fan-out); without one it is cleared and run whole */
  fanOut?: FanOut | null;
}

const live = (status: RunStatus | undefined) => status === 'queued' || status === 'running';

/** The record kind a job kind works on. */
export function jobRecordKind(jobKind: string): RecordKindDef | undefined {
  return (Object.values(RECORD_KINDS) as RecordKindDef[]).find((d) => d.job?.kind === jobKind);
}

/**
 * Remove every shard record that no live job will merge: its job is gone or ended, keeps no plan, or keeps one the
 * record does not fit (another count of shards, other runs). Returns how many it removed and how many it kept.
 */
export async function sweepShardRecords(store: Store, logger: Logger): Promise<{ removed: number; kept: number }> {
  const shards: StoredRecord<ShardRecordSummary>[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list<ShardRecordSummary>(SHARD_RECORD, { limit: 100, ...(cursor ? { cursor } : {}) });
    shards.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  const jobs = new Map<string, Promise<StoredRecord<JobSummary> | undefined>>();
  let removed = 0;
  for (const r of shards) {
    const s = r.summary;
    const kind = jobRecordKind(s.job)?.kind;
    const key = `${kind}/${s.jobId}`;
    if (kind && !jobs.has(key)) jobs.set(key, store.get<JobSummary>(kind, s.jobId));
    const job = kind ? await jobs.get(key) : undefined;
    const plan = live(job?.summary.status) ? planOf(job?.summary) : undefined;
    const expected = plan && plan.of === s.of ? splitRuns(plan.runs, plan.of)[s.index] : undefined;
    if (expected && expected.from === s.from && expected.to === s.to) continue;
    await store.delete(SHARD_RECORD, r.id);
    removed++;
  }
  if (removed) logger.warn('shard records no job will merge removed', { removed });
  return { removed, kept: shards.length - removed };
}

export async function recoverJobs(
  store: Store,
  enqueue: (message: JobMessage, receiveCount: number) => void,
  options: RecoveryOptions,
): Promise<RecoveryOutcome> {
  const out: RecoveryOutcome = { requeued: 0, failed: 0 };
  const { kept } = await sweepShardRecords(store, options.logger);
  if (kept) options.logger.info('finished shards kept for their jobs', { shards: kept });
  for (const def of Object.values(RECORD_KINDS) as RecordKindDef[]) {
    if (!def.job) continue;
    let cursor: string | undefined;
    do {
      const page = await store.list<JobSummary>(def.kind, { limit: 100, ...(cursor ? { cursor } : {}) });
      cursor = page.cursor;
      for (const r of page.items) {
        const { status } = r.summary;
        if (status !== 'queued' && status !== 'running') continue;
        const message = def.job.message(r);
        const plan = planOf(r.summary);
        const attempts = r.summary.attempts ?? (status === 'running' ? 1 : 0);
        if (status === 'queued' || attempts < options.maxReceives) {
          if (plan && options.fanOut) {
            // resumed with its plan: the shards already stored are reused, the missing ones run, then the merge
            if (status === 'running') {
              const at = options.now().toISOString();
              await store.update(
                def.kind,
                r.id,
                { summary: { attempts: attempts + 1, heartbeatAt: at } },
                { expectStatus: ['running'] },
              );
            }
            await options.fanOut.start({ kind: def.job.kind, id: r.id, shards: splitRuns(plan.runs, plan.of) });
            options.logger.info('sharded job resumed', { kind: def.kind, id: r.id, shards: plan.of });
          } else {
            // no fan-out here: run whole, without summaries of shards no merge will read
            await removeJobShards(store, def.job.kind, r.id, plan);
            enqueue(message, attempts + 1);
          }
          out.requeued++;
          continue;
        }
        const reason = `failed: the run stopped its runner ${attempts} time(s) (crash or kill); not retried`;
        await giveUpJob(message, reason, { store, logger: options.logger, receiveCount: attempts, now: options.now });
        await removeJobShards(store, def.job.kind, r.id, plan);
        options.logger.warn('job not resumed: attempts spent', { kind: def.kind, id: r.id, attempts });
        out.failed++;
      }
    } while (cursor);
  }
  return out;
}

/** The job a message works for: a shard's or a merge's parent kind (`part`), else the message's own kind. */
export function jobOfMessage(message: JobMessage): { kind: string; part: boolean } {
  const parent = (message as { job?: unknown }).job;
  const part = (message.kind === SHARD_JOB || message.kind === SHARD_MERGE_JOB) && typeof parent === 'string';
  return { kind: part ? (parent as string) : message.kind, part };
}

/**
 * The other half of recovery, for a host that stops on purpose (the local runtime's Ctrl-C): a job it interrupted goes
 * back to `queued` at 0%, so the next start runs it again — a job that fans out, from the shards it had stored — and
 * the stop is not counted as one of its attempts. A shard or a merge puts back the job it belongs to. A record that is
 * no longer running (finished meanwhile, deleted) is left as it is.
 */
export async function suspendJob(store: Store, message: JobMessage, receiveCount: number): Promise<void> {
  const { kind, part } = jobOfMessage(message);
  const def = jobRecordKind(kind);
  if (!def) return;
  await store.update(
    def.kind,
    message.id,
    // a job run whole starts again at this delivery's count; a sharded job's count is its own (set when first claimed)
    { summary: { status: 'queued', progress: 0, ...(part ? {} : { attempts: Math.max(0, receiveCount - 1) }) } },
    { expectStatus: ['running'] },
  );
}
