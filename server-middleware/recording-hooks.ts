import { holdRequestContext } from './context.js';
import { lingeringLease } from './lingering-lease.js';
import { DEFAULT_INSTRUMENTATION, type ResolvedOptions } from './options.js';
import type { Panel } from './panels/panel.js';

type Hook = () => () => void;

/** What a request leaves when every hook is held for good: made once, not per request. */
const NOTHING_TO_LEAVE = (): void => {};

/**
 * The process-wide hooks recording needs: the request context's async hooks and the panels'
 * hooks. Each is held for good, or only while requests are recorded and for `hooksLingerMs`
 * after (production's context; the panels' with `hooks: 'while-recording'`), so that the
 * public's requests run with nobody listening. One lease for all of them: a recorded request
 * enters once, however many panels it feeds.
 */
export function holdRecordingHooks(options: Pick<ResolvedOptions, 'mode' | 'instrumentation' | 'onError'>, panels: readonly Panel[]) {
  /** A hook that fails to install is reported and left out; the others and the request go on. */
  const acquireAll = (hooks: readonly Hook[]): (() => void) => {
    const releases: Array<() => void> = [];
    for (const acquire of hooks) {
      try {
        releases.push(acquire());
      } catch (error) {
        options.onError(error, 'installing an instrumentation hook');
      }
    }
    return () => releases.forEach((release) => release());
  };
  const instrumentation = options.instrumentation ?? DEFAULT_INSTRUMENTATION;
  const panelHooks = panels.flatMap((panel) => panel.hooks ?? []);
  const held: Hook[] = [];
  const leased: Hook[] = [];
  (options.mode === 'production' ? leased : held).push(holdRequestContext);
  (instrumentation.hooks === 'while-recording' ? leased : held).push(...panelHooks);
  const releaseHeld = acquireAll(held);
  const lease = leased.length === 0 ? null : lingeringLease(() => acquireAll(leased), instrumentation.hooksLingerMs);
  return {
    /** Holds the leased hooks for one recorded request; the returned function lets go. */
    enter: (): (() => void) => lease?.enter() ?? NOTHING_TO_LEAVE,
    close(): void {
      releaseHeld();
      lease?.close();
    },
  };
}
