import { Writable } from 'node:stream';
import pino from 'pino';
import winston from 'winston';
import { describe, expect, it } from 'vitest';
import { instrument } from '../../server-middleware/index.js';
import { useLoupeApps } from './panels-app.js';

const startApp = useLoupeApps();

/** A stream that keeps what a logger writes, so its output can be compared. */
function captured() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, stream };
}

/** The written lines with their timestamps taken out, which differ between runs. */
const withoutTime = (lines: string[]) => lines.map((line) => line.replace(/"time":\d+,?/, '').replace(/"timestamp":"[^"]+",?/, ''));

describe('logs panel', () => {
  it('records console, pino and winston lines of the request with level, offset, message and fields', async () => {
    const pinoOut = captured();
    const winstonOut = captured();
    const logger = pino({ level: 'debug' }, pinoOut.stream);
    const wlogger = instrument(
      winston.createLogger({ format: winston.format.json(), transports: [new winston.transports.Stream({ stream: winstonOut.stream })] }),
    );
    const app = await startApp((app) => {
      app.get('/logs', (_req, res) => {
        console.info('console says %d', 42);
        logger.warn({ orderId: 7, apiToken: 'abc' }, 'pino says');
        wlogger.error('winston says', { retry: 3 });
        res.send('ok');
      });
    });
    const { record } = await app.record('/logs');
    const logs = record.panels.logs!;
    expect(logs.dropped).toBe(0);
    expect(logs.entries.map(({ source, level, message }) => ({ source, level, message }))).toEqual([
      { source: 'console', level: 'info', message: 'console says 42' },
      { source: 'pino', level: 'warn', message: 'pino says' },
      { source: 'winston', level: 'error', message: 'winston says' },
    ]);
    expect(logs.entries[1]!.fields).toEqual({ orderId: '7', apiToken: '[redacted]' });
    expect(logs.entries[2]!.fields).toEqual({ retry: '3' });
    for (const entry of logs.entries) {
      expect(entry.atMs).toBeGreaterThanOrEqual(0);
      expect(entry.atMs).toBeLessThanOrEqual(record.durationMs!);
    }
  });

  it("leaves the loggers' own output exactly as it is without Loupe", async () => {
    const logOnce = (logger: pino.Logger, wlogger: winston.Logger) => {
      logger.info({ a: 1 }, 'pino line');
      wlogger.info('winston line', { b: 2 });
    };
    const plain = { pino: captured(), winston: captured() };
    logOnce(
      pino(plain.pino.stream),
      winston.createLogger({ transports: [new winston.transports.Stream({ stream: plain.winston.stream })] }),
    );
    const recorded = { pino: captured(), winston: captured() };
    const logger = pino(recorded.pino.stream);
    const wlogger = instrument(winston.createLogger({ transports: [new winston.transports.Stream({ stream: recorded.winston.stream })] }));
    const app = await startApp((app) => {
      app.get('/log', (_req, res) => {
        logOnce(logger, wlogger);
        res.send('ok');
      });
    });
    const { record } = await app.record('/log');
    expect(record.panels.logs!.entries).toHaveLength(2);
    expect(withoutTime(recorded.pino.lines)).toEqual(withoutTime(plain.pino.lines));
    expect(recorded.winston.lines).toEqual(plain.winston.lines);
  });

  it('keeps at most maxEntries lines per request and counts the rest', async () => {
    const app = await startApp(
      (app) => {
        app.get('/chatty', (_req, res) => {
          for (let line = 1; line <= 8; line++) console.debug(`line ${line}`);
          res.send('ok');
        });
      },
      { instrumentation: { maxEntries: 5 } },
    );
    const { record } = await app.record('/chatty');
    expect(record.panels.logs!.entries.map((entry) => entry.message)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    expect(record.panels.logs!.dropped).toBe(3);
  });

  it('records nothing written outside a request', async () => {
    const app = await startApp((app) => {
      app.get('/quiet', (_req, res) => {
        res.send('ok');
      });
    });
    console.log('between requests');
    const { record } = await app.record('/quiet');
    expect(record.panels.logs!.entries).toEqual([]);
  });

  it('instrumentation: false leaves out all six instrumentation panels', async () => {
    const app = await startApp(
      (app) => {
        app.get('/plain', (_req, res) => {
          console.debug('not recorded');
          res.send('ok');
        });
      },
      { instrumentation: false },
    );
    const { record } = await app.record('/plain');
    for (const id of ['logs', 'outbound', 'queries', 'templates', 'timeline', 'errors']) expect(record.panels).not.toHaveProperty(id);
    expect(record.panels.timer).toBeDefined();
  });
});
