import { sharedHook } from './shared-hook.js';
import { currentTrace, now } from './trace.js';

const onUncaught = (error: unknown) => {
  currentTrace()?.errors.push({ source: 'uncaught', error, at: now() });
};

/**
 * Uncaught exceptions and unhandled rejections (which Node turns into uncaught exceptions
 * unless the app listens for them), seen by the monitor event: watching changes nothing about
 * how the process handles them. Attributed to the request whose async context was running.
 */
export const hookUncaught = sharedHook(() => {
  process.on('uncaughtExceptionMonitor', onUncaught);
  return () => process.off('uncaughtExceptionMonitor', onUncaught);
});
