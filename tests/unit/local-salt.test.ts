/**
 * The local runtime's data salt (bin/local/salt.ts): made once and kept in the data folder (0600), reused after,
 * DATA_SALT used as it is, and a folder that already holds datasets but no salt file left on the public default salt
 * with a warning — never a new salt under stored data.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLIC_DEFAULT_SALT } from '#functions/config';
import { localSalt, SALT_FILE } from '../../bin/local/salt.js';
import { StartupError } from '../../bin/local/paths.js';

const folder = () => mkdtempSync(join(tmpdir(), 'salt-'));
const noData = async () => false;
const withData = async () => true;
const NO_ENV: NodeJS.ProcessEnv = {};

describe('local data salt', () => {
  it('is made random on the first start, kept owner-only beside dev-tokens.json, and reused on later starts', async () => {
    const dir = folder();
    const first = await localSalt(dir, noData, NO_ENV);
    expect(first.source).toBe('new');
    expect(first.file).toBe(join(dir, SALT_FILE));
    expect(first.salt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.salt).not.toBe(PUBLIC_DEFAULT_SALT);
    expect(first.warning).toBeUndefined();
    expect(readFileSync(first.file, 'utf8')).toBe(`${first.salt}\n`);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    // later starts: the same salt, whatever the store holds now
    const again = await localSalt(dir, withData, NO_ENV);
    expect(again).toEqual({ salt: first.salt, source: 'file', file: first.file });
    // another folder: another salt
    expect((await localSalt(folder(), noData, NO_ENV)).salt).not.toBe(first.salt);
  });

  it('asks the store only when there is neither DATA_SALT nor a salt file', async () => {
    let asked = 0;
    const counting = async () => {
      asked++;
      return false;
    };
    const dir = folder();
    await localSalt(dir, counting, NO_ENV);
    await localSalt(dir, counting, NO_ENV);
    expect(asked).toBe(1);
  });

  it('uses DATA_SALT as it is and writes nothing', async () => {
    const dir = folder();
    const out = await localSalt(dir, withData, { DATA_SALT: 'a-salt-of-my-own' });
    expect(out).toEqual({ salt: 'a-salt-of-my-own', source: 'environment', file: join(dir, SALT_FILE) });
    expect(() => statSync(join(dir, SALT_FILE))).toThrow(/ENOENT/);
  });

  it('keeps the public default for a folder that holds datasets but no salt file, says so, and writes no salt', async () => {
    const dir = folder();
    const out = await localSalt(dir, withData, NO_ENV);
    expect(out.source).toBe('public-default');
    expect(out.salt).toBe(PUBLIC_DEFAULT_SALT);
    expect(out.warning).toContain(`${dir} holds datasets whose child keys were made with the public default salt`);
    expect(out.warning).toContain(`delete ${dir}`);
    expect(out.warning).toContain('set DATA_SALT');
    expect(() => statSync(join(dir, SALT_FILE))).toThrow(/ENOENT/);
    // the next start is the same: still the default, still the warning
    expect((await localSalt(dir, withData, NO_ENV)).source).toBe('public-default');
  });

  it('refuses to start on a damaged salt file rather than make another salt under stored data', async () => {
    const dir = folder();
    writeFileSync(join(dir, SALT_FILE), '\n');
    await expect(localSalt(dir, noData, NO_ENV)).rejects.toThrow(StartupError);
    await expect(localSalt(dir, noData, NO_ENV)).rejects.toThrow(/does not hold a salt/);
    expect(readFileSync(join(dir, SALT_FILE), 'utf8')).toBe('\n');
  });
});
