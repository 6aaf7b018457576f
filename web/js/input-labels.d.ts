// Types of input-labels.js.
export type InputUnit =
  | 'week'
  | 'day'
  | 'gbp'
  | 'count'
  | 'number'
  | 'pct'
  | 'month'
  | 'date'
  | 'bool'
  | 'text'
  | 'id'
  | 'path';
export interface InputLabel {
  label: string;
  unit: InputUnit | undefined;
  /** place in the reading order (inputs with no label come last) */
  order: number;
  /** false: no entry in the table, and `label` is the path itself */
  known: boolean;
}
export function inputLabel(path: string): InputLabel;
export const RECRUITMENT: 'capacity.recruitmentPerYear';
export function parameterLabel(path: string): string;
export function sweepName(path: string, value: number): string;
export function savingAxisTitle(variants: readonly { value?: number; name?: string }[], path?: string): string;
export function savingBarLabel(v: { value?: number; name: string }, path?: string): string;
export function isRange(v: unknown): v is { min: number; mode: number; max: number } | { p10: number; p90: number };
export function formatInput(path: string, value: unknown): string;
export interface WarningPart {
  text: string;
  /** set when `text` is the label of this input */
  path?: string;
}
export function warningParts(text: string): WarningPart[];
export function readableWarning(text: string): string;
