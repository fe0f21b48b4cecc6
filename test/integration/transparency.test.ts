import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, type RawResponse } from '../support/http.js';
import { startDemo, type RunningDemo } from '../support/demo.js';

/** Headers that differ between any two responses, or that are Loupe's own. */
const EXPECTED_DIFFERENCES = new Set(['date', 'x-loupe-id', 'x-loupe-api', 'server-timing']);

function comparableHeaders(response: RawResponse): Record<string, unknown> {
  return Object.fromEntries(Object.entries(response.headers).filter(([name]) => !EXPECTED_DIFFERENCES.has(name)));
}

let withLoupe: RunningDemo;
let without: RunningDemo;
beforeAll(async () => {
  [withLoupe, without] = await Promise.all([startDemo({ loupe: { mode: 'development' } }), startDemo({ loupe: false })]);
});
afterAll(async () => {
  await Promise.all([withLoupe.close(), without.close()]);
});

const CASES: Array<{ path: string; method?: string; headers?: Record<string, string> }> = [
  { path: '/' },
  { path: '/api/items' },
  { path: '/api/items/3' },
  { path: '/text' },
  { path: '/image.png' },
  { path: '/logo.svg' },
  { path: '/data.xml' },
  { path: '/gzip', headers: { 'accept-encoding': 'gzip' } },
  { path: '/gzip', headers: { 'accept-encoding': 'identity' } },
  { path: '/stream' },
  { path: '/events?count=2' },
  { path: '/redirect' },
  { path: '/download' },
  { path: '/missing' },
  { path: '/error' },
  { path: '/', method: 'HEAD' },
  { path: '/api/items', headers: { 'if-none-match': 'W/"98-1Y6mSIOnJf2Fr0iGTHY6v3tj96s"' } },
];

describe('Loupe never touches the response', () => {
  it.each(CASES)('$path $headers: same status, headers and body bytes as without Loupe', async ({ path, method, headers }) => {
    const [a, b] = await Promise.all([
      rawRequest(withLoupe.url + path, { method, headers }),
      rawRequest(without.url + path, { method, headers }),
    ]);
    expect(a.headers['x-loupe-id']).toBeDefined();
    expect(b.headers['x-loupe-id']).toBeUndefined();
    expect(a.status).toBe(b.status);
    expect(comparableHeaders(a)).toEqual(comparableHeaders(b));
    expect(a.body.equals(b.body)).toBe(true);
  });
});
