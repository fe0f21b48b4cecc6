/** A store that gave no answer in time. */
export class StoreTimeout extends Error {}

/**
 * How long the API waits for the store (a Redis that stopped answering, a full disk) before it
 * answers 503 rather than leave the developer's request hanging.
 */
export const STORE_DEADLINE_MS = 5000;

/** `result`, or a `StoreTimeout` rejection when it takes longer than `ms`. */
export function inTime<T>(result: T | Promise<T>, what: string, ms = STORE_DEADLINE_MS): T | Promise<T> {
  if (!(result instanceof Promise)) return result;
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StoreTimeout(`${what} gave no answer within ${ms} ms`)), ms);
  });
  return Promise.race([result, expiry]).finally(() => clearTimeout(timer));
}
