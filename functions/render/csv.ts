/**
 * CSV of a forecast's monthly quantiles (children and cost by category), one row per measure × month × series: the
 * long shape every tool can pivot. RFC 4180 quoting; numbers unrounded so nothing is lost on the way.
 */
import { CATEGORIES } from '#models/placement';
import type { ForecastResult, Quantiles, Series } from '#models/result';

const SERIES: readonly Series[] = [...CATEGORIES, 'total'];
const KEYS = ['mean', 'p5', 'p10', 'p25', 'p50', 'p75', 'p90', 'p95'] as const;

export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function scenarioCsv(result: ForecastResult): string {
  const lines = [['measure', 'month', 'series', ...KEYS].join(',')];
  const add = (measure: string, bySeries: Record<Series, Quantiles>): void => {
    result.months.forEach((m, i) => {
      for (const s of SERIES) {
        const q = bySeries[s];
        lines.push([measure, m, s, ...KEYS.map((k) => q[k][i])].map(csvField).join(','));
      }
    });
  };
  add('children', result.population);
  add('cost', result.cost.monthly);
  return `${lines.join('\r\n')}\r\n`;
}
