/**
 * Holds what `acquire` gives while anyone uses it and for `lingerMs` after the last user
 * leaves, so that users coming one after another (a keyed session's requests) do not make it
 * come and go each time.
 */
export function lingeringLease(acquire: () => () => void, lingerMs: number) {
  let release: (() => void) | null = null;
  let users = 0;
  let lingering: NodeJS.Timeout | null = null;
  const stopLingering = () => {
    if (lingering !== null) clearTimeout(lingering);
    lingering = null;
  };
  const releaseNow = () => {
    stopLingering();
    release?.();
    release = null;
  };
  return {
    /** Enters one user; the returned function leaves (once, however often it is called). */
    enter(): () => void {
      if (users++ === 0) {
        stopLingering();
        release ??= acquire();
      }
      let left = false;
      return () => {
        if (left) return;
        left = true;
        if (--users > 0) return;
        lingering = setTimeout(releaseNow, lingerMs);
        lingering.unref();
      };
    },
    /** Releases at once, whoever is still in. */
    close: releaseNow,
  };
}
