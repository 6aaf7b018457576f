/**
 * Every command-line tool a user is shown in the README answers `--help` with its usage (stdout, exit code 0), and a
 * wrong flag with one line naming the options and pointing at --help (stderr, exit code 2, no stack trace).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { type CliError, CliHelp, parseArgs } from '../../bin/cli.js';

const run = (tool: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `bin/${tool}.ts`, ...args], { encoding: 'utf8' });

describe('parseArgs', () => {
  const flags = { data: 'string', runs: 'number', lenient: 'boolean' } as const;
  it('--help or -h anywhere is the usage with exit code 0', () => {
    for (const argv of [['--help'], ['--data', 'x', '-h']]) {
      const e = (() => {
        try {
          parseArgs(argv, flags, 'usage: tool --data DIR');
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(CliHelp);
      expect((e as CliError).exitCode).toBe(0);
      expect((e as CliError).lines).toEqual(['usage: tool --data DIR']);
    }
  });
  it('an unknown option names the options and points at --help', () => {
    expect(() => parseArgs(['--bogus'], flags, 'usage')).toThrow(
      'unknown option --bogus (options: --data, --runs, --lenient) (--help for the usage)',
    );
    expect(() => parseArgs(['stray'], flags, 'usage')).toThrow('unexpected argument: stray (--help for the usage)');
  });
});

describe('messages a new user meets first', () => {
  it('a missing scenario file says so in words; a missing --data points at --help', () => {
    const missing = run('forecast', '--scenario', 'no-such-scenario.json');
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe('scenario no-such-scenario.json: cannot be read (no such file)');
    // --lenient keeps valid rows: no use when the folder itself cannot be read, so not suggested then
    const nowhere = run('estimate', '--data', 'no-such-folder');
    expect(nowhere.status).toBe(2);
    expect(nowhere.stderr).toContain('not a readable directory');
    expect(nowhere.stderr).not.toContain('--lenient');
    const bare = run('estimate');
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('--help for the usage');
  });
});

describe('the tools', () => {
  for (const tool of ['forecast', 'estimate', 'backtest', 'calibrate', 'demo-data']) {
    it(`${tool}: --help prints the usage (exit 0); a wrong flag exits 2 with one line`, () => {
      const help = run(tool, '--help');
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^npm run ${tool} `));
      expect(help.stderr).toBe('');
      const bad = run(tool, '--bogus');
      expect(bad.status).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toMatch(/--bogus.*\(--help for the usage\)$/m);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
