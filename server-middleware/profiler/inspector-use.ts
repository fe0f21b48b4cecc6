import inspector from 'node:inspector';

/**
 * Why V8's profiler should be left alone in this process, or null when it is Loupe's to use.
 * Loupe's continuous profile is a chain of console profiles: every attached debugger is told
 * of each one (DevTools lists them in its profiler), and Node's own `--cpu-prof` session
 * prints a complaint about each to stderr. So Loupe steps aside rather than change what the
 * developer sees in either.
 */
export function inspectorInUse(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
  debuggerUrl: string | undefined = inspector.url(),
): string | null {
  const flags = [...execArgv, ...nodeOptions.split(/\s+/)];
  if (flags.includes('--cpu-prof')) {
    return 'node runs with --cpu-prof, which owns the CPU profiler; Loupe does not profile';
  }
  if (debuggerUrl !== undefined) {
    return `the inspector is open for a debugger (${debuggerUrl}); Loupe does not profile, so the debugger's profiler sees only its own profiles`;
  }
  return null;
}
