import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_INSTRUMENTATION, type InstrumentationSettings } from '../../server-middleware/options.js';
import type { Panel } from '../../server-middleware/panels/panel.js';
import { holdRecordingHooks } from '../../server-middleware/recording-hooks.js';

describe('holdRecordingHooks', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** Two panels with a hook each, counting how many of their hooks are in place. */
  function panels() {
    const installed = { count: 0 };
    const hook = () => {
      installed.count++;
      return () => installed.count--;
    };
    const panel = (id: string): Panel => ({ id, hooks: [hook], stats: () => null });
    return { installed, panels: [panel('a'), panel('b'), { id: 'plain', stats: () => null }] };
  }

  const settings = (hooks: InstrumentationSettings['hooks']): InstrumentationSettings => ({
    ...DEFAULT_INSTRUMENTATION,
    hooks,
    hooksLingerMs: 1000,
  });

  it('holds every panel’s hooks for good with hooks: always, until closed', () => {
    const { installed, panels: list } = panels();
    const held = holdRecordingHooks({ mode: 'development', instrumentation: settings('always'), onError: () => {} }, list);
    expect(installed.count).toBe(2);
    held.enter()();
    vi.advanceTimersByTime(5000);
    expect(installed.count).toBe(2);
    held.close();
    expect(installed.count).toBe(0);
  });

  it('with hooks: while-recording, holds them from the first recorded request to a linger after the last', () => {
    const { installed, panels: list } = panels();
    const held = holdRecordingHooks({ mode: 'production', instrumentation: settings('while-recording'), onError: () => {} }, list);
    expect(installed.count).toBe(0);
    const first = held.enter();
    const second = held.enter();
    expect(installed.count).toBe(2);
    first();
    second();
    vi.advanceTimersByTime(999);
    expect(installed.count).toBe(2);
    vi.advanceTimersByTime(1);
    expect(installed.count).toBe(0);
    held.enter();
    held.close();
    expect(installed.count).toBe(0);
  });

  it('reports a hook that fails to install and holds the others', () => {
    const { installed, panels: list } = panels();
    const errors: string[] = [];
    const broken = () => {
      throw new Error('no channel');
    };
    const failing: Panel = { id: 'failing', hooks: [broken], stats: () => null };
    const held = holdRecordingHooks(
      { mode: 'production', instrumentation: settings('while-recording'), onError: (error, where) => errors.push(`${where}: ${String(error)}`) },
      [failing, ...list],
    );
    const leave = held.enter();
    expect(installed.count).toBe(2);
    expect(errors).toEqual(['installing an instrumentation hook: Error: no channel']);
    leave();
    held.close();
    expect(installed.count).toBe(0);
  });
});
