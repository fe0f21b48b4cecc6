import { describe, expect, it } from 'vitest';
import { intParam } from '../../server-middleware/api/params.js';

const range = { min: 1, max: 100, fallback: 50 };

describe('integer query parameters', () => {
  it('fall back when absent and accept whole numbers in range', () => {
    expect(intParam(new URLSearchParams(''), 'limit', range)).toEqual({ ok: true, value: 50 });
    expect(intParam(new URLSearchParams('limit=7'), 'limit', range)).toEqual({ ok: true, value: 7 });
  });

  it('refuse anything else with a message', () => {
    for (const query of ['limit=0', 'limit=101', 'limit=-1', 'limit=1.5', 'limit=abc', 'limit=', 'limit=1e3', 'limit=1&limit=2', 'limit=99999999999']) {
      const result = intParam(new URLSearchParams(query), 'limit', range);
      expect(result.ok, query).toBe(false);
    }
  });
});
