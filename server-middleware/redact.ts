import type { HeaderValues } from '../shared/panels.js';
import { cut } from './instrument/text.js';
import { DEFAULT_LIMITS, REDACTED, REDACTED_NAME_WORDS, type RecordLimits } from './options.js';
import type { OutgoingHttpHeaders, IncomingHttpHeaders } from 'node:http';

const WORD_BOUNDARY = /[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])/;

/** True when a query, cookie or field name looks like it holds a secret. */
export function isSecretName(name: string, secretNames: readonly string[]): boolean {
  const lower = name.toLowerCase();
  if (secretNames.some((secret) => lower.includes(secret))) return true;
  return name.split(WORD_BOUNDARY).some((word) => REDACTED_NAME_WORDS.includes(word.toLowerCase()));
}

/** The name of the entry that says how many headers were left out. */
export const TRUNCATED_HEADERS = '[truncated]';

/**
 * Copies headers, replacing the values of redacted names, keeping at most `maxHeaders`
 * names and `maxHeaderLength` characters of each value.
 */
export function redactHeaders(
  headers: IncomingHttpHeaders | OutgoingHttpHeaders,
  redacted: ReadonlySet<string>,
  { maxHeaders, maxHeaderLength }: Pick<RecordLimits, 'maxHeaders' | 'maxHeaderLength'> = DEFAULT_LIMITS,
): HeaderValues {
  const copy: HeaderValues = Object.create(null);
  const names = Object.keys(headers);
  let kept = 0;
  for (const name of names) {
    const value = headers[name];
    if (value === undefined) continue;
    if (kept === maxHeaders) {
      copy[TRUNCATED_HEADERS] = `${names.length - kept} more headers`;
      break;
    }
    kept++;
    const lower = name.toLowerCase();
    if (redacted.has(lower)) copy[lower] = REDACTED;
    else if (Array.isArray(value)) copy[lower] = value.slice(0, maxHeaders).map((item) => cut(String(item), maxHeaderLength));
    else copy[lower] = cut(String(value), maxHeaderLength);
  }
  return copy;
}

export interface RedactedQuery {
  /** The query string as it will be stored, `?` included, or empty. */
  search: string;
  values: Record<string, string | string[]>;
}

function decodeQueryPart(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return part;
  }
}

/**
 * Parses a query string and redacts secret values, in the parsed form and in the raw one;
 * the raw form keeps every other pair exactly as the client sent it.
 */
export function redactQuery(rawQuery: string, secretNames: readonly string[]): RedactedQuery {
  if (rawQuery === '') return { search: '', values: {} };
  // Null-prototype maps: a query may name `__proto__`.
  const values: Record<string, string | string[]> = Object.create(null);
  const pairs = rawQuery.split('&');
  for (let index = 0; index < pairs.length; index++) {
    const pair = pairs[index]!;
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    const name = decodeQueryPart(rawName);
    let value = equals === -1 ? '' : decodeQueryPart(pair.slice(equals + 1));
    if (isSecretName(name, secretNames)) {
      value = REDACTED;
      pairs[index] = `${rawName}=${REDACTED}`;
    }
    const previous = values[name];
    if (previous === undefined) values[name] = value;
    else values[name] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return { search: `?${pairs.join('&')}`, values };
}

export function redactRecordValues(
  values: Record<string, string>,
  secretNames: readonly string[],
): Record<string, string> {
  const copy: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(values)) {
    copy[name] = isSecretName(name, secretNames) ? REDACTED : value;
  }
  return copy;
}

/** `scheme://user:password@host`: the password part of a URL in a value. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^@\s/]*@/gi;

/**
 * Environment variables as the versions panel shows them: secret-looking names redacted,
 * passwords inside URLs (`DATABASE_URL`) too, within the header limits.
 */
export function redactEnvironment(
  env: NodeJS.ProcessEnv,
  secretNames: readonly string[],
  { maxHeaders, maxHeaderLength }: Pick<RecordLimits, 'maxHeaders' | 'maxHeaderLength'>,
): Record<string, string> {
  const copy: Record<string, string> = Object.create(null);
  const names = Object.keys(env).sort();
  for (const name of names.slice(0, maxHeaders)) {
    const value = env[name] ?? '';
    copy[name] = isSecretName(name, secretNames) ? REDACTED : cut(value.replace(URL_PASSWORD, `$1${REDACTED}@`), maxHeaderLength);
  }
  if (names.length > maxHeaders) copy[TRUNCATED_HEADERS] = `${names.length - maxHeaders} more variables`;
  return copy;
}
