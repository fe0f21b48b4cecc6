import type { ServerTimingEntry } from './panels/panel.js';

function quote(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/** Formats metrics as one `Server-Timing` header value (RFC: `name;dur=1.2;desc="..."`). */
export function formatServerTiming(entries: readonly ServerTimingEntry[]): string {
  return entries
    .map((entry) => {
      let metric = entry.name;
      if (entry.durationMs !== undefined) metric += `;dur=${Math.round(entry.durationMs * 100) / 100}`;
      if (entry.description !== undefined) metric += `;desc=${quote(entry.description)}`;
      return metric;
    })
    .join(', ');
}
