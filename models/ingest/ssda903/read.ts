/**
 * Reading SSDA903 tables row by row. The caller parses CSV (a string in the service, a file stream in the CLI) and
 * feeds rows here, so a large file is never held whole: each row is reduced at once to the few fields we keep.
 */
import {
  DATE_FORMS,
  collectionYearFromPath,
  collectionYearOf,
  looksMonthFirst,
  parseCollectionYear,
  readDate,
  twoDigitYearRule,
  type DateFormat,
} from './dates.js';
import { emptyRaw, seeDate, type RawData } from './raw.js';
import {
  KNOWN_COLUMNS,
  READ_COLUMNS,
  REQUIRED_COLUMNS,
  TABLE_LABELS,
  invisible,
  normaliseColumn,
  recogniseTable,
  type UsedTable,
} from './tables.js';
import { checkEpisodeCodes } from './validate.js';
import type { RawEpisode } from './raw.js';

export class Ssda903Reader {
  readonly raw: RawData = emptyRaw();
  /** the year of ingest, passed in by the caller: it places two-digit years (dates.ts, `twoDigitYear`) */
  private readonly referenceYear: number;
  private readonly dateFormats = new Set<DateFormat>();
  private readonly tablesSeen = new Set<UsedTable>();
  /** tables recognised but unusable (a column missing): not also reported as absent */
  private readonly tablesNamed = new Set<UsedTable>();
  /** child → the DOB and where it was read: a second header row with another DOB is reported (never the dates) */
  private readonly dobSeen = new Map<string, { dob: string; file: string; row: number; year: number | null }>();
  /** the separator of each file that was not a comma, for the notes */
  readonly separators = new Map<string, string>();
  private file = '';
  private table: UsedTable | null = null;
  private index = new Map<string, number>();
  /** the file's header line, normalised (for naming a column by its position) */
  private columns: string[] = [];
  /** the file's header line as written (trimmed): a column we do not read is named by its own header */
  private headerCells: string[] = [];
  /** columns of the current file already warned of for unreadable text */
  private readonly unreadableWarned = new Set<number>();
  private fileYear: number | null = null;
  /** rows of the current file skipped as totals rows (`totalsRow`), for its note */
  private totalsRows: number[] = [];
  /** the current file is a workbook saved in Excel's 1904 date system (Mac Excel): its date numbers read so */
  private date1904 = false;
  /** the Excel date systems date numbers were read in, for the notes */
  private readonly serialSystems = new Set<1900 | 1904>();
  /** files (or sheets) begun as a table we read: a workbook's note counts its sheets read, not those ignored */
  tablesBegun = 0;
  private rowsInFile = 0;
  /** (child, DECOM) → index in raw.episodes, to fold the same episode returned in several collection years */
  private readonly episodeIndex = new Map<string, number>();
  /** child → index in raw.headers, to keep one header row per child (the latest year's) */
  private readonly headerIndex = new Map<string, number>();
  /**
   * One string per distinct value: a stacked history repeats the same ids, dates and codes hundreds of thousands of
   * times, and a shared string costs a pointer where a copy costs a string.
   */
  private readonly strings = new Map<string, string>();
  /** CHILD values read without their leading zeros (`007` is `7`), for the notes */
  private zeroPaddedIds = 0;
  /** Episodes tables that name no collection year (no YEAR column, nothing in their path) */
  private readonly unnamedEpisodes: string[] = [];
  /** "DECOM|postcode" → group number; dropped with the reader, so no postcode outlives the reading */
  private readonly homeGroups = new Map<string, number>();
  constructor(options: { referenceYear: number }) {
    this.referenceYear = options.referenceYear;
  }

  private intern(s: string): string {
    const found = this.strings.get(s);
    if (found !== undefined) return found;
    this.strings.set(s, s);
    return s;
  }

  error(
    file: string,
    row: number | null,
    column: string | null,
    code: string,
    message: string,
    action = 'dropped',
  ): void {
    this.raw.problems.push({ file, row, column, code, message, action, severity: 'error' });
  }

  warning(
    file: string,
    row: number | null,
    column: string | null,
    code: string,
    message: string,
    action = 'none',
  ): void {
    this.raw.problems.push({ file, row, column, code, message, action, severity: 'warning' });
  }

