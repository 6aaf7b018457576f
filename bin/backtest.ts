/**
 * npm run backtest -- --data DIR --cutoff YYYY-MM-DD [--horizon 12] [--runs 1000] [--seed 1] [--window-months 24]
 *                     [--capacity] [--strict] [--out FILE]
 *
 * Estimates from the data up to the cutoff, forecasts from it, and compares with the stock the data shows afterwards,
 * month by month and category by category: coverage (share of actual counts inside P10–P90) and the P50 error.
 * Capacity is off unless --capacity (the Peterborough defaults): the rates already carry the capacity of their time.
 * The data is read leniently (a backtest stores nothing; the rows dropped are counted in the output) unless --strict.
 */
import { writeFileSync } from 'node:fs';
import { backtest } from '../models/backtest.js';
import { simulate } from '../models/engine/index.js';
import { PETERBOROUGH_DEFAULTS } from '../models/defaults.js';
import { CATEGORY_LABELS, type Category } from '../models/placement.js';
import { ingestYear, loadDataDirectory, runSalt } from './data-dir.js';
import { CliError, parseArgs, runCli } from './cli.js';
import { problemLine } from './estimate-format.js';

const USAGE = `npm run backtest -- --data DIR --cutoff YYYY-MM-DD [--horizon 12] [--runs 1000] [--seed 1] [--window-months 24] [--capacity] [--strict] [--out FILE]

Forecasts from the data up to the cutoff and compares with what the data shows afterwards, month by month:
coverage (actual counts inside P10–P90) and the P50 error.

  --data DIR           SSDA903 files or a JSON records file
  --cutoff DATE        the last day of the data the forecast may use (the last day of a month)
  --horizon N          months to forecast and check (default 12)
  --runs N, --seed S   Monte Carlo runs (default 1000) and seed (default 1)
  --window-months N    months of history before the cutoff the rates are estimated from (default 24)
  --capacity           model in-house capacity (the Peterborough defaults); off by default
  --strict             refuse data with errors (default: lenient, dropped rows are counted)
  --lenient            the default, accepted for symmetry with estimate
  --out FILE           write the comparison as JSON
  --help               this text`;

await runCli(async () => {
  const args = parseArgs(
    process.argv.slice(2),
    {
      data: 'string',
      cutoff: 'string',
      horizon: 'number',
      runs: 'number',
      seed: 'number',
      'window-months': 'number',
      capacity: 'boolean',
      strict: 'boolean',
      lenient: 'boolean',
      out: 'string',
    },
    USAGE,
  );
  if (!args.data || !args.cutoff)
    throw new CliError(['--data DIR and --cutoff YYYY-MM-DD are required (--help for the usage)']);
  const horizon = (args.horizon as number | undefined) ?? 12;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 120)
    throw new CliError(['--horizon: must be a whole number of months from 1 to 120']);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(args.cutoff as string))
    throw new CliError(['--cutoff: must be a date YYYY-MM-DD (the last day of a month)']);
  const outcome = await loadDataDirectory(args.data as string, {
    mode: args.strict ? 'strict' : 'lenient',
    salt: runSalt(),
    referenceYear: ingestYear(),
  });
  if (!outcome.ok) {
    const errors = outcome.report.problems.filter((p) => p.severity === 'error');
    throw new CliError([
      `${args.data}: ${outcome.report.errors} error(s); nothing was kept`,
      ...errors.slice(0, 50).map(problemLine),
    ]);
  }
  const q = outcome.dataset.quality;
  if (q.errors > 0)
    console.log(
      `${args.data}: ${q.errors} row error(s) (rows dropped: ${outcome.dataset.counts.rowsDropped}); npm run estimate -- --data ${args.data} --lenient lists them`,
    );
  let result;
  try {
    result = backtest(
      outcome.dataset,
      {
        cutoff: args.cutoff as string,
        horizonMonths: horizon,
        runs: (args.runs as number | undefined) ?? 1000,
        seed: (args.seed as number | undefined) ?? 1,
        ...(args['window-months'] !== undefined ? { windowMonths: args['window-months'] as number } : {}),
        ...(args.capacity ? { overrides: { capacity: PETERBOROUGH_DEFAULTS.capacity } } : {}),
      },
      (s) => simulate(s),
    );
  } catch (e) {
    if (e instanceof RangeError) throw new CliError([`backtest: ${e.message}`]);
    throw e;
  }
  console.log(
    `Backtest: rates from ${result.window.from}..${result.window.to}, stock at ${result.cutoff}, forecast ${result.months[0]}..${result.months[result.months.length - 1]} (${result.runs} runs, seed ${result.seed})`,
  );
  console.log('');
  console.log(
    'series                           P10–P90 coverage   P50 error (mean)   P50 |error| (mean)   actual at horizon   P50 [P10–P90] at horizon',
  );
  const last = result.months.length - 1;
  for (const s of result.series) {
    const name = s.series === 'total' ? 'All children in care' : CATEGORY_LABELS[s.series as Category];
    console.log(
      `${name.padEnd(32)} ${`${(s.coverage * 100).toFixed(0)}%`.padStart(16)}   ${s.meanError.toFixed(1).padStart(16)}   ${s.meanAbsoluteError.toFixed(1).padStart(18)}   ${String(s.actual[last]).padStart(17)}   ${s.p50[last]} [${s.p10[last]}–${s.p90[last]}]`,
    );
  }
  console.log('');
  console.log(
    `Coverage over every month and series: ${(result.coverage * 100).toFixed(1)}% (target about 80% for P10–P90); total: ${(result.totalCoverage * 100).toFixed(0)}%, mean absolute % error of the P50 total ${(result.totalMeanAbsolutePercentageError * 100).toFixed(1)}%`,
  );
  if (args.out) {
    writeFileSync(args.out as string, JSON.stringify(result, null, 2) + '\n');
    console.log(`wrote ${args.out}`);
  }
});
