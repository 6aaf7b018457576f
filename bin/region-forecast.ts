/**
 * `npm run forecast -- --region FILE [--runs N] [--seed S] [--out FILE] [--workers N]`: a regional forecast from a
 * region file (models/region/schema.ts; every council with a whole scenario). A large region runs in shards of runs
 * over --workers threads (default: the machine's cores; bin/shards/pool.ts), with the result one thread would give. Prints the region's cost by financial year with
 * the chance over the regional budget, the children in care, the NTS transfers by council and the shared places;
 * writes the whole result with --out. Invalid input: exit code 2, one line per problem naming the field.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { applyOverrides } from '../models/scenario.js';
import { resolveRegion } from '../models/region/resolve.js';
import type { RegionalForecastResult } from '../models/region/result.js';
import { parseRegionalForecast } from '../models/region/schema.js';
import { CliError, issueLines, progressReporter, readJsonFile } from './cli.js';
import { ShardPool } from './shards/pool.js';

export interface RegionCliArgs {
  region: string;
  runs?: number;
  seed?: number;
  out?: string;
  quiet?: boolean;
  /** worker threads for a large region (1: this thread only) */
  workers?: number;
}

export async function runRegionCli(args: RegionCliArgs): Promise<void> {
  let input = readJsonFile(args.region, 'region') as Record<string, unknown>;
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    throw new CliError([`region ${args.region}: must be a JSON object`]);
  input = withScenarioFiles(input, args.region);
  if (args.runs !== undefined) input = { ...input, runs: args.runs };
  if (args.seed !== undefined) input = { ...input, seed: args.seed };
  const parsed = parseRegionalForecast(input);
  if (!parsed.ok) throw new CliError([`${args.region}: invalid region`, ...issueLines(parsed.issues)]);
  const missing = parsed.value.councils.flatMap((c, i) =>
    c.scenario === undefined
      ? [`councils.${i}.scenario: the command line needs each council's whole scenario (datasetId is for the API)`]
      : [],
  );
  if (missing.length) throw new CliError([`${args.region}: invalid region`, ...missing]);
  const resolved = resolveRegion(parsed.value);
  if (!resolved.ok) throw new CliError([`${args.region}: invalid region`, ...issueLines(resolved.issues)]);

  const progress = args.quiet ? undefined : progressReporter(resolved.value.runs);
  const pool = new ShardPool(args.workers ?? availableParallelism(), { lazy: true });
  const shards = pool.planRegion(resolved.value).length;
  let result: RegionalForecastResult;
  try {
    result = await pool.runRegion(resolved.value, { onProgress: progress ? (done) => progress(done) : undefined });
  } finally {
    await pool.close();
  }
  if (!args.quiet) console.log(formatRegionalSummary(result));
  console.log(
    `\n${result.runs.toLocaleString('en-GB')} runs of ${result.councilOrder.length} councils in ${(result.elapsedMs / 1000).toFixed(2)} s` +
      (shards > 1 ? ` (${shards} shards on ${shards} worker threads)` : ' (one thread)'),
  );
  if (args.out) {
    writeFileSync(args.out, JSON.stringify(result));
    console.log(`full result written to ${args.out}`);
  }
}

/**
 * On the command line a council may name a scenario file instead of carrying its scenario whole:
 * `{ "code": "E06000031", "scenarioFile": "../scenarios/peterborough-2018.json", "overrides": { … } }` (the path is
 * relative to the region file). The file is read and the overrides applied: the result is the council's scenario.
 */
function withScenarioFiles(input: Record<string, unknown>, regionPath: string): Record<string, unknown> {
  if (!Array.isArray(input.councils)) return input;
  const councils = input.councils.map((c: unknown, i: number) => {
    if (c === null || typeof c !== 'object' || !('scenarioFile' in c)) return c;
    const { scenarioFile, overrides, ...rest } = c as { scenarioFile: unknown; overrides?: unknown };
    if (typeof scenarioFile !== 'string')
      throw new CliError([`${regionPath}: councils.${i}.scenarioFile: must be a path to a scenario file`]);
    const scenario = readJsonFile(resolve(dirname(regionPath), scenarioFile), `councils.${i}.scenarioFile`);
    return { ...rest, scenario: applyOverrides(scenario, overrides) };
  });
  return { ...input, councils };
}

