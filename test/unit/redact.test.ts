import { describe, expect, it } from 'vitest';
import { redactBody } from '../../server-middleware/body-capture.js';
import { DEFAULT_REDACTED_NAMES, REDACTED, resolveOptions } from '../../server-middleware/options.js';
import {
  isSecretName,
  redactEnvironment,
  redactHeaders,
  redactQuery,
  redactRecordValues,
  TRUNCATED_HEADERS,
} from '../../server-middleware/redact.js';

const names = DEFAULT_REDACTED_NAMES;

describe('redaction', () => {
  it('always hides credentials in headers, and configured ones', () => {
    const { redactHeaders: redacted } = resolveOptions({ redactHeaders: ['X-Api-Secret'] });
    const copy = redactHeaders(
      {
        authorization: 'Bearer abc',
        'proxy-authorization': 'Basic x',
        cookie: 'sid=1',
        'x-loupe-key': 'k',
        'x-api-secret': 's',
        accept: 'text/html',
        'x-multi': ['a', 'b'],
      },
      redacted,
    );
    expect(copy).toEqual({
      authorization: REDACTED,
      'proxy-authorization': REDACTED,
      cookie: REDACTED,
      'x-loupe-key': REDACTED,
      'x-api-secret': REDACTED,
      accept: 'text/html',
      'x-multi': ['a', 'b'],
    });
  });

  it('hides Set-Cookie and stringifies numeric response headers', () => {
    const copy = redactHeaders({ 'Set-Cookie': ['a=1', 'b=2'], 'Content-Length': 12 }, resolveOptions().redactHeaders);
    expect(copy).toEqual({ 'set-cookie': REDACTED, 'content-length': '12' });
  });

  it('recognises secret names as substrings or as whole short words', () => {
    for (const secret of ['password', 'user_password', 'accessToken', 'api_key', 'apiKey', 'X-Api-Key', 'sid', 'auth', 'client-secret', 'sessionid']) {
      expect(isSecretName(secret, names), secret).toBe(true);
    }
    for (const plain of ['monkey', 'author', 'inside', 'page', 'keyboard', 'q', 'sort']) {
      expect(isSecretName(plain, names), plain).toBe(false);
    }
  });

  it('redacts secret query values and keeps every other pair as sent', () => {
    const { search, values } = redactQuery('q=a%20b&token=xyz&page=2&api_key=1&q=c&flag', names);
    expect(search).toBe(`?q=a%20b&token=${REDACTED}&page=2&api_key=${REDACTED}&q=c&flag`);
    expect(values).toEqual({ q: ['a b', 'c'], token: REDACTED, page: '2', api_key: REDACTED, flag: '' });
  });

  it('survives hostile query strings', () => {
    const { values } = redactQuery('__proto__=x&constructor=y&%E0%A4%A=z&a=%', names);
    expect(Object.getPrototypeOf(values)).toBeNull();
    expect(values['__proto__']).toBe('x');
    expect(values['%E0%A4%A']).toBe('z');
    expect(values.a).toBe('%');
  });

  it('redacts secret cookie values', () => {
    expect(redactRecordValues({ theme: 'dark', 'connect.sid': 's:abc', csrftoken: 't' }, names)).toEqual({
      theme: 'dark',
      'connect.sid': REDACTED,
      csrftoken: REDACTED,
    });
  });

  it('keeps at most the configured number of headers and length of each value, and says so', () => {
    const headers: Record<string, string | string[]> = { authorization: 'x'.repeat(50), long: 'y'.repeat(50), many: ['a', 'b', 'c', 'd'] };
    for (let i = 0; i < 10; i++) headers[`x-extra-${i}`] = String(i);
    const copy = redactHeaders(headers, resolveOptions().redactHeaders, { maxHeaders: 3, maxHeaderLength: 10 });
    expect(copy).toEqual({
      authorization: REDACTED,
      long: `${'y'.repeat(10)}… (40 more)`,
      many: ['a', 'b', 'c'],
      [TRUNCATED_HEADERS]: '10 more headers',
    });
  });

  it('redacts secret fields of JSON, form and text bodies, even when cut short', () => {
    expect(JSON.parse(redactBody('{"user":"ann","password":"hunter2","nested":[{"apiKey":"k1","note":"ok"}]}', 'application/json', names))).toEqual({
      user: 'ann',
      password: REDACTED,
      nested: [{ apiKey: REDACTED, note: 'ok' }],
    });
    expect(redactBody('user=ann&password=hunter2&remember=1', 'application/x-www-form-urlencoded', names)).toBe(
      `user=ann&password=${REDACTED}&remember=1`,
    );
    const cutShort = redactBody('{"user":"ann","token": "abcdef', 'application/json; charset=utf-8', names);
    expect(cutShort).toBe(`{"user":"ann","token": "${REDACTED}"`);
    expect(redactBody('login user=ann secret=s3 and "access_token":"t0k"', 'text/plain', names)).toBe(
      `login user=ann secret=${REDACTED} and "access_token":"${REDACTED}"`,
    );
    for (const text of [cutShort, redactBody('{"password":123,"pin":4}', 'application/json', [...names, 'pin'])]) {
      expect(text).not.toMatch(/abcdef|123|:4/);
    }
  });

  it('shows the environment with secret names and URL passwords redacted', () => {
    const env = {
      NODE_ENV: 'development',
      DATABASE_URL: 'postgres://app:s3cret@db.internal:5432/app',
      REDIS_URL: 'redis://:pa55@cache:6379',
      AWS_SECRET_ACCESS_KEY: 'abc',
      GITHUB_TOKEN: 'ghp_x',
      LOUPE_KEY: 'operator',
      PATH: '/usr/bin',
    };
    const shown = redactEnvironment(env, names, { maxHeaders: 100, maxHeaderLength: 200 });
    expect(shown).toEqual({
      AWS_SECRET_ACCESS_KEY: REDACTED,
      DATABASE_URL: `postgres://app:${REDACTED}@db.internal:5432/app`,
      GITHUB_TOKEN: REDACTED,
      LOUPE_KEY: REDACTED,
      NODE_ENV: 'development',
      PATH: '/usr/bin',
      REDIS_URL: `redis://:${REDACTED}@cache:6379`,
    });
    expect(redactEnvironment(env, names, { maxHeaders: 2, maxHeaderLength: 200 })[TRUNCATED_HEADERS]).toBe('5 more variables');
  });
});
