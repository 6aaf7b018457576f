/**
 * `npm run demo-data [-- --out DIR] [--seed N]`: writes the synthetic Peterborough-sized SSDA903 history
 * (collection years 2013/14 to 2017/18, stacked with a YEAR column) and the parameters it was generated from.
 * The same seed always writes the same files: `data/demo/` is committed and `npm start` loads it.
 *
 * `npm run demo-data -- --drifting --out DIR [--seed 5] [--start 2013-04] [--years 8] [--drift-sd 0.2]
 *   [--exit-drift-sd 0] [--trend=-0.15] [--step-month 2017-04 --step-factor 1.4] [--multiplier 1] [--exit-trend=0.1]`:
 * the drifting generator's history (bin/demo/drifting.ts: a random walk on the log entry rate, optionally a steady
 * trend a year or a step change on top, sibling groups; `--multiplier` scales the council; `--exit-trend` a steady
 * trend a year in every exit rate) as SSDA903 returns, for
 * `npm run calibrate -- --data DIR`. Its known values go to known-parameters.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CATEGORIES } from '#models/placement';
import { DEMO_SEED, generateDemo } from './demo/synthetic.js';
import { datasetOfHistory, generateDriftingHistory, ssda903OfHistory } from './demo/drifting.js';
import { stockAt } from '#models/stock';
import { Rng } from '#models/random';

const USAGE = `npm run demo-data [-- --out DIR] [--seed N]
npm run demo-data -- --drifting --out DIR [--seed 5] [--start 2013-04] [--years 8] [--drift-sd 0.2] [--exit-drift-sd 0]
                     [--trend=-0.15] [--exit-trend=0.1] [--step-month 2017-04 --step-factor 1.4] [--multiplier 1]

Writes a synthetic SSDA903 history: by default the Peterborough-sized demo in data/demo/ (the same seed always writes
the same files); with --drifting, a drifting history (a random walk on the entry rate, a trend, a step, a council's
size) for npm run calibrate -- --data DIR. Negative numbers go after "=" (--trend=-0.15).`;

function readOptions() {
  try {
    return parseArgs({
      options: {
        out: { type: 'string', default: 'data/demo' },
        seed: { type: 'string' },
        drifting: { type: 'boolean', default: false },
        start: { type: 'string', default: '2013-04' },
        years: { type: 'string', default: '8' },
        'drift-sd': { type: 'string', default: '0.2' },
        'exit-drift-sd': { type: 'string', default: '0' },
        trend: { type: 'string', default: '0' },
        'exit-trend': { type: 'string', default: '0' },
        'step-month': { type: 'string' },
        'step-factor': { type: 'string', default: '1' },
        multiplier: { type: 'string', default: '1' },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message} (--help for the usage)`);
    process.exit(2);
  }
}
if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
  console.log(USAGE);
  process.exit(0);
}
const { values } = readOptions();
if (values.drifting) {
  const num = (name: keyof typeof values): number => {
    const v = Number(values[name]);
    if (!Number.isFinite(v)) {
      console.error(`--${name}: must be a number`);
      process.exit(2);
    }
    return v;
  };
  if (values.out === 'data/demo') {
    console.error('--drifting: give --out DIR (data/demo is the committed demo)');
    process.exit(2);
  }
  const options = {
    seed: values.seed === undefined ? 5 : num('seed'),
    start: values.start as string,
    years: num('years'),
    driftSdPerYear: num('drift-sd'),
    exitDriftSdPerYear: num('exit-drift-sd'),
    entryTrendPerYear: num('trend'),
    exitTrendPerYear: num('exit-trend'),
    entryMultiplier: num('multiplier'),
    ...(values['step-month']
      ? { entryStep: { month: values['step-month'] as string, factor: num('step-factor') } }
      : {}),
  };
  const history = generateDriftingHistory(options);
  const files = ssda903OfHistory(history);
  const dir = values.out as string;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'header.csv'), files.header);
  writeFileSync(join(dir, 'episodes.csv'), files.episodes);
  writeFileSync(join(dir, 'known-parameters.json'), `${JSON.stringify({ options, ...history.known }, null, 2)}\n`);
  console.log(
    `wrote ${dir}/: header.csv, episodes.csv, known-parameters.json (${history.period.start}..${history.period.end})`,
  );
  // starts a year (entries as the estimate counts them) and the stock at each 31 March
  const entries = datasetOfHistory(history).estimate.tables.monthlyEntries;
  for (let y = 0; 12 * (y + 1) <= entries.counts.length; y++) {
    const starts = entries.counts.slice(12 * y, 12 * y + 12).reduce((a, b) => a + b, 0);
    const end = `${Number(entries.from.slice(0, 4)) + y + 1}-03-31`;
    const label = `${Number(entries.from.slice(0, 4)) + y}/${end.slice(2, 4)}`;
    console.log(`  ${label}: ${starts} starts, ${stockAt(history.children, end).stock.total} in care at 31 March`);
  }
  process.exit(0);
}
const seed = Number(values.seed ?? DEMO_SEED);
if (!Number.isInteger(seed)) {
  console.error('--seed: must be a whole number');
  process.exit(2);
}
const demo = generateDemo(new Rng(seed));
const dir = values.out as string;
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'header.csv'), demo.header);
writeFileSync(join(dir, 'episodes.csv'), demo.episodes);
writeFileSync(join(dir, 'uasc.csv'), demo.uasc);
writeFileSync(
  join(dir, 'known-parameters.json'),
  JSON.stringify({ seed, ...demo.known, stockAt31March: demo.truth }, null, 2) + '\n',
);

console.log(`wrote ${dir}/: header.csv, episodes.csv, uasc.csv, known-parameters.json (seed ${seed})`);
for (const [year, s] of Object.entries(demo.truth)) {
  const total = CATEGORIES.reduce((n, c) => n + s[c], 0);
  const mix = CATEGORIES.filter((c) => s[c] > 0)
    .map((c) => `${c} ${((100 * s[c]) / total).toFixed(0)}%`)
    .join(', ');
  console.log(`  in care at the end of ${year}: ${total} (${mix})`);
}
for (const m of demo.known.mess) console.log(`  mess: ${m}`);
