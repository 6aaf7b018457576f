/**
 * A job process of the local runtime: runs job deliveries with the very code the Lambda runner uses
 * (functions/jobs/registry.ts#processJob), against the same store over the DynamoDB API. A separate process, not a
 * thread, so that a job which kills its runtime (out of memory, a V8 fatal error) kills only this process: the host
 * records the attempt and starts a fresh one. The engine runs in steps with a yield between them, so a stop request
 * from the host is read between steps; progress goes to the host, which writes it with a heartbeat. A stop that the host
 * will resume (it is shutting down) puts the job back in the queue for the next start rather than failing it.
 */
import { config } from '#functions/config';
import { requestLogger } from '#functions/http/logger';
import { suspendJob } from '#functions/jobs/recovery';
import { processJob } from '#functions/jobs/registry';
import '#functions/jobs/kinds';
import type { JobMessage } from '#functions/queue/queue';
import { KIND } from '#functions/records/kinds';
import { DynamoStore } from '#functions/store/dynamo';
import { getStore, setStore } from '#functions/store/index';

export type ToWorker =
  | { type: 'run'; message: JobMessage; receiveCount: number; finalAttempt: boolean }
  | {
      type: 'cancel';
      reason: string /** the host stops and runs the job again at its next start */;
      suspend?: boolean;
    };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; percent: number }
  | { type: 'done'; ok: boolean; retry: boolean; reason?: string };

const send = (m: FromWorker) => process.send?.(m);
let cancelled: string | undefined;
let suspended = false;

async function run(req: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  cancelled = undefined;
  suspended = false;
  const logger = requestLogger({ requestId: `job-${req.message.id}`, kind: req.message.kind });
  const store = getStore();
  await injectFault(req.message);
  let lastPercent = -1;
  const outcome = await processJob(req.message, {
    store,
    logger,
    receiveCount: req.receiveCount,
    finalAttempt: req.finalAttempt,
    progress: (percent) => {
      // the engine reports every run: pass on whole percents only
      if (percent <= lastPercent) return;
      lastPercent = percent;
      send({ type: 'progress', percent });
    },
    // between engine steps: let the host's messages (a stop) in
    checkpoint: () => new Promise((r) => setImmediate(r)),
    shouldCancel: () => cancelled !== undefined,
    cancelReason: () => cancelled ?? 'interrupted',
    suspending: () => suspended,
    now: () => new Date(),
  });
  if (!outcome.ok && outcome.suspended)
    await suspendJob(store, req.message, req.receiveCount).catch((e: unknown) =>
      // left running: start-up recovery runs it again all the same, counting this delivery as an attempt
      logger.warn('could not put an interrupted job back in the queue', { errorName: (e as Error)?.name }),
    );
  send({
    type: 'done',
    ok: outcome.ok,
    retry: outcome.ok ? false : outcome.retry,
    ...(outcome.ok ? {} : { reason: outcome.reason }),
  });
}

/**
 * Fault injection for the tests (never set by `npm start`): a scenario with this name kills its job
 * process, as a runtime crash would.
 */
async function injectFault(message: JobMessage): Promise<void> {
  const name = process.env.LOCAL_FAULT_KILL_SCENARIO_NAME;
  if (!name || message.kind !== 'scenario') return;
  const record = await getStore().get<{ name: string }>(KIND.scenario, message.id);
  if (record?.summary.name === name) process.kill(process.pid, 'SIGKILL');
}

const c = config();
// this process writes results and reads little: no blob cache (the API process keeps the hot ones)
setStore(
  new DynamoStore({
    tableName: c.TABLE_NAME,
    region: c.AWS_REGION,
    ...(c.DYNAMODB_ENDPOINT ? { endpoint: c.DYNAMODB_ENDPOINT } : {}),
    cacheBytes: 0,
  }),
);
process.on('message', (m: ToWorker) => {
  if (m.type === 'run')
    run(m).catch((e: unknown) =>
      send({ type: 'done', ok: false, retry: true, reason: `the run crashed (${(e as Error)?.name ?? 'error'})` }),
    );
  else if (m.type === 'cancel') {
    cancelled = m.reason;
    suspended = m.suspend === true;
  }
});
// the host going away (killed hard) must not leave this process running on its own
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
