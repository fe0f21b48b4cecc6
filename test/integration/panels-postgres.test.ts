import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { instrument } from '../../server-middleware/index.js';
import { startPostgres } from '../support/postgres.js';
import { useServer } from '../support/servers.js';
import { useLoupeApps } from './panels-app.js';

const startApp = useLoupeApps();

const postgres = useServer('PostgreSQL', startPostgres);

describe('queries panel: node-postgres through instrument()', () => {
  it('records pool.query, a pool client and a plain client, in promise and callback style', async () => {
    const pool = instrument(new pg.Pool(postgres().connection));
    const client = instrument(new pg.Client(postgres().connection));
    await client.connect();
    const app = await startApp((app) => {
      app.get('/pg', async (_req, res) => {
        await pool.query('SELECT $1::int AS n', [1]);
        const pooled = await pool.connect();
        await pooled.query({ text: 'SELECT generate_series(1, $1::int)', values: [3] });
        pooled.release();
        await new Promise<void>((resolve) => client.query('SELECT 42 AS answer', () => resolve()));
        await client.query('SELECT nope').catch(() => undefined);
        res.send('ok');
      });
    });
    try {
      const { record } = await app.record('/pg');
      const queries = record.panels.queries!.queries;
      expect(queries.map(({ system, text, params, rows }) => ({ system, text, params, rows }))).toEqual([
        { system: 'postgresql', text: 'SELECT $1::int AS n', params: ['1'], rows: 1 },
        { system: 'postgresql', text: 'SELECT generate_series(1, $1::int)', params: ['3'], rows: 3 },
        { system: 'postgresql', text: 'SELECT 42 AS answer', params: null, rows: 1 },
        { system: 'postgresql', text: 'SELECT nope', params: null, rows: null },
      ]);
      expect(queries[3]!.error).toMatch(/column "nope" does not exist/);
      // A plain client's queries start in the app's own frame.
      expect(queries[2]!.caller).toContain('panels-postgres.test.ts');
    } finally {
      await client.end();
      await pool.end();
    }
  });
});