  /**
   * Start a file from its header line (row `at.row` of the file, 1 unless titles were above it); returns false when its
   * rows are to be skipped (ignored or unusable table). A workbook's sheet (`at.sheet`, its name) is recognised by its
   * columns or its own name, not the workbook's; a sheet that is no 903 table at all (notes, a contents page, a pivot)
   * is ignored with a warning: a workbook holds more than the return.
   */
  beginFile(
    name: string,
    columns: readonly string[],
    at: { row?: number; sheet?: string; date1904?: boolean } = {},
  ): boolean {
    this.file = name;
    this.table = null;
    this.rowsInFile = 0;
    this.date1904 = at.date1904 === true;
    this.totalsRows = [];
    const headerRow = at.row ?? 1;
    const guess = recogniseTable(columns, at.sheet ?? name);
    if (guess.kind === 'unknown' && at.sheet !== undefined) {
      const note = `ignored sheet ${name}`;
      this.raw.notes.push(note);
      this.warning(
        name,
        null,
        null,
        'ignored-sheet',
        `${note}: no SSDA903 table in it (no row of 903 column names among its first rows)`,
      );
      return false;
    }
    if (guess.kind === 'ignored') {
      const note = `ignored table ${guess.table} (${name})`;
      this.raw.notes.push(note);
      this.warning(name, null, null, 'ignored-table', `${note}: the forecast needs only Header, Episodes and UASC`);
      return false;
    }
    const hint = separatorHint(columns);
    if (guess.kind === 'unknown') {
      // Only names that are 903 column names are shown: a file without a header line would otherwise have its first
      // row (ids, dates) quoted back.
      const known = columns.map(normaliseColumn).filter((c) => KNOWN_COLUMNS.has(c));
      // None of the 903 column names (a contacts list or notes zipped with the returns, or a return without its header
      // line): still an error, since a table whose header line was left out must not be skipped silently, but one that
      // names the file and says both ways out.
      if (known.length === 0 && hint === '') {
        const zipped = /^(.*?\.zip)\/(.+)$/i.exec(name);
        const which = zipped ? `the file ${zipped[2]} in ${zipped[1]}` : `the file ${name}`;
        const leave = zipped ? 'remove it from the zip' : 'leave it out';
        this.error(
          name,
          headerRow,
          null,
          'unknown-table',
          `${which} holds none of the 903 column names (its first row has ${columns.length} column${columns.length === 1 ? '' : 's'}, none of them a 903 column name). If it is no part of the return (a contacts list, notes), ${leave} and upload again; if it is a 903 table whose header line is missing, add the header line (export with column names) and upload again`,
          'none',
        );
        return false;
      }
      const shown = known.length > 0 ? `; 903 columns found: ${known.slice(0, 12).join(', ')}` : '';
      this.error(
        name,
        headerRow,
        null,
        'unknown-table',
        `not an SSDA903 table we recognise: ${columns.length} columns, ${known.length} of them 903 column names${shown}${hint}. Is the first line the header line?`,
        'none',
      );
      return false;
    }
    if (guess.missing.length > 0) {
      this.tablesNamed.add(guess.table);
      // Known by its name alone, none of its columns there: the first row is data (a header line left out of the
      // export), said once rather than as every column missing.
      if (guess.missing.length === REQUIRED_COLUMNS[guess.table].length && !separatorHint(columns)) {
        this.error(
          name,
          headerRow,
          null,
          'missing-column',
          `no header line: the first row holds none of the ${TABLE_LABELS[guess.table]} table's column names (${REQUIRED_COLUMNS[guess.table].join(', ')}). Add the header line (export with column names) and upload again`,
          'none',
        );
        return false;
      }
      for (const c of guess.missing)
        this.error(
          name,
          headerRow,
          c,
          'missing-column',
          `missing column ${c} in the ${TABLE_LABELS[guess.table]} table${hint}`,
          'none',
        );
      return false;
    }
    // A column we read, twice in the header line (a council's own "Child" column beside CHILD, a DOB pasted again): which
    // one holds the values is not ours to guess, and reading the last one silently read blanks or the wrong dates.
    const normalised = columns.map(normaliseColumn);
    const twice = READ_COLUMNS[guess.table].filter((c) => normalised.indexOf(c) !== normalised.lastIndexOf(c));
    if (twice.length > 0) {
      this.tablesNamed.add(guess.table);
      for (const c of twice) {
        const at = normalised.flatMap((n, i) => (n === c ? [i + 1] : []));
        this.error(
          name,
          headerRow,
          c,
          'duplicate-column',
          `column ${c} is in the header line ${at.length} times (columns ${at.join(' and ')}): keep one, rename or delete the others, and upload again`,
          'none',
        );
      }
      return false;
    }
    this.table = guess.table;
    this.tablesBegun++;
    this.tablesSeen.add(guess.table);
    if (guess.table === 'header' && normalised.includes('DUC')) this.tablesSeen.add('uasc');
    this.columns = normalised;
    this.headerCells = columns.map((c) => c.trim());
    this.index = new Map(this.columns.map((c, i) => [c, i]));
    this.unreadableWarned.clear();
    const named = this.index.has('YEAR') ? null : collectionYearFromPath(name);
    this.fileYear = named?.year ?? null;
    if (named) {
      this.raw.years.add(named.year);
      this.raw.yearSources.add(named.from === 'file name' ? 'year-named files' : 'year folders');
    } else if (this.index.has('YEAR')) this.raw.yearSources.add('a YEAR column');
    else if (guess.table === 'episodes') this.unnamedEpisodes.push(name);
    return true;
  }

