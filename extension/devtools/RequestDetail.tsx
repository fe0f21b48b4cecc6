import { useState } from 'preact/hooks';
import type { TrackedRequest } from '../messages.js';
import { shortUrl } from '../ui/format.js';
import { panelsOf } from '../ui/panels/index.js';
import { useRecord } from '../ui/record-source.js';
import { RecordMessage } from '../ui/RecordMessage.js';
import { ServedStatus } from '../ui/ServedStatus.js';
import { ApiProblem } from './Problem.js';

/**
 * One request with all its panels as tabs: the overlay's panel views, with room to read them.
 * The open tab stays open from one request to the next, as in the Network panel.
 */
export function RequestDetail({
  request,
  onClose,
  onOpenProfile,
}: {
  request: TrackedRequest;
  onClose: () => void;
  onOpenProfile: (request: TrackedRequest) => void;
}) {
  const [panelId, setPanelId] = useState('timer');
  const status = useRecord(request.id);
  const panels = status.ok ? panelsOf(status.record) : [];
  const panel = panels.find((candidate) => candidate.id === panelId) ?? panels[0];
  return (
    <section class="detail" aria-label="Request detail">
      <header class="detail-bar">
        <button type="button" class="icon" title="Close" aria-label="Close" onClick={onClose}>×</button>
        <span class="method">{request.method}</span>
        <span class="url" title={request.url}>{shortUrl(request.url)}</span>
        <ServedStatus request={request} />
      </header>
      {status.ok && (
        <nav class="tabs" role="tablist">
          {panels.map((candidate) => (
            <button
              key={candidate.id}
              type="button"
              role="tab"
              data-panel={candidate.id}
              aria-selected={candidate === panel}
              title={candidate.summary(status.record)}
              onClick={() => setPanelId(candidate.id)}
            >
              {candidate.title}
            </button>
          ))}
        </nav>
      )}
      <div class="detail-body">
        {status.loading ? (
          <RecordMessage status={status} />
        ) : !status.ok ? (
          <ApiProblem failure={status} what="this request's record" />
        ) : (
          panel !== undefined && (
            <>
              <p class="summary">{panel.summary(status.record)}</p>
              {panel.id === 'profile' && status.record.panels.profile?.status === 'ready' && (
                <button type="button" class="link" data-action="open-profile" onClick={() => onOpenProfile(request)}>
                  Open in the Profile view, with its flame graph ›
                </button>
              )}
              <panel.Detail record={status.record} />
            </>
          )
        )}
      </div>
    </section>
  );
}
