/** The engine's public types: options, the end-of-month view, the stepped simulation and its cancellation. */
import type { ForecastResult } from '../result.js';

export interface SimulateOptions {
  /** called about 100 times over a simulation */
  onProgress?: (runsDone: number, runs: number) => void;
  /** keep per-run totals (FY costs, horizon counts) so variants can be paired run by run */
  collectRunTotals?: boolean;
  /** polled with the progress callback; true stops the simulation with SimulationCancelled */
  shouldCancel?: () => boolean;
  /** called at the end of every month of every run (tests and diagnostics; slows the engine) */
  onMonthEnd?: (run: number, month: number, state: MonthEndState) => void;
}

/** The end-of-month state of one run, as seen by `onMonthEnd`. The arrays are reused: copy what you keep. */
export interface MonthEndState {
  counts: Int32Array; // by category, in CATEGORIES order
  places: number;
  households: number;
  overflow: number;
  uascCount: number;
  uascThreshold: number;
  transfers: number;
  spontaneous: number;
  referredOn: number;
  monthCost: number;
}

export class SimulationCancelled extends Error {
  constructor() {
    super('simulation cancelled');
    this.name = 'SimulationCancelled';
  }
}

/**
 * A simulation that can be run in steps: `step(n)` runs up to n more runs; `finish()` summarises them. Stepping lets
 * a host that cannot write in the background (a Lambda function) record progress between steps; the result is the
 * same as one `simulate` call whatever the steps, because run r always uses the streams of (seed, r).
 */
export interface Simulation {
  readonly runs: number;
  readonly runsDone: number;
  /** runs up to `maxRuns` more runs; true when all runs are done */
  step(maxRuns: number): boolean;
  /** the result (all runs must be done) */
  finish(): ForecastResult;
}
