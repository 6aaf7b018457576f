/**
 * A worker thread of the local runtime: runs job deliveries with the very code the Lambda runner uses
 * (functions/jobs/registry.ts#processJob), against the same store over the DynamoDB API. The main thread gets
 * progress by message (the engine is synchronous, so this thread cannot write while it runs) and asks for a stop
 * through a shared flag the engine polls.
 */
import { parentPort } from 'node:worker_threads';
import { config } from '#functions/config';
import { requestLogger } from '#functions/http/logger';
import type { JobMessage } from '#functions/queue/queue';
import { getStore } from '#functions/store/index';
import { processJob } from '#functions/jobs/registry';
import '#functions/jobs/kinds';

export interface WorkRequest {
  message: JobMessage;
  receiveCount: number;
  /** Int32Array view: [0] != 0 means stop, and its value says why (a message would wait behind the engine) */
  cancel: SharedArrayBuffer;
}

export const CANCEL = { none: 0, shutdown: 1, storeLost: 2 } as const;
const CANCEL_REASONS: Record<number, string> = {
  [CANCEL.shutdown]: 'interrupted: the local service was stopped',
  [CANCEL.storeLost]: 'interrupted: the data store became unreachable',
};

export type WorkerReply =
  | { type: 'progress'; percent: number }
  | { type: 'done'; ok: boolean; retry: boolean; reason?: string };

const port = parentPort;
// imported by the main thread for its constants only; there is no parent port there
port?.on('message', (msg: WorkRequest) => void run(msg));

async function run(req: WorkRequest): Promise<void> {
  const flag = new Int32Array(req.cancel);
  const logger = requestLogger({ requestId: `job-${req.message.id}`, kind: req.message.kind });
  let lastPercent = -1;
  const outcome = await processJob(req.message, {
    store: getStore(),
    logger,
    receiveCount: req.receiveCount,
    finalAttempt: req.receiveCount >= config().MAX_RECEIVES,
    progress: (percent) => {
      // the engine reports every run: pass on whole percents only
      if (percent <= lastPercent) return;
      lastPercent = percent;
      port?.postMessage({ type: 'progress', percent } satisfies WorkerReply);
    },
    shouldCancel: () => Atomics.load(flag, 0) !== 0,
    cancelReason: () => CANCEL_REASONS[Atomics.load(flag, 0)] ?? 'interrupted',
    now: () => new Date(),
  });
  port?.postMessage({
    type: 'done',
    ok: outcome.ok,
    retry: outcome.ok ? false : outcome.retry,
    ...(outcome.ok ? {} : { reason: outcome.reason }),
  } satisfies WorkerReply);
}
