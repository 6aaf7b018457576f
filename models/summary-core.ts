/**
 * What the summaries share (models/summary.ts, models/sketch.ts): the quantile levels and their nearest-rank
 * definition, and the packed form of counts that a shard's summary travels in.
 */
import type { Quantiles } from './result.js';

export const QUANTILE_LEVELS = { p5: 0.05, p10: 0.1, p25: 0.25, p50: 0.5, p75: 0.75, p90: 0.9, p95: 0.95 } as const;
type Level = keyof typeof QUANTILE_LEVELS;
export const LEVELS = Object.entries(QUANTILE_LEVELS) as [Level, number][];
export const LEVEL_PS = LEVELS.map(([, p]) => p);

/** The nearest rank: the quantile at level p of n values is the ⌈p·n⌉-th smallest (at least the first). */
export const rank = (p: number, n: number): number => Math.max(1, Math.ceil(p * n - 1e-9));

export function emptyQuantiles(): Quantiles {
  return { mean: [], p5: [], p10: [], p25: [], p50: [], p75: [], p90: [], p95: [] };
}

/**
 * Counts as plain data, packed: a count as itself, a run of k empty bins as −k. A shard of a few runs fills a few of
 * the bins its histograms and sketches span, so this keeps a shard's summary small (it travels through the store).
 */
export function packCounts(counts: Uint32Array, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) {
    const c = counts[i]!;
    if (c !== 0) out.push(c);
    else if (out.length > 0 && out[out.length - 1]! < 0) out[out.length - 1]!--;
    else out.push(-1);
  }
  return out;
}

/** How many bins packed[start…] stands for. */
export function packedLength(packed: readonly number[], start: number): number {
  let n = 0;
  for (let i = start; i < packed.length; i++) n += packed[i]! < 0 ? -packed[i]! : 1;
  return n;
}

/** counts[at + j] += the j-th bin of packed[start…]. */
export function addPacked(counts: Uint32Array, at: number, packed: readonly number[], start: number): void {
  let j = at;
  for (let i = start; i < packed.length; i++) {
    const v = packed[i]!;
    if (v < 0) j -= v;
    else counts[j++]! += v;
  }
}
