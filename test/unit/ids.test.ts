import { describe, expect, it } from 'vitest';
import { isRecordId } from '../../shared/protocol.js';
import { createIdSource } from '../../server-middleware/ids.js';

describe('record ids', () => {
  it('are 22 base64url characters carrying 128 bits', () => {
    const next = createIdSource();
    const id = next();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    expect(isRecordId(id)).toBe(true);
  });

  it('do not repeat across many pool refills', () => {
    const next = createIdSource();
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(next());
    expect(seen.size).toBe(20_000);
  });

  it('use the whole alphabet, not a biased part of it', () => {
    const next = createIdSource();
    const counts = new Map<string, number>();
    // Every character but the last (which holds only 2 of the 128 bits) is uniform over 64 symbols.
    for (let i = 0; i < 5_000; i++) for (const c of next().slice(0, 21)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(64);
    const expected = (5_000 * 21) / 64;
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.25);
  });

  it('are told apart from malformed ones', () => {
    for (const bad of ['', 'short', 'x'.repeat(23), '../../etc/passwd/aaaaaa', 'AAAAAAAAAAAAAAAAAAAAA=', 42, null]) {
      expect(isRecordId(bad)).toBe(false);
    }
  });
});
