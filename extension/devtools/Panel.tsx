import { useState } from 'preact/hooks';
import type { TabLog, TrackedRequest } from '../messages.js';
import { formatCount } from '../ui/format.js';
import { Logo } from '../ui/Logo.js';
import { useTabLog } from './background.js';
import { NoLoupe } from './Problem.js';
import { ProfileView, type ProfileSubject } from './ProfileView.js';
import { RequestDetail } from './RequestDetail.js';
import {
  listedRequests,
  NO_FILTER,
  RecordsProblem,
  RequestFilters,
  RequestTable,
  useFilteredRequests,
  type RequestFilter,
} from './RequestsView.js';

type View = 'requests' | 'profile';

const PRESERVE_KEY = 'loupe.preserveLog';

function usePreserveLog(): [boolean, (preserve: boolean) => void] {
  const [preserve, setPreserve] = useState(() => localStorage.getItem(PRESERVE_KEY) === 'true');
  return [
    preserve,
    (next) => {
      localStorage.setItem(PRESERVE_KEY, String(next));
      setPreserve(next);
    },
  ];
}

function RequestsView({ log, onOpenProfile }: { log: TabLog; onOpenProfile: (request: TrackedRequest) => void }) {
  const [filter, setFilter] = useState<RequestFilter>(NO_FILTER);
  const [preserve, setPreserve] = usePreserveLog();
  const [selected, setSelected] = useState<TrackedRequest | null>(null);
  const listed = listedRequests(log, preserve);
  const shown = useFilteredRequests(listed, filter);
  return (
    <>
      <RequestFilters requests={listed} filter={filter} onFilter={setFilter} preserve={preserve} onPreserve={setPreserve} />
      {log.view.requests.length === 0 && <NoLoupe />}
      {listed[0] !== undefined && <RecordsProblem newest={listed[0]} />}
      <div class={selected === null ? 'split' : 'split with-detail'}>
        <div class="list">
          <RequestTable requests={shown} selectedId={selected?.id ?? null} onSelect={setSelected} />
          {listed.length > 0 && shown.length === 0 && <p class="empty">No request matches the filters.</p>}
        </div>
        {selected !== null && <RequestDetail request={selected} onClose={() => setSelected(null)} onOpenProfile={onOpenProfile} />}
      </div>
      <footer class="status-bar">
        {`${formatCount(shown.length, 'request')}${shown.length === listed.length ? '' : ` of ${listed.length}`}`}
      </footer>
    </>
  );
}

/** The Loupe panel of DevTools: the tab's recorded requests, and the server's CPU profile. */
export function Panel({ tabId }: { tabId: number }) {
  const log = useTabLog(tabId);
  const [view, setView] = useState<View>('requests');
  const [subject, setSubject] = useState<ProfileSubject>({ kind: 'all' });
  const hasLoupe = log !== null && (log.view.requests.length > 0 || log.earlier.length > 0);
  const openProfile = (request: TrackedRequest) => {
    setSubject({ kind: 'request', request });
    setView('profile');
  };
  return (
    <div class="app">
      <header class="app-bar">
        <span class="brand">
          <Logo />
          Loupe
        </span>
        <nav class="views" role="tablist">
          {(['requests', 'profile'] as const).map((name) => (
            <button key={name} type="button" role="tab" data-view={name} aria-selected={view === name} onClick={() => setView(name)}>
              {name === 'requests' ? 'Requests' : 'Profile'}
            </button>
          ))}
        </nav>
      </header>
      <main class={`view view-${view}`}>
        {log === null ? (
          <p class="empty">Loading…</p>
        ) : view === 'requests' ? (
          <RequestsView log={log} onOpenProfile={openProfile} />
        ) : hasLoupe ? (
          <ProfileView tabId={tabId} subject={subject} onSubject={setSubject} />
        ) : (
          <NoLoupe />
        )}
      </main>
    </div>
  );
}