  /**
   * A column's name for a message: its 903 name; else its header as written (`NOTES`, `Social worker`), the table being
   * recognised by its 903 columns so that the line is a header line; its position (`column 14`) when the header cell is
   * blank or does not look like a column name (see `isPlainColumnName`).
   */
  private columnName(i: number): string {
    const c = this.columns[i];
    if (c !== undefined && KNOWN_COLUMNS.has(c)) return c;
    const cell = this.headerCells[i] ?? '';
    return isPlainColumnName(cell) ? cell : `column ${i + 1}`;
  }

  /**
   * A row with text that could not be read in the columns at these positions (decoded wrongly before it reached us).
   * In a column we read the row is dropped with an error naming it; in any other column nothing we use is lost: one
   * warning per column and file, the row kept. Returns whether the row is to be read. (Code `unreadable-text`, not the
   * file-level `encoding`: lenient mode keeps the other rows.)
   */
  unreadableText(positions: readonly number[], row: number): boolean {
    if (this.table === null) return false;
    const read = READ_COLUMNS[this.table];
    const used = positions.find((i) => read.includes(this.columns[i] ?? ''));
    const why = 'could not be read (the file was not read as UTF-8 text before upload)';
    if (used !== undefined) {
      const column = this.columnName(used);
      this.countDroppedRow();
      this.error(
        this.file,
        row,
        column,
        'unreadable-text',
        `characters in ${column} ${why}: save the file as "CSV UTF-8" and upload it again`,
      );
      return false;
    }
    for (const i of positions) {
      if (this.unreadableWarned.has(i)) continue;
      this.unreadableWarned.add(i);
      const column = this.columnName(i);
      this.warning(
        this.file,
        row,
        column,
        'unreadable-text',
        `characters in ${column} ${why}: that column is not used, so the rows are kept`,
      );
    }
    return true;
  }

  /**
   * A row with Excel error values (`#N/A`, `#REF!`, `#VALUE!`, `#DIV/0!` …: a formula that broke) in the cells at these
   * positions, each named as Excel names it (`Episodes!C14` in a workbook, `C14` in a CSV saved from one). In a column
   * we read, the row is dropped with an error naming the cell, the error and the column (read as empty or as text it
   * would have been a missing value, an episode left open, or a child called "#N/A"); in a column we do not read
   * nothing is lost and the row is read. Returns whether the row is to be read.
   */
  errorCells(
    cells: ReadonlyArray<{ index: number; cell: string; error: string }>,
    row: number,
    inWorkbook: boolean,
  ): boolean {
    if (this.table === null) return false;
    const read = READ_COLUMNS[this.table];
    const used = cells.filter((c) => read.includes(this.columns[c.index] ?? ''));
    if (used.length === 0) return true;
    this.countDroppedRow();
    const fix = inWorkbook
      ? 'a formula in the workbook broke. Correct it (or paste the values in) and upload again'
      : 'the file was saved from a workbook whose formula broke. Correct it there, save the CSV again and upload it';
    for (const c of used) {
      const column = this.columnName(c.index);
      this.error(
        this.file,
        row,
        column,
        'excel-error',
        `${c.cell} holds the Excel error ${c.error} in the ${column} column: ${fix}`,
      );
    }
    return false;
  }

