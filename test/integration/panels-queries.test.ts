import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import knexFactory from 'knex';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { instrument } from '../../server-middleware/index.js';
import type { QueryEntry } from '../../shared/panels.js';
import { useRedis } from '../support/redis.js';
import { useLoupeApps } from './panels-app.js';

const startApp = useLoupeApps();
const THIS_FILE = 'panels-queries.test.ts';

function usersDb() {
  const db = instrument(new Database(':memory:'));
  db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada'), ('grace'), ('edsger')");
  return db;
}

const essentials = ({ system, text, params, rows, error }: QueryEntry) => ({ system, text, params, rows, error });

describe('queries panel: better-sqlite3 through instrument()', () => {
  it('records text, parameters, rows, time and the app frame that issued each query', async () => {
    const db = usersDb();
    const app = await startApp((app) => {
      app.get('/users', (_req, res) => {
        const all = db.prepare('SELECT * FROM users').all();
        const one = db.prepare('SELECT name FROM users WHERE id = ?').get(2);
        const renamed = db.prepare('UPDATE users SET name = @name WHERE id = @id').run({ id: 1, name: 'ada l.' });
        res.json({ all, one, renamed });
      });
    });
    const { record } = await app.record('/users');
    const { queries, totalMs } = record.panels.queries!;
    expect(queries.map(essentials)).toEqual([
      { system: 'sqlite', text: 'SELECT * FROM users', params: null, rows: 3, error: null },
      { system: 'sqlite', text: 'SELECT name FROM users WHERE id = ?', params: ['2'], rows: 1, error: null },
      { system: 'sqlite', text: 'UPDATE users SET name = @name WHERE id = @id', params: ['id=1', "name=ada l."], rows: 1, error: null },
    ]);
    for (const query of queries) {
      expect(query.caller).toContain(THIS_FILE);
      expect(query.caller, 'shown from the working directory').toContain('test/integration/panels-queries.test.ts');
      expect(query.caller).not.toContain(process.cwd());
      expect(query.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(totalMs).toBeGreaterThan(0);
  });

  it('flags duplicates, similar queries (N+1) and slow ones, and records failures', async () => {
    const db = usersDb();
    const app = await startApp(
      (app) => {
        app.get('/n-plus-one', (_req, res) => {
          const ids = db.prepare('SELECT id FROM users').all() as Array<{ id: number }>;
          for (const { id } of ids) db.prepare('SELECT * FROM users WHERE id = ?').get(id);
          db.prepare('SELECT * FROM users WHERE id = ?').get(1);
          try {
            db.exec('SELECT nope FROM users');
          } catch {
            // The panel records the failure; the app carries on.
          }
          res.send('ok');
        });
      },
      { instrumentation: { slowQueryMs: 0 } },
    );
    const { record } = await app.record('/n-plus-one');
    const { queries, repeated, slowThresholdMs } = record.panels.queries!;
    expect(slowThresholdMs).toBe(0);
    expect(repeated).toEqual([{ shape: 'SELECT * FROM users WHERE id = ?', count: 4 }]);
    const byId = queries.filter((query) => query.text === 'SELECT * FROM users WHERE id = ?');
    expect(byId.map((query) => [query.params, query.duplicates, query.similar])).toEqual([
      [['1'], 1, 3],
      [['2'], 0, 3],
      [['3'], 0, 3],
      [['1'], 1, 3],
    ]);
    expect(queries.every((query) => query.slow)).toBe(true);
    expect(queries.at(-1)).toMatchObject({ text: 'SELECT nope FROM users', error: 'no such column: nope', rows: null });
  });

  it('keeps no parameters, nor the literals the app writes into its SQL, when queryParams is off', async () => {
    const db = usersDb();
    const app = await startApp(
      (app) => {
        app.get('/one', (_req, res) => {
          const user = db.prepare('SELECT * FROM users WHERE name = ?').get('ada');
          db.prepare("UPDATE users SET name = 'ada l. 7f3k' WHERE id = 1").run();
          db.prepare("UPDATE users SET name = 'grace h.' WHERE id = 2").run();
          res.json(user);
        });
      },
      { instrumentation: { queryParams: false } },
    );
    const { record } = await app.record('/one');
    expect(record.panels.queries!.queries.map(essentials)).toEqual([
      { system: 'sqlite', text: 'SELECT * FROM users WHERE name = ?', params: null, rows: 1, error: null },
      { system: 'sqlite', text: 'UPDATE users SET name = ? WHERE id = ?', params: null, rows: 1, error: null },
      { system: 'sqlite', text: 'UPDATE users SET name = ? WHERE id = ?', params: null, rows: 1, error: null },
    ]);
    // The two updates look the same in the record, but they are not the same query.
    expect(record.panels.queries!.queries.slice(1).map(({ duplicates, similar }) => ({ duplicates, similar }))).toEqual([
      { duplicates: 0, similar: 1 },
      { duplicates: 0, similar: 1 },
    ]);
    // The app's own response names ada; the queries panel must not.
    expect(JSON.stringify(record.panels.queries)).not.toContain('ada');
    expect(JSON.stringify(record)).not.toContain('7f3k');
  });
});

describe('queries panel: knex through instrument()', () => {
  it("records knex's queries with their bindings and rows", async () => {
    const knex = instrument(knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true }));
    await knex.schema.createTable('items', (table) => {
      table.increments('id');
      table.string('name');
    });
    await knex('items').insert([{ name: 'loupe' }, { name: 'lens' }]);
    const app = await startApp((app) => {
      app.get('/items', async (_req, res) => {
        res.json(await knex('items').where('name', 'lens').select('id', 'name'));
      });
    });
    try {
      const { record } = await app.record('/items');
      expect(record.panels.queries!.queries.map(essentials)).toEqual([
        { system: 'knex', text: 'select `id`, `name` from `items` where `name` = ?', params: ['lens'], rows: 1, error: null },
      ]);
    } finally {
      await knex.destroy();
    }
  });
});

describe('queries panel: Redis clients through their tracing channels', () => {
  const redis = useRedis();

  it('records ioredis and node-redis commands, with the values of writes left out by the clients', async () => {
    // ioredis traces a command when it is written: one queued before the connection is ready
    // is written later, outside the request that issued it.
    const ioredis = new Redis(redis().url, { lazyConnect: true });
    await ioredis.connect();
    const nodeRedis = await createClient({ url: redis().url }).connect();
    const app = await startApp((app) => {
      app.get('/cache', async (_req, res) => {
        await ioredis.set('greeting', 'hello');
        const viaIoredis = await ioredis.get('greeting');
        const viaNodeRedis = await nodeRedis.get('greeting');
        await nodeRedis.hSet('user:1', 'name', 'ada');
        res.json({ viaIoredis, viaNodeRedis });
      });
    });
    try {
      const { record } = await app.record('/cache');
      const queries = record.panels.queries!.queries;
      expect(queries.map(essentials)).toEqual([
        { system: 'redis', text: 'set greeting ?', params: null, rows: 1, error: null },
        { system: 'redis', text: 'get greeting', params: null, rows: 1, error: null },
        { system: 'redis', text: 'GET greeting', params: null, rows: 1, error: null },
        { system: 'redis', text: 'HSET user:1 name ?', params: null, rows: 1, error: null },
      ]);
      for (const query of queries) expect(query.caller).toContain(THIS_FILE);
    } finally {
      ioredis.disconnect();
      await nodeRedis.quit();
    }
  });
});

