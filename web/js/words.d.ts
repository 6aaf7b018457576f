// Types of words.js.
export interface YearFigures {
  label: string;
  months: number;
  partial: boolean;
  p10: number;
  p50: number;
  p90: number;
  budget?: number;
  pOverBudget?: number;
  /** 'net': the budget and its chance are of the cost net of UASC grant income */
  budgetBasis?: 'gross' | 'net';
  net?: { p50: number };
}
export function summarySentence(f: YearFigures): string;
export function regionSummarySentence(f: YearFigures, councils: number): string;
export const REGION_WORDS: Record<string, string>;
export function headlineYear<T extends YearFigures>(years: T[]): T;
export const METHOD: string;
export const REGION_METHOD: string;
