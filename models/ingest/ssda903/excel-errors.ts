/**
 * Excel's error values (`#N/A`, `#REF!`, `#VALUE!`, `#DIV/0!` …): what a cell holds when its formula broke. In a
 * workbook they are typed error cells; in a CSV saved from one they are the same words as text. Either way they are
 * not data, and read as text or as an empty cell they would be wrong without a word (a child called "#N/A", an
 * episode left open): the reader names them by the cell, as Excel does.
 */

export const EXCEL_ERRORS: ReadonlySet<string> = new Set([
  '#N/A',
  '#REF!',
  '#VALUE!',
  '#DIV/0!',
  '#NAME?',
  '#NUM!',
  '#NULL!',
  '#SPILL!',
  '#CALC!',
  '#GETTING_DATA',
]);

/** The Excel error a cell's text is (`#N/A`, any case, spaces around), else null. */
export function excelError(text: string): string | null {
  const t = text.trim().toUpperCase();
  return t.startsWith('#') && EXCEL_ERRORS.has(t) ? t : null;
}

/** Excel's name of a column by its number (1 → A, 27 → AA). */
export function columnLetters(n: number): string {
  let out = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(65 + ((k - 1) % 26)) + out;
  return out;
}

/** A cell as Excel names it: `C14` in a CSV file, `Episodes!C14` or `'Episodes 2018'!C14` in a workbook's sheet. */
export function cellName(sheet: string | undefined, column: number, row: number): string {
  const cell = `${columnLetters(column)}${row}`;
  if (sheet === undefined) return cell;
  const quoted = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
  return `${quoted}!${cell}`;
}
