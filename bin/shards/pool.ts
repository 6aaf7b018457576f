/**
 * Sharded runs on the worker threads of one machine, for the command-line tools and the benchmarks (the local service
 * runs its shards through its own job host's workers instead: functions/jobs/shards.ts). A pool of threads, started
 * once; `run` splits a scenario's runs into one shard per thread when it is large enough (models/shards.ts), runs them
 * at once and merges their summaries into the result one thread would give.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { mergeShards, simulate, type ShardSummary } from '#models/engine';
import type { ForecastResult } from '#models/result';
import type { Scenario } from '#models/scenario';
import { LOCAL_WORK_PER_SHARD, planShards, workUnits, type Shard } from '#models/shards';
import { mergeRegionShards, type RegionShardSummary, regionWorkUnits } from '../../models/region/shards.js';
import type { RegionalForecastResult } from '../../models/region/result.js';
import { type RegionalScenario, simulateRegion } from '../../models/region/simulate.js';
import { typeScriptWorker } from '../ts-worker.js';
import type { ShardReply, ShardTask } from './worker.js';

type TaskInput = { scenario: Scenario } | { region: RegionalScenario };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunOptions {
  collectRunTotals?: boolean;
  /** runs done over all shards, and the total */
  onProgress?: (done: number, runs: number) => void;
  /** shard even a small job (benchmarks) */
  force?: boolean;
}

export class ShardPool {
  private started: Worker[] = [];
  private nextTask = 0;
  private readonly pending = new Map<number, { onReply: (r: ShardReply) => void; fail: (e: Error) => void }>();
  readonly size: number;

  /** `lazy`: start the threads on the first sharded run (a small job then starts none) */
  constructor(size: number = availableParallelism(), options: { lazy?: boolean } = {}) {
    this.size = Math.max(1, Math.floor(size));
    if (!options.lazy) this.start();
  }

  private get workers(): Worker[] {
    if (this.started.length === 0) this.start();
    return this.started;
  }

  private start(): void {
    this.started = Array.from({ length: this.size }, () => {
      const w = typeScriptWorker(new URL('./worker.ts', import.meta.url));
      w.on('message', (r: ShardReply) => this.pending.get(r.task)?.onReply(r));
      w.on('error', (e) => {
        for (const p of this.pending.values()) p.fail(new Error(`a shard worker crashed (${e.name})`));
      });
      return w;
    });
  }

  /** The shards this pool would run the scenario in (one when it is small). */
  plan(scenario: Scenario, force = false): Shard[] {
    return planShards(scenario.runs, force ? Infinity : workUnits(scenario), {
      workPerShard: LOCAL_WORK_PER_SHARD,
      maxShards: this.size,
      minRunsPerShard: force ? 1 : undefined,
    });
  }

  /** Runs the scenario over the pool's threads (or in this thread when it is one shard) and merges the result. */
  async run(scenario: Scenario, options: RunOptions = {}): Promise<ForecastResult> {
    const shards = this.plan(scenario, options.force);
    const collectRunTotals = options.collectRunTotals === true;
    if (shards.length === 1) return simulate(scenario, { collectRunTotals, onProgress: options.onProgress });
    const summaries = await this.runShards<ShardSummary>({ scenario }, shards, scenario.runs, options);
    return mergeShards(scenario, summaries, { collectRunTotals });
  }

  /** The shards this pool would run the region in (one when it is small): by its work, the sum of its councils'. */
  planRegion(region: RegionalScenario, force = false): Shard[] {
    return planShards(region.runs, force ? Infinity : regionWorkUnits(region), {
      workPerShard: LOCAL_WORK_PER_SHARD,
      maxShards: this.size,
      minRunsPerShard: force ? 1 : undefined,
    });
  }

  /**
   * A regional forecast over the pool's threads (or in this thread when it is one shard): shards of runs, each with
   * every council (they are coupled within a run), merged into the result one thread would give.
   */
  async runRegion(region: RegionalScenario, options: RunOptions = {}): Promise<RegionalForecastResult> {
    const shards = this.planRegion(region, options.force);
    const collectRunTotals = options.collectRunTotals === true;
    if (shards.length === 1) return simulateRegion(region, { collectRunTotals, onProgress: options.onProgress });
    const summaries = await this.runShards<RegionShardSummary>({ region }, shards, region.runs, options);
    return mergeRegionShards(region, summaries, { collectRunTotals });
  }

  private runShards<S>(input: TaskInput, shards: Shard[], runs: number, options: RunOptions): Promise<S[]> {
    const done = new Array<number>(shards.length).fill(0);
    const collectRunTotals = options.collectRunTotals === true;
    return Promise.all(
      shards.map((shard, i) =>
        this.runShard<S>(
          this.workers[i % this.workers.length]!,
          { ...input, from: shard.from, to: shard.to, collectRunTotals },
          (n) => {
            done[i] = n;
            options.onProgress?.(
              done.reduce((a, b) => a + b, 0),
              runs,
            );
          },
        ),
      ),
    );
  }

  private runShard<S>(
    worker: Worker,
    t: TaskInput & { from: number; to: number; collectRunTotals: boolean },
    onProgress: (done: number) => void,
  ): Promise<S> {
    const task = this.nextTask++;
    return new Promise((resolve, reject) => {
      this.pending.set(task, {
        onReply: (r) => {
          if (r.type === 'progress') return onProgress(r.done);
          this.pending.delete(task);
          if (r.type === 'done') resolve(r.summary as S);
          else reject(new Error(r.message));
        },
        fail: (e) => {
          this.pending.delete(task);
          reject(e);
        },
      });
      worker.postMessage({ ...t, task } as ShardTask);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.started.map((w) => w.terminate()));
    this.started = [];
  }
}
