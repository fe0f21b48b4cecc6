import type { PanelStatsMap, RequestStats, ResponseStats } from './panels.js';

export type RecordState = 'pending' | 'complete';

/** Everything Loupe knows about one request, as the API serves it. */
export interface LoupeRecord {
  id: string;
  /** The protocol version the record was written with. */
  version: number;
  state: RecordState;
  /** Milliseconds since the Unix epoch. */
  startedAt: number;
  /** Set once complete. */
  durationMs: number | null;
  /** The client went away before the response was complete. */
  aborted: boolean;
  request: RequestStats;
  response: ResponseStats;
  /** Panel stats by panel id, besides `request` and `response` above. */
  panels: Partial<Omit<PanelStatsMap, 'request' | 'response'>>;
  /** Panels that failed to produce stats, with the reason; the response is unaffected. */
  skipped: Array<{ panel: string; reason: string }>;
}

/** A line of `GET {api}/requests`. */
export interface RecordSummary {
  id: string;
  state: RecordState;
  startedAt: number;
  durationMs: number | null;
  method: string;
  url: string;
  route: string | null;
  status: number;
  contentType: string | null;
  bytes: number;
  cpuMs: number | null;
}

export function summarize(record: LoupeRecord): RecordSummary {
  return {
    id: record.id,
    state: record.state,
    startedAt: record.startedAt,
    durationMs: record.durationMs,
    method: record.request.method,
    url: record.request.url,
    route: record.request.route,
    status: record.response.status,
    contentType: record.response.contentType,
    bytes: record.response.bytes,
    cpuMs: record.panels.timer?.cpuMs ?? null,
  };
}
