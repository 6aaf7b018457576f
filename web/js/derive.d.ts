// Types of derive.js (loose: the role views pass API results through).
// biome-ignore lint/suspicious/noExplicitAny: results arrive as JSON from the API
type Json = any;
export const BUDGET_HOLDERS: Record<'external' | 'inHouse', { name: string; categories: string[] }>;
export function byBudgetHolder(fy: Json): Record<'external' | 'inHouse', number>;
export function grossNet(fy: Json): { gross: number; grant?: number; net?: number } | undefined;
export function changeDrivers(
  current: Json,
  earlier: Json,
  label: string,
):
  | {
      label: string;
      before: number;
      after: number;
      change: number;
      numbers: number;
      mix: number;
      unitCosts: number;
      childMonths: [number, number];
    }
  | undefined;
export function nowOf(result: Json, today: Date): Json;
export function firstWholeYearAfter(dataEnd: string): string;
export function yearsOfHorizon(dataEnd: string | undefined, horizonMonths: number): string[];
export const DEFAULT_HORIZON: number;
export function budgetsFrom(
  amount: number,
  risePct: number,
  dataEnd: string | undefined,
  horizonMonths?: number,
): Record<string, number>;
export function emptyPlacesCost(variant: {
  saving?: { horizon: { mean: number } } | null;
  councils?: { saving?: { horizon: { mean: number } } | null }[];
}): number | null;
