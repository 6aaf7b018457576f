/**
 * A shard worker thread (bin/shards/pool.ts): runs shards of scenarios (models/engine/shards.ts) or of regional
 * forecasts (models/region/shards.ts) and posts back their summaries — plain data, structured-cloned to the main
 * thread, which merges them.
 */
import { parentPort } from 'node:worker_threads';
import { type ShardSummary, simulateShard } from '#models/engine';
import { type RegionShardSummary, simulateRegionShard } from '../../models/region/shards.js';
import type { RegionalScenario } from '../../models/region/simulate.js';
import type { Scenario } from '#models/scenario';

export type ShardTask = { task: number; from: number; to: number; collectRunTotals: boolean } & (
  | { scenario: Scenario }
  | { region: RegionalScenario }
);

export type ShardReply =
  | { task: number; type: 'progress'; done: number }
  | { task: number; type: 'done'; summary: ShardSummary | RegionShardSummary }
  | { task: number; type: 'error'; message: string };

parentPort?.on('message', (t: ShardTask) => {
  try {
    const options = {
      collectRunTotals: t.collectRunTotals,
      onProgress: (done: number) =>
        parentPort?.postMessage({ task: t.task, type: 'progress', done } satisfies ShardReply),
    };
    const runs = { from: t.from, to: t.to };
    const summary =
      'region' in t ? simulateRegionShard(t.region, runs, options) : simulateShard(t.scenario, runs, options);
    parentPort?.postMessage({ task: t.task, type: 'done', summary } satisfies ShardReply);
  } catch (e) {
    // the engine's own message (an input it cannot model); never a stack trace
    parentPort?.postMessage({
      task: t.task,
      type: 'error',
      message: String((e as Error)?.message ?? e),
    } satisfies ShardReply);
  }
});
