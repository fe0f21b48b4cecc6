import { currentTrace, now } from './trace.js';

/**
 * Times `fn` as a span on the request's timeline (and in its `Server-Timing`), when the
 * request is recorded; either way returns what `fn` returns. A promise's span ends when it
 * settles; the promise itself is handed back untouched.
 */
export function span<T>(name: string, fn: () => T): T {
  const event = currentTrace()?.spans.push({ kind: 'span', name, start: now(), end: null });
  if (event === undefined) return fn();
  const end = () => {
    event.end = now();
  };
  let result: T;
  try {
    result = fn();
  } catch (error) {
    end();
    throw error;
  }
  if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') (result as PromiseLike<unknown>).then(end, end);
  else end();
  return result;
}

/** Marks a moment on the request's timeline. */
export function mark(name: string): void {
  const at = now();
  currentTrace()?.spans.push({ kind: 'mark', name, start: at, end: at });
}
