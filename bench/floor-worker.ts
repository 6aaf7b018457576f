/**
 * The floor loop (bench/floor.ts) on a worker thread, for the bench's parallel ceiling: what two copies of the least
 * work the semantics require gain from running at once on this machine's cores, with no shards, clones or merges.
 */
import { parentPort } from 'node:worker_threads';
import type { Scenario } from '../models/scenario.js';
import { floorLoop } from './floor.js';

// one task a thread: warm up and say so, then run the timed loop on the next message
parentPort?.once('message', (m: { scenario: Scenario; runs: number; warm: number }) => {
  floorLoop(m.scenario, m.warm);
  parentPort?.postMessage({ ready: true });
  parentPort?.once('message', () => parentPort?.postMessage(floorLoop(m.scenario, m.runs)));
});
