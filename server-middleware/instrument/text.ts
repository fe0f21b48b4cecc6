import { inspect } from 'node:util';
import { REDACTED } from '../options.js';
import { isSecretName } from '../redact.js';

/** Cuts text to `max` characters, saying how much was left out. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more)`;
}

/** Any value as short, readable text: strings as they are, everything else as `util.inspect` shows it. */
export function asText(value: unknown, max: number): string {
  const text = typeof value === 'string' ? value : inspect(value, { depth: 3, breakLength: Infinity, maxArrayLength: 20, maxStringLength: max });
  return cut(text, max);
}

/** Named values as text, with secret-looking names redacted. */
export function valuesAsText(
  values: Record<string, unknown>,
  secretNames: readonly string[],
  max: number,
): Record<string, string> {
  const copy: Record<string, string> = Object.create(null);
  for (const name of Object.keys(values)) {
    copy[name] = isSecretName(name, secretNames) ? REDACTED : asText(values[name], max);
  }
  return copy;
}
