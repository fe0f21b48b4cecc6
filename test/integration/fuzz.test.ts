import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRaw, type WireAnswer } from '../support/http.js';
import { startAppChild, type AppChild } from '../support/app-child.js';

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T,>(items: readonly T[]): T => items[int(items.length)]!;
  const text = (alphabet: readonly string[], max: number) => Array.from({ length: int(max + 1) }, () => pick(alphabet)).join('');
  return { int, pick, text };
}

const API = '/__loupe/api';
const ID_CHARS = [...'ABCxyz019-_', '%', '%2F', '%00', '%E0%A4', '%25', '.', '..', '/', '\\', '=', '?', '#', ';', '~', 'é', '\u{1F50D}', '%FF', '+', ' '];
const QUERY_NAMES = ['limit', 'wait', 'route', 'sort', 'profile', 'id', '__proto__', 'constructor', '', '%', 'a[b]'];
const QUERY_VALUES = ['', '0', '1', '-1', '50', '1001', '30001', '99999999999999999999', 'NaN', 'abc', 'self', 'cumulative', 'GET /x', '%', '%00', '<script>', '"', "'", 'x'.repeat(3000)];
const METHODS = ['GET', 'GET', 'GET', 'HEAD', 'DELETE', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'TRACE', 'FOO', 'get', 'M-SEARCH', 'PROPFIND', 'PURGE', 'X'.repeat(40)];
const HOSTS = ['localhost', '127.0.0.1', '[::1]:1', 'rebind.attacker.example', '', 'a'.repeat(300), 'localhost:99999', '[::1', 'é.example', 'localhost, evil.example'];
const KEY = 'fuzz-operator-key';
const HEADER_VALUES = ['', 'x', 'x'.repeat(5000), 'null', 'https://evil.example', 'chrome-extension://x', 'cross-site', 'same-origin', '\t', 'é', '%00', 'a=b; c'];

/** One malformed or odd request to the API or the profile endpoints, as raw bytes. */
function fuzzCase(rng: ReturnType<typeof random>, key: string | null): string {
  const id = rng.text(ID_CHARS, rng.pick([4, 22, 30, 400]));
  const path = rng.pick([
    `${API}/requests/${id}`,
    `${API}/requests/${id}/profile`,
    `${API}/requests/${rng.text(['A', 'b', '9', '_', '-'], 22)}`,
    `${API}/${id}`,
    `${API}/requests`,
    `${API}/profile`,
    `${API}/profile/tree`,
    `${API}/profile.cpuprofile`,
    `${API}/../${id}`,
    `${API}%2Frequests`,
    `/${API}/requests`,
    `/profile/`,
    `/profile/${id}`,
    `/profile${id}`,
    `/text`,
    `*`,
    id,
  ]);
  const pairs = Array.from({ length: rng.int(5) }, () => `${rng.pick(QUERY_NAMES)}${rng.pick(['=', '', '==', '=&'])}${rng.pick(QUERY_VALUES)}`);
  const query = pairs.length === 0 && rng.int(2) === 0 ? '' : `?${rng.pick(['', 'profile&', 'profile=1&'])}${pairs.join(rng.pick(['&', '&&', ';']))}`;
  const lines = [`${rng.pick(METHODS)} ${path}${query} ${rng.pick(['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/9.9', 'HTTP/1.1 extra'])}`];
  if (rng.int(12) !== 0) lines.push(`Host: ${rng.pick(HOSTS)}`);
  if (key !== null && rng.int(3) === 0) lines.push(`X-Loupe-Key: ${key}`);
  const headerNames = ['X-Loupe-Key', 'Origin', 'Sec-Fetch-Site', 'Cookie', 'Authorization', 'Accept', 'X-Custom', 'X-Forwarded-For', 'Content-Type'];
  for (let i = rng.int(6); i > 0; i--) lines.push(`${rng.pick(headerNames)}: ${rng.pick(HEADER_VALUES)}`);
  if (rng.int(10) === 0) lines.push(rng.pick(['no colon here', ': empty name', 'Bad Name: x', 'X-Nul: a\u0000b', 'Transfer-Encoding: banana']));
  if (rng.int(10) === 0) for (let i = 0; i < 150; i++) lines.push(`X-Many-${i}: ${i}`);
  const body = rng.int(6) === 0 ? rng.text(['{', '}', '"', 'a', '=', '&', '\u0000'], 200) : '';
  if (body !== '') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  lines.push('Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** What every answer must be: a 2xx or 4xx, its body JSON or text. */
function problemWith(answer: WireAnswer, request: string): string | null {
  const describe = `${request.split('\r\n')[0]!.slice(0, 200)} → ${answer.status}`;
  if (answer.status === null) return `no answer: ${describe}`;
  if (!((answer.status >= 200 && answer.status < 300) || (answer.status >= 400 && answer.status < 500))) return `status: ${describe}`;
  if (answer.body.length === 0 || request.startsWith('HEAD ')) return null;
  const type = answer.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) {
    try {
      JSON.parse(answer.body.toString('utf8'));
      return null;
    } catch {
      return `invalid JSON: ${describe}`;
    }
  }
  return type.startsWith('text/') ? null : `content type ${type}: ${describe}`;
}

/** Sends `count` fuzz cases, `parallel` at a time; returns the problems found. */
async function fuzz(
  app: AppChild,
  seed: number,
  count: number,
  key: string | null = null,
  parallel = 16,
): Promise<{ problems: string[]; statuses: Map<number | null, number>; jsonAnswers: number }> {
  const rng = random(seed);
  const requests = Array.from({ length: count }, () => fuzzCase(rng, key));
  const problems: string[] = [];
  const statuses = new Map<number | null, number>();
  let jsonAnswers = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        const answer = await sendRaw(app.port, request).catch(
          (error: Error): WireAnswer => ({ status: null, headers: {}, body: Buffer.from(error.message), raw: Buffer.alloc(0) }),
        );
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if ((answer.headers['content-type'] ?? '').startsWith('application/json')) jsonAnswers++;
        const problem = problemWith(answer, request);
        if (problem !== null) problems.push(problem);
      }
    }),
  );
  return { problems, statuses, jsonAnswers };
}

