import mysql from 'mysql2';
import { describe, expect, it } from 'vitest';
import type { QueryEntry } from '../../shared/panels.js';
import { startMariaDb } from '../support/mariadb.js';
import { useServer } from '../support/servers.js';
import { useLoupeApps } from './panels-app.js';

const startApp = useLoupeApps();

const mariadb = useServer('MariaDB', startMariaDb);

const essentials = ({ system, text, params, rows, error }: QueryEntry) => ({ system, text, params, rows, error });

describe('queries panel: mysql2 against MariaDB, through its tracing channels', () => {
  it('records pool and connection queries, query and execute, promise and callback style: values, rows, failures, the app frame', async () => {
    const pool = mysql.createPool(mariadb().connection);
    await pool.promise().query('CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(40))');
    await pool.promise().query("INSERT INTO users VALUES (1, 'ada'), (2, 'grace'), (3, 'edsger')");
    const app = await startApp((app) => {
      app.get('/mysql', async (_req, res) => {
        const [all] = await pool.promise().query('SELECT * FROM users');
        const [one] = await pool.promise().execute('SELECT name FROM users WHERE id = ?', [2]);
        await new Promise((resolve) => pool.query('UPDATE users SET name = ? WHERE id = ?', ['ada l.', 1], resolve));
        const failure = await pool
          .promise()
          .query('SELECT nope FROM users')
          .then(() => 'none', (error: { code?: string }) => error.code);
        const direct = mysql.createConnection(mariadb().connection).promise();
        await direct.query('SELECT COUNT(*) AS n FROM users');
        await direct.end();
        res.json({ all, one, failure });
      });
    });
    try {
      const { response, record } = await app.record('/mysql');
      expect(JSON.parse(response.body.toString())).toMatchObject({ one: [{ name: 'grace' }], failure: 'ER_BAD_FIELD_ERROR' });
      const { queries } = record.panels.queries!;
      expect(queries.map(essentials)).toEqual([
        { system: 'mysql', text: 'SELECT * FROM users', params: null, rows: 3, error: null },
        { system: 'mysql', text: 'SELECT name FROM users WHERE id = ?', params: ['2'], rows: 1, error: null },
        { system: 'mysql', text: 'UPDATE users SET name = ? WHERE id = ?', params: ['ada l.', '1'], rows: 1, error: null },
        { system: 'mysql', text: 'SELECT nope FROM users', params: null, rows: null, error: expect.stringMatching(/Unknown column 'nope'/) },
        { system: 'mysql', text: 'SELECT COUNT(*) AS n FROM users', params: null, rows: 1, error: null },
      ]);
      // A pool starts the query in its own callback: the caller is where the app asked the pool.
      for (const query of queries) expect(query.caller).toContain('panels-mariadb.test.ts');
      for (const query of queries) expect(query.durationMs).toBeGreaterThan(0);
    } finally {
      await pool.promise().end();
    }
  });

  it("keeps query()'s values out of the text, which mysql2 reports with them inlined: queryParams: false records none", async () => {
    const pool = mysql.createPool(mariadb().connection);
    await pool.promise().query('CREATE TABLE sessions (token VARCHAR(64), user INT, note VARCHAR(40))');
    const app = await startApp(
      (app) => {
        app.get('/login', async (_req, res) => {
          await pool.promise().query("INSERT INTO sessions VALUES (?, ?, 'it''s me')", ['tok-3f9a\\\'x', 4211]);
          const [rows] = await pool.promise().query("SELECT user FROM sessions WHERE token = ? AND note = 'it''s me'", ['tok-3f9a\\\'x']);
          res.json(rows);
        });
      },
      { instrumentation: { queryParams: false } },
    );
    try {
      const { response, record } = await app.record('/login');
      expect(JSON.parse(response.body.toString())).toEqual([{ user: 4211 }]);
      const { queries, repeated } = record.panels.queries!;
      expect(queries.map(essentials)).toEqual([
        { system: 'mysql', text: 'INSERT INTO sessions VALUES (?, ?, ?)', params: null, rows: 1, error: null },
        { system: 'mysql', text: 'SELECT user FROM sessions WHERE token = ? AND note = ?', params: null, rows: 1, error: null },
      ]);
      expect(repeated).toEqual([]);
      const stored = JSON.stringify(record);
      expect(stored).not.toContain('tok-3f9a');
      expect(stored).not.toContain('4211');
    } finally {
      await pool.promise().end();
    }
  });
});
