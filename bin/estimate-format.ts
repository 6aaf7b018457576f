/** Readable text for the quality report and the estimated rates (npm run estimate, backtest). */
import { AGE_BANDS, CATEGORIES, CATEGORY_LABELS, type Category } from '../models/placement.js';
import type { Dataset } from '../models/dataset.js';
import type { QualityReport } from '../models/ingest/quality.js';
import { EXIT_GROUPS } from '../models/ingest/ssda903/codes.js';

export function problemLine(p: QualityReport['problems'][number]): string {
  return `${p.severity === 'error' ? 'error' : 'warning'} ${p.file}${p.row !== null ? ` row ${p.row}` : ''}${p.column ? ` ${p.column}` : ''}: ${p.message} [${p.code}; ${p.action}]`;
}

/**
 * What a tool that reads a data folder prints when the data is refused: the refusal (or the count of errors), then the
 * errors themselves, each naming its file, row and column (never a value from the data), the first `shown` of them.
 */
export function refusedLines(dir: string, report: QualityReport, shown = 50): string[] {
  const errors = report.problems.filter((p) => p.severity === 'error');
  return [
    report.refusal
      ? `${dir}: refused, nothing could be read: ${report.refusal.message}`
      : `${dir}: ${report.errors} error(s); nothing could be read`,
    ...errors.slice(0, shown).map(problemLine),
    ...(errors.length > shown
      ? [`… and ${errors.length - shown} more (npm run estimate -- --data ${dir} --report FILE lists them all)`]
      : []),
  ];
}

export function qualitySummary(q: QualityReport): string[] {
  const out = [`Quality: ${q.errors} error(s), ${q.warnings} warning(s)`];
  for (const [code, n] of Object.entries(q.counts).sort((a, b) => b[1] - a[1])) out.push(`  ${code.padEnd(24)} ${n}`);
  for (const n of q.notes) out.push(`  note: ${n}`);
  return out;
}

const pct = (p: number): string => (p * 100).toFixed(2).padStart(6);

/** the exit groups in words, after their counts: "82 at 18" ("18 82" read as two numbers) */
const EXIT_WORDS: Record<(typeof EXIT_GROUPS)[number], string> = {
  home: 'home',
  sgoCao: 'to special guardianship or child arrangements orders',
  adoption: 'adopted',
  '18': 'at 18',
  other: 'other',
};

export function ratesTable(d: Dataset): string[] {
  const e = d.estimate;
  const ev = e.parameters.evidence!;
  const out: string[] = [];
  const t = e.tables.totals;
  out.push(
    `Rates over ${e.window.from}..${e.window.to} (${e.window.months} months): ${t.exposureMonths} child-months, ` +
      `${t.entries} entries (+${t.uascEntries} UASC, left to the UASC rules), ${t.moves} moves, exits ${EXIT_GROUPS.map((g) => `${t.exits[g]} ${EXIT_WORDS[g]}`).join(', ')}`,
  );
  out.push('');
  out.push('band   category                        child-months  exit %/month  moves %/month  entries/month');
  for (const b of AGE_BANDS) {
    for (const c of CATEGORIES) {
      const n = ev.exposureMonths[b]?.[c] ?? 0;
      const entries = e.parameters.entriesPerMonth[b]?.[c] ?? 0;
      if (n === 0 && entries === 0) continue;
      const moves = Object.values(e.parameters.moveProbability[b]?.[c] ?? {}).reduce((a: number, v) => a + (v ?? 0), 0);
      const exit = e.parameters.exitProbability[b]?.[c] ?? 0;
      out.push(
        `${b.padEnd(6)} ${CATEGORY_LABELS[c as Category].padEnd(31)} ${String(n).padStart(12)}  ${n > 0 ? pct(exit) : '     —'}        ${n > 0 ? pct(moves) : '     —'}         ${entries.toFixed(2).padStart(6)}`,
      );
    }
  }
  out.push('');
  const s = d.stock;
  out.push(`Stock at ${s.date}: ${s.total} children (UASC ${s.uasc}; in-house fostering ${s.inHouseOccupancy})`);
  out.push(
    '  ' +
      CATEGORIES.filter((c) => s.byCategory[c] > 0)
        .map((c) => `${c} ${s.byCategory[c]}`)
        .join(', '),
  );
  return out;
}
