import Database from 'better-sqlite3';
import type { Express } from 'express';
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import winston from 'winston';
import { instrument, mark, span } from '../server-middleware/index.js';

/** Swallows log output: the demo's loggers write somewhere real, just not into the terminal. */
const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });

/** The views live beside the source; the built demo runs from dist/server/demo. */
function viewsDir(): string {
  const candidates = ['./views', '../../../demo/views'].map((path) => fileURLToPath(new URL(path, import.meta.url)));
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Routes that exercise the instrumentation panels: logs, outbound calls, queries, templates, spans. */
export function addInstrumentedRoutes(app: Express, items: ReadonlyArray<{ id: number; name: string; magnification: number }>): void {
  const db = instrument(new Database(':memory:'));
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, magnification INTEGER)');
  const insert = db.prepare('INSERT INTO items (id, name, magnification) VALUES (?, ?, ?)');
  for (const item of items) insert.run(item.id, item.name, item.magnification);
  const pinoLogger = pino({ level: 'debug' }, sink());
  const winstonLogger = instrument(winston.createLogger({ transports: [new winston.transports.Stream({ stream: sink() })] }));

  app.set('views', viewsDir());
  app.set('view engine', 'ejs');

  app.get('/logs', (req, res) => {
    console.log('GET /logs from %s', req.ip);
    console.warn('console.warn: something looks odd');
    pinoLogger.info({ user: 42, password: 'hunter2' }, 'pino: user signed in');
    pinoLogger.debug('pino: a debug line');
    winstonLogger.warn('winston: disk almost full', { freeMb: 12 });
    res.type('text/plain').send('Logged five lines: see the Logs panel.\n');
  });
  app.get('/outbound', async (req, res) => {
    const origin = `${req.protocol}://${req.get('host')}`;
    const items = await (await fetch(`${origin}/api/items`)).json();
    const text = await new Promise<string>((resolve, reject) => {
      get(`${origin}/text?token=not-for-the-record`, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(body));
      }).on('error', reject);
    });
    res.json({ fetched: items, text });
  });
  app.get('/db', (_req, res) => {
    const ids = db.prepare('SELECT id FROM items').all() as Array<{ id: number }>;
    // One query per row on purpose: the panel flags the N+1.
    const rows = ids.map(({ id }) => db.prepare('SELECT * FROM items WHERE id = ?').get(id));
    res.json(rows);
  });
  app.get('/template', (_req, res) => {
    res.render('items', { title: 'Loupes, rendered', items });
  });
  app.get('/timeline', async (_req, res) => {
    mark('start');
    await span('load', () => delay(20));
    span('compute', () => db.prepare('SELECT count(*) AS n FROM items').get());
    await span('wait', () => delay(10));
    res.type('text/plain').send('Spans: load, compute, wait. See the Timeline panel and Server-Timing.\n');
  });
}
