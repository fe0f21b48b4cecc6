import { firstTime } from './shared-hook.js';
import { beginQuery, endQuery, failQuery, rowsOfResult, runQuery } from './query-recorder.js';

type Query = (...args: unknown[]) => unknown;

/** A node-postgres `Client` or `Pool`, as far as Loupe needs to know one. */
export interface PgLike {
  query: Query;
  connect: (...args: unknown[]) => unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

export function isPg(target: object): target is PgLike {
  const candidate = target as Partial<PgLike> & { connectionParameters?: unknown; totalCount?: unknown };
  return (
    typeof candidate.query === 'function' &&
    typeof candidate.connect === 'function' &&
    (candidate.connectionParameters !== undefined || typeof candidate.totalCount === 'number')
  );
}

/** `query(text | config, values?, callback?)`: the text and values, wherever they were put. */
function describe(args: unknown[]): { text: string; params: unknown } {
  const [first, second] = args;
  if (typeof first === 'string') return { text: first, params: Array.isArray(second) ? second : null };
  const config = first as { text?: unknown; values?: unknown } | null;
  return { text: String(config?.text ?? ''), params: Array.isArray(second) ? second : (config?.values ?? null) };
}

function wrapClient(client: PgLike): void {
  if (!firstTime(client)) return;
  const query = client.query;
  client.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as { submit?: unknown } | undefined;
    // A Submittable (a cursor, a stream) reports its rows its own way.
    if (typeof first?.submit === 'function') return query.apply(this, args);
    const { text, params } = describe(args);
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback !== 'function') return runQuery('postgresql', text, params, () => query.apply(this, args), rowsOfResult);
    const event = beginQuery('postgresql', text, params);
    if (event === undefined) return query.apply(this, args);
    args[last] = (error: unknown, result: unknown) => {
      if (error) failQuery(event, error);
      else endQuery(event, result, rowsOfResult);
      return (callback as (...values: unknown[]) => unknown)(error, result);
    };
    return query.apply(this, args);
  };
}

/**
 * node-postgres publishes nothing. A `Client`'s `query` is wrapped; for a `Pool`, each client it
 * connects is, so that `pool.query` and `pool.connect()` clients are recorded alike, once.
 */
export function instrumentPg<T extends PgLike>(target: T): T {
  const isPool = typeof (target as { totalCount?: unknown }).totalCount === 'number';
  if (!isPool) wrapClient(target);
  else if (firstTime(target)) target.on('connect', (client) => wrapClient(client as PgLike));
  return target;
}
