/**
 * npm run calibrate -- --data DIR [--horizon 12] [--origins N] [--step quarter|year] [--runs 500] [--seed 1]
 *                      [--window-months 24] [--no-drift] [--no-exit-drift] [--no-groups] [--no-parameters]
 *                      [--svg FILE] [--json FILE]
 * npm run calibrate -- --synthetic [--drift-sd 0.2] [--exit-drift-sd 0] [--synthetic-seed 5] [--start 2010-04]
 *                      [--years 10] [--trend 0] [--step-month YYYY-MM --step-factor 1.4] [--multiplier 1]
 *                      [--exit-trend 0] ...
 *   (the generator of bin/demo/drifting.ts: the walk, a steady trend a year, a step change, the council's size, a
 *   steady trend a year in every exit rate)
 *
 * Rolling-origin backtests (models/calibrate.ts): a forecast from every quarter-end (or year-end) with the estimation
 * window of history before it and the horizon after it, scored against what the data shows. Prints per series and
 * overall the share of actual counts inside P25–P75 and P10–P90, the PIT histogram (deciles) and the mean P50 error,
 * and how many origins held the total at the horizon inside P10–P90. --svg draws the overall PIT histogram.
 * --no-drift / --no-exit-drift / --no-groups / --no-parameters switch the model's entry drift, exit drift, sibling
 * groups or posterior rate draws off (to see what they add); --no-drift switches off both drifts.
 */
import { writeFileSync } from 'node:fs';
import { type CalibrationFigures, calibrate } from '../models/calibrate.js';
import type { Dataset } from '../models/dataset.js';
import { simulate } from '../models/engine/index.js';
import { CATEGORY_LABELS, type Category } from '../models/placement.js';
import { CliError, parseArgs, runCli } from './cli.js';
import { ingestYear, loadDataDirectory, runSalt } from './data-dir.js';
import { refusedLines } from './estimate-format.js';
import { datasetOfHistory, generateDriftingHistory } from './demo/drifting.js';

