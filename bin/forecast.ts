/**
 * npm run forecast -- --scenario FILE [--runs N] [--seed S] [--out FILE] [--data DIR [--lenient]] [--workers N]
 * npm run forecast -- --region FILE [--runs N] [--seed S] [--out FILE] [--workers N]   (a regional forecast: ./region-forecast.ts)
 *
 * Runs the Monte Carlo engine on a scenario file and prints a readable summary; writes the full result as JSON with
 * --out. With --data DIR the stock, start month and rates come from the placement records in DIR (SSDA903 CSVs or a
 * JSON records file) and everything else from the scenario file. A large forecast (models/shards.ts) runs in shards
 * over --workers threads (default: the machine's cores), with the result one thread would give. Invalid input: exit
 * code 2, one line per problem.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { monthFromIndex } from '../models/calendar.js';
import { simulate } from '../models/engine/index.js';
import { DEFAULT_SCENARIO_PATH } from '../models/defaults.js';
import type { ForecastResult } from '../models/result.js';
import { lastForecastMonth, parseScenario, type ScenarioInput } from '../models/scenario.js';
import { scenarioFromDataset } from '../models/council-resolve.js';
import { ingestDate, ingestYear, loadDataDirectory, runSalt } from './data-dir.js';
import { ShardPool } from './shards/pool.js';
import { runRegionCli } from './region-forecast.js';
import { CliError, formatSummary, issueLines, parseArgs, progressReporter, readJsonFile, runCli } from './cli.js';

const USAGE = `npm run forecast -- [--scenario FILE] [--runs N] [--seed S] [--out FILE] [--data DIR [--lenient]] [--workers N] [--quiet]
npm run forecast -- --region FILE [--runs N] [--seed S] [--out FILE] [--workers N] [--quiet]

Runs the Monte Carlo forecast with no server and prints, per financial year, cost P10/P50/P90 against the budget
with the chance of going over it, children by placement at the horizon, UASC and the in-house shortfall.

  --scenario FILE   a scenario JSON (default: data/scenarios/peterborough-2018.json)
  --runs N          Monte Carlo runs (default: the scenario's)
  --seed S          random seed (default: the scenario's)
  --out FILE        also write the full result as JSON
  --data DIR        take the start month, children and rates from SSDA903 files (or a JSON records file) in DIR
  --lenient         with --data: drop rows with errors instead of refusing the data
  --workers N       worker threads for a large forecast (default: the number of cores)
  --region FILE     a regional forecast from a region file (docs/regions.md), e.g. data/regions/eastern-2018.json
  --quiet           do not print the summary (with --out: the result file only)
  --help            this text

Invalid input exits with code 2 and one line per problem.`;

await runCli(async () => {
  const args = parseArgs(
    process.argv.slice(2),
    {
      scenario: 'string',
      runs: 'number',
      seed: 'number',
      out: 'string',
      data: 'string',
      lenient: 'boolean',
      quiet: 'boolean',
      region: 'string',
      workers: 'number',
    },
    USAGE,
  );
  const workers = (args.workers as number | undefined) ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new CliError([`--workers: must be a whole number from 1 to 64 (got ${args.workers})`]);
  if (args.region !== undefined) {
    if (args.scenario !== undefined || args.data !== undefined)
      throw new CliError([
        '--region cannot be combined with --scenario or --data (each council has its scenario in the region file)',
      ]);
    await runRegionCli({
      region: args.region as string,
      workers,
      ...(args.runs !== undefined ? { runs: args.runs as number } : {}),
      ...(args.seed !== undefined ? { seed: args.seed as number } : {}),
      ...(args.out !== undefined ? { out: args.out as string } : {}),
      quiet: args.quiet === true,
    });
    return;
  }
  const scenarioPath = (args.scenario as string | undefined) ?? DEFAULT_SCENARIO_PATH;
  let input = readJsonFile(scenarioPath, 'scenario') as ScenarioInput;

  if (args.data) {
    const outcome = await loadDataDirectory(args.data as string, {
      mode: args.lenient ? 'lenient' : 'strict',
      salt: runSalt(),
      referenceYear: ingestYear(),
      today: ingestDate(),
    });
    if (!outcome.ok) {
      const lines = outcome.report.problems
        .filter((p) => p.severity === 'error')
        .slice(0, 50)
        .map(
          (p) =>
            `${p.file}${p.row !== null ? `:${p.row}` : ''}${p.column ? ` ${p.column}` : ''}: ${p.code}: ${p.message}`,
        );
      if (outcome.report.errors > 50)
        lines.push(
          `… and ${outcome.report.errors - 50} more (npm run estimate -- --data ${args.data} --report FILE lists them all)`,
        );
      throw new CliError([
        `${args.data}: the data has ${outcome.report.errors} error(s); nothing was forecast${outcome.report.problems.some((p) => p.severity === 'error' && p.row !== null) ? ' (use --lenient to keep the valid rows)' : ''}`,
        ...lines,
      ]);
    }
    const fromData = scenarioFromDataset(outcome.dataset);
    input = {
      ...input,
      start: fromData.start,
      parameters: fromData.parameters,
      initial: fromData.initial,
      uasc: input.uasc ? { ...input.uasc, initial: fromData.uasc?.initial ?? 0 } : null,
      name: `${input.name ?? 'Scenario'} (stock and rates from ${args.data})`,
    };
    // the scenario's price base stays where it is (its weekly costs are at that month's prices) unless the data's start
    // leaves it after the forecast's last month, which validation refuses: then it moves to the start, and says so
    // (a scenario without a horizon is left for the validation below to name)
    const last =
      typeof input.horizonMonths === 'number'
        ? monthFromIndex(lastForecastMonth(fromData.start, input.horizonMonths))
        : undefined;
    if (
      last !== undefined &&
      input.costs &&
      typeof input.costs.priceBase === 'string' &&
      input.costs.priceBase > last
    ) {
      const note = `costs.priceBase ${input.costs.priceBase} is after the last month the data's forecast covers (${last}): the weekly costs are taken at ${fromData.start} prices instead`;
      input = {
        ...input,
        costs: { ...input.costs, priceBase: fromData.start },
        notes: [...(Array.isArray(input.notes) ? input.notes : []), note],
      };
    }
  }
  if (args.runs !== undefined) input = { ...input, runs: args.runs as number };
  if (args.seed !== undefined) input = { ...input, seed: args.seed as number };

  const parsed = parseScenario(input, { strict: true });
  if (!parsed.ok) throw new CliError([`${scenarioPath}: invalid scenario`, ...issueLines(parsed.issues)]);

  const progress = args.quiet ? undefined : progressReporter(parsed.value.runs);
  const onProgress = progress ? (done: number) => progress(done) : undefined;
  const pool = new ShardPool(workers, { lazy: true });
  const shards = pool.plan(parsed.value).length;
  let result: ForecastResult;
  try {
    result = shards > 1 ? await pool.run(parsed.value, { onProgress }) : simulate(parsed.value, { onProgress });
  } finally {
    await pool.close();
  }
  if (!args.quiet) console.log(formatSummary(result));
  console.log(
    `\n${result.runs.toLocaleString('en-GB')} runs in ${(result.elapsedMs / 1000).toFixed(2)} s` +
      (shards > 1 ? ` (${shards} shards on ${shards} worker threads)` : ' (one thread)'),
  );
  if (args.out) {
    writeFileSync(args.out as string, JSON.stringify(result));
    console.log(`full result written to ${args.out}`);
  }
});