  /**
   * A totals row at the foot of a hand-made table (`Total`, `TOTAL`, `Grand total`, `Subtotal` in its first cell that
   * is not blank, counts or sums elsewhere): skipped, with a note naming its row, where it was "missing CHILD" or
   * "missing DECOM" on its row. Only when nothing else in the row is 903 data: no CHILD or UPN (but the label
   * itself), no value a date column reads as a date, no letters in any other 903 column (codes); a column of the
   * council's own (notes) is not looked at. A child whose CHILD is the word "Total" has a DECOM (or DOB), or codes,
   * and is read as any child. Returns whether it was skipped.
   */
  totalsRow(values: readonly string[], row: number): boolean {
    if (this.table === null) return false;
    const label = values.findIndex((v) => invisible(v.trim()) !== '');
    if (label < 0 || !TOTAL_LABEL.test(invisible((values[label] as string).trim()))) return false;
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i] as string;
      if (i === label || !KNOWN_COLUMNS.has(c)) continue;
      const v = invisible((values[i] ?? '').trim());
      if (v === '') continue;
      if (c === 'CHILD' || c === 'UPN' || /[A-Za-z]/.test(v)) return false;
      if (DATE_COLUMNS.has(c) && readDate(v, this.referenceYear, this.date1904) !== null) return false;
    }
    this.totalsRows.push(row);
    return true;
  }

  /** A row dropped before `addRow` reads it (its text unreadable, an Excel error): counted as read and as dropped. */
  private countDroppedRow(): void {
    this.raw.rowsRead++;
    this.rowsInFile++;
    this.raw.rowsDropped++;
    if (this.table === 'episodes') {
      this.raw.episodeRowsRead++;
      this.raw.episodeRowsDropped++;
    }
  }

  /** One data row; `row` is its row number in the file, the header line being row 1. */
  addRow(values: readonly string[], row: number): void {
    if (this.table === null) return;
    this.raw.rowsRead++;
    this.rowsInFile++;
    const get = (c: string): string => {
      const i = this.index.get(c);
      return i === undefined ? '' : invisible((values[i] ?? '').trim());
    };
    const file = this.file;
    const isEpisode = this.table === 'episodes';
    if (isEpisode) this.raw.episodeRowsRead++;
    const drop = (column: string | null, code: string, message: string): void => {
      this.error(file, row, column, code, message);
      this.raw.rowsDropped++;
      if (isEpisode) this.raw.episodeRowsDropped++;
    };
    const id = get('CHILD');
    if (id === '') return drop('CHILD', 'missing-value', 'missing CHILD');
    if (EXCEL_SCIENTIFIC.test(id))
      return drop(
        'CHILD',
        'bad-child-id',
        'CHILD is a number Excel shortened to its scientific form (such as 1.23E+12), which several children can share: format the CHILD column as Text (or export it from the case system again) and upload again',
      );
    const bare = withoutLeadingZeros(id);
    if (bare !== id) this.zeroPaddedIds++;
    const child = this.intern(bare);
    let year = this.fileYear;
    if (this.index.has('YEAR')) {
      const y = parseCollectionYear(get('YEAR'));
      if (y === null) return drop('YEAR', 'bad-year', 'not a collection year (expected 2018 or 2017/18)');
      year = y;
      this.raw.years.add(y);
    }
    const date = (column: string, required: boolean): string | null | undefined => {
      const text = get(column);
      if (text === '') {
        if (required) drop(column, 'missing-value', `missing ${column}`);
        return required ? undefined : null;
      }
      const d = readDate(text, this.referenceYear, this.date1904);
      if (d === 'no such day') {
        drop(
          column,
          'bad-date',
          looksMonthFirst(text)
            ? 'not a real date: dates are read day first (dd/mm/yyyy) and this one has a month over 12. Is the file written month first (mm/dd/yyyy, a computer set to US English)? Then every date in it is wrong: save it with UK dates and upload again'
            : 'not a real date (no such day in that month, or no such month)',
        );
        return undefined;
      }
      if (d === null) {
        // (an Excel error value, #N/A, never gets here: feedRow names its cell first)
        drop(column, 'bad-date', `not a date (expected ${DATE_FORMS})`);
        return undefined;
      }
      this.dateFormats.add(d.format);
      if (d.format === 'excel serial') this.serialSystems.add(this.date1904 ? 1904 : 1900);
      return this.intern(d.date);
    };

    if (this.table === 'header') {
      const dob = date('DOB', false);
      if (dob === undefined) {
        this.raw.childrenWithoutDob.add(child);
        return;
      }
      if (dob === null) {
        this.raw.childrenWithoutDob.add(child);
        return drop('DOB', 'missing-value', 'child has no DOB: its episodes are dropped');
      }
      const h = { file, row, child, year, birthMonth: this.intern(dob.slice(0, 7)) };
      const seen = this.dobSeen.get(child);
      if (seen === undefined) this.dobSeen.set(child, { dob, file, row, year });
      else if (seen.dob !== dob) {
        const later = (year ?? -1) >= (seen.year ?? -1);
        this.warning(
          file,
          row,
          'DOB',
          'conflicting-header',
          `this child's DOB differs from the one in ${seen.file} row ${seen.row}: the ${later ? 'row of the latest collection year (this one)' : 'earlier-read row of a later collection year'} kept`,
          later ? 'kept' : 'dropped',
        );
        if (later) this.dobSeen.set(child, { dob, file, row, year });
      }
      const at = this.headerIndex.get(child);
      const prev = at === undefined ? undefined : this.raw.headers[at];
      if (at === undefined || !prev) {
        this.headerIndex.set(child, this.raw.headers.length);
        this.raw.headers.push(h);
      } else if ((year ?? -1) >= (prev.year ?? -1)) this.raw.headers[at] = h;
      // a DUC column in the Header table: the UASC table kept in it (a DUC that is no date is an error on its own)
      if (this.index.has('DUC') && get('DUC') !== '') {
        const duc = date('DUC', false);
        if (duc !== undefined) this.raw.uasc.push({ file, row, child, year, until: duc });
      }
      return;
    }
    if (this.table === 'uasc') {
      const duc = date('DUC', false);
      if (duc === undefined) return;
      this.raw.uasc.push({ file, row, child, year, until: duc });
      return;
    }
    const start = date('DECOM', true);
    if (start === undefined || start === null) return;
    const end = date('DEC', false);
    if (end === undefined) return;
    if (end !== null && end < start) return drop('DEC', 'end-before-start', 'DEC is before DECOM');
    seeDate(this.raw, start);
    if (end !== null) {
      seeDate(this.raw, end);
      const y = collectionYearOf(end);
      this.raw.endYears.set(y, (this.raw.endYears.get(y) ?? 0) + 1);
    }
    // An end without its reason, or a reason without its end: one of the two was left out. Read as the DEC says (an
    // exit of no known reason, or an episode still open), and said, since a DEC left out keeps a child in care.
    const recText = get('REC');
    if (end === null && recText !== '')
      this.warning(
        file,
        row,
        'DEC',
        'rec-without-dec',
        'REC is given but DEC is blank: read as open (the reason ignored); if the episode ended, add its DEC',
        'repaired: REC ignored',
      );
    else if (end !== null && recText === '')
      this.warning(
        file,
        row,
        'REC',
        'dec-without-rec',
        'DEC is given but REC is blank: read as an exit of no known reason',
      );
    const ep: RawEpisode = {
      file,
      row,
      child,
      year,
      start,
      end,
      rne: this.intern(get('RNE').toUpperCase()),
      ls: this.intern(get('LS').toUpperCase()),
      place: this.intern(get('PLACE').toUpperCase()),
      provider: this.intern(get('PLACE_PROVIDER').toUpperCase()),
      rec: get('REC') === '' ? null : this.intern(get('REC').toUpperCase()),
    };
    const post = get('HOME_POST').replace(/\s+/g, '').toUpperCase();
    if (post !== '' && ep.rne === 'S') {
      const key = `${start}|${post}`;
      let g = this.homeGroups.get(key);
      if (g === undefined) {
        g = this.homeGroups.size;
        this.homeGroups.set(key, g);
      }
      ep.homeGroup = g;
    }
    if (year === null) {
      // codes are checked once the data end (hence the row's collection year) is known
      this.raw.episodes.push(ep);
      return;
    }
    const check = checkEpisodeCodes(ep, year);
    if (!check.ok) return drop(check.column, check.code, check.message);
    ep.checkedCategory = check.category;
    // The same episode returned again in a later collection year: keep the latest year's row (cleaning rule 2),
    // folded here so that a long stacked history is held once, not once per year.
    const key = `${child}\u0000${start}`;
    const at = this.episodeIndex.get(key);
    const prev = at === undefined ? undefined : this.raw.episodes[at];
    if (at !== undefined && prev && prev.year !== null && prev.year !== year) {
      this.raw.repeatedAcrossYears++;
      if (year > prev.year) this.raw.episodes[at] = ep;
      return;
    }
    this.episodeIndex.set(key, this.raw.episodes.length);
    this.raw.episodes.push(ep);
  }

  /**
   * An empty file: an error when it should hold a table we need (named header or episodes); an empty UASC file is
   * skipped with a warning that no child is then UASC; any other is a table we would ignore anyway (ad1.csv,
   * placed_for_adoption.csv): noted and skipped.
   */
  emptyFile(name: string): void {
    const guess = recogniseTable([], name);
    if (guess.kind === 'used' && guess.table !== 'uasc') {
      this.tablesNamed.add(guess.table);
      this.error(
        name,
        null,
        null,
        'empty-file',
        `the file is empty (it should hold the ${TABLE_LABELS[guess.table]} table)`,
        'none',
      );
      return;
    }
    const note = `ignored empty file ${name}`;
    this.raw.notes.push(note);
    const why =
      guess.kind === 'used'
        ? 'the file is empty, so no child is treated as UASC'
        : 'the forecast needs only Header, Episodes and UASC';
    this.warning(name, null, null, 'empty-file-ignored', `${note}: ${why}`);
  }

  endFile(): void {
    const t = this.totalsRows;
    if (t.length > 0) {
      const rows = t.length === 1 ? `row ${t[0]}` : `rows ${t.slice(0, -1).join(', ')} and ${t[t.length - 1]}`;
      this.raw.notes.push(
        `${this.file}: ${rows} skipped, ${t.length === 1 ? 'a totals row' : 'totals rows'} (a total's label first, and no CHILD, date or code)`,
      );
      this.totalsRows = [];
    }
    if (this.table !== null && this.rowsInFile === 0)
      this.warning(this.file, null, null, 'no-rows', `the ${TABLE_LABELS[this.table]} table has no rows`);
    this.table = null;
  }

  /** Checks that need every file: the tables we cannot do without, and the date forms found. */
  finish(): RawData {
    // An episode starting before the child's date of birth, the whole date compared while the reader still holds it
    // (the Header table may be read before or after the Episodes table): cleaning, which has only the birth month,
    // drops the row with an error that shows neither date (a DOB later in the month the episode starts in was missed).
    for (const ep of this.raw.episodes) {
      const dob = this.dobSeen.get(ep.child)?.dob;
      if (dob !== undefined && ep.start < dob) ep.beforeBirth = true;
    }
    if (!this.tablesSeen.has('episodes') && !this.tablesNamed.has('episodes'))
      this.error('(all files)', null, null, 'missing-table', 'no Episodes table among the files', 'none');
    if (!this.tablesSeen.has('header') && !this.tablesNamed.has('header'))
      this.error('(all files)', null, null, 'missing-table', 'no Header table among the files', 'none');
    if (!this.tablesSeen.has('uasc')) this.raw.notes.push('no UASC table: no child is treated as UASC');
    // Years named for some Episodes tables and not for others (`2023-24/`, `2024-25/`, then `current/`): the unnamed
    // table's rows were read against the named years' end, their later dates dropped as "after the data end".
    if (this.raw.years.size > 0)
      for (const name of this.unnamedEpisodes)
        this.error(
          name,
          null,
          null,
          'unnamed-year',
          'this Episodes table names no collection year, but other files do (a year folder, a year-named file or a YEAR column): put it in a folder named by the year it returns (2025-26/), or name the file so (episodes_2025-26.csv), and upload again',
          'none',
        );
    if (this.zeroPaddedIds > 0)
      this.raw.notes.push(
        `${this.zeroPaddedIds} rows' CHILD read without its leading zeros or a decimal point (007 and 7.0 as 7): a return saved through Excel or another tool loses or adds them, and the same child would be two children`,
      );
    if (this.dateFormats.size > 0)
      this.raw.notes.push(
        `dates: ${[...this.dateFormats].sort().join(' and ')}${this.dateFormats.has('dd/mm/yy') || this.dateFormats.has('dd-mmm-yy') ? ` (${twoDigitYearRule(this.referenceYear)})` : ''}${this.dateFormats.has('excel serial') ? ` (${serialSystemsNote(this.serialSystems)})` : ''}`,
      );
    for (const [file, sep] of this.separators) this.raw.notes.push(`${file}: columns separated by ${sep}`);
    return this.raw;
  }
}

