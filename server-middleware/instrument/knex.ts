import { firstTime } from './shared-hook.js';
import { beginQuery, endQuery, failQuery, rowsOfResult } from './query-recorder.js';
import type { QueryEvent } from './trace.js';

/** A knex instance, as far as Loupe needs to know one. */
export interface KnexLike {
  (...args: unknown[]): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  client: { config?: { client?: unknown } };
}

export function isKnex(target: object): target is KnexLike {
  const candidate = target as Partial<KnexLike>;
  return typeof target === 'function' && typeof candidate.on === 'function' && typeof candidate.client === 'object';
}

interface KnexQueryData {
  __knexQueryUid: string;
  sql: string;
  bindings?: unknown[];
}

/** knex announces its queries as events: `query` before, `query-response` or `query-error` after. */
export function instrumentKnex<T extends KnexLike>(knex: T): T {
  if (!firstTime(knex)) return knex;
  const inFlight = new Map<string, QueryEvent>();
  const finished = (data: KnexQueryData) => {
    const event = inFlight.get(data.__knexQueryUid);
    inFlight.delete(data.__knexQueryUid);
    return event;
  };
  knex.on('query', (data: KnexQueryData) => {
    const event = beginQuery('knex', data.sql, data.bindings ?? null);
    if (event !== undefined) inFlight.set(data.__knexQueryUid, event);
  });
  knex.on('query-response', (response: unknown, data: KnexQueryData) => {
    const event = finished(data);
    if (event !== undefined) endQuery(event, response, rowsOfResult);
  });
  knex.on('query-error', (error: unknown, data: KnexQueryData) => {
    const event = finished(data);
    if (event !== undefined) failQuery(event, error);
  });
  return knex;
}
