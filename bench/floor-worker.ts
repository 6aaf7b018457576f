/**
 * The floor loop (bench/floor.ts) on a worker thread, for the bench's parallel ceiling: what two copies of the least
 * work the semantics require gain from running at once on this machine's cores, with no shards, clones or merges.
 * With `runs: 0` it runs `spin` instead: integer arithmetic in registers, no memory — what the cores give work that
 * shares nothing (the difference between the two is the cores' shared caches and memory).
 */
import { parentPort } from 'node:worker_threads';
import type { Scenario } from '../models/scenario.js';
import { floorLoop } from './floor.js';

/** n rounds of a mixing function in registers; returns the state so the loop is not optimised away. */
function spin(n: number): number {
  let x = 1;
  for (let i = 0; i < n; i++) x = (Math.imul(x ^ (x >>> 15), 1 | x) + i) | 0;
  return x;
}

type Task = { scenario: Scenario; runs: number; warm: number } | { spin: number };

// one task a thread: warm up and say so, then run the timed loop on the next message
parentPort?.once('message', (m: Task) => {
  if ('spin' in m) spin(1e6);
  else floorLoop(m.scenario, m.warm);
  parentPort?.postMessage({ ready: true });
  parentPort?.once('message', () =>
    parentPort?.postMessage('spin' in m ? spin(m.spin) : floorLoop(m.scenario, m.runs)),
  );
});
