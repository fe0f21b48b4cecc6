import { useLayoutEffect, useState } from 'preact/hooks';
import type { TrackedRequest } from '../messages.js';
import type { Settings } from '../settings.js';
import { formatCount, formatMs, shortUrl } from '../ui/format.js';
import { Logo } from '../ui/Logo.js';
import { PanelList } from '../ui/PanelList.js';
import type { PanelView } from '../ui/panels/index.js';
import { useRecord, type RecordStatus } from '../ui/record-source.js';
import { RecordMessage } from '../ui/RecordMessage.js';
import { RequestList } from '../ui/RequestList.js';
import { ServedStatus } from '../ui/ServedStatus.js';

type Screen = { kind: 'panels' } | { kind: 'panel'; panel: PanelView } | { kind: 'requests' };

export interface OverlayProps {
  page: TrackedRequest;
  requests: readonly TrackedRequest[];
  settings: Settings;
  /** Called with the id of the request the overlay shows. */
  onShown: (id: string) => void;
}

function timeOf(status: RecordStatus): string {
  if (status.loading) return '…';
  if (!status.ok) return 'n/a';
  if (status.record.state === 'pending') return 'pending';
  return formatMs(status.record.durationMs ?? status.record.panels.timer?.totalMs);
}

function Body({ status, screen, onOpen }: { status: RecordStatus; screen: Screen; onOpen: (panel: PanelView) => void }) {
  if (!status.ok) return <RecordMessage status={status} />;
  if (screen.kind === 'panel') return <screen.panel.Detail record={status.record} />;
  return <PanelList record={status.record} onOpen={onOpen} />;
}

/** The toolbar over the page: a small handle, or the panel card it expands to. */
export function Overlay({ page, requests, settings, onShown }: OverlayProps) {
  const [expanded, setExpanded] = useState(!settings.startCollapsed);
  const [screen, setScreen] = useState<Screen>({ kind: 'panels' });
  const [selectedId, setSelectedId] = useState(page.id);
  const shown = requests.find((request) => request.id === selectedId) ?? page;
  const status = useRecord(shown.id);
  const subRequests = requests.filter((request) => request.type !== 'main_frame').length;

  useLayoutEffect(() => onShown(shown.id), [shown.id]);

  if (!expanded) {
    return (
      <div class={`loupe pos-${settings.position}`}>
        <button type="button" class="handle" title="Loupe: show the toolbar" onClick={() => setExpanded(true)}>
          <Logo />
          <span class="time">{timeOf(status)}</span>
          <ServedStatus request={shown} />
          {subRequests > 0 && <span class="count">+{subRequests}</span>}
        </button>
      </div>
    );
  }

  const selectRequest = (request: TrackedRequest) => {
    setSelectedId(request.id);
    setScreen({ kind: 'panels' });
  };
  const showingRequests = screen.kind === 'requests';
  return (
    <div class={`loupe pos-${settings.position}`}>
      <section class="card" aria-label="Loupe toolbar">
        <header class="bar">
          <span class="brand">
            <Logo />
            Loupe
          </span>
          <button
            type="button"
            class="current"
            aria-expanded={showingRequests}
            title={`${shown.url}: click to switch between this page's requests`}
            onClick={() => setScreen(showingRequests ? { kind: 'panels' } : { kind: 'requests' })}
          >
            <span class="method">{shown.method}</span>
            <span class="url">{shortUrl(shown.url)}</span>
            <ServedStatus request={shown} />
            <span class="time">{timeOf(status)}</span>
            <span class="count">{formatCount(requests.length, 'request')}</span>
            <span class="caret" aria-hidden="true">▾</span>
          </button>
          <button type="button" class="icon" title="Collapse to a handle" aria-label="Collapse" onClick={() => setExpanded(false)}>
            –
          </button>
        </header>
        <div class="body">
          {screen.kind === 'panel' && (
            <div class="detail-head">
              <button type="button" class="back" onClick={() => setScreen({ kind: 'panels' })}>
                ‹ Panels
              </button>
              <h2>{screen.panel.title}</h2>
            </div>
          )}
          {showingRequests ? (
            <RequestList requests={requests} selectedId={shown.id} onSelect={selectRequest} />
          ) : (
            <Body status={status} screen={screen} onOpen={(panel) => setScreen({ kind: 'panel', panel })} />
          )}
        </div>
      </section>
    </div>
  );
}
