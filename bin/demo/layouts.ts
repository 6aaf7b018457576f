/**
 * The same known history written in each layout councils keep their 903 returns in, and with each fault real files
 * have. Input: the demo generator's stacked tables (YEAR column). Output: uploads (`{ name, data }`, as the
 * API and `ingestUpload` take them) plus what ingest must make of each: the clean history's stock and rates, or an
 * exact refusal. Used by tests/unit/ingest-layouts.test.ts; `writeLayout` puts one on disk for the CLI.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import type { UploadFile } from '#models/ingest/upload';

type Table = 'header' | 'episodes' | 'uasc';
const TABLES: readonly Table[] = ['header', 'episodes', 'uasc'];

/** One year's return: its tables as rows (columns without YEAR). */
export interface YearReturn {
  /** collection year end (2018 = 2017/18) */
  endYear: number;
  columns: Record<Table, string[]>;
  rows: Record<Table, string[][]>;
}

/** Split the stacked tables (first column YEAR) into one return per collection year, oldest first. */
export function splitYears(stacked: Record<Table, string>): YearReturn[] {
  const years = new Map<number, YearReturn>();
  const columns = {} as Record<Table, string[]>;
  for (const t of TABLES) {
    const [head, ...lines] = stacked[t].trim().split('\n');
    columns[t] = (head as string).split(',').slice(1);
    for (const line of lines) {
      const [year, ...cells] = line.split(',');
      const y = Number(year);
      let r = years.get(y);
      if (!r) {
        r = { endYear: y, columns, rows: { header: [], episodes: [], uasc: [] } };
        years.set(y, r);
      }
      r.rows[t].push(cells);
    }
  }
  return [...years.values()].sort((a, b) => a.endYear - b.endYear);
}

export interface WriteOptions {
  separator?: string;
  bom?: boolean;
  crlf?: boolean;
  /** rewrite every dd/mm/yyyy date cell */
  date?: (ddmmyyyy: string) => string;
}

const DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;

export function csv(columns: readonly string[], rows: readonly string[][], o: WriteOptions = {}): string {
  const sep = o.separator ?? ',';
  const eol = o.crlf ? '\r\n' : '\n';
  const body = [columns, ...rows.map((r) => r.map((c) => (o.date && DATE.test(c) ? o.date(c) : c)))]
    .map((r) => r.join(sep))
    .join(eol);
  return `${o.bom ? '\uFEFF' : ''}${body}${eol}`;
}

export const label = (endYear: number, style: 'dash' | 'underscore' | 'compact' | 'end'): string => {
  const a = endYear - 1;
  const b = String(endYear % 100).padStart(2, '0');
  return style === 'dash'
    ? `${a}-${b}`
    : style === 'underscore'
      ? `${a}_${b}`
      : style === 'compact'
        ? `${a}${b}`
        : `${endYear}`;
};

/** Each year's tables in its own folder (or in year-named files), the way councils file their returns. */
export function yearFiles(
  years: readonly YearReturn[],
  name: (y: YearReturn, table: Table) => string,
  o: WriteOptions = {},
): UploadFile[] {
  return years.flatMap((y) => TABLES.map((t) => ({ name: name(y, t), data: csv(y.columns[t], y.rows[t], o) })));
}

/** All years' rows of each table concatenated in one file, without a YEAR column (newest year first when asked). */
export function concatenated(years: readonly YearReturn[], newestFirst: boolean): UploadFile[] {
  const order = newestFirst ? [...years].reverse() : years;
  return TABLES.map((t) => ({
    name: `${t}.csv`,
    data: csv(
      (years[0] as YearReturn).columns[t],
      order.flatMap((y) => y.rows[t]),
    ),
  }));
}

export function zipOf(files: readonly UploadFile[]): string {
  const entries: Record<string, Uint8Array> = {};
  for (const f of files) entries[f.name] = typeof f.data === 'string' ? new TextEncoder().encode(f.data) : f.data;
  return Buffer.from(zipSync(entries)).toString('base64');
}

/** One .xlsx workbook per year, one sheet per table; date cells as real Excel dates. */
export async function workbooks(years: readonly YearReturn[]): Promise<UploadFile[]> {
  const { default: ExcelJS } = await import('exceljs');
  const out: UploadFile[] = [];
  for (const y of years) {
    const wb = new ExcelJS.Workbook();
    for (const t of TABLES) {
      const sheet = wb.addWorksheet(t === 'uasc' ? 'UASC' : t[0]?.toUpperCase() + t.slice(1));
      sheet.addRow(y.columns[t]);
      for (const r of y.rows[t])
        sheet.addRow(
          r.map((c) => {
            const m = DATE.exec(c);
            return m ? new Date(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]))) : c;
          }),
        );
    }
    const buf = await wb.xlsx.writeBuffer();
    out.push({ name: `903_${label(y.endYear, 'dash')}.xlsx`, data: Buffer.from(buf).toString('base64') });
  }
  return out;
}

/** Excel's day number of a dd/mm/yyyy date (1900 date system). */
export function excelSerial(ddmmyyyy: string): string {
  const m = DATE.exec(ddmmyyyy) as RegExpExecArray;
  return String(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1])) / 86_400_000 + 25569);
}

/** Put an upload on disk (for `npm run estimate -- --data DIR`). */
export function writeLayout(dir: string, files: readonly UploadFile[]): void {
  for (const f of files) {
    const path = join(dir, f.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(
      path,
      typeof f.data === 'string' && /\.(xlsx|zip)$/.test(f.name) ? Buffer.from(f.data, 'base64') : f.data,
    );
  }
}
