/**
 * Start-up recovery for a host whose previous process died (the local runtime; on AWS, SQS redelivery and the
 * dead-letter queue do this). Driven by the record-kinds table, so every job kind is covered:
 *   - `queued` records lost their in-memory message: queued again (their receive count continues from `attempts`);
 *   - `running` records were running in the dead process: re-run when they have deliveries left (as SQS would
 *     redeliver after the visibility timeout), else failed through the kind's giveUp — a job that killed its runner
 *     MAX_RECEIVES times is never started again;
 */
import type { Logger } from '#functions/http/logger';
import type { JobMessage } from '#functions/queue/queue';
import { RECORD_KINDS, type RecordKindDef } from '#functions/records/kinds';
import type { RunStatus } from '#functions/records/status';
import type { Store } from '#functions/store/store';
import { jobDefinition } from './registry.js';

export interface RecoveryOutcome {
  requeued: number;
  failed: number;
}

interface JobSummary {
  status: RunStatus;
  attempts?: number;
}

export async function recoverJobs(
  store: Store,
  enqueue: (message: JobMessage, receiveCount: number) => void,
  options: { maxReceives: number; now: () => Date; logger: Logger },
): Promise<RecoveryOutcome> {
  const out: RecoveryOutcome = { requeued: 0, failed: 0 };
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
        const attempts = r.summary.attempts ?? (status === 'running' ? 1 : 0);
        if (status === 'queued' || attempts < options.maxReceives) {
          enqueue(message, attempts + 1);
          out.requeued++;
          continue;
        }
        const reason = `failed: the run stopped its runner ${attempts} time(s) (crash or kill); not retried`;
        await jobDefinition(def.job.kind)?.giveUp(message, reason, {
          store,
          logger: options.logger,
          receiveCount: attempts,
          finalAttempt: true,
          progress: () => undefined,
          shouldCancel: () => false,
          cancelReason: () => reason,
          now: options.now,
        });
        options.logger.warn('job not resumed: attempts spent', { kind: def.kind, id: r.id, attempts });
        out.failed++;
      }
    } while (cursor);
  }
  return out;
}
