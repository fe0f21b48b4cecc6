import { describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS, resolveOptions } from '../../server-middleware/options.js';

describe('options', () => {
  it('default to development, the standard API base and the default bounds', () => {
    const options = resolveOptions({}, {});
    expect(options.mode).toBe('development');
    expect(options.apiBase).toBe('/__loupe/api');
    expect(options.bounds).toEqual(DEFAULT_BOUNDS);
    expect(options.keys).toEqual([]);
    expect(options.allow).toEqual(['loopback']);
  });

  it('follow NODE_ENV and LOUPE_KEY from the environment', () => {
    const options = resolveOptions({}, { NODE_ENV: 'production', LOUPE_KEY: 'k1' });
    expect(options.mode).toBe('production');
    expect(options.keys).toEqual(['k1']);
  });

  it('let explicit options win and normalise the API base', () => {
    const options = resolveOptions(
      { mode: 'development', keys: ['a', '', 'b'], apiBase: 'debug/', bounds: { maxRecords: 5 } },
      { NODE_ENV: 'production', LOUPE_KEY: 'ignored' },
    );
    expect(options.mode).toBe('development');
    expect(options.keys).toEqual(['a', 'b']);
    expect(options.apiBase).toBe('/debug');
    expect(options.bounds).toEqual({ ...DEFAULT_BOUNDS, maxRecords: 5 });
  });

  it('sample every 1 ms in development and every 10 ms in production unless told', () => {
    expect(resolveOptions({ mode: 'development' }, {}).profile?.intervalMs).toBe(1);
    expect(resolveOptions({ mode: 'production' }, {}).profile?.intervalMs).toBe(10);
    expect(resolveOptions({ mode: 'production', profile: { intervalMs: 2 } }, {}).profile?.intervalMs).toBe(2);
  });
});
