/**
 * The text encoding of a CSV file's bytes, decided the same way by the upload reader (whole files) and the CLI's
 * streaming reader (first bytes, then one pass to check UTF-8):
 *   - a byte-order mark decides: UTF-8, UTF-16LE or UTF-16BE (Excel's "Unicode Text" is UTF-16LE with one);
 *   - a PDF, a zip or .xlsx workbook, or an old Office file (known by its first bytes) is refused;
 *   - UTF-16 without a byte-order mark (written by some exports and scripts) is read as such, with a warning: its first
 *     bytes are ASCII letters with a zero byte beside each, always on the same side (`utf16WithoutBom`);
 *   - other bytes that are not text at all (control characters a CSV never holds) are refused;
 *   - valid UTF-8 is UTF-8;
 *   - anything else is read as Windows-1252, the encoding of Excel's plain "CSV (Comma delimited)" on Windows, with a
 *     warning: every byte is a character there, and the fields the forecast reads (codes, dates, ids) are ASCII, so
 *     they read the same whichever single-byte encoding the file was really in.
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface FileEncoding {
  encoding: TextEncodingName;
  /** the byte-order mark's length in bytes (0 when none) */
  bom: number;
}

export const ENCODING_LABELS: Record<TextEncodingName, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
  'windows-1252': 'Windows-1252',
};

export const WINDOWS_1252_WARNING =
  'not UTF-8 text: read as Windows-1252, the encoding of Excel\'s "CSV (Comma delimited)"; save it as "CSV UTF-8" to be sure of any accented text';

export const utf16GuessedWarning = (encoding: 'utf-16le' | 'utf-16be'): string =>
  `not UTF-8 text: read as ${ENCODING_LABELS[encoding]}, which it is without a byte-order mark (a zero byte beside every letter); save it as "CSV UTF-8" to be sure it is read right`;

export const binaryMessage = (what: string): string =>
  `not a CSV text file: ${what}. Save the table as CSV (CSV UTF-8 is best) and upload it again`;

/** The encoding a byte-order mark names, or null when the bytes start with none. */
export function byteOrderMark(head: Uint8Array): FileEncoding | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  return null;
}

const startsWith = (head: Uint8Array, magic: readonly number[]): boolean => magic.every((b, i) => head[i] === b);

/** What a file is by the signature its first bytes carry (a PDF, a zip or .xlsx workbook, an old Office file), or null. */
export function magicKind(head: Uint8Array): string | null {
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return 'it is a PDF document';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06]))
    return 'it is a zip archive or an .xlsx workbook';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) return 'it is an Excel 97–2003 workbook or another old Office file';
  return null;
}

/** Printable ASCII, tab or a line break: what nearly every character of a CSV export is. */
const isAsciiText = (b: number): boolean => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d;

/**
 * UTF-16 without a byte-order mark, from a file's first bytes (a few KB): each ASCII character is then two bytes, a zero
 * and the letter, the zero second in UTF-16LE (`C` is 43 00) and first in UTF-16BE (00 43). The file is taken for
 * UTF-16 when at least 3 in 4 of its byte pairs are such a letter with its zero on one and the same side (a CSV is
 * nearly all ASCII: codes, dates, separators; accented text lowers the share a little). Random binary data, or 16-bit
 * numbers with a zero high byte, are far from it: their other bytes are printable ASCII about one time in three.
 * Null when the bytes are not UTF-16 by this test, or too few (under 4 pairs) to tell.
 */
export function utf16WithoutBom(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.floor(head.length / 2);
  if (pairs < 4) return null;
  let le = 0;
  let be = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    const [a, b] = [head[i] as number, head[i + 1] as number];
    if (b === 0 && isAsciiText(a)) le++;
    else if (a === 0 && isAsciiText(b)) be++;
  }
  if (le >= 0.75 * pairs) return 'utf-16le';
  if (be >= 0.75 * pairs) return 'utf-16be';
  return null;
}

/**
 * What a file that is not text holds, from its first bytes (a few KB): null when they can be text in a single-byte
 * encoding or UTF-8. Control characters other than tab, line breaks, form feed and Ctrl-Z (an old end-of-file mark)
 * never occur in a CSV export. Asked after `utf16WithoutBom` (a UTF-16 file's NULs are half of every ASCII letter).
 */
