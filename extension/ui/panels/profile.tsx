import type { FunctionRow, ProfileStats } from '../../../shared/profile.js';
import { formatCount, formatMs } from '../format.js';
import { Section } from '../KeyValueTable.js';
import { fileLine, functionKey, functionName } from '../profile/functions.js';
import type { PanelView } from './panel-view.js';

function FunctionTable({ rows }: { rows: readonly FunctionRow[] }) {
  if (rows.length === 0) return <p class="empty">No samples in this request's window.</p>;
  return (
    <table class="kv functions">
      <thead>
        <tr>
          <th scope="col">Total</th>
          <th scope="col">Self</th>
          <th scope="col">Function</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={functionKey(row)}>
            <td>{formatMs(row.cumulativeMs)}</td>
            <td>{formatMs(row.selfMs)}</td>
            <td title={row.url}>
              {functionName(row)} <span class="muted">{fileLine(row)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ProfileDetail({ profile }: { profile: ProfileStats }) {
  if (profile.status === 'pending') return <p class="note section">The profile is cut about a second after the request ends…</p>;
  if (profile.status === 'expired') return <p class="note section">The profiler let this request's samples go before anyone asked.</p>;
  return (
    <>
      <p class="note section">
        {`${formatCount(profile.samples, 'sample')} at ${profile.intervalMs} ms over ${formatMs(profile.sampledMs)}`}
        {profile.overlappingRequests > 0 &&
          `; shared with ${formatCount(profile.overlappingRequests, 'overlapping request')}`}
      </p>
      {/* Own time first: the top cumulative rows are always the framework's outer frames. */}
      <Section title="By own time">
        <FunctionTable rows={profile.topSelf} />
      </Section>
      <Section title="By cumulative time">
        <FunctionTable rows={profile.topCumulative} />
      </Section>
    </>
  );
}

export const profilePanel: PanelView = {
  id: 'profile',
  title: 'Profile',
  has: (record) => record.panels.profile !== undefined,
  summary: (record) => {
    const profile = record.panels.profile;
    if (profile === undefined || profile.status !== 'ready') return profile?.status ?? '';
    const top = profile.topSelf[0];
    return `${formatCount(profile.samples, 'sample')}${top === undefined ? '' : ` · ${functionName(top)}`}`;
  },
  Detail: ({ record }) => (record.panels.profile === undefined ? null : <ProfileDetail profile={record.panels.profile} />),
};
