// Types of tables.js (HTML strings of a forecast result; the tests read them).
// biome-ignore lint/suspicious/noExplicitAny: a forecast result as the dashboard receives it (JSON)
type Result = any;
export function costTable(years: unknown[], caption?: string): string;
export function horizonTable(result: Result): string;
export function mixTable(result: Result): string;
export function warningHtml(text: string): string;
export function warningsBlock(result: Result): string;
export function inputsTable(result: Result): string;
export function uncertaintyBlock(result: Result): string;
