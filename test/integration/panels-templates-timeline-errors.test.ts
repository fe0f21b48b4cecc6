import Database from 'better-sqlite3';
import type { NextFunction, Request, Response } from 'express';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { instrument, mark, span } from '../../server-middleware/index.js';
import { useLoupeApps } from './panels-app.js';

const startApp = useLoupeApps();
const VIEWS = fileURLToPath(new URL('../../demo/views', import.meta.url));
const ITEMS = [{ id: 1, name: 'Brass loupe', magnification: 10 }];
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('templates panel', () => {
  const renderingApp = (app: import('express').Express) => {
    app.set('views', VIEWS);
    app.set('view engine', 'ejs');
    app.get('/page', (_req, res) => {
      res.locals.user = 'ada';
      res.render('items', { title: 'Loupes', items: ITEMS, sessionToken: 'abc' });
    });
  };

  it('records res.render: template, engine, time and the names of the context keys only', async () => {
    const app = await startApp(renderingApp);
    const { response, record } = await app.record('/page');
    expect(response.body.toString()).toContain('<h1>Loupes</h1>');
    const [render, ...others] = record.panels.templates!.renders;
    expect(others).toEqual([]);
    expect(render).toMatchObject({ name: 'items', engine: 'ejs', context: null, error: null });
    expect(render!.contextKeys.sort()).toEqual(['items', 'sessionToken', 'title', 'user']);
    expect(render!.durationMs).toBeGreaterThan(0);
    // The render ends before res.render sends the page, so the headers carry its time.
    const timing = String(response.headers['server-timing']);
    const rendered = /templates;dur=([\d.]+);desc="Templates \(1\)"/.exec(timing);
    expect(rendered, timing).not.toBeNull();
    expect(Number(rendered![1])).toBeCloseTo(render!.durationMs!, 1);
  });

  it('records the values too when templateValues is on, secrets redacted', async () => {
    const app = await startApp(renderingApp, { instrumentation: { templateValues: true } });
    const { record } = await app.record('/page');
    expect(record.panels.templates!.renders[0]!.context).toMatchObject({ title: 'Loupes', user: 'ada', sessionToken: '[redacted]' });
  });
});

describe('timeline panel', () => {
  it('puts handlers, spans, marks, queries and outbound calls on one axis, and all but marks into Server-Timing', async () => {
    const db = instrument(new Database(':memory:'));
    const other = await startApp((app) => {
      app.get('/other', (_req, res) => {
        res.send('other');
      });
    });
    const app = await startApp((app) => {
      app.use(function auth(_req: Request, _res: Response, next: NextFunction) {
        next();
      });
      app.get('/work', async (_req, res) => {
        mark('begin');
        await span('load', () => delay(15));
        span('count', () => db.prepare('SELECT 1').get());
        await fetch(`${other.url}/other`).then((response) => response.text());
        res.send('done');
      });
    });
    const { response, record } = await app.record('/work');
    expect(String(response.headers['server-timing'])).toMatch(
      /^total;dur=[\d.]+;desc="Loupe: time to headers", outbound;dur=[\d.]+;desc="Outbound calls \(1\)", queries;dur=[\d.]+;desc="Queries \(1\)", span-load;dur=\d+(\.\d+)?;desc="load", span-count;dur=[\d.]+;desc="count"$/,
    );
    const timeline = record.panels.timeline!;
    const names = timeline.entries.map((entry) => `${entry.kind}:${entry.name}`);
    expect(names).toEqual([
      'middleware:auth',
      'handler:GET /work',
      'mark:begin',
      'span:load',
      'span:count',
      'query:sqlite: SELECT 1',
      `http:GET ${other.url}/other`,
    ]);
    const starts = timeline.entries.map((entry) => entry.startMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const load = timeline.entries.find((entry) => entry.name === 'load')!;
    expect(load.durationMs).toBeGreaterThanOrEqual(14);
    for (const entry of timeline.entries) expect(entry.startMs + (entry.durationMs ?? 0)).toBeLessThanOrEqual(timeline.totalMs);
  });

  it('span() hands back what the function returns, whether the request is recorded or not', async () => {
    expect(span('outside', () => 42)).toBe(42);
    await expect(span('outside', async () => 'later')).resolves.toBe('later');
    const app = await startApp((app) => {
      app.get('/value', async (_req, res) => {
        const failure = await span('fails', () => Promise.reject(new Error('no'))).catch((error: Error) => error.message);
        res.json({ value: span('sync', () => 7), failure });
      });
    });
    const { response, record } = await app.record('/value');
    expect(JSON.parse(response.body.toString())).toEqual({ value: 7, failure: 'no' });
    expect(record.panels.timeline!.entries.filter((entry) => entry.kind === 'span').map((entry) => entry.name)).toEqual(['fails', 'sync']);
  });
});

describe('errors panel', () => {
  const failingApp = (app: import('express').Express) => {
    app.get('/throws', () => {
      throw new TypeError('thrown in a handler');
    });
    app.get('/rejects', async () => {
      await delay(1);
      throw new RangeError('rejected in an async handler');
    });
    app.get('/next', (_req: Request, _res: Response, next: NextFunction) => {
      next(new Error('passed to next'));
    });
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).send(`handled: ${error.message}`);
    });
  };

  it.each([
    ['/throws', 'TypeError', 'thrown in a handler'],
    ['/rejects', 'RangeError', 'rejected in an async handler'],
    ['/next', 'Error', 'passed to next'],
  ])('records the error of %s with its stack, once, and the app still answers', async (path, name, message) => {
    const app = await startApp(failingApp);
    const { response, record } = await app.record(path);
    expect(response.status).toBe(500);
    expect(response.body.toString()).toBe(`handled: ${message}`);
    const { errors, dropped } = record.panels.errors!;
    expect(dropped).toBe(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ source: 'handler', name, message });
    expect(errors[0]!.stack).toContain('panels-templates-timeline-errors.test.ts');
  });

  it('leaves the panel out of the record of a request without errors', async () => {
    const app = await startApp((app) => {
      app.get('/fine', (_req, res) => {
        res.send('fine');
      });
    });
    const { record } = await app.record('/fine');
    expect(record.panels.errors).toBeUndefined();
    expect(record.panels.outbound).toBeUndefined();
    expect(record.panels.templates).toBeUndefined();
  });
});
