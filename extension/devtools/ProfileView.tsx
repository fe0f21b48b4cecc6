import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { AccumulatedProfileJson, CallTreeNode, CpuProfile, FunctionRow, ProfileSort } from '../../shared/profile.js';
import { API_LIMITS } from '../../shared/protocol.js';
import type { TrackedRequest } from '../messages.js';
import { formatCount, formatMs, shortUrl } from '../ui/format.js';
import { cpuProfileTree } from '../ui/profile/cpuprofile-tree.js';
import { FlameGraph } from '../ui/profile/FlameGraph.js';
import { fileLine, functionKey, functionName, sortRows } from '../ui/profile/functions.js';
import { ProfileTable } from '../ui/profile/ProfileTable.js';
import { useRecord } from '../ui/record-source.js';
import { RecordMessage } from '../ui/RecordMessage.js';
import { askProfile } from './background.js';
import { ApiProblem } from './Problem.js';
import { download, useProfileCall } from './use-api.js';

export type ProfileSubject = { kind: 'all' } | { kind: 'request'; request: TrackedRequest };

const ROWS_STEP = API_LIMITS.profileRowsDefault;
const REFRESH_MS = 2000;

const matchesText = (row: FunctionRow, text: string) =>
  text === '' || `${functionName(row)} ${fileLine(row)}`.toLowerCase().includes(text.toLowerCase());

/** The table and the flame graph, the same for the accumulated profile and one request's. */
function ProfileBody({
  rows,
  functionCount,
  totalMs,
  sort,
  onSort,
  shown,
  onShowMore,
  tree,
}: {
  rows: readonly FunctionRow[];
  functionCount: number;
  totalMs: number;
  sort: ProfileSort;
  onSort: (sort: ProfileSort) => void;
  shown: number;
  onShowMore: () => void;
  tree: CallTreeNode | null;
}) {
  const more = Math.min(ROWS_STEP, functionCount - shown);
  return (
    <div class="profile-body">
      <section class="block">
        <h3>Flame graph <span class="hint">click a frame to zoom in, the path above it to zoom out</span></h3>
        {tree === null ? <p class="empty">Loading…</p> : <FlameGraph tree={tree} />}
      </section>
      <section class="block">
        <h3>{`Functions · ${rows.length} of ${functionCount}`}</h3>
        {rows.length === 0 ? <p class="empty">No functions match.</p> : <ProfileTable rows={rows} totalMs={totalMs} sort={sort} onSort={onSort} />}
        {more > 0 && (
          <button type="button" class="link" data-action="show-more" onClick={onShowMore}>
            {`Show ${more} more`}
          </button>
        )}
      </section>
    </div>
  );
}

function FilterInput({ text, onText }: { text: string; onText: (text: string) => void }) {
  return (
    <input type="search" name="function-filter" placeholder="Filter functions" value={text} onInput={(event) => onText(event.currentTarget.value)} />
  );
}

function Toolbar({ children }: { children: ComponentChildren }) {
  return <div class="toolbar">{children}</div>;
}

function ResetButton({ onReset }: { onReset: () => void }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" data-action="reset" onClick={() => setConfirming(true)}>
        Reset…
      </button>
    );
  }
  return (
    <span class="confirm" role="alertdialog" aria-label="Confirm reset">
      Drop every accumulated sample?
      <button
        type="button"
        class="danger"
        data-action="confirm-reset"
        onClick={() => {
          setConfirming(false);
          onReset();
        }}
      >
        Reset
      </button>
      <button type="button" data-action="cancel-reset" onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </span>
  );
}

const fileNameOf = (name: string) => `loupe-${name.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'all'}.cpuprofile`;

async function downloadProfile(tabId: number, call: Parameters<typeof askProfile>[1], name: string, onFailure: (message: string) => void) {
  const answer = await askProfile<CpuProfile>(tabId, call);
  if (answer.ok) download(answer.body, fileNameOf(name));
  else onFailure(answer.message);
}