/** The PIT histogram as a small SVG bar chart (deciles; the dashed line is the uniform 10% of a calibrated forecast). */
export function pitSvg(pit: number[], title: string): string {
  const W = 420;
  const H = 220;
  const pad = 36;
  const top = Math.max(0.2, ...pit) * 1.1;
  const bw = (W - 2 * pad) / pit.length;
  const y = (v: number) => H - pad - (v / top) * (H - 2 * pad);
  const bars = pit
    .map(
      (v, i) =>
        `<rect x="${(pad + i * bw + 2).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(bw - 4).toFixed(1)}" height="${(H - pad - y(v)).toFixed(1)}" fill="#4a7ab5"><title>${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}: ${(100 * v).toFixed(1)}%</title></rect>`,
    )
    .join('');
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<text x="${W / 2}" y="16" text-anchor="middle" font-size="12">${esc(title)}</text>
${bars}
<line x1="${pad}" x2="${W - pad}" y1="${y(0.1).toFixed(1)}" y2="${y(0.1).toFixed(1)}" stroke="#c33" stroke-dasharray="4 3"/>
<line x1="${pad}" x2="${W - pad}" y1="${H - pad}" y2="${H - pad}" stroke="#333"/>
<text x="${pad}" y="${H - pad + 14}">0</text><text x="${W - pad}" y="${H - pad + 14}" text-anchor="end">1</text>
<text x="${W / 2}" y="${H - 6}" text-anchor="middle">PIT (share of runs below the actual count), deciles</text>
<text x="${pad - 4}" y="${y(0.1).toFixed(1)}" text-anchor="end" dominant-baseline="middle">10%</text>
</svg>
`;
}

const pct = (v: number) => `${(100 * v).toFixed(0)}%`.padStart(5);
const row = (label: string, f: CalibrationFigures) =>
  `${label.padEnd(26)}${String(f.points).padStart(7)}${pct(f.coverage50)}${pct(f.coverage80).padStart(9)}${f.meanP50Error.toFixed(1).padStart(10)}   ${f.pit.map((v) => String(Math.round(100 * v)).padStart(3)).join('')}`;

const USAGE = `npm run calibrate -- --data DIR [options]
npm run calibrate -- --synthetic [generator options] [options]

Rolling-origin calibration of the forecast bands (docs/uncertainty.md): a forecast from every quarter-end (or
year-end), scored against what the data shows: coverage of P25–P75 and P10–P90, the PIT histogram, the P50 error.

  --data DIR                 SSDA903 files or a JSON records file
  --synthetic                a generated history instead (bin/demo/drifting.ts), with:
    --synthetic-seed N, --start YYYY-MM, --years N, --drift-sd X, --exit-drift-sd X, --trend X, --exit-trend X,
    --step-month YYYY-MM --step-factor X, --multiplier X
  --horizon N                months after each origin (1–60, default 12)
  --origins N, --step quarter|year   how many origins and how far apart
  --runs N, --seed S         Monte Carlo runs per origin (default 500) and seed
  --window-months N          estimation window before each origin (default 24)
  --no-drift, --no-exit-drift, --no-groups, --no-parameters   switch a part of the model off
  --svg FILE, --json FILE    the PIT histogram as SVG; every figure as JSON
  --help                     this text`;

await runCli(async () => {
  const args = parseArgs(
    process.argv.slice(2),
    {
      data: 'string',
      synthetic: 'boolean',
      'drift-sd': 'number',
      'exit-drift-sd': 'number',
      'synthetic-seed': 'number',
      start: 'string',
      years: 'number',
      trend: 'number',
      'exit-trend': 'number',
      'step-month': 'string',
      'step-factor': 'number',
      multiplier: 'number',
      horizon: 'number',
      origins: 'number',
      step: 'string',
      runs: 'number',
      seed: 'number',
      'window-months': 'number',
      'no-drift': 'boolean',
      'no-exit-drift': 'boolean',
      'no-groups': 'boolean',
      'no-parameters': 'boolean',
      svg: 'string',
      json: 'string',
    },
    USAGE,
  );
  if (!args.data && !args.synthetic)
    throw new CliError(['--data DIR (or --synthetic) is required (--help for the usage)']);
  const horizon = (args.horizon as number | undefined) ?? 12;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 60)
    throw new CliError(['--horizon: must be a whole number of months from 1 to 60']);
  const runs = (args.runs as number | undefined) ?? 500;
  if (!Number.isInteger(runs) || runs < 20 || runs > 20000)
    throw new CliError(['--runs: must be a whole number from 20 to 20000']);
  const origins = args.origins as number | undefined;
  if (origins !== undefined && (!Number.isInteger(origins) || origins < 1))
    throw new CliError(['--origins: must be a whole number ≥ 1']);
  const step = (args.step as string | undefined) ?? 'quarter';
  if (step !== 'quarter' && step !== 'year') throw new CliError(['--step: must be quarter or year']);

  let dataset: Dataset;
  let label: string;
  const overrides: Record<string, unknown> = {};
  if (args.synthetic) {
    const driftSd = (args['drift-sd'] as number | undefined) ?? 0.2;
    if (!(driftSd >= 0 && driftSd <= 1)) throw new CliError(['--drift-sd: must be from 0 to 1']);
    const exitDriftSd = (args['exit-drift-sd'] as number | undefined) ?? 0;
    if (!(exitDriftSd >= 0 && exitDriftSd <= 1)) throw new CliError(['--exit-drift-sd: must be from 0 to 1']);
    const trend = (args.trend as number | undefined) ?? 0;
    if (!(trend > -1 && trend <= 10)) throw new CliError(['--trend: must be above −1 (a share a year: −0.15, 0.1)']);
    const exitTrend = (args['exit-trend'] as number | undefined) ?? 0;
    if (!(exitTrend > -1 && exitTrend <= 10))
      throw new CliError(['--exit-trend: must be above −1 (a share a year: −0.1, 0.1)']);
    const multiplier = (args.multiplier as number | undefined) ?? 1;
    if (!(multiplier > 0 && multiplier <= 20)) throw new CliError(['--multiplier: must be above 0 and at most 20']);
    const years = (args.years as number | undefined) ?? 10;
    if (!Number.isInteger(years) || years < 1 || years > 30) throw new CliError(['--years: must be 1 to 30']);
    const start = (args.start as string | undefined) ?? '2010-04';
    const stepMonth = args['step-month'] as string | undefined;
    for (const [name, v] of [
      ['start', start],
      ['step-month', stepMonth],
    ] as const)
      if (v !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) throw new CliError([`--${name}: must be YYYY-MM`]);
    const stepFactor = (args['step-factor'] as number | undefined) ?? 1.4;
    if (!(stepFactor > 0)) throw new CliError(['--step-factor: must be above 0']);
    const history = generateDriftingHistory({
      seed: (args['synthetic-seed'] as number | undefined) ?? 5,
      start,
      years,
      driftSdPerYear: driftSd,
      exitDriftSdPerYear: exitDriftSd,
      entryTrendPerYear: trend,
      exitTrendPerYear: exitTrend,
      entryMultiplier: multiplier,
      ...(stepMonth ? { entryStep: { month: stepMonth, factor: stepFactor } } : {}),
    });
    dataset = datasetOfHistory(history);
    const kind = [
      trend !== 0 ? `entry trend ${trend > 0 ? '+' : ''}${Math.round(100 * trend)}% a year` : '',
      stepMonth ? `entry rate × ${stepFactor} from ${stepMonth}` : '',
      multiplier !== 1 ? `council × ${multiplier}` : '',
      exitTrend !== 0 ? `exit trend ${exitTrend > 0 ? '+' : ''}${Math.round(100 * exitTrend)}% a year` : '',
    ]
      .filter(Boolean)
      .map((x) => `${x}, `)
      .join('');
    label = `synthetic history (bin/demo/drifting.ts: ${kind}entry drift ${driftSd} a year, exit drift ${exitDriftSd} a year, groups of mean size ${history.known.meanGroupSize.toFixed(2)}, no UASC)`;
    overrides.uasc = null;
  } else {
    const outcome = await loadDataDirectory(args.data as string, {
      mode: 'lenient',
      salt: runSalt(),
      referenceYear: ingestYear(),
    });
    if (!outcome.ok) throw new CliError(refusedLines(args.data as string, outcome.report));
    dataset = outcome.dataset;
    label = args.data as string;
  }
  const driftOn = !args['no-drift'];
  const exitDriftOn = driftOn && !args['no-exit-drift'];
  overrides.uncertainty = {
    parameters: !args['no-parameters'],
    drift: driftOn,
    exitDrift: exitDriftOn,
    groups: !args['no-groups'],
  };

  let result: ReturnType<typeof calibrate>;
  try {
    result = calibrate(
      dataset,
      {
        horizonMonths: horizon,
        origins,
        step,
        runs,
        seed: (args.seed as number | undefined) ?? 1,
        windowMonths: (args['window-months'] as number | undefined) ?? 24,
        overrides,
      },
      simulate,
    );
  } catch (e) {
    if (e instanceof RangeError) throw new CliError([e.message]);
    throw e;
  }
  const s = result.settings;
  console.log(`calibration of ${label}`);
  console.log(
    `  ${result.origins.length} origins (${s.step} ends ${result.origins[0]} … ${result.origins[result.origins.length - 1]}), horizon ${s.horizonMonths} months, ${s.runs} runs, seed ${s.seed}, window ${s.windowMonths} months, entry drift ${driftOn ? 'on' : 'off'}, exit drift ${exitDriftOn ? 'as estimated' : 'off'}, groups ${args['no-groups'] ? 'off' : 'as estimated'}, posterior rate draws ${args['no-parameters'] ? 'off' : 'on'}; series with a mean of at least ${s.minCount} children`,
  );
  console.log(`${'series'.padEnd(26)} points P25–75   P10–90  P50 error   PIT deciles (%)`);
  for (const f of result.series) console.log(row(CATEGORY_LABELS[f.series as Category] ?? 'All children', f));
  console.log(row('overall', result.overall));
  console.log(
    `total at the horizon inside P10–P90: ${result.horizonTotal.inside80} of ${result.horizonTotal.origins} origins (${pct(result.horizonTotal.share).trim()})`,
  );
  const drifts = result.perOrigin.map((p) => p.entryDriftSdPerYear);
  const exits = result.perOrigin.map((p) => p.exitDriftSdPerYear);
  console.log(
    `exit drift used (sd of the log exit rates a year): ${Math.min(...exits).toFixed(3)}–${Math.max(...exits).toFixed(3)} (${exits.filter((v) => v > 0).length} of ${exits.length} origins with one)`,
  );
  console.log(
    `entry drift used (sd of the log rate a year): ${Math.min(...drifts).toFixed(3)}–${Math.max(...drifts).toFixed(3)}; group mean size ${Math.min(...result.perOrigin.map((p) => p.groupMeanSize)).toFixed(2)}–${Math.max(...result.perOrigin.map((p) => p.groupMeanSize)).toFixed(2)}`,
  );
  console.log('goal: P10–P90 72–90%, P25–P75 40–60%, total at the horizon inside P10–P90 in ≥ 2/3 of origins');
  if (args.svg) {
    writeFileSync(args.svg as string, pitSvg(result.overall.pit, `PIT histogram, ${result.origins.length} origins`));
    console.log(`wrote ${args.svg}`);
  }
  if (args.json) {
    writeFileSync(args.json as string, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${args.json}`);
  }
});
