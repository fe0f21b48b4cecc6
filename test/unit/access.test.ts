import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  createClientCheck,
  createHostCheck,
  createKeyCheck,
  createRecordingGate,
  hostName,
  isCrossSiteWrite,
} from '../../server-middleware/access.js';
import { resolveOptions } from '../../server-middleware/options.js';

function fakeRequest(headers: Record<string, string>, remoteAddress = '127.0.0.1', method = 'GET'): IncomingMessage {
  return { headers, method, socket: { remoteAddress } } as unknown as IncomingMessage;
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

  it('reads the host name of a Host header, with or without port, and rejects garbage', () => {
    expect(hostName('LocalHost:3000')).toBe('localhost');
    expect(hostName('[::1]:8080')).toBe('::1');
    expect(hostName('[::1]')).toBe('::1');
    expect(hostName('example.test.')).toBe('example.test');
    for (const bad of [undefined, '', '[::1', '[::1]x', 'a b', 'evil.test:port', 'a@b', 'x:1:2']) expect(hostName(bad), String(bad)).toBeNull();
  });

  it('answers local host names and IP addresses at any port, and only the configured others', () => {
    const check = createHostCheck(['myapp.test', '.dev.example']);
    const host = (name: string) => check(fakeRequest({ host: name }));
    for (const ok of ['localhost', 'localhost:3000', 'app.localhost:80', '127.0.0.1:3000', '[::1]:3000', '192.168.1.5:8080', 'MyApp.Test:1234', 'api.dev.example', 'dev.example']) {
      expect(host(ok), ok).toBe(true);
    }
    // What a DNS-rebinding page sends: its own domain, now resolving to 127.0.0.1.
    for (const refused of ['attacker.example', 'attacker.example:3000', 'localhost.attacker.example', 'myapp.test.evil', 'xdev.example', '']) {
      expect(host(refused), refused).toBe(false);
    }
    expect(check(fakeRequest({}))).toBe(false);
    expect(createHostCheck(true)(fakeRequest({ host: 'anything.example' }))).toBe(true);
    expect(createHostCheck(['dev.box:3000'])(fakeRequest({ host: 'dev.box:8080' }))).toBe(true);
  });

  it('refuses the development API to a rebinding Host even from loopback', () => {
    const gate = createRecordingGate(resolveOptions({ mode: 'development' }, {}));
    expect(gate.mayRead(fakeRequest({ host: 'localhost:3000' }))).toBe(true);
    expect(gate.mayRead(fakeRequest({ host: 'rebind.attacker.example:3000' }))).toBe(false);
    expect(gate.mayRecord(fakeRequest({ host: 'rebind.attacker.example:3000' }))).toBe(true);
  });

  it('tells cross-site writes from reads, same-origin writes and the extension', () => {
    const write = (headers: Record<string, string>, method = 'DELETE') =>
      isCrossSiteWrite(fakeRequest({ host: 'localhost:3000', ...headers }, '127.0.0.1', method));
    expect(write({ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }, 'GET')).toBe(false);
    expect(write({})).toBe(false);
    expect(write({ 'sec-fetch-site': 'same-origin', origin: 'http://localhost:3000' })).toBe(false);
    expect(write({ 'sec-fetch-site': 'none' })).toBe(false);
    expect(write({ 'sec-fetch-site': 'cross-site', origin: 'chrome-extension://abcdefghijklmnop' })).toBe(false);
    expect(write({ origin: 'moz-extension://0f6b1e0c-1d2f' })).toBe(false);
    expect(write({ 'sec-fetch-site': 'cross-site' })).toBe(true);
    expect(write({ 'sec-fetch-site': 'same-site', origin: 'http://other.localhost:3000' })).toBe(true);
    expect(write({ origin: 'https://evil.example' }, 'POST')).toBe(true);
    expect(write({ origin: 'null' })).toBe(true);
    expect(write({ origin: 'http://localhost:3001' })).toBe(true);
  });
});