let app: AppChild;
beforeAll(async () => {
  // Profile segments are kept for retainMs whatever the traffic: a short retention lets the
  // heap settle within the test, so that growth would mean a leak.
  app = await startAppChild({ mode: 'development', bounds: { maxRecords: 100 }, profile: { retainMs: 2000 } });
});
afterAll(() => app.close());

describe('malformed requests to the API and the profile endpoints', () => {
  it('answer every one with a 2xx or 4xx in JSON or text, keep the process alive and its heap flat', { timeout: 240_000 }, async () => {
    const warmUp = await fuzz(app, 1, 600);
    expect(warmUp.problems).toEqual([]);
    const before = await app.heap();

    const rounds = [];
    const heaps = [before.heapUsed];
    for (const seed of [2, 3, 4]) {
      rounds.push(await fuzz(app, seed, 1000));
      heaps.push((await app.heap()).heapUsed);
    }
    const problems = rounds.flatMap((round) => round.problems);
    expect(problems.slice(0, 20)).toEqual([]);
    expect(app.alive()).toBe(true);

    const statuses = new Map<number | null, number>();
    for (const round of rounds) for (const [status, n] of round.statuses) statuses.set(status, (statuses.get(status) ?? 0) + n);
    // The cases reach Loupe's answers, not just Node's parser: most are well-formed enough.
    for (const status of [200, 400, 403, 404, 405]) expect(statuses.get(status), `status ${status}`).toBeGreaterThan(20);

    const mb = heaps.map((bytes) => (bytes / 2 ** 20).toFixed(1));
    // Flat: the last round adds next to nothing, and all three together little.
    expect((heaps[3]! - heaps[2]!) / 2 ** 20, `heap after each round: ${mb.join(', ')} MiB`).toBeLessThan(3);
    expect((heaps[3]! - heaps[0]!) / 2 ** 20, `heap after each round: ${mb.join(', ')} MiB`).toBeLessThan(8);
    expect((await app.usage())!.records).toBeLessThanOrEqual(100);

    const ok = await sendRaw(app.port, `GET /text HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    expect(ok.status).toBe(200);
    console.info(`fuzz: 3600 requests, statuses ${JSON.stringify([...statuses])}, heap after warm-up and each round ${mb.join(', ')} MiB`);
  });
});

describe('malformed requests to a production app, keyed or not', () => {
  let production: AppChild;
  beforeAll(async () => {
    production = await startAppChild({ mode: 'production', keys: [KEY], bounds: { maxRecords: 100 }, profile: { retainMs: 2000 } });
  });
  afterAll(() => production.close());

  it('answer every one with a 2xx or 4xx in JSON or text, and keep the process alive and its heap flat', { timeout: 240_000 }, async () => {
    expect((await fuzz(production, 11, 600, KEY)).problems).toEqual([]);
    const before = (await production.heap()).heapUsed;
    const rounds = [await fuzz(production, 12, 1000, KEY), await fuzz(production, 13, 1000, KEY)];
    expect(rounds.flatMap((round) => round.problems).slice(0, 20)).toEqual([]);
    expect(production.alive()).toBe(true);
    // The demo answers in text: JSON answers are Loupe's API's, to the requests with the key.
    expect(rounds[0]!.jsonAnswers + rounds[1]!.jsonAnswers).toBeGreaterThan(20);
    expect(((await production.heap()).heapUsed - before) / 2 ** 20).toBeLessThan(8);
  });
});
