import type { QueriesStats, QueryEntry } from '../../shared/panels.js';
import { hookDatabaseChannels } from '../instrument/db-channels.js';
import { recordedQueryText, withoutLiterals } from '../instrument/sql.js';
import { appFrame } from '../instrument/stack.js';
import { asText, cut, valuesAsText } from '../instrument/text.js';
import { duration, offset, type QueryEvent } from '../instrument/trace.js';
import { eventsTiming, tracePanel } from '../instrument/trace-panel.js';
import type { RequestContext } from '../context.js';
import type { InstrumentationSettings, ResolvedOptions } from '../options.js';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** The query with its literals and parameters taken out: what repeats in an N+1 loop. */
export function queryShape(text: string): string {
  return withoutLiterals(text)
    .replace(/\$\d+|:\w+|@\w+/g, '?')
    .replace(/\(\s*\?(?:\s*,\s*\?)*\s*\)/g, '(?)')
    .replace(/\s+/g, ' ')
    .trim();
}

function paramsAsText(params: unknown, secretNames: readonly string[], max: number): string[] | null {
  if (params === null || params === undefined) return null;
  const list = Array.isArray(params) ? params : [params];
  if (list.length === 0) return null;
  return list.flatMap((param) =>
    isPlainObject(param)
      ? Object.entries(valuesAsText(param, secretNames, max)).map(([name, value]) => `${name}=${value}`)
      : [asText(param, max)],
  );
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/**
 * Database queries: clients that publish them (mysql2, ioredis, node-redis) and those opted in
 * with `instrument()` (better-sqlite3, pg, knex). Flags repeated and slow ones.
 */
export function queriesPanel(options: ResolvedOptions, settings: InstrumentationSettings) {
  const max = settings.maxTextLength;
  /** The entry, and the key that tells exact repeats apart: text and parameters. */
  const entry = (ctx: RequestContext, query: QueryEvent): { entry: QueryEntry; key: string } => {
    const durationMs = duration(query);
    const params = paramsAsText(query.params, options.redactNames, max);
    const text = cut(recordedQueryText(query, settings.queryParams), max);
    return {
      entry: {
        system: query.system,
        text,
        params: settings.queryParams ? params : null,
        startMs: offset(ctx, query.start),
        durationMs,
        rows: query.rows,
        error: query.error,
        caller: appFrame(query.site?.stack) ?? appFrame(query.poolSite?.stack),
        duplicates: 0,
        similar: 0,
        slow: durationMs !== null && durationMs >= settings.slowQueryMs,
      },
      // The text as run, literals and all: two queries that differ only in a literal the
      // record leaves out are similar, not duplicates. The key is never stored.
      key: JSON.stringify([query.system, query.text, params]),
    };
  };
  return tracePanel<QueriesStats>(settings, {
    id: 'queries',
    hooks: [hookDatabaseChannels],
    stats(ctx, { queries }) {
      if (queries.empty) {
        return { queries: [], dropped: 0, totalMs: 0, slowThresholdMs: settings.slowQueryMs, repeated: [] };
      }
      const described = queries.items.map((query) => entry(ctx, query));
      const entries = described.map((query) => query.entry);
      const shapes = entries.map((query) => queryShape(query.text));
      const exact = described.map((query) => query.key);
      const shapeCounts = countBy(shapes, (shape) => shape);
      const exactCounts = countBy(exact, (key) => key);
      entries.forEach((query, index) => {
        query.similar = shapeCounts.get(shapes[index]!)! - 1;
        query.duplicates = exactCounts.get(exact[index]!)! - 1;
      });
      return {
        queries: entries,
        dropped: queries.dropped,
        totalMs: Math.round(entries.reduce((sum, query) => sum + (query.durationMs ?? 0), 0) * 1000) / 1000,
        slowThresholdMs: settings.slowQueryMs,
        repeated: [...shapeCounts]
          .filter(([, count]) => count > 1)
          .map(([shape, count]) => ({ shape, count }))
          .sort((a, b) => b.count - a.count),
      };
    },
    serverTiming: (ctx, { queries }) => eventsTiming(ctx, 'queries', 'Queries', queries),
  });
}
