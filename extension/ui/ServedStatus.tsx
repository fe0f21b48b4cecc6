import type { TrackedRequest } from '../messages.js';
import { useRecord, type RecordStatus } from './record-source.js';
import { statusClass } from './status.js';

/**
 * The status the server sent, from its record once loaded, else the browser's. They differ
 * when the browser revalidated its cached copy: the server answered 304 with no body, and
 * the browser reports the cached 200.
 */
export function servedStatus(request: TrackedRequest, record: RecordStatus): number {
  return record.ok && record.record.response.status > 0 ? record.record.response.status : request.status;
}

export function ServedStatus({ request }: { request: TrackedRequest }) {
  const served = servedStatus(request, useRecord(request.id));
  const title =
    served === request.status
      ? undefined
      : `The server sent ${served}; the browser reports ${request.status}${served === 304 ? ' from its cache' : ''}`;
  return (
    <span class={statusClass(served)} title={title}>
      {served}
    </span>
  );
}
