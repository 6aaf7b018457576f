/**
 * Small helpers shared by the command-line tools: argument parsing, reading a scenario file with clear errors,
 * and the readable summary of a forecast. Errors are printed one per line, never with a stack trace.
 */
import { readFileSync } from 'node:fs';
import { CATEGORIES, CATEGORY_LABELS } from '../models/placement.js';
import type { ForecastResult } from '../models/result.js';
import type { InputIssue } from '../models/scenario.js';

export class CliError extends Error {
  constructor(
    readonly lines: string[],
    readonly exitCode = 2,
  ) {
    super(lines.join('\n'));
  }
}

/** `--help` or `-h`: the usage on stdout and exit code 0 (runCli prints it). */
export class CliHelp extends CliError {
  constructor(usage: string) {
    super(usage.split('\n'), 0);
  }
}

/**
 * The tool's flags, checked: an unknown option or a stray argument is a CliError (exit code 2) that names the options
 * and points at `--help`; with `usage`, `--help` or `-h` anywhere prints it and exits 0.
 */
export function parseArgs(
  argv: string[],
  flags: Record<string, 'string' | 'number' | 'boolean'>,
  usage?: string,
): Record<string, string | number | boolean | undefined> {
  if (usage !== undefined && argv.some((a) => a === '--help' || a === '-h')) throw new CliHelp(usage);
  const more = usage !== undefined ? ' (--help for the usage)' : '';
  const out: Record<string, string | number | boolean | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new CliError([`unexpected argument: ${a}${more}`]);
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    const kind = flags[name];
    if (!kind)
      throw new CliError([
        `unknown option --${name} (options: ${Object.keys(flags)
          .map((f) => `--${f}`)
          .join(', ')})${more}`,
      ]);
    if (kind === 'boolean') {
      out[name] = true;
      continue;
    }
    const v = inline ?? argv[++i];
    if (v === undefined) throw new CliError([`--${name} needs a value`]);
    if (kind === 'number') {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new CliError([`--${name}: must be a number (got "${v}")`]);
      out[name] = n;
    } else out[name] = v;
  }
  return out;
}

/** why a file cannot be read, in words */
const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a folder, not a file',
};

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new CliError([`${what} ${path}: cannot be read (${READ_ERRORS[code] ?? code})`]);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new CliError([`${what} ${path}: not valid JSON (${(e as Error).message})`]);
  }
}

export const issueLines = (issues: InputIssue[]): string[] => issues.map((i) => `${i.path}: ${i.message}`);

/** Run a CLI main function: CliError → its lines on stderr (stdout for --help) and its exit code; anything else → one line, exit 1. */
export async function runCli(main: () => Promise<void> | void): Promise<void> {
  try {
    await main();
  } catch (e) {
    if (e instanceof CliError) {
      const to = e.exitCode === 0 ? process.stdout : process.stderr;
      to.write(e.lines.map((l) => `${l}\n`).join(''));
      process.exitCode = e.exitCode;
    } else {
      process.stderr.write(`error: ${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  }
}

const gbp = (v: number): string => `£${(v / 1e6).toFixed(2)}m`;
const pct = (v: number): string => `${Math.round(v * 100)}%`;

/** The readable summary a finance officer reads in a terminal. */
export function formatSummary(r: ForecastResult): string {
  const out: string[] = [];
  const last = r.months.length - 1;
  out.push(
    `${r.scenarioName}: ${r.runs.toLocaleString('en-GB')} runs, seed ${r.seed}, ${r.months[0]} to ${r.months[last]} (prices: ${r.cost.priceBase} base, inflated by financial year)`,
  );
  out.push('');
  out.push('Placement cost by financial year     P10        P50        P90        budget     chance over budget');
  for (const fy of r.cost.financialYears) {
    const label = `${fy.label}${fy.partial ? ` (${fy.months} months)` : ''}`;
    out.push(
      `  ${label.padEnd(34)} ${gbp(fy.p10).padStart(9)}  ${gbp(fy.p50).padStart(9)}  ${gbp(fy.p90).padStart(9)}  ${(fy.budget !== undefined ? gbp(fy.budget) : '—').padStart(9)}  ${fy.pOverBudget !== undefined ? pct(fy.pOverBudget).padStart(6) : '     —'}`,
    );
  }
  out.push('');
  out.push(
    `Children in care at the end of ${r.months[last]}: P50 [P10–P90]   (start: ${r.population.total.mean[0]!.toFixed(0)} after month 1)`,
  );
  for (const c of [...CATEGORIES, 'total'] as const) {
    const q = r.population[c];
    if (c !== 'total' && q.p90[last] === 0 && q.mean[last]! < 0.5) continue;
    const name = c === 'total' ? 'All children in care' : CATEGORY_LABELS[c];
    out.push(`  ${name.padEnd(34)} ${String(q.p50[last]).padStart(4)} [${q.p10[last]}–${q.p90[last]}]`);
  }
  if (r.uasc) {
    const u = r.uasc;
    const firstOff = u.pOnRota.findIndex((p) => p < 0.5);
    out.push('');
    out.push(
      `UASC: ${u.count.p50[last]} [${u.count.p10[last]}–${u.count.p90[last]}] at the horizon against a threshold of ${u.threshold[last]}; ` +
        `on the rota in ${pct(u.pOnRota[last]!)} of runs at the horizon` +
        (firstOff >= 0
          ? `; first month off the rota in most runs: ${r.months[firstOff]}`
          : '; on the rota in most runs throughout'),
    );
  }
  if (r.inHouse) {
    const h = r.inHouse;
    out.push(
      `In-house fostering: ${h.capacity.p50[last]} places [${h.capacity.p10[last]}–${h.capacity.p90[last]}] at the horizon for ${h.occupancy.p50[last]} children; ` +
        `shortfall (children sent elsewhere for want of a place) over the horizon ${h.overflowTotal.p50} [${h.overflowTotal.p10}–${h.overflowTotal.p90}], mean ${h.overflowTotal.mean.toFixed(1)}`,
    );
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return out.join('\n');
}

/** A progress bar on stderr for long runs (only when stderr is a terminal). */
export function progressReporter(total: number): ((done: number) => void) | undefined {
  if (!process.stderr.isTTY || total < 500) return undefined;
  return (done: number) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} runs`);
    if (done === total) process.stderr.write('\n');
  };
}
