/**
 * The Monte Carlo forecast engine (the semantics are stated in simulation.ts and the README). Its rooms:
 * - simulation.ts   the month loop: one run's steps 0–6 in order, stepping and cancellation
 * - rates.ts        the rate tables of a run: point rates, posterior draws, survival and outcome tables
 * - world.ts        the children of a run (struct of arrays), their event queue, entrants and placements
 * - initial.ts      the initial stock, reconciled with the starting UASC count
 * - carers.ts       in-house carer households and places (steps 0 and 4, and the overflow of step 1)
 * - uasc-arrivals.ts the UASC threshold and arrivals (step 5)
 * - recorder.ts     end-of-month values (step 6) into batch buffers and summaries
 * - assemble.ts     the ForecastResult from the summaries
 * - constants.ts, categorical.ts, types.ts: shared indices, small draws, the public types
 */
export { createSimulation, simulate } from './simulation.js';
export { ShardMismatch } from './recorder.js';
export { SimulationCancelled, type MonthEndState, type SimulateOptions, type Simulation } from './types.js';
export {
  createShardSimulation,
  mergeShards,
  simulateShard,
  type ShardSimulation,
  type ShardSummary,
} from './shards.js';
