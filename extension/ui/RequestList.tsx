import { isRedirect, type TrackedRequest, type TrackedType } from '../messages.js';
import { formatMs, shortUrl } from './format.js';
import { useRecord } from './record-source.js';
import { ServedStatus } from './ServedStatus.js';

const TYPE_LABELS: Record<TrackedType, string> = {
  main_frame: 'doc',
  sub_frame: 'frame',
  xmlhttprequest: 'xhr',
  other: 'other',
  download: 'file',
};

export function typeLabel(request: TrackedRequest): string {
  return isRedirect(request) ? 'redirect' : TYPE_LABELS[request.type];
}

/** The server time once the record says; pending records show that they are still running. */
function RequestTime({ id }: { id: string }) {
  const status = useRecord(id);
  if (status.loading) return <span class="time muted">…</span>;
  if (!status.ok) return <span class="time muted" title={status.message}>n/a</span>;
  const { record } = status;
  if (record.state === 'pending') return <span class="time muted">pending</span>;
  return <span class="time">{formatMs(record.durationMs ?? record.panels.timer?.totalMs)}</span>;
}

/** The request switcher: the page, how it was reached, and its fetch/XHR calls as they happen. */
export function RequestList({
  requests,
  selectedId,
  onSelect,
}: {
  requests: readonly TrackedRequest[];
  selectedId: string;
  onSelect: (request: TrackedRequest) => void;
}) {
  return (
    <ul class="requests">
      {requests.map((request) => (
        <li key={request.id}>
          <button
            type="button"
            class="request-row"
            data-request-id={request.id}
            aria-current={request.id === selectedId ? 'true' : undefined}
            onClick={() => onSelect(request)}
            title={request.url}
          >
            <span class="type">{typeLabel(request)}</span>
            <span class="method">{request.method}</span>
            <span class="url">{shortUrl(request.url)}</span>
            <ServedStatus request={request} />
            <RequestTime id={request.id} />
          </button>
        </li>
      ))}
    </ul>
  );
}
