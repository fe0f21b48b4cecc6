import type { LoupeRecord } from '../../shared/record.js';

const frozenPanels = new WeakMap<object, string>();

/**
 * A panel that returns one frozen object for every request (versions and settings, with the
 * environment: kilobytes) is serialised once per process, not once per record.
 */
function panelJson(stats: unknown): string {
  if (typeof stats !== 'object' || stats === null || !Object.isFrozen(stats)) return JSON.stringify(stats);
  let json = frozenPanels.get(stats);
  if (json === undefined) frozenPanels.set(stats, (json = JSON.stringify(stats)));
  return json;
}

/** `JSON.stringify(record)`, but with `panels` last and frozen panel stats serialised once. */
export function recordJson(record: LoupeRecord): string {
  const { panels, ...rest } = record;
  const parts: string[] = [];
  for (const [id, stats] of Object.entries(panels)) {
    if (stats !== undefined) parts.push(`${JSON.stringify(id)}:${panelJson(stats)}`);
  }
  return `${JSON.stringify(rest).slice(0, -1)},"panels":{${parts.join(',')}}}`;
}
