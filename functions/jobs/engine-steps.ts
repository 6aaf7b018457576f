/**
 * Running the engine inside a job. A host that cannot write while the synchronous engine runs (Lambda) gives the job
 * a `checkpoint`; the engine then runs in twentieths and the host records progress and a heartbeat between them.
 * The result is the same whatever the steps (run r always uses the streams of (seed, r)).
 */
import { createSimulation, type SimulateOptions, type Simulation } from '#models/engine';
import type { ForecastResult } from '#models/result';
import type { Scenario } from '#models/scenario';
import type { JobContext } from './registry.js';

/** The engine refused or broke on this input: a property of the input, so the job records it and does not retry. */
export class EngineFailed extends Error {
  override readonly name = 'EngineFailed';
  constructor(readonly reason: unknown) {
    super(String((reason as Error)?.message ?? reason));
  }
}

/** Runs a scenario; engine errors come out as EngineFailed, a failed checkpoint write as itself (retryable). */
export async function runEngine(
  scenario: Scenario,
  options: SimulateOptions,
  ctx: Pick<JobContext, 'checkpoint'>,
): Promise<ForecastResult> {
  const stepRuns = ctx.checkpoint ? Math.ceil(scenario.runs / 20) : scenario.runs;
  let sim: Simulation | undefined;
  for (;;) {
    try {
      sim ??= createSimulation(scenario, options);
      if (sim.step(stepRuns)) return sim.finish();
    } catch (e) {
      throw new EngineFailed(e);
    }
    await ctx.checkpoint?.();
  }
}
