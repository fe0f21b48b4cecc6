import { firstTime } from './shared-hook.js';
import { rowsOfResult, runQuery } from './query-recorder.js';

/** A better-sqlite3 `Database`, as far as Loupe needs to know one. */
export interface SqliteDatabaseLike {
  prepare(source: string): SqliteStatementLike;
  exec(source: string): unknown;
  pragma(source: string, options?: unknown): unknown;
  readonly memory: boolean;
}

interface SqliteStatementLike {
  readonly source: string;
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown;
}

export function isSqliteDatabase(target: object): target is SqliteDatabaseLike {
  const candidate = target as Partial<SqliteDatabaseLike>;
  return typeof candidate.prepare === 'function' && typeof candidate.exec === 'function' && typeof candidate.pragma === 'function';
}

const STATEMENT_METHODS = ['run', 'get', 'all'] as const;

/** `get` answers one row or none. */
const rowsOf = (method: (typeof STATEMENT_METHODS)[number]) =>
  method === 'get' ? (row: unknown) => (row === undefined ? 0 : 1) : rowsOfResult;

/**
 * better-sqlite3 publishes nothing: the database's `prepare` and `exec` are wrapped, and so
 * are the `run`, `get` and `all` of each statement it prepares, on that statement alone.
 */
export function instrumentSqlite<T extends SqliteDatabaseLike>(db: T): T {
  if (!firstTime(db)) return db;
  const prepare = db.prepare;
  const exec = db.exec;
  db.prepare = function (this: T, source: string, ...rest: unknown[]) {
    const statement = (prepare as (...args: unknown[]) => SqliteStatementLike).call(this, source, ...rest);
    for (const method of STATEMENT_METHODS) {
      const original = statement[method];
      statement[method] = function (this: SqliteStatementLike, ...params: unknown[]) {
        return runQuery('sqlite', statement.source, params, () => original.apply(this, params), rowsOf(method));
      };
    }
    return statement;
  };
  db.exec = function (this: T, source: string) {
    return runQuery('sqlite', source, null, () => exec.call(this, source), () => null);
  };
  return db;
}
