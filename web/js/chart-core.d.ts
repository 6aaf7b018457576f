// Types of chart-core.js (plain JS so the browser loads it without a build step; the server imports it too).
export type AxisFormat = 'money' | 'count' | 'percent';
type Values = (number | null | undefined)[];
export interface Band {
  lo: Values;
  hi: Values;
  label: string;
  colour: string;
  className?: string;
  opacity?: number;
}
export interface Line {
  values: Values;
  label?: string;
  colour: string;
  width?: number;
  dash?: string;
  className?: string;
  points?: { className: string; data?: Record<string, string | number | undefined>[] };
}
export interface Ref {
  values: Values;
  label: string;
  colour: string;
  className?: string;
  pointClass?: string;
  /** the text at the line's end ("Budget"); the label when absent */
  tag?: string;
}
export interface ChartSpec {
  title: string;
  desc?: string;
  id?: string;
  testid?: string;
  width?: number;
  height?: number;
  fontSize?: number;
  x: { labels: string[]; title: string };
  y: { title: string; format?: AxisFormat; zero?: boolean };
  bands?: Band[];
  lines?: Line[];
  refs?: Ref[];
  /** more columns for the table behind the chart, already formatted */
  extraColumns?: [string, string[]][];
  bars?: { items: { mean: number; lo: number; hi: number }[]; label: string; rangeLabel: string };
}
export interface FanQuantiles {
  p10: number[];
  p25: number[];
  p50: number[];
  p75: number[];
  p90: number[];
}
export interface FanSpecInput {
  title: string;
  desc?: string;
  id?: string;
  testid?: string;
  labels: string[];
  xTitle: string;
  yTitle: string;
  format: AxisFormat;
  q: FanQuantiles;
  history?: { x: string; value: number }[];
  ref?: Omit<Ref, 'values'> & { values: Values };
  width?: number;
  height?: number;
  fontSize?: number;
  zero?: boolean;
}
export const COLOURS: Record<
  'outer' | 'inner' | 'median' | 'history' | 'budget' | 'threshold' | 'good' | 'bad' | 'axis' | 'grid' | 'text',
  string
>;
export function escapeXml(s: unknown): string;
export function textWidth(text: string, size: number, bold?: boolean): number;
export function monthLabel(m: string): string;
export function niceStep(raw: number): number;
export function niceScale(
  lo: number,
  hi: number,
  options?: { zero?: boolean; format?: AxisFormat; target?: number },
): { min: number; max: number; step: number; ticks: number[] };
export function formatTick(v: number, format: AxisFormat, step: number): string;
export function shortMoney(v: number | undefined | null): string;
export function chartSvg(spec: ChartSpec): string;
export function chartTableHtml(spec: ChartSpec, caption?: string): string;
export function budgetRef(values: Values): Ref;
/** the x-axis title of a chart of savings by variant (a sweep of targets, or named variants) */
export function fanSpec(input: FanSpecInput): ChartSpec;
