/**
 * The job host of the local runtime: what SQS + Lambda do on AWS. A pool of job processes (./worker.ts) takes
 * deliveries from the in-process queue. The host survives whatever a job does to its process:
 *   - a process that dies mid-job (crash, out of memory, killed) is an attempt that failed: the delivery is retried
 *     until MAX_RECEIVES deliveries, then dead-lettered — the record is marked failed through its kind's giveUp;
 *   - a job running past the runner's timeout is killed and counted the same way;
 *   - each process has a heap ceiling and is replaced after a number of jobs, so memory stays bounded.
 * Progress from a process is written here (every 5 points) with a heartbeat. Close drains running jobs for a while,
 * then asks them to stop — each goes back to `queued` for the next start (functions/jobs/recovery.ts `suspendJob`) —
 * then kills what is left, which start-up recovery runs again as a job whose process died.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { setPriority } from 'node:os';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '#functions/http/logger';
import { jobOfMessage, suspendJob } from '#functions/jobs/recovery';
import { giveUpJob, type JobContext, jobDefinition } from '#functions/jobs/registry';
import type { Delivery, LocalQueue } from '#functions/queue/local';
import type { JobMessage } from '#functions/queue/queue';
import type { Store } from '#functions/store/store';
import { ROOT } from './paths.js';
import type { FromWorker, ToWorker } from './worker.js';

/** the nice value of job processes (0 to run them at the API's priority): JOB_NICE, default 10 */
const JOB_NICE = Math.min(19, Math.max(0, Number(process.env.JOB_NICE ?? 10) || 0));

export interface JobHostOptions {
  store: Store;
  queue: LocalQueue;
  logger: Logger;
  workers: number;
  maxReceives: number;
  /** heap ceiling of each job process */
  memoryMb: number;
  /** a job running longer is killed (the Lambda runner's timeout) */
  timeoutMs: number;
  /** a job process is replaced after this many jobs */
  jobsPerProcess: number;
}

type Done = Extract<FromWorker, { type: 'done' }>;

/** The 'finished' event: a delivery the host is done with — succeeded, or failed for good (after its retries). */
export interface JobFinished {
  message: Delivery['message'];
  ok: boolean;
}

interface Slot {
  child: ChildProcess;
  ready: Promise<boolean>;
  jobs: number;
  busy?: { delivery: Delivery; finish: (d: Done) => void; cancelled?: string };
}

const WORKER_ENTRY = join(ROOT, 'bin', 'local', 'worker.ts');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

function forwardLines(stream: Readable | null, write: (line: string) => void): void {
  if (!stream) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line) write(line);
  });
  stream.on('end', () => {
    if (rest) write(rest);
  });
}

/** the job a message works for: a shard's or a merge's parent, else the message's own */
function jobOf(message: JobMessage): string {
  return `${jobOfMessage(message).kind}/${message.id}`;
}

export class JobHost {
  /**
   * What the host does, for tests that must wait for a state rather than a time: 'started' {kind, id, receiveCount}
   * (a delivery sent to a job process), 'attempt-failed' {kind, id,
   * receiveCount, reason}, 'dead-letter' {kind, id, reason}, 'dead-lettered' {kind, id}, 'worker-exit' {code, signal},
   * 'finished' (JobFinished: a delivery done with, succeeded or failed for good; the local fan-out waits on it).
   */
  readonly events = new EventEmitter();
  private readonly slots: Slot[] = [];
  private readonly loops: Promise<void>[] = [];
  private stopping = false;
  private readonly deadLetters = new Set<Promise<void>>();
  private failedStarts = 0;
  /** deliveries the stop left unstarted (still in the queue, or a merge sent after it): their jobs are suspended */
  private readonly unstarted: Delivery[] = [];
  /** jobs with a process killed at the stop: left `running`, so the next start counts the attempt (a crash) */
  private readonly killedAtStop = new Set<string>();

  constructor(private readonly o: JobHostOptions) {}

  start(): void {
    for (let i = 0; i < this.o.workers; i++) {
      const slot = this.spawn();
      this.slots.push(slot);
      this.loops.push(this.loop(slot));
    }
  }

  get size(): number {
    return this.slots.length;
  }

