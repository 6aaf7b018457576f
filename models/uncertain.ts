/**
 * Uncertain numbers: any numeric input a person is unsure of may be given as a range instead of a number.
 *
 * - a number: fixed (no draw at all, so results are bit-identical to a scenario without ranges);
 * - `{ "min", "mode", "max" }`: triangular on [min, max] with its peak at mode (mean (min + mode + max) / 3);
 * - `{ "p10", "p90" }`: what a person says ("between 92 and 108"): read as a NORMAL distribution with those 10th and
 *   90th percentiles — mean (p10 + p90) / 2, standard deviation (p90 − p10) / (2 × 1.2816) — cut at the field's own
 *   limits (a probability at 0 and 1, a count at 0) and rounded where the field is a whole number.
 *
 * One shape (`uncertain(field)`) for every such field of a scenario or a council profile, and one draw
 * (`drawUncertain`): a range is drawn once per run, by inversion from one uniform of a stream keyed by the input's
 * dotted path (`inputUniform`), so two variants that do not change an input meet the same draw of it in every run
 * (common random numbers), whatever other inputs they add or change.
 */
import * as z from 'zod';
import { mix32, normalQuantile, streamSeed, triangularInverse, uniform } from './random.js';

/** Φ⁻¹(0.9): the 90th percentile of the standard normal. */
export const Z90 = 1.2815515655446004;

export interface Triangular {
  min: number;
  mode: number;
  max: number;
}
export interface P10P90 {
  p10: number;
  p90: number;
}
export type UncertainNumber = number | Triangular | P10P90;

/** `{min, mode, max}` over a field's own number schema (each of the three must be a valid value of the field). */
export function triangularSchema(field: z.ZodNumber) {
  return z
    .strictObject({ min: field, mode: field, max: field })
    .refine((c) => c.min <= c.mode && c.mode <= c.max && c.min < c.max, {
      error: 'must have min ≤ mode ≤ max and min < max',
    });
}

/** `{p10, p90}` over a field's own number schema. */
export function p10p90Schema(field: z.ZodNumber) {
  return z.strictObject({ p10: field, p90: field }).refine((c) => c.p10 < c.p90, { error: 'must have p10 < p90' });
}

/**
 * The uncertain form of a numeric field: the number itself, `{min, mode, max}` or `{p10, p90}` (a union, so the
 * OpenAPI document shows all three). A failure names the part that is wrong, e.g. "max: must be a whole number".
 */
export function uncertain(field: z.ZodNumber) {
  return z.union([field, triangularSchema(field), p10p90Schema(field)], {
    error: (iss) => {
      const input = (iss as { input?: unknown }).input;
      const errors = (iss as { errors?: { path: PropertyKey[]; message: string }[][] }).errors;
      const generic = 'must be a number, a range {min, mode, max} or {p10, p90}';
      if (!errors) return generic;
      let option = -1;
      if (typeof input === 'number') option = 0;
      else if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
        if ('p10' in input || 'p90' in input) option = 2;
        else if ('min' in input || 'mode' in input || 'max' in input) option = 1;
      }
      const first = errors[option]?.[0];
      if (!first) return generic;
      return first.path.length ? `${first.path.map(String).join('.')}: ${first.message}` : first.message;
    },
  });
}

export const isFixed = (x: UncertainNumber): x is number => typeof x === 'number';
export const isTriangular = (x: UncertainNumber | undefined): x is Triangular =>
  typeof x === 'object' && x !== null && 'mode' in x;
export const isP10P90 = (x: UncertainNumber | undefined): x is P10P90 =>
  typeof x === 'object' && x !== null && 'p10' in x;

/** Limits of a field, applied to draws (and to the mean of a cut normal, approximately: see `uncertainMean`). */
export interface FieldLimits {
  min?: number;
  max?: number;
  integer?: boolean;
}

/** The value of an uncertain number at cumulative probability u ∈ (0, 1). */
export function drawUncertain(x: UncertainNumber, u: number, limits: FieldLimits = {}): number {
  let v: number;
  if (typeof x === 'number') return x;
  if (isTriangular(x)) v = triangularInverse(x.min, x.mode, x.max, u);
  else v = (x.p10 + x.p90) / 2 + ((x.p90 - x.p10) / (2 * Z90)) * normalQuantile(u);
  if (limits.min !== undefined && v < limits.min) v = limits.min;
  if (limits.max !== undefined && v > limits.max) v = limits.max;
  return limits.integer ? Math.round(v) : v;
}

/** The central value: the number, the triangular mean (min + mode + max) / 3, or (p10 + p90) / 2 (before any cut). */
export function uncertainMean(x: UncertainNumber): number {
  if (typeof x === 'number') return x;
  if (isTriangular(x)) return (x.min + x.mode + x.max) / 3;
  return (x.p10 + x.p90) / 2;
}

/** FNV-1a 32-bit hash of a dotted path. */
export function pathHash(path: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) {
    h ^= path.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** The uniform for the input at `path` in the run whose input-stream seed is `inputSeed` (one per run). */
export function inputUniform(inputSeed: number, path: string): number {
  return inputUniformOfHash(inputSeed, pathHash(path));
}

const scratch = new Int32Array(1);
/** `inputUniform` with the path's hash computed once (the engine hashes its paths when a scenario is set up). */
export function inputUniformOfHash(inputSeed: number, hash: number): number {
  scratch[0] = mix32(streamSeed(inputSeed, hash));
  return uniform(scratch, 0);
}
