/**
 * A process-wide hook (channel subscriptions, a wrapped console method) installed once however
 * many Loupe instances use it, and removed when the last of them closes. Installing it per
 * instance would record every event once per instance.
 */
export function sharedHook(install: () => () => void): () => () => void {
  let users = 0;
  let uninstall: (() => void) | null = null;
  return () => {
    if (users++ === 0) uninstall = install();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--users === 0) {
        uninstall?.();
        uninstall = null;
      }
    };
  };
}

const INSTRUMENTED = Symbol.for('loupe.instrumented');

/** True the first time an object (a client, a logger, an app) is seen: it is wrapped once. */
export function firstTime(target: object): boolean {
  const marked = target as { [INSTRUMENTED]?: true };
  if (marked[INSTRUMENTED]) return false;
  Object.defineProperty(target, INSTRUMENTED, { value: true });
  return true;
}