/** The server's accumulated profile: the `/profile/` statistics, live. */
function AccumulatedProfile({ tabId }: { tabId: number }) {
  const [route, setRoute] = useState<string | null>(null);
  const [sort, setSort] = useState<ProfileSort>('cumulative');
  const [shown, setShown] = useState<number>(ROWS_STEP);
  const [text, setText] = useState('');
  const [auto, setAuto] = useState(true);
  const [refresh, setRefresh] = useState(0);
  const [note, setNote] = useState('');

  useEffect(() => {
    if (!auto) return;
    const timer = setInterval(() => setRefresh((count) => count + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, [auto]);

  // A filter looks through every function, not only the rows on screen.
  const limit = text === '' ? shown : API_LIMITS.profileRowsMax;
  const stats = useProfileCall<AccumulatedProfileJson>(tabId, { kind: 'stats', route, sort, limit }, refresh);
  const tree = useProfileCall<CallTreeNode>(tabId, { kind: 'tree', route }, refresh);

  // After a reset (here or elsewhere) the chosen route has no statistics any more.
  const routeGone = stats?.ok === false && stats.status === 404 && route !== null;
  useEffect(() => {
    if (routeGone) setRoute(null);
  }, [routeGone]);

  const reset = async () => {
    const answer = await askProfile(tabId, { kind: 'reset' });
    setNote(answer.ok ? 'The profile was reset.' : `Reset failed: ${answer.message}`);
    setRefresh((count) => count + 1);
  };

  const json = stats?.ok ? stats.body : null;
  const rows = json === null ? [] : json.functions.filter((row) => matchesText(row, text)).slice(0, shown);
  const matching = json === null ? 0 : text === '' ? json.functionCount : json.functions.filter((row) => matchesText(row, text)).length;
  return (
    <>
      <Toolbar>
        <select name="route" aria-label="Route" value={route ?? ''} onChange={(event) => setRoute(event.currentTarget.value || null)}>
          <option value="">All routes</option>
          {(json?.routes ?? []).map((totals) => (
            <option key={totals.route} value={totals.route}>
              {`${totals.route} · ${formatCount(totals.requests, 'request')} · ${formatMs(totals.totalMs)}`}
            </option>
          ))}
        </select>
        <FilterInput text={text} onText={setText} />
        <button type="button" data-action="refresh" onClick={() => setRefresh((count) => count + 1)}>
          Refresh
        </button>
        <label class="check">
          <input type="checkbox" name="auto-refresh" checked={auto} onChange={(event) => setAuto(event.currentTarget.checked)} />
          Auto-refresh
        </label>
        <span class="spacer" />
        <button type="button" data-action="download" onClick={() => void downloadProfile(tabId, { kind: 'cpuprofile', route }, route ?? 'all', setNote)}>
          Download .cpuprofile
        </button>
        <ResetButton onReset={() => void reset()} />
      </Toolbar>
      {stats?.ok === false && !routeGone && <ApiProblem failure={stats} what="the profile" />}
      {json !== null && (
        <>
          <p class="summary" data-samples={json.samples}>
            {json.samples === 0
              ? `No samples yet${json.route === null ? '' : ` for ${json.route}`}: load some pages of the app.`
              : `${formatCount(json.samples, 'sample')} at ${json.intervalMs} ms · ${formatMs(json.totalMs)} sampled over ${formatCount(json.requests, 'request')} since ${new Date(json.since).toLocaleTimeString()}`}
            {note !== '' && <span class="note">{` · ${note}`}</span>}
          </p>
          {json.samples > 0 && (
            <ProfileBody
              rows={rows}
              functionCount={matching}
              totalMs={json.totalMs}
              sort={sort}
              onSort={setSort}
              shown={shown}
              onShowMore={() => setShown((count) => count + ROWS_STEP)}
              tree={tree?.ok ? tree.body : null}
            />
          )}
        </>
      )}
    </>
  );
}

/** The functions a request's record lists: its top rows by own and by cumulative time. */
function recordRows(top: { topSelf: FunctionRow[]; topCumulative: FunctionRow[] }): FunctionRow[] {
  const rows = new Map<string, FunctionRow>();
  for (const row of [...top.topCumulative, ...top.topSelf]) rows.set(functionKey(row), row);
  return [...rows.values()];
}

/** One request's profile, from its record (the table) and its `.cpuprofile` (the flame graph). */
function RequestProfile({ tabId, request, onBack }: { tabId: number; request: TrackedRequest; onBack: () => void }) {
  const [sort, setSort] = useState<ProfileSort>('cumulative');
  const [shown, setShown] = useState<number>(ROWS_STEP);
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const status = useRecord(request.id);
  const profile = status.ok ? status.record.panels.profile : undefined;
  const ready = profile?.status === 'ready';
  const cpuProfile = useProfileCall<CpuProfile>(tabId, ready ? { kind: 'request-profile', id: request.id } : null);
  const tree = useMemo(() => (cpuProfile?.ok ? cpuProfileTree(cpuProfile.body) : null), [cpuProfile]);
  const matching = ready ? sortRows(recordRows(profile), sort).filter((row) => matchesText(row, text)) : [];
  return (
    <>
      <Toolbar>
        <button type="button" data-action="back" onClick={onBack}>
          ‹ All requests
        </button>
        <span class="subject" title={request.url}>{`${request.method} ${shortUrl(request.url)}`}</span>
        <FilterInput text={text} onText={setText} />
        <span class="spacer" />
        <button
          type="button"
          data-action="download"
          onClick={() => void downloadProfile(tabId, { kind: 'request-profile', id: request.id }, `${request.method} ${shortUrl(request.url)}`, setNote)}
        >
          Download .cpuprofile
        </button>
      </Toolbar>
      {!status.ok ? (
        <RecordMessage status={status} />
      ) : !ready ? (
        <p class="summary">{profile === undefined ? 'This request was not profiled.' : `The profile is ${profile.status}.`}</p>
      ) : (
        <>
          <p class="summary">
            {`${formatCount(profile.samples, 'sample')} at ${profile.intervalMs} ms over ${formatMs(profile.sampledMs)}`}
            {profile.overlappingRequests > 0 && ` · shared with ${formatCount(profile.overlappingRequests, 'overlapping request')}`}
            {note !== '' && <span class="note">{` · ${note}`}</span>}
          </p>
          {cpuProfile?.ok === false && <ApiProblem failure={cpuProfile} what="the request's profile" />}
          <ProfileBody
            rows={matching.slice(0, shown)}
            functionCount={matching.length}
            totalMs={profile.sampledMs}
            sort={sort}
            onSort={setSort}
            shown={shown}
            onShowMore={() => setShown((count) => count + ROWS_STEP)}
            tree={tree}
          />
        </>
      )}
    </>
  );
}

export function ProfileView({ tabId, subject, onSubject }: { tabId: number; subject: ProfileSubject; onSubject: (subject: ProfileSubject) => void }) {
  return subject.kind === 'all' ? (
    <AccumulatedProfile tabId={tabId} />
  ) : (
    <RequestProfile key={subject.request.id} tabId={tabId} request={subject.request} onBack={() => onSubject({ kind: 'all' })} />
  );
}
