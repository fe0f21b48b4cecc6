import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { format } from 'node:util';
import { firstTime, sharedHook } from './shared-hook.js';
import { currentTrace, now, type LogEvent } from './trace.js';

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
type ConsoleMethod = (typeof CONSOLE_METHODS)[number];

function record(source: LogEvent['source'], level: string, message: string, fields: Record<string, unknown> | null): void {
  currentTrace()?.logs.push({ source, level, at: now(), message, fields });
}

/**
 * Node 20 publishes nothing when `console` writes, so its methods are wrapped: the wrapper
 * records into the request's trace, if any, and calls the original with the same arguments.
 */
export const hookConsole = sharedHook(() => {
  const wrapped = new Map<ConsoleMethod, { original: (...args: unknown[]) => void; wrapper: (...args: unknown[]) => void }>();
  for (const method of CONSOLE_METHODS) {
    const original = console[method];
    const wrapper = function (this: unknown, ...args: unknown[]) {
      if (currentTrace() !== undefined) record('console', method, format(...args), null);
      return original.apply(this, args);
    };
    console[method] = wrapper;
    wrapped.set(method, { original, wrapper });
  }
  return () => {
    // Someone may have wrapped the method after us: then ours stays in their chain, inert.
    for (const [method, { original, wrapper }] of wrapped) if (console[method] === wrapper) console[method] = original;
  };
});

interface PinoAsJson {
  instance: { levels?: { labels?: Record<number, string> }; [key: string]: unknown };
  arguments: [obj: Record<string, unknown> | undefined, msg: unknown, level: number, time: unknown];
}

function onPinoRecord(message: unknown): void {
  if (currentTrace() === undefined) return;
  const { instance, arguments: args } = message as PinoAsJson;
  const [obj, msg, level] = args;
  const fields = obj !== undefined && Object.keys(obj).length > 0 ? obj : null;
  record('pino', instance.levels?.labels?.[level] ?? String(level), msg === undefined ? '' : String(msg), fields);
}

/** pino (≥ 9.10) publishes every record it serialises on the `pino_asJson` tracing channel. */
export const hookPino = sharedHook(() => {
  subscribe('tracing:pino_asJson:start', onPinoRecord);
  return () => unsubscribe('tracing:pino_asJson:start', onPinoRecord);
});

/** A winston logger, as far as Loupe needs to know one. */
export interface WinstonLike {
  write(info: unknown, ...rest: unknown[]): unknown;
  add(transport: unknown): unknown;
  transports: unknown[];
}

export function isWinstonLogger(target: object): target is WinstonLike {
  const candidate = target as Partial<WinstonLike>;
  return typeof candidate.write === 'function' && typeof candidate.add === 'function' && Array.isArray(candidate.transports);
}

/**
 * winston publishes nothing either. Every record, `logger.info(…)` as much as `logger.log(…)`
 * and child loggers', passes through the logger's `write` before its formats run, so the
 * instance's `write` is wrapped: what its transports write is untouched.
 */
export function instrumentWinston<T extends WinstonLike>(logger: T): T {
  if (!firstTime(logger)) return logger;
  const write = logger.write;
  logger.write = function (this: unknown, info: unknown, ...rest: unknown[]) {
    if (currentTrace() !== undefined && typeof info === 'object' && info !== null) {
      const { level, message, ...fields } = info as Record<string, unknown>;
      record('winston', String(level), message === undefined ? '' : String(message), Object.keys(fields).length > 0 ? fields : null);
    }
    return write.call(this, info, ...rest);
  };
  return logger;
}
