/**
 * Months and financial years. A month is "YYYY-MM"; an English local-authority financial year runs 1 April – 31 March
 * and is labelled "2018/19". Pure: no clock.
 */

export const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const FY_RE = /^(\d{4})\/(\d{2})$/;

/** Months since year 0 (a plain integer index that makes month arithmetic trivial). */
export function monthIndex(month: string): number {
  const m = MONTH_RE.exec(month);
  if (!m) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

export function monthFromIndex(index: number): string {
  const y = Math.floor(index / 12);
  const mo = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}`;
}

export const addMonths = (month: string, n: number): string => monthFromIndex(monthIndex(month) + n);

export function daysInMonthIndex(index: number): number {
  const y = Math.floor(index / 12);
  const mo = index - y * 12; // 0-based
  return new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
}

/** The calendar year in which the financial year containing this month starts (April = month 3, 0-based). */
export function financialYearStart(index: number): number {
  const y = Math.floor(index / 12);
  const mo = index - y * 12;
  return mo >= 3 ? y : y - 1;
}

export function financialYearLabel(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}

export function parseFinancialYear(label: string): number {
  const m = FY_RE.exec(label);
  if (!m) throw new RangeError(`not a financial year (YYYY/YY): ${label}`);
  const start = Number(m[1]);
  if ((start + 1) % 100 !== Number(m[2]))
    throw new RangeError(`financial year ${label}: the second year must follow the first`);
  return start;
}

/** Last day of a month as an ISO date, "YYYY-MM-DD". */
export function monthEndDate(index: number): string {
  return `${monthFromIndex(index)}-${String(daysInMonthIndex(index)).padStart(2, '0')}`;
}
