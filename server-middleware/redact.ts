import type { HeaderValues } from '../shared/panels.js';
import { REDACTED, REDACTED_NAME_WORDS } from './options.js';
import type { OutgoingHttpHeaders, IncomingHttpHeaders } from 'node:http';

const WORD_BOUNDARY = /[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])/;

/** True when a query, cookie or field name looks like it holds a secret. */
export function isSecretName(name: string, secretNames: readonly string[]): boolean {
  const lower = name.toLowerCase();
  if (secretNames.some((secret) => lower.includes(secret))) return true;
  return name.split(WORD_BOUNDARY).some((word) => REDACTED_NAME_WORDS.includes(word.toLowerCase()));
}

/** Copies headers, replacing the values of redacted names. */
export function redactHeaders(
  headers: IncomingHttpHeaders | OutgoingHttpHeaders,
  redacted: ReadonlySet<string>,
): HeaderValues {
  const copy: HeaderValues = Object.create(null);
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (redacted.has(lower)) copy[lower] = REDACTED;
    else copy[lower] = Array.isArray(value) ? value.map(String) : String(value);
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
