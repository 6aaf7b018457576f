/** Worker threads that run the project's TypeScript (the shard pool's engines, the local store's thread). */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A worker thread that runs TypeScript: tsx is registered inside it (`--import tsx` does not reach workers on Node 20). */
export function typeScriptWorker(entry: URL, workerData?: unknown): Worker {
  const tsxApi = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'esm', 'api', 'index.mjs')).href;
  const bootstrap = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), { workerData });
}