  private spawn(): Slot {
    const child = fork(WORKER_ENTRY, [], {
      cwd: ROOT,
      execArgv: ['--import', TSX_LOADER, `--max-old-space-size=${this.o.memoryMb}`],
      // their log lines go through this process's console, so a test runner can hold them back
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    // Jobs run at a lower scheduling priority than the API (as Lambda keeps them apart on AWS): on a machine of two
    // cores a burst of jobs then takes the spare CPU without queueing the API's reads behind it.
    if (child.pid !== undefined && JOB_NICE > 0)
      try {
        setPriority(child.pid, JOB_NICE);
      } catch {
        // not permitted here: the jobs run at the API's priority
      }
    forwardLines(child.stdout, (line) => console.log(line));
    forwardLines(child.stderr, (line) => console.error(line));
    let markReady: (ok: boolean) => void = () => undefined;
    const slot: Slot = { child, jobs: 0, ready: new Promise((r) => (markReady = r)) };
    let lastWritten = -1;
    child.on('message', (m: FromWorker) => {
      if (m.type === 'ready') {
        this.failedStarts = 0;
        markReady(true);
        return;
      }
      const busy = slot.busy;
      if (!busy) return;
      if (m.type === 'progress') {
        // every 5 points: enough for a progress bar, few enough writes
        if (m.percent < lastWritten + 5) return;
        lastWritten = m.percent;
        const def = jobDefinition(busy.delivery.message.kind);
        def?.reportProgress?.(busy.delivery.message, m.percent, this.ctx()).catch(() => {
          // the store is gone: stop the engine rather than compute a result nobody can save
          this.cancel(slot, 'interrupted: the data store became unreachable');
        });
      } else {
        lastWritten = -1;
        busy.finish(m);
      }
    });
    child.on('error', (e) => this.o.logger.error('job process error', { errorName: e.name }));
    child.on('exit', (code, signal) => {
      markReady(false);
      this.events.emit('worker-exit', { code, signal });
      const busy = slot.busy;
      if (busy)
        busy.finish({
          type: 'done',
          ok: false,
          retry: true,
          reason: busy.cancelled ?? `the run stopped its job process (${signal ?? `exit ${code}`})`,
        });
    });
    return slot;
  }

  private ctx(): Pick<JobContext, 'store' | 'now'> {
    return { store: this.o.store, now: () => new Date() };
  }

  /** Ask the job on `slot` to stop; `suspend`: the host is stopping and the job runs again at the next start. */
  private cancel(slot: Slot, reason: string, suspend = false): void {
    if (!slot.busy) return;
    slot.busy.cancelled ??= reason;
    if (slot.child.connected) slot.child.send({ type: 'cancel', reason, suspend } satisfies ToWorker);
  }

  private async loop(first: Slot): Promise<void> {
    let slot = first;
    for (;;) {
      if (this.stopping) return;
      if (!(await slot.ready) || slot.child.exitCode !== null || slot.child.signalCode !== null) {
        // a process that cannot even start would fail again: stop replacing it after a few
        if (++this.failedStarts > 5) {
          this.o.logger.error('job processes do not start; no jobs will run');
          return;
        }
        slot = this.replace(slot);
        continue;
      }
      const d = await this.o.queue.take();
      if (!d) return;
      const reply = await this.runOn(slot, d);
      this.settle(d, reply);
      slot.jobs++;
      const dead = slot.child.exitCode !== null || slot.child.signalCode !== null;
      if (dead || slot.jobs >= this.o.jobsPerProcess) {
        if (!dead) slot.child.kill('SIGTERM');
        slot = this.replace(slot);
      }
    }
  }

  private replace(old: Slot): Slot {
    const fresh = this.spawn();
    const i = this.slots.indexOf(old);
    if (i >= 0) this.slots[i] = fresh;
    return fresh;
  }

  private runOn(slot: Slot, d: Delivery): Promise<Done> {
    return new Promise<Done>((resolve) => {
      const timer = setTimeout(() => {
        if (!slot.busy) return;
        slot.busy.cancelled = `timed out: the run took longer than ${Math.round(this.o.timeoutMs / 1000)} s`;
        slot.child.kill('SIGKILL');
      }, this.o.timeoutMs);
      slot.busy = {
        delivery: d,
        finish: (reply) => {
          clearTimeout(timer);
          slot.busy = undefined;
          resolve(reply);
        },
      };
      this.events.emit('started', { kind: d.message.kind, id: d.message.id, receiveCount: d.receiveCount });
      slot.child.send({
        type: 'run',
        message: d.message,
        receiveCount: d.receiveCount,
        finalAttempt: d.receiveCount >= this.o.maxReceives,
      } satisfies ToWorker);
    });
  }

  private settle(d: Delivery, reply: Done): void {
    const finished = (ok: boolean): void => {
      this.events.emit('finished', { message: d.message, ok } satisfies JobFinished);
    };
    if (reply.ok) return finished(true);
    this.events.emit('attempt-failed', {
      kind: d.message.kind,
      id: d.message.id,
      receiveCount: d.receiveCount,
      reason: reply.reason,
    });
    if (!reply.retry) return finished(false);
    // stopping: a job that did not stop when asked (killed) stays `running`, and start-up recovery runs it again
    if (this.stopping) return finished(false);
    if (d.receiveCount < this.o.maxReceives) this.o.queue.retry(d);
    else {
      const p = this.deadLetter(d, reply.reason ?? 'failed').finally(() => {
        this.deadLetters.delete(p);
        finished(false);
      });
      this.deadLetters.add(p);
    }
  }

  /** What a DLQ consumer does: the record must not stay `running`; keep trying while the store is away (bounded). */
  private async deadLetter(d: Delivery, reason: string): Promise<void> {
    const def = jobDefinition(d.message.kind);
    this.events.emit('dead-letter', { kind: d.message.kind, id: d.message.id, reason });
    if (!def) return;
    for (let attempt = 0; attempt < 240; attempt++) {
      try {
        await giveUpJob(d.message, reason, { ...this.ctx(), logger: this.o.logger, receiveCount: d.receiveCount });
        this.o.logger.warn('job dead-lettered', { kind: d.message.kind, id: d.message.id, reason });
        this.events.emit('dead-lettered', { kind: d.message.kind, id: d.message.id });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    this.o.logger.error('could not record a dead-lettered job', { kind: d.message.kind, id: d.message.id });
  }

  busyCount(): number {
    return this.slots.filter((s) => s.busy).length;
  }

  /** Drain for up to drainMs, then ask running jobs to stop (queued again for the next start), then kill what is left. */
  async close(drainMs: number): Promise<void> {
    this.stopping = true;
    this.unstarted.push(...this.o.queue.close());
    const all = Promise.all(this.loops);
    const wait = (ms: number) =>
      Promise.race([all.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), ms).unref())]);
    if (this.busyCount() && (await wait(drainMs))) {
      for (const s of this.slots) this.cancel(s, 'interrupted: the local service was stopped', true);
      if (await wait(5_000))
        for (const s of this.slots)
          if (s.busy) {
            this.killedAtStop.add(jobOf(s.busy.delivery.message));
            s.child.kill('SIGKILL');
          }
      await all;
    }
    await Promise.all(this.deadLetters);
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((r) => {
            if (s.child.exitCode !== null || s.child.signalCode !== null) return r();
            s.child.once('exit', () => r());
            s.child.kill('SIGTERM');
          }),
      ),
    );
    await this.suspendUnstarted();
  }

  /**
   * A message the stop kept from starting — a shard still in the queue, or the merge of a job whose shards all finished
   * during the drain — belongs to a job whose record is `running`: it goes back to `queued` without spending an attempt,
   * as a job asked to stop does (functions/jobs/recovery.ts `suspendJob`). Otherwise the next start would count the stop
   * as a crash.
   */
  notStarted(message: JobMessage): void {
    this.unstarted.push({ message, receiveCount: 1 });
  }

  private async suspendUnstarted(): Promise<void> {
    // the fan-out's last sends settle first (a merge sent once the drain's shards finished)
    await new Promise((r) => setImmediate(r));
    for (const d of this.unstarted.splice(0)) {
      if (this.killedAtStop.has(jobOf(d.message))) continue;
      await suspendJob(this.o.store, d.message, d.receiveCount).catch(() =>
        this.o.logger.error('could not put a stopped job back in the queue', {
          kind: d.message.kind,
          id: d.message.id,
        }),
      );
    }
  }
}
