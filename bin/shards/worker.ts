/**
 * A shard worker thread (bin/shards/pool.ts): runs shards of scenarios (models/engine/shards.ts) and posts back their
 * summaries — plain data, structured-cloned to the main thread, which merges them.
 */
import { parentPort } from 'node:worker_threads';
import { simulateShard } from '#models/engine';
import type { Scenario } from '#models/scenario';

export interface ShardTask {
  task: number;
  scenario: Scenario;
  from: number;
  to: number;
  collectRunTotals: boolean;
}

export type ShardReply =
  | { task: number; type: 'progress'; done: number }
  | { task: number; type: 'done'; summary: ReturnType<typeof simulateShard> }
  | { task: number; type: 'error'; message: string };

parentPort?.on('message', (t: ShardTask) => {
  try {
    const summary = simulateShard(
      t.scenario,
      { from: t.from, to: t.to },
      {
        collectRunTotals: t.collectRunTotals,
        onProgress: (done) => parentPort?.postMessage({ task: t.task, type: 'progress', done } satisfies ShardReply),
      },
    );
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
