import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lingeringLease } from '../../server-middleware/lingering-lease.js';

describe('lingeringLease', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function counted() {
    const counts = { acquired: 0, released: 0 };
    const lease = lingeringLease(() => {
      counts.acquired++;
      return () => counts.released++;
    }, 1000);
    return { counts, lease };
  }

  it('acquires once for overlapping and back-to-back users, and releases a linger after the last leaves', () => {
    const { counts, lease } = counted();
    const first = lease.enter();
    const second = lease.enter();
    first();
    first();
    second();
    vi.advanceTimersByTime(999);
    lease.enter()();
    vi.advanceTimersByTime(999);
    expect(counts).toEqual({ acquired: 1, released: 0 });
    vi.advanceTimersByTime(1);
    expect(counts).toEqual({ acquired: 1, released: 1 });
    lease.enter();
    expect(counts).toEqual({ acquired: 2, released: 1 });
  });

  it('releases at once on close, and not again when the linger would have ended', () => {
    const { counts, lease } = counted();
    lease.enter()();
    lease.close();
    vi.advanceTimersByTime(5000);
    expect(counts).toEqual({ acquired: 1, released: 1 });
  });
});
