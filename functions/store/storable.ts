/**
 * What a DynamoDB item attribute can hold, checked before a write so that a value the table would refuse is the
 * client's 422 naming the field, not a 500 after half the records were written. Numbers: magnitude from 1E-130 to
 * 9.99…E+125 (or 0); JSON nesting: 32 levels. Blobs are stored as bytes, so only summaries need this.
 */
import { InvalidInput, type Issue } from '#functions/errors';

export const DYNAMO_MAX_NUMBER = 9.999999999999999e125;
export const DYNAMO_MIN_POSITIVE = 1e-130;
const MAX_DEPTH = 32;

export function storableNumber(n: number): boolean {
  if (!Number.isFinite(n)) return false;
  const a = Math.abs(n);
  return a === 0 || (a >= DYNAMO_MIN_POSITIVE && a <= DYNAMO_MAX_NUMBER);
}

export function storableIssues(value: unknown, path: string, depth = 0, out: Issue[] = []): Issue[] {
  if (out.length >= 10) return out;
  if (typeof value === 'number') {
    if (!storableNumber(value))
      out.push({
        path,
        code: 'not_storable',
        message: `must be 0 or between ${DYNAMO_MIN_POSITIVE} and ${DYNAMO_MAX_NUMBER} in magnitude`,
      });
  } else if (value !== null && typeof value === 'object') {
    if (depth >= MAX_DEPTH) {
      out.push({ path, code: 'too_deep', message: `nested more than ${MAX_DEPTH} levels` });
      return out;
    }
    for (const [k, v] of Object.entries(value)) storableIssues(v, `${path}.${k}`, depth + 1, out);
  }
  return out;
}

export function assertStorable(value: unknown, path: string): void {
  const issues = storableIssues(value, path);
  if (issues.length) throw new InvalidInput(issues, 'the request holds values the store cannot keep');
}
