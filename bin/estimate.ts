/**
 * npm run estimate -- --data DIR [--window-months 24] [--out FILE] [--report FILE] [--lenient]
 *
 * Reads the SSDA903 CSV files (or one JSON records file) in DIR, prints the quality report summary and the estimated
 * rates as a table, and writes a complete scenario JSON with --out (the data's stock and rates, Peterborough defaults
 * for the rest). Bad input: exit code 2 and the problems listed (the first 50, then a count; all with --report FILE).
 */
import { writeFileSync } from 'node:fs';
import { scenarioFromDataset } from '../models/council-resolve.js';
import { parseScenario } from '../models/scenario.js';
import { ingestDate, ingestYear, loadDataDirectory, runSalt } from './data-dir.js';
import { CliError, issueLines, parseArgs, runCli } from './cli.js';
import { problemLine, qualitySummary, ratesTable } from './estimate-format.js';

const SHOWN = 50;

const USAGE = `npm run estimate -- --data DIR [--window-months 24] [--out FILE] [--report FILE] [--lenient] [--salt TEXT]

Reads SSDA903 files (or one JSON records file) in DIR, prints the quality report and the rates estimated from them,
and with --out writes a complete scenario (the data's children and rates, Peterborough defaults for the rest).

  --data DIR           the council's files: year folders, year-named files, a YEAR column, .xlsx or .zip (docs/ingest.md)
  --window-months N    months of history before the data end the rates are estimated from (default 24)
  --out FILE           write the scenario JSON, ready for npm run forecast -- --scenario FILE
  --report FILE        write the whole quality report (every problem) as JSON
  --lenient            drop rows with errors and keep the rest (default: strict, any error stores nothing)
  --salt TEXT          salt for the hashed child identifiers (default: a random one for this run; nothing
                       printed or written depends on it)
  --help               this text

Bad input exits with code 2 and lists the problems (the first 50, then a count).`;

await runCli(async () => {
  const args = parseArgs(
    process.argv.slice(2),
    {
      data: 'string',
      'window-months': 'number',
      out: 'string',
      report: 'string',
      lenient: 'boolean',
      salt: 'string',
    },
    USAGE,
  );
  if (!args.data)
    throw new CliError([
      '--data DIR is required (a directory of SSDA903 CSV files or one JSON records file; --help for the usage)',
    ]);
  const windowMonths = args['window-months'] as number | undefined;
  if (windowMonths !== undefined && (!Number.isInteger(windowMonths) || windowMonths < 1 || windowMonths > 240))
    throw new CliError(['--window-months: must be a whole number of months from 1 to 240']);
  const outcome = await loadDataDirectory(args.data as string, {
    mode: args.lenient ? 'lenient' : 'strict',
    salt: (args.salt as string | undefined) ?? runSalt(),
    referenceYear: ingestYear(),
    today: ingestDate(),
    ...(windowMonths !== undefined ? { windowMonths } : {}),
  });
  const report = outcome.ok ? outcome.dataset.quality : outcome.report;
  if (args.report) writeFileSync(args.report as string, JSON.stringify(report, null, 2) + '\n');
  if (!outcome.ok) {
    const errors = report.problems.filter((p) => p.severity === 'error');
    const lines = report.refusal
      ? [`${args.data}: refused, nothing was kept: ${report.refusal.message}`]
      : [
          `${args.data}: ${report.errors} error(s); nothing was kept${args.lenient || !errors.some((p) => p.row !== null) ? '' : ' (--lenient keeps the valid rows)'}`,
        ];
    lines.push(...errors.slice(0, SHOWN).map(problemLine));
    if (errors.length > SHOWN)
      lines.push(
        `… and ${errors.length - SHOWN} more${args.report ? ` (all in ${args.report})` : ' (--report FILE lists them all)'}`,
      );
    lines.push(...qualitySummary(report));
    throw new CliError(lines, 2);
  }
  const d = outcome.dataset;
  console.log(
    `${args.data}: ${d.format}, ${d.period.start} to ${d.period.end}; ${d.counts.children} children, ${d.counts.episodes} episodes (${d.counts.rowsRead} rows read, ${d.counts.rowsDropped} dropped)`,
  );
  console.log(qualitySummary(d.quality).join('\n'));
  const shownProblems = d.quality.problems.slice(0, 10);
  for (const p of shownProblems) console.log(`  ${problemLine(p)}`);
  if (d.quality.problems.length > shownProblems.length)
    console.log(`  … ${d.quality.problems.length - shownProblems.length} more (--report FILE lists them all)`);
  console.log('');
  console.log(ratesTable(d).join('\n'));
  if (args.out) {
    const scenario = scenarioFromDataset(d);
    const parsed = parseScenario(scenario);
    if (!parsed.ok)
      throw new CliError(
        ['the scenario built from the data is not valid (a bug: please report it)', ...issueLines(parsed.issues)],
        1,
      );
    writeFileSync(args.out as string, JSON.stringify(scenario, null, 2) + '\n');
    console.log(
      `\nwrote ${args.out}: scenario from ${scenario.start}, ${d.initial.length} children in the initial stock`,
    );
  }
});
