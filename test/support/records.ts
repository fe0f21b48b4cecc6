import { PROTOCOL_VERSION } from '../../shared/protocol.js';
import type { LoupeRecord, RecordState } from '../../shared/record.js';

let serial = 0;

/** A well-formed record for store tests; `padding` makes it as large as needed. */
export function makeRecord(overrides: { id?: string; state?: RecordState; startedAt?: number; padding?: number } = {}): LoupeRecord {
  serial++;
  const id = overrides.id ?? `rec${String(serial).padStart(19, '0')}`;
  return {
    id,
    version: PROTOCOL_VERSION,
    state: overrides.state ?? 'complete',
    startedAt: overrides.startedAt ?? Date.now(),
    durationMs: overrides.state === 'pending' ? null : 1,
    aborted: false,
    request: {
      method: 'GET',
      url: `/items/${serial}`,
      path: `/items/${serial}`,
      route: '/items/:id',
      httpVersion: '1.1',
      headers: { 'x-padding': 'x'.repeat(overrides.padding ?? 0) },
      query: {},
      cookies: {},
      bodyBytes: null,
      clientIp: '127.0.0.1',
    },
    response: {
      status: 200,
      statusMessage: 'OK',
      headers: {},
      bytes: 2,
      contentType: 'application/json',
      encoding: null,
      streamed: false,
      headersSent: true,
    },
    panels: {},
    skipped: [],
  };
}
