/**
 * The text encoding of a CSV file's bytes, decided the same way by the upload reader (whole files) and the CLI's
 * streaming reader (first bytes, then one pass to check UTF-8):
 *   - a byte-order mark decides: UTF-8, UTF-16LE or UTF-16BE (Excel's "Unicode Text" is UTF-16LE with one);
 *   - bytes that are not text at all (a PDF, a zip or .xlsx workbook, an old Office file, other binary data) are refused;
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

/**
 * What a file that is not text holds, from its first bytes (a few KB): null when they can be text in a single-byte
 * encoding or UTF-8. Control characters other than tab, line breaks, form feed and Ctrl-Z (an old end-of-file mark)
 * never occur in a CSV export. Not used on UTF-16 files (their NULs are half of every ASCII letter).
 */
export function binaryKind(head: Uint8Array): string | null {
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return 'it is a PDF document';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06]))
    return 'it is a zip archive or an .xlsx workbook';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) return 'it is an Excel 97–2003 workbook or another old Office file';
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
  // UTF-16 without a byte-order mark: ASCII letters with a NUL beside each, all on the same side
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
 * The encoding to read a file in, from its first bytes and whether the whole file is valid UTF-8 (asked only when no
 * byte-order mark decides), or why it cannot be read as text.
 */
export function chooseEncoding(head: Uint8Array, validUtf8: () => boolean): FileEncoding | { binary: string } {
  const bom = byteOrderMark(head);
  if (bom && bom.encoding !== 'utf-8') return bom;
  const binary = binaryKind(head.subarray(bom?.bom ?? 0));
  if (binary !== null) return { binary };
  if (bom) return bom;
  return { encoding: validUtf8() ? 'utf-8' : 'windows-1252', bom: 0 };
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