/** How date numbers were read: in the 1900 date system, unless a workbook said it uses the 1904 one (Mac Excel). */
function serialSystemsNote(systems: ReadonlySet<1900 | 1904>): string {
  if (!systems.has(1904)) return 'Excel date numbers read in the 1900 date system';
  if (!systems.has(1900)) return 'Excel date numbers read in the 1904 date system of the workbooks saved in it';
  return 'Excel date numbers read in the 1900 date system, and in the 1904 date system in the workbooks saved in it';
}

/** A total's label, as a hand-made table's last row has it: `Total`, `TOTAL`, `Totals:`, `Grand total`, `Sub-total`. */
const TOTAL_LABEL = /^(grand[\s-]*|sub[\s-]*)?totals?\b/i;
/** The columns read as dates: a value that reads as one is 903 data, never a total. */
const DATE_COLUMNS: ReadonlySet<string> = new Set(['DECOM', 'DEC', 'DOB', 'DUC', 'MC_DOB']);

/** A number as Excel writes a long one it has shortened (`1.23457E+12`): the digits it dropped are gone. */
const EXCEL_SCIENTIFIC = /^\d(\.\d+)?E\+\d+$/i;

/**
 * A CHILD id of digits with its leading zeros removed: case systems pad ids to a width, and a return opened and saved in
 * Excel loses the padding, so one child is `00123` in one year's return and `123` in the next. A whole number written
 * with a decimal point (`123.0`, from a tool that read the column as numbers) is that number. Ids with letters are kept
 * as they are.
 */
