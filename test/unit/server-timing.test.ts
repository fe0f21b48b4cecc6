import { describe, expect, it } from 'vitest';
import { formatServerTiming } from '../../server-middleware/server-timing.js';

describe('Server-Timing', () => {
  it('formats metrics with rounded durations and quoted descriptions', () => {
    expect(
      formatServerTiming([
        { name: 'total', durationMs: 12.3456, description: 'Loupe: "total"' },
        { name: 'cpu', durationMs: 3 },
        { name: 'miss' },
      ]),
    ).toBe('total;dur=12.35;desc="Loupe: \\"total\\"", cpu;dur=3, miss');
  });
});