const gbp = (v: number): string => `${v < -5000 ? '−' : ''}£${Math.abs(v / 1e6).toFixed(2)}m`;
const pct = (v: number): string => `${Math.round(v * 100)}%`;

/** The readable summary of a regional forecast. */
export function formatRegionalSummary(r: RegionalForecastResult): string {
  const out: string[] = [];
  const last = r.months.length - 1;
  out.push(
    `${r.name}: ${r.councilOrder.length} councils, ${r.runs.toLocaleString('en-GB')} runs, seed ${r.seed}, ${r.months[0]} to ${r.months[last]}`,
  );
  out.push('');
  out.push('Regional placement cost by financial year  P10        P50        P90        budget     chance over budget');
  for (const fy of r.region.cost.financialYears) {
    const label = `${fy.label}${fy.partial ? ` (${fy.months} months)` : ''}`;
    out.push(
      `  ${label.padEnd(40)} ${gbp(fy.p10).padStart(9)}  ${gbp(fy.p50).padStart(9)}  ${gbp(fy.p90).padStart(9)}  ${(fy.budget !== undefined ? gbp(fy.budget) : '—').padStart(9)}  ${fy.pOverBudget !== undefined ? pct(fy.pOverBudget).padStart(6) : '     —'}`,
    );
  }
  out.push('');
  out.push(`Children in care at the end of ${r.months[last]}: P50 [P10–P90]`);
  for (const code of r.councilOrder) {
    const q = r.councils[code]!.population.total;
    out.push(`  ${code.padEnd(40)} ${String(q.p50[last]).padStart(5)} [${q.p10[last]}–${q.p90[last]}]`);
  }
  const t = r.region.population.total;
  out.push(`  ${'the region'.padEnd(40)} ${String(t.p50[last]).padStart(5)} [${t.p10[last]}–${t.p90[last]}]`);
  const u = r.region.uasc;
  if (u) {
    out.push('');
    out.push(
      `UASC in the region: ${u.count.p50[last]} [${u.count.p10[last]}–${u.count.p90[last]}] at the horizon; ` +
        `transfers not placed (no council below its threshold) over the horizon: mean ${u.notPlacedTotal.mean.toFixed(1)}, P90 ${u.notPlacedTotal.p90}`,
    );
    for (const code of r.councilOrder) {
      const x = u.transfersByCouncil[code]!;
      out.push(
        `  ${code.padEnd(40)} transfers received ${x.total.p50} [${x.total.p10}–${x.total.p90}], mean ${x.total.mean.toFixed(1)}`,
      );
    }
  }
  const sh = r.region.shared;
  if (sh) {
    out.push('');
    if (sh.residential)
      out.push(
        `Shared residential beds: ${sh.residential.places.p50[last]}, occupied ${sh.residential.occupancy.p50[last]} [${sh.residential.occupancy.p10[last]}–${sh.residential.occupancy.p90[last]}] at the horizon`,
      );
    if (sh.foster)
      out.push(
        `Shared fostering hub: ${sh.foster.places.p50[last]} places [${sh.foster.places.p10[last]}–${sh.foster.places.p90[last]}], occupied ${sh.foster.occupancy.p50[last]} at the horizon`,
      );
    out.push('Saving from shared places (spot cost avoided − block cost)   P10        P50        P90');
    for (const s of sh.saving)
      out.push(
        `  ${s.label.padEnd(58)} ${gbp(s.p10).padStart(9)}  ${gbp(s.p50).padStart(9)}  ${gbp(s.p90).padStart(9)}`,
      );
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return out.join('\n');
}
