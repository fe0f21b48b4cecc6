import compression from 'compression';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { loupe, type LoupeMiddleware, type LoupeOptions } from '../server-middleware/index.js';
import { addHostileRoutes } from './hostile.js';
import { addInstrumentedRoutes } from './instrumented.js';

/** A 32×32 magnifier, the demo's image response. */
const LOUPE_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAgklEQVR42mNgGAVDEagmv/5PdwsJ4QGzmGYOIcdyqjkCm6H7b//DianuCFIsx+UIulpOVUeQazk2R4w6gK7xT7V0MJoGBpUDBqQcGPCScFDUBZTWhnKa1nBMd0cgW04VR5DaIsLmAKo4gpQ2IV0cQQiMOmLUEUPGEXTv1g24A9AdAQCg8Aqac2ClTAAAAABJRU5ErkJggg==',
  'base64',
);

const ITEMS = [
  { id: 1, name: 'Brass loupe', magnification: 10 },
  { id: 2, name: 'Folding loupe', magnification: 20 },
  { id: 3, name: 'Headband loupe', magnification: 5 },
];

/** The CPU-heavy route's hot function: the profiler should name it first. */
export function countPrimes(limit: number): number {
  let count = 0;
  for (let candidate = 2; candidate < limit; candidate++) {
    let prime = true;
    for (let divisor = 2; divisor * divisor <= candidate; divisor++) {
      if (candidate % divisor === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function page(title: string, body: string, { dark = false } = {}): string {
  const colours = dark ? 'background:#111827;color:#e5e7eb' : 'background:#ffffff;color:#111827';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:2rem;${colours}}
a{color:${dark ? '#93c5fd' : '#1d4ed8'}}li{margin:.2rem 0}code{font-size:.9em}</style>
</head><body>${body}</body></html>`;
}

const HOME = page(
  'Loupe demo',
  `<h1>Loupe demo</h1>
<p>Every response below carries <code>X-Loupe-Id</code>; the extension draws the toolbar over each.</p>
<ul>
<li><a href="/api/items">JSON</a> and <a href="/api/items/2">one item</a></li>
<li><a href="/text">Plain text</a></li>
<li><a href="/image.png">PNG image</a> and <a href="/logo.svg">SVG image</a></li>
<li><a href="/data.xml">XML document</a></li>
<li><a href="/gzip">Gzip-encoded page</a></li>
<li><a href="/stream">Chunked stream</a> (takes a second)</li>
<li><a href="/sse">Server-sent events page</a> and <a href="/events">the event stream</a></li>
<li><a href="/redirect">Redirect</a> (to this page)</li>
<li><a href="/download">Download</a></li>
<li><a href="/missing">404</a> and <a href="/error">500</a></li>
<li><a href="/slow">Slow route</a> (300 ms) and <a href="/cpu">CPU-heavy route</a></li>
<li><a href="/dark">Dark page</a></li>
<li><a href="/logs">Logs</a>, <a href="/outbound">outbound calls</a>, <a href="/db">database queries (N+1)</a>,
<a href="/template">a rendered template</a> and <a href="/timeline">spans on the timeline</a></li>
</ul>
<h2>Fetched by this page</h2>
<pre id="fetched">…</pre>
<script>
(async () => {
  const out = document.getElementById('fetched');
  const items = await (await fetch('/api/items')).json();
  const xhr = new XMLHttpRequest();
  xhr.open('GET', '/api/items/1');
  xhr.onload = () => { out.textContent = items.length + ' items; XHR: ' + xhr.responseText; };
  xhr.send();
})();
</script>`,
);

const SSE_PAGE = page(
  'Server-sent events',
  `<h1>Server-sent events</h1><ol id="events"></ol>
<script>
const source = new EventSource('/events');
source.onmessage = (event) => {
  const item = document.createElement('li');
  item.textContent = event.data;
  document.getElementById('events').append(item);
};
source.addEventListener('end', () => source.close());
</script>`,
);

export interface DemoOptions {
  /** Options for Loupe, or false for the same app without it. */
  loupe?: LoupeOptions | false;
}

export interface DemoApp {
  app: Express;
  loupe: LoupeMiddleware | null;
}

/** The demo: one route per kind of response the toolbar has to cope with. */
export function createDemoApp(options: DemoOptions = {}): DemoApp {
  const app = express();
  const middleware = options.loupe === false ? null : loupe(options.loupe);
  if (middleware !== null) app.use(middleware);

  app.get('/', (_req, res) => {
    res.type('html').send(HOME);
  });
  app.get('/dark', (_req, res) => {
    res.type('html').send(page('Dark page', '<h1>Dark page</h1><p>The toolbar must stay readable here.</p>', { dark: true }));
  });
  app.get('/api/items', (_req, res) => {
    res.json(ITEMS);
  });
  app.get('/api/items/:id', (req, res) => {
    const item = ITEMS.find((candidate) => String(candidate.id) === req.params.id);
    if (item === undefined) res.status(404).json({ error: 'no such item' });
    else res.json(item);
  });
  app.get('/text', (_req, res) => {
    res.type('text/plain').send('Plain text from the Loupe demo.\n');
  });
  app.get('/image.png', (_req, res) => {
    res.type('png').send(LOUPE_PNG);
  });
  app.get('/logo.svg', (_req, res) => {
    res
      .type('image/svg+xml')
      .send(
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">' +
          '<circle cx="26" cy="26" r="18" fill="#bfdbfe" stroke="#2563eb" stroke-width="6"/>' +
          '<path d="M40 40 L58 58" stroke="#1e293b" stroke-width="8" stroke-linecap="round"/></svg>',
      );
  });
  app.get('/data.xml', (_req, res) => {
    res.type('application/xml').send('<?xml version="1.0"?>\n<items>' + ITEMS.map((i) => `<item id="${i.id}">${i.name}</item>`).join('') + '</items>\n');
  });
  app.get('/gzip', compression({ threshold: 0 }), (_req, res) => {
    res.type('html').send(page('Gzip-encoded page', '<h1>Gzip-encoded page</h1>' + '<p>Compressible text. </p>'.repeat(200)));
  });
  app.get('/stream', async (_req, res) => {
    res.type('text/plain');
    for (let chunk = 1; chunk <= 10; chunk++) {
      res.write(`chunk ${chunk} of 10\n`);
      await delay(100);
      if (res.destroyed) return;
    }
    res.end('done\n');
  });
  app.get('/sse', (_req, res) => {
    res.type('html').send(SSE_PAGE);
  });
  app.get('/events', async (req, res) => {
    const count = Math.min(Number(req.query.count ?? 5) || 5, 100);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    for (let event = 1; event <= count; event++) {
      res.write(`data: event ${event} of ${count}\n\n`);
      await delay(200);
      if (res.destroyed) return;
    }
    res.end('event: end\ndata: bye\n\n');
  });
  app.get('/redirect', (_req, res) => {
    res.redirect(302, '/');
  });
  app.get('/download', (_req, res) => {
    res.attachment('loupes.csv').type('text/csv').send('id,name\n' + ITEMS.map((i) => `${i.id},${i.name}`).join('\n') + '\n');
  });
  app.get('/error', () => {
    throw new Error('A deliberate error from the demo');
  });
  app.get('/slow', async (req, res) => {
    const ms = Math.min(Number(req.query.ms ?? 300) || 300, 5000);
    await delay(ms);
    res.type('text/plain').send(`Waited ${ms} ms.\n`);
  });
  app.get('/cpu', (req, res) => {
    const limit = Math.min(Number(req.query.n ?? 300_000) || 300_000, 5_000_000);
    res.json({ limit, primes: countPrimes(limit) });
  });
  addInstrumentedRoutes(app, ITEMS);
  addHostileRoutes(app);
  app.use((req: Request, res: Response) => {
    res.status(404).type('text/plain').send(`Nothing at ${req.path}\n`);
  });
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).type('text/plain').send(`Internal error: ${error.message}\n`);
  });
  return { app, loupe: middleware };
}
