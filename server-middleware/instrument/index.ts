import { instrumentKnex, isKnex } from './knex.js';
import { instrumentWinston, isWinstonLogger } from './loggers.js';
import { instrumentPg, isPg } from './pg.js';
import { instrumentSqlite, isSqliteDatabase } from './sqlite.js';

export { mark, span } from './spans.js';

/**
 * Opts a client that publishes nothing into Loupe's panels: a better-sqlite3 `Database`, a
 * node-postgres `Pool` or `Client`, a knex instance, or a winston logger. Returns it, so that
 * `const db = instrument(new Database(file))` reads naturally; anything else is a TypeError.
 * mysql2, ioredis, node-redis, pino, `http`, `https` and `fetch` need no call: they publish.
 */
export function instrument<T extends object>(target: T): T {
  if (isKnex(target)) return instrumentKnex(target) as T;
  if (isSqliteDatabase(target)) return instrumentSqlite(target) as T;
  if (isPg(target)) return instrumentPg(target) as T;
  if (isWinstonLogger(target)) return instrumentWinston(target) as T;
  throw new TypeError(
    'loupe instrument(): expected a better-sqlite3 Database, a pg Pool or Client, a knex instance or a winston logger',
  );
}
