/**
 * Running the engine inside a job. A host that cannot write while the synchronous engine runs (Lambda) gives the job
 * a `checkpoint`; the engine then runs in twentieths and the host records progress and a heartbeat between them.
 * The result is the same whatever the steps (run r always uses the streams of (seed, r)).
 */
import { createSimulation, type SimulateOptions } from '#models/engine';
import type { ForecastResult } from '#models/result';
import type { Scenario } from '#models/scenario';
import type { Store } from '#functions/store/store';
import { type JobContext, JobInterrupted } from './registry.js';

/** The engine refused or broke on this input: a property of the input, so the job records it and does not retry. */
export class EngineFailed extends Error {
  override readonly name = 'EngineFailed';
  constructor(readonly reason: unknown) {
    super(String((reason as Error)?.message ?? reason));
  }
}

/** Runs a scenario; engine errors come out as EngineFailed, a failed checkpoint write as itself (retryable). */
export function runEngine(
  scenario: Scenario,
  options: SimulateOptions,
  ctx: Pick<JobContext, 'checkpoint'>,
): Promise<ForecastResult> {
  return runStepped(scenario.runs, () => createSimulation(scenario, options), ctx);
}

/** Anything the engine runs in steps: a council's simulation, a region's. */
export interface Stepped<R> {
  step(maxRuns: number): boolean;
  finish(): R;
}

/** Runs a stepped simulation in twentieths when the host checkpoints between steps (see runEngine). */
export async function runStepped<R>(
  runs: number,
  create: () => Stepped<R>,
  ctx: Pick<JobContext, 'checkpoint'>,
): Promise<R> {
  const stepRuns = ctx.checkpoint ? Math.ceil(runs / 20) : runs;
  let sim: Stepped<R> | undefined;
  for (;;) {
    try {
      sim ??= create();
      if (sim.step(stepRuns)) return sim.finish();
    } catch (e) {
      throw new EngineFailed(e);
    }
    await ctx.checkpoint?.();
  }
}

/** queued or running: the job still wants its result */
export async function recordIsLive(store: Store, kind: string, id: string): Promise<boolean> {
  const r = await store.get<{ status?: string }>(kind, id);
  return r !== undefined && (r.summary.status === 'queued' || r.summary.status === 'running');
}

/**
 * A job context whose checkpoint also looks at the job's record: when the job ended meanwhile (deleted, or finished
 * by another delivery), `ended()` turns true and the engine stops at its next check, so no more runs are spent on a
 * result nobody will store. A host that runs the engine in one step (no checkpoint) is given the context unchanged.
 */
export function watchJob(ctx: JobContext, live: () => Promise<boolean>): { ctx: JobContext; ended: () => boolean } {
  let ended = false;
  const checkpoint = ctx.checkpoint;
  if (!checkpoint) return { ctx, ended: () => false };
  return {
    ctx: {
      ...ctx,
      shouldCancel: () => ended || ctx.shouldCancel(),
      checkpoint: async () => {
        await checkpoint();
        ended = !(await live());
      },
    },
    ended: () => ended,
  };
}

/** What a job gives the engine: progress to its host, and a stop when the host needs one. */
export const jobEngineOptions = (ctx: Pick<JobContext, 'progress' | 'shouldCancel'>) => ({
  onProgress: (done: number, runs: number) => ctx.progress(Math.floor((100 * done) / Math.max(1, runs))),
  shouldCancel: () => ctx.shouldCancel(),
});

/**
 * Runs the engine for a job. Its result; or, when the engine refused the input (a property of the input, so no retry),
 * undefined after `fail` recorded why ("the engine could not run <what>: …"). An interruption the host asked for is
 * thrown as JobInterrupted; anything else (the store, while recording progress) is thrown for a retry.
 */
export async function runForJob<R>(
  run: () => Promise<R>,
  ctx: Pick<JobContext, 'shouldCancel' | 'cancelReason'>,
  what: string,
  fail: (reason: string) => Promise<void>,
): Promise<R | undefined> {
  let result: R;
  try {
    result = await run();
  } catch (e) {
    if (!(e instanceof EngineFailed)) throw e;
    if (ctx.shouldCancel()) throw new JobInterrupted(ctx.cancelReason());
    await fail(`the engine could not run ${what}: ${e.message.slice(0, 300)}`);
    return undefined;
  }
  if (ctx.shouldCancel()) throw new JobInterrupted(ctx.cancelReason());
  return result;
}
