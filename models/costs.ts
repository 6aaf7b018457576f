/**
 * Unit costs, inflation and the monthly charge. A child in a placement at the end of a month is charged for the whole
 * month: weekly cost × days in that month / 7. Unit costs are in prices of the financial year containing `priceBase`;
 * each later financial year (from 1 April) multiplies them by (1 + annualInflation).
 */
import { daysInMonthIndex, financialYearStart, monthIndex } from './calendar.js';
import type { WeeklyCost } from './scenario.js';

export const isTriangular = (c: WeeklyCost | undefined): c is { min: number; mode: number; max: number } =>
  typeof c === 'object' && c !== null;

export const weeklyCostMean = (c: WeeklyCost | undefined): number =>
  c === undefined ? 0 : isTriangular(c) ? (c.min + c.mode + c.max) / 3 : c;

/** Price multiplier for a month (index from calendar.monthIndex). */
export function inflationFactor(month: number, priceBase: string, annualInflation: number): number {
  const years = financialYearStart(month) - financialYearStart(monthIndex(priceBase));
  return (1 + annualInflation) ** years;
}

/** Pounds charged for one child for a month at a weekly cost of £1 in price-base prices. */
export function monthlyChargePerWeeklyPound(month: number, priceBase: string, annualInflation: number): number {
  return (daysInMonthIndex(month) / 7) * inflationFactor(month, priceBase, annualInflation);
}