export const withoutLeadingZeros = (id: string): string => {
  const m = /^(\d+)\.0+$/.exec(id);
  const digits = m ? (m[1] as string) : id;
  return /^0+\d+$/.test(digits) ? digits.replace(/^0+(?=\d)/, '') : digits;
};

/** A UK postcode, with or without its space (`PE1 1AA`, `SW1A2AA`). */
const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/i;

/**
 * Whether a header cell can be quoted in a message as a column's name: it starts with a letter, is short, holds only
 * the characters of column names, no run of three digits (a child id, a UPN) and is no postcode. A header line has no
 * personal data, but a row of data above the real header (or a header cell typed over) would: such a cell is named by
 * its position instead, as a blank one is.
 */
export function isPlainColumnName(cell: string): boolean {
  return (
    cell.length <= 40 && /^[A-Za-z][A-Za-z0-9 _\-.()&/]*$/.test(cell) && !/\d{3}/.test(cell) && !POSTCODE.test(cell)
  );
}

/** A header line that is one long column holding separators: the file was split on the wrong character. */
function separatorHint(columns: readonly string[]): string {
  if (columns.length > 2) return '';
  const text = columns.join(',');
  if (text.includes(';')) return ' (the header line holds semicolons: is the file separated by ";"?)';
  if (text.includes('\t')) return ' (the header line holds tabs: is the file tab-separated?)';
  return '';
}
