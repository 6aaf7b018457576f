/**
 * `npm start`'s data salt, end to end: the first start makes one and keeps it in the data folder (0600), uploads are
 * hashed with it, a restart reuses it; a folder that holds datasets but no salt file (made before the salt file
 * existed) stays on the public default salt and says so once at start-up.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PUBLIC_DEFAULT_SALT } from '#functions/config';
import { type DatasetSummary, loadDataset } from '#functions/records/dataset';
import { KIND } from '#functions/records/kinds';
import { scopedStore } from '#functions/tenancy';

import { childKey } from '#models/ingest/ssda903/clean';
import { DEMO_COUNCILS } from '../../bin/local/auth.js';
import { SALT_FILE } from '../../bin/local/salt.js';
import { type LocalService, startLocalService } from '../../bin/serve.js';
import { client } from './client.js';
import { history, recordsAt } from './records-fixture.js';

const savedSalt = process.env.DATA_SALT;
beforeAll(() => {
  delete process.env.DATA_SALT;
});
afterAll(() => {
  if (savedSalt !== undefined) process.env.DATA_SALT = savedSalt;
});

describe('the local data salt', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'salt-svc-'));
  const saltFile = join(dataDir, SALT_FILE);
  let svc: LocalService | undefined;
  const { call } = client(() => svc!.url);
  const start = (quiet = true) =>
    startLocalService({ port: 0, dataDir, quiet, loadDemo: false, workers: 0, drainSeconds: 0 });
  afterEach(async () => {
    await svc?.close();
    svc = undefined;
  });

  /** Uploads records (child ids c1…cN) and returns the child keys stored for them. */
  async function upload(seed: number): Promise<{ keys: string[]; ids: string[] }> {
    const records = recordsAt(history(20, seed), '2016-03-31');
    const res = await call('POST', '/datasets', {
      token: svc!.tokens['data-manager'],
      body: { format: 'records', ...records },
    });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    const own = scopedStore(svc!.store, { tenant: { council: DEMO_COUNCILS[0].code } });
    const record = await own.get<DatasetSummary>(KIND.dataset, res.body.id);
    const dataset = await loadDataset(own, record!);
    return { keys: dataset.children.map((c) => c.key), ids: records.children.map((c) => c.childId) };
  }
  const keysWith = (salt: string, ids: string[]) => new Set(ids.map((id) => childKey(salt, id)));

  it('is made on the first start, hashes the uploads, and is reused on the next start', async () => {
    svc = await start();
    expect(svc.salt).toEqual({ source: 'new', file: saltFile });
    expect(statSync(saltFile).mode & 0o777).toBe(0o600);
    const salt = readFileSync(saltFile, 'utf8').trim();
    expect(salt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { keys, ids } = await upload(4);
    expect(keys.length).toBeGreaterThan(5);
    for (const k of keys) {
      expect(keysWith(salt, ids).has(k)).toBe(true);
      expect(keysWith(PUBLIC_DEFAULT_SALT, ids).has(k)).toBe(false);
    }
    await svc.close();

    svc = await start();
    expect(svc.salt).toEqual({ source: 'file', file: saltFile });
    expect(readFileSync(saltFile, 'utf8').trim()).toBe(salt);
    const again = await upload(7);
    for (const k of again.keys) expect(keysWith(salt, again.ids).has(k)).toBe(true);
    expect((await call('GET', '/datasets?limit=10', { token: svc.tokens.finance })).body.items).toHaveLength(2);
  });

  it('keeps the public default for a folder with datasets but no salt file, and says so once at start-up', async () => {
    rmSync(saltFile);
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      svc = await start(false);
    } finally {
      write.mockRestore();
    }
    expect(svc.salt).toEqual({ source: 'public-default', file: saltFile });
    const warnings = lines.filter((l) => l.includes('public default salt'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${dataDir} holds datasets whose child keys were made with the public default salt`);
    expect(warnings[0]).toContain(`delete ${dataDir}`);
    expect(warnings[0]).toContain('set DATA_SALT');
    // no salt was made under the stored data
    expect(() => statSync(saltFile)).toThrow(/ENOENT/);
    const { keys, ids } = await upload(11);
    for (const k of keys) expect(keysWith(PUBLIC_DEFAULT_SALT, ids).has(k)).toBe(true);
    // the datasets stored before are all still listed
    expect((await call('GET', '/datasets?limit=10', { token: svc.tokens.finance })).body.items).toHaveLength(3);
  });
});
