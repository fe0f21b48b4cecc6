import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createClientCheck, createKeyCheck, createRecordingGate } from '../../server-middleware/access.js';
import { resolveOptions } from '../../server-middleware/options.js';

function fakeRequest(headers: Record<string, string>, remoteAddress = '127.0.0.1'): IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

describe('access', () => {
  it('accepts any of several keys and nothing else', () => {
    const check = createKeyCheck(['current-key', 'previous-key']);
    expect(check(fakeRequest({ 'x-loupe-key': 'current-key' }))).toBe(true);
    expect(check(fakeRequest({ 'x-loupe-key': 'previous-key' }))).toBe(true);
    expect(check(fakeRequest({ 'x-loupe-key': 'current-ke' }))).toBe(false);
    expect(check(fakeRequest({ 'x-loupe-key': 'current-key-and-more' }))).toBe(false);
    expect(check(fakeRequest({ 'x-loupe-key': '' }))).toBe(false);
    expect(check(fakeRequest({}))).toBe(false);
  });

  it('accepts no key at all when none is configured', () => {
    expect(createKeyCheck([])(fakeRequest({ 'x-loupe-key': '' }))).toBe(false);
    expect(createKeyCheck([])(fakeRequest({ 'x-loupe-key': 'anything' }))).toBe(false);
  });

  it('lets only loopback clients read the API in development by default', () => {
    const check = createClientCheck(['loopback']);
    expect(check(fakeRequest({}, '127.0.0.1'))).toBe(true);
    expect(check(fakeRequest({}, '::1'))).toBe(true);
    expect(check(fakeRequest({}, '::ffff:127.0.0.1'))).toBe(true);
    expect(check(fakeRequest({}, '192.168.1.20'))).toBe(false);
    expect(createClientCheck(['loopback', '10.0.0.0/8'])(fakeRequest({}, '10.1.2.3'))).toBe(true);
  });

  it('records everything in development and only keyed, authorised requests in production', async () => {
    const development = createRecordingGate(resolveOptions({ mode: 'development' }, {}));
    expect(development.mayRecord(fakeRequest({}, '203.0.113.9'))).toBe(true);
    expect(development.mayRead(fakeRequest({}, '203.0.113.9'))).toBe(false);

    const staff = new Set(['alice']);
    const production = createRecordingGate(
      resolveOptions(
        { mode: 'production', keys: ['k'], authorize: (req) => staff.has(String(req.headers['x-user'])) },
        {},
      ),
    );
    expect(production.mayRecord(fakeRequest({}))).toBe(false);
    expect(await production.mayRecord(fakeRequest({ 'x-loupe-key': 'k', 'x-user': 'alice' }))).toBe(true);
    expect(await production.mayRecord(fakeRequest({ 'x-loupe-key': 'k', 'x-user': 'mallory' }))).toBe(false);
    expect(await production.mayRead(fakeRequest({ 'x-loupe-key': 'wrong', 'x-user': 'alice' }))).toBe(false);
  });
});