export function binaryKind(head: Uint8Array): string | null {
  const magic = magicKind(head);
  if (magic !== null) return magic;
  let nulAtOdd = 0;
  let nulAtEven = 0;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i] as number;
    if (b === 0) {
      if (i % 2 === 1) nulAtOdd++;
      else nulAtEven++;
    }
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1a) control++;
  }
  if (control === 0) return null;
  // UTF-16 without a byte-order mark that `utf16WithoutBom` did not read (too little of it ASCII): said so
  const half = head.length / 2;
  if (head.length >= 8 && (nulAtOdd > 0.4 * half || nulAtEven > 0.4 * half) && Math.min(nulAtOdd, nulAtEven) === 0)
    return 'it looks like UTF-16 text without a byte-order mark';
  return 'it holds binary data';
}

/** Whether bytes are valid UTF-8, checked chunk by chunk (a character may be split between chunks). */
export function utf8Check(): { push(chunk: Uint8Array): boolean; end(): boolean } {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let valid = true;
  return {
    push(chunk) {
      if (!valid) return false;
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        valid = false;
      }
      return valid;
    },
    end() {
      if (!valid) return false;
      try {
        decoder.decode();
      } catch {
        valid = false;
      }
      return valid;
    },
  };
}

export function isUtf8(bytes: Uint8Array): boolean {
  const check = utf8Check();
  return check.push(bytes) && check.end();
}

/**
 * The encoding to read a file in when its first bytes (a few KB) decide it — a byte-order mark, UTF-16 without one —
 * or why it cannot be read as text; null when it comes down to whether the whole file is valid UTF-8 (then UTF-8, else
 * Windows-1252).
 */
export function encodingFromHead(head: Uint8Array): FileEncoding | { binary: string } | null {
  const bom = byteOrderMark(head);
  if (bom && bom.encoding !== 'utf-8') return bom;
  const body = head.subarray(bom?.bom ?? 0);
  const magic = magicKind(body);
  if (magic !== null) return { binary: magic };
  const utf16 = bom ? null : utf16WithoutBom(body);
  if (utf16 !== null) return { encoding: utf16, bom: 0 };
  const binary = binaryKind(body);
  if (binary !== null) return { binary };
  return bom;
}

/**
 * The encoding to read a file in, from its first bytes and whether the whole file is valid UTF-8 (asked only when the
 * first bytes do not decide), or why it cannot be read as text.
 */
export function chooseEncoding(head: Uint8Array, validUtf8: () => boolean): FileEncoding | { binary: string } {
  return encodingFromHead(head) ?? { encoding: validUtf8() ? 'utf-8' : 'windows-1252', bom: 0 };
}

/**
 * Windows-1252's characters for bytes 0x80–0x9F (€, curly quotes, dashes, …): some Node versions decode
 * 'windows-1252' as ISO-8859-1 and give C1 control characters there. The five bytes Windows-1252 leaves undefined keep
 * their control characters, as the WHATWG decoder does.
 */
const CP1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
const fixC1 = (s: string): string =>
  /[\u0080-\u009F]/.test(s) ? s.replace(/[\u0080-\u009F]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] as string) : s;

/**
 * A decoder for a chosen encoding, fed chunk by chunk (the CLI's stream) or once (an upload). A UTF-8 byte-order mark is
 * kept as U+FEFF (the CSV reader removes it with a note); a UTF-16 one is dropped (the encoding's note says it).
 */
export function textDecoder(encoding: TextEncodingName): { write(chunk: Uint8Array): string; end(): string } {
  const decoder = new TextDecoder(encoding, { ignoreBOM: encoding === 'utf-8' });
  const fix = encoding === 'windows-1252' ? fixC1 : (s: string) => s;
  return {
    write: (chunk) => fix(decoder.decode(chunk, { stream: true })),
    end: () => fix(decoder.decode()),
  };
}

export function decodeText(bytes: Uint8Array, encoding: TextEncodingName): string {
  const d = textDecoder(encoding);
  return d.write(bytes) + d.end();
}
