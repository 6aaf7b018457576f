/**
 * dynalite on a thread of its own (bin/local/store.ts starts it): the store's work — parsing requests, LevelDB reads
 * and writes, the job processes' progress and result writes — stays off the API's event loop, so reads are not
 * queued behind it while many jobs run.
 */
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

const { path } = workerData as { path: string };
const server = dynalite({ path, createTableMs: 0, updateTableMs: 0, deleteTableMs: 0 });
server.on('error', (e: Error) => parentPort?.postMessage({ error: e.message }));
server.listen(0, '127.0.0.1', () => {
  parentPort?.postMessage({ port: (server.address() as AddressInfo).port });
});
parentPort?.on('message', (m: { close?: boolean }) => {
  if (!m.close) return;
  server.closeAllConnections?.();
  server.close(() => {
    parentPort?.postMessage({ closed: true });
    parentPort?.close();
  });
});
