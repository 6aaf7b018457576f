/**
 * Job kinds and how a delivery is processed — shared by the SQS runner (Lambda) and the local worker threads, so both
 * run the same code. A kind registers itself from its own file (imported by ./kinds.ts).
 */
import type { JobMessage } from '#functions/queue/queue';
import type { Store } from '#functions/store/store';
import type { Logger } from '#functions/http/logger';
import { isStoreUnreachable } from '#functions/errors';

export interface JobContext {
  store: Store;
  logger: Logger;
  /** 1 on the first delivery */
  receiveCount: number;
  /** no redelivery will follow a failure of this attempt */
  finalAttempt: boolean;
  /** synchronous (the engine is): the host records it (a worker posts it to the main thread; Lambda keeps the last) */
  progress(percent: number): void;
  /**
   * Given by a host that cannot write while the engine runs (Lambda): a job that runs the engine in steps awaits it
   * between steps, and the host writes the last progress and a heartbeat then.
   */
  checkpoint?(): Promise<void>;
  /** true when the host needs the job to stop: shutdown, or the Lambda is about to time out */
  shouldCancel(): boolean;
  /** why shouldCancel is true, for the failure reason */
  cancelReason(): string;
  /**
   * true when the host is stopping and will run the job again when it starts (the local runtime's Ctrl-C): an
   * interruption then leaves the record for start-up recovery (./recovery.ts `suspendJob`) instead of failing it
   */
  suspending?(): boolean;
  now(): Date;
}

export interface JobDefinition {
  /**
   * Do the work. Bad input is the job's own business: record it as failed and return. Throw only for what a retry
   * might cure (store unreachable, crash, interruption).
   */
  run(message: JobMessage, ctx: JobContext): Promise<void>;
  /** mark the record failed with this reason: the retries are spent or the host is shutting down */
  giveUp(message: JobMessage, reason: string, ctx: JobContext): Promise<void>;
  /**
   * Record progress (0–100) and a heartbeat. Called by a host that can write while the engine runs (the local
   * runtime's main thread, fed by its worker threads); a failure here tells the host the store is gone.
   */
  reportProgress?(message: JobMessage, percent: number, ctx: Pick<JobContext, 'store' | 'now'>): Promise<void>;
}

const registry = new Map<string, JobDefinition>();

export function registerJob(kind: string, definition: JobDefinition): void {
  if (registry.has(kind)) throw new Error(`job kind ${kind} registered twice`);
  registry.set(kind, definition);
}

export function jobDefinition(kind: string): JobDefinition | undefined {
  return registry.get(kind);
}

/**
 * Marks a job failed from outside a run of it (the dead-letter consumer, start-up recovery, the stalled-job sweeper, the
 * local host's dead letters): its kind's giveUp, with a context that runs nothing. False for a kind nobody registered.
 */
export async function giveUpJob(
  message: JobMessage,
  reason: string,
  ctx: Pick<JobContext, 'store' | 'logger' | 'receiveCount' | 'now'>,
): Promise<boolean> {
  const def = registry.get(message.kind);
  if (!def) return false;
  await def.giveUp(message, reason, {
    ...ctx,
    finalAttempt: true,
    progress: () => undefined,
    shouldCancel: () => false,
    cancelReason: () => reason,
  });
  return true;
}

/** Thrown by a job when shouldCancel told it to stop. */
export class JobInterrupted extends Error {
  override readonly name = 'JobInterrupted';
}

export type JobOutcome =
  | { ok: true }
  | {
      ok: false;
      retry: boolean;
      reason: string /** interrupted by a stopping host that resumes it */;
      suspended?: true;
    };

/**
 * One delivery: run it; on a retryable error either ask for redelivery or, on the final attempt, give up (mark the
 * record failed). Interruptions are final (the host is going away or out of time), except a suspension: the host stops
 * and will run the job again when it starts.
 */
export async function processJob(message: JobMessage, ctx: JobContext): Promise<JobOutcome> {
  const def = registry.get(message.kind);
  if (!def) {
    ctx.logger.error('unknown job kind', { kind: message.kind });
    return { ok: false, retry: false, reason: `unknown job kind ${message.kind}` };
  }
  try {
    await def.run(message, ctx);
    return { ok: true };
  } catch (e) {
    const interrupted = e instanceof JobInterrupted;
    const reason = interrupted
      ? (e as Error).message
      : isStoreUnreachable(e)
        ? 'the data store was unreachable'
        : `the run crashed (${(e as Error)?.name ?? 'error'})`;
    ctx.logger.warn('job failed', {
      kind: message.kind,
      id: message.id,
      receiveCount: ctx.receiveCount,
      reason,
      errorName: (e as Error)?.name,
    });
    if (!interrupted && !ctx.finalAttempt) return { ok: false, retry: true, reason };
    // the host stops and resumes it at its next start: nothing is failed (the host puts the record back)
    if (interrupted && ctx.suspending?.()) return { ok: false, retry: false, reason, suspended: true };
    try {
      await def.giveUp(message, reason, ctx);
      return { ok: false, retry: false, reason };
    } catch (giveUpError) {
      ctx.logger.error('could not record the failure', {
        kind: message.kind,
        id: message.id,
        errorName: (giveUpError as Error)?.name,
      });
      return { ok: false, retry: true, reason };
    }
  }
}

/**
 * The host side of `checkpoint` for a host with no background writer: remembers the last progress and writes it
 * (through the kind's reportProgress) when it has moved by at least `minStep` points. A failed write is thrown, so the
 * job stops as it would for a lost store.
 */
export function steppedProgress(
  message: JobMessage,
  ctx: Pick<JobContext, 'store' | 'now'>,
  minStep = 5,
): Pick<JobContext, 'progress' | 'checkpoint'> {
  let last = 0;
  let written = 0;
  return {
    progress: (percent) => {
      last = percent;
    },
    checkpoint: async () => {
      if (last - written < minStep) return;
      written = last;
      await registry.get(message.kind)?.reportProgress?.(message, last, ctx);
    },
  };
}
