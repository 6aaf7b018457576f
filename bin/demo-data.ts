/**
 * `npm run demo-data [-- --out DIR] [--seed N]`: writes the synthetic Peterborough-sized SSDA903 history
 * (collection years 2013/14 to 2017/18, stacked with a YEAR column) and the parameters it was generated from.
 * The same seed always writes the same files: `data/demo/` is committed and `npm start` loads it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CATEGORIES } from '#models/placement';
import { DEMO_SEED, generateDemo } from './demo/synthetic.js';
import { Rng } from '#models/random';

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'data/demo' }, seed: { type: 'string', default: String(DEMO_SEED) } },
});
const seed = Number(values.seed);
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
