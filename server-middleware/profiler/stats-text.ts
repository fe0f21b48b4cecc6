import type { AccumulatedProfileJson, FunctionRow, ProfileSort } from '../../shared/profile.js';

const SORT_NAMES: Record<ProfileSort, string> = {
  cumulative: 'cumulative time',
  self: 'self time',
  samples: 'samples',
};

function where(row: FunctionRow): string {
  const name = row.functionName === '' ? '(anonymous)' : row.functionName;
  return row.url === '' ? name : `${name} (${row.url}:${row.lineNumber})`;
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '-';
}

/** The table of `pstats.print_stats(n)`, with sampled time in place of call counts. */
export function statsTable(rows: readonly FunctionRow[], totalMs: number, functionCount: number, sort: ProfileSort): string {
  const lines = [`   Ordered by: ${SORT_NAMES[sort]}`];
  if (rows.length < functionCount) {
    lines.push(`   List reduced from ${functionCount} to ${rows.length} due to restriction <${rows.length}>`);
  }
  lines.push('', '   samples     self ms   self %       cum ms    cum %  function (file:line)');
  for (const row of rows) {
    lines.push(
      [
        String(row.samples).padStart(10),
        row.selfMs.toFixed(3).padStart(11),
        percent(row.selfMs, totalMs).padStart(8),
        row.cumulativeMs.toFixed(3).padStart(12),
        percent(row.cumulativeMs, totalMs).padStart(8),
        ` ${where(row)}`,
      ].join(' '),
    );
  }
  return lines.join('\n');
}

/** `GET /profile/`: the accumulated statistics as text, or the seed's "No data yet." */
export function accumulatedText(profile: AccumulatedProfileJson | null): string {
  if (profile === null || (profile.requests === 0 && profile.samples === 0)) return 'No data yet.\n';
  const scope = profile.route === null ? 'all routes' : profile.route;
  return [
    `Loupe CPU profile of ${scope}: ${profile.requests} sampled requests, ${profile.samples} samples, ` +
      `${(profile.totalMs / 1000).toFixed(3)} s sampled (${profile.intervalMs} ms interval) since ${new Date(profile.since).toISOString()}`,
    '',
    statsTable(profile.functions, profile.totalMs, profile.functionCount, profile.sort),
    '',
  ].join('\n');
}
