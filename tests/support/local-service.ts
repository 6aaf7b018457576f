/**
 * The one fixture for tests that need the local service: started in beforeAll on a free port with a fresh temporary
 * data folder (quiet, no demo data unless asked), closed and removed in afterAll. `useLocalService()` returns a getter
 * (the service exists only once beforeAll has run) and a small HTTP client bound to it. Options known only once an
 * earlier beforeAll has run (an emulator's endpoint) are given as a function.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type LocalService, type LocalServiceOptions, startLocalService } from '../../bin/serve.js';
import { client } from '../integration/client.js';

export function useLocalService(given: LocalServiceOptions | (() => LocalServiceOptions) = {}) {
  let svc: LocalService | undefined;
  let dir: string | undefined;
  let ownDir = false;
  beforeAll(async () => {
    const options = typeof given === 'function' ? given() : given;
    ownDir = options.dataDir === undefined;
    dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pf-service-'));
    svc = await startLocalService({ port: 0, quiet: true, loadDemo: false, workers: 1, ...options, dataDir: dir });
  });
  afterAll(async () => {
    await svc?.close();
    if (dir && ownDir) rmSync(dir, { recursive: true, force: true });
  });
  const service = (): LocalService => {
    if (!svc) throw new Error('the local service is not started (use it inside a test)');
    return svc;
  };
  return { service, ...client(() => service().url) };
}
