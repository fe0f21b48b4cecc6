import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACTED_NAMES, REDACTED, resolveOptions } from '../../server-middleware/options.js';
import { isSecretName, redactHeaders, redactQuery, redactRecordValues } from '../../server-middleware/redact.js';

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
});
