import type { TabLog, TrackedRequest } from '../messages.js';
import { formatBytes, formatMs, shortUrl } from '../ui/format.js';
import { useRecord, useRecords } from '../ui/record-source.js';
import { typeLabel } from '../ui/RequestList.js';
import { ServedStatus, servedStatus } from '../ui/ServedStatus.js';
import { ApiProblem, isAccessFailure } from './Problem.js';

export interface RequestFilter {
  text: string;
  method: string;
  /** `''`, or the class: `2xx` … `5xx`. */
  status: string;
  type: string;
}

export const NO_FILTER: RequestFilter = { text: '', method: '', status: '', type: '' };

const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx'];

function matches(request: TrackedRequest, status: number, filter: RequestFilter): boolean {
  return (
    (filter.text === '' || request.url.toLowerCase().includes(filter.text.toLowerCase())) &&
    (filter.method === '' || request.method === filter.method) &&
    (filter.status === '' || `${String(status).charAt(0)}xx` === filter.status) &&
    (filter.type === '' || typeLabel(request) === filter.type)
  );
}

/** The log's requests, newest first; earlier pages' only when the log is preserved. */
export function listedRequests(log: TabLog, preserve: boolean): TrackedRequest[] {
  return [...(preserve ? log.earlier : []), ...log.view.requests].reverse();
}

/**
 * Why the tab's records cannot be had, said once above the list instead of "not available"
 * in every row. The newest request stands for the rest: they go to the same API.
 */
export function RecordsProblem({ newest }: { newest: TrackedRequest }) {
  const status = useRecord(newest.id);
  if (status.loading || status.ok || !isAccessFailure(status)) return null;
  return <ApiProblem failure={status} what="the tab's records" />;
}

/** The time, CPU and size columns come from the record, and update when a pending one completes. */
function RecordCells({ id }: { id: string }) {
  const status = useRecord(id);
  if (status.loading) return <td class="num muted" colSpan={3}>…</td>;
  if (!status.ok) return <td class="num muted" colSpan={3} title={status.message}>not available</td>;
  const { record } = status;
  if (record.state === 'pending') return <td class="num muted" colSpan={3}>pending…</td>;
  return (
    <>
      <td class="num">{formatMs(record.durationMs ?? record.panels.timer?.totalMs)}</td>
      <td class="num">{formatMs(record.panels.timer?.cpuMs)}</td>
      <td class="num">{formatBytes(record.response.bytes)}</td>
    </>
  );
}

function Choice({
  label,
  all,
  value,
  options,
  onChange,
}: {
  label: string;
  all: string;
  value: string;
  options: string[];
  onChange: (value: string) => void;
}) {
  return (
    <select name={label.toLowerCase()} aria-label={label} value={value} onChange={(event) => onChange(event.currentTarget.value)}>
      <option value="">{all}</option>
      {options.map((option) => (
        <option key={option} value={option}>{option}</option>
      ))}
    </select>
  );
}

const distinct = (values: string[]) => [...new Set(values)].sort();

export function RequestFilters({
  requests,
  filter,
  onFilter,
  preserve,
  onPreserve,
}: {
  requests: readonly TrackedRequest[];
  filter: RequestFilter;
  onFilter: (filter: RequestFilter) => void;
  preserve: boolean;
  onPreserve: (preserve: boolean) => void;
}) {
  const set = (change: Partial<RequestFilter>) => onFilter({ ...filter, ...change });
  return (
    <div class="toolbar">
      <input
        type="search"
        name="filter"
        placeholder="Filter URLs"
        value={filter.text}
        onInput={(event) => set({ text: event.currentTarget.value })}
      />
      <Choice label="Method" all="All methods" value={filter.method} options={distinct(requests.map((r) => r.method))} onChange={(method) => set({ method })} />
      <Choice label="Status" all="Any status" value={filter.status} options={STATUS_CLASSES} onChange={(status) => set({ status })} />
      <Choice label="Type" all="All types" value={filter.type} options={distinct(requests.map(typeLabel))} onChange={(type) => set({ type })} />
      <label class="check">
        <input type="checkbox" name="preserve" checked={preserve} onChange={(event) => onPreserve(event.currentTarget.checked)} />
        Preserve log
      </label>
    </div>
  );
}

/** Every recorded request of the tab, newest first, like the Network panel's list. */
export function RequestTable({
  requests,
  selectedId,
  onSelect,
}: {
  requests: readonly TrackedRequest[];
  selectedId: string | null;
  onSelect: (request: TrackedRequest) => void;
}) {
  return (
    <table class="grid requests-table">
      <thead>
        <tr>
          <th scope="col">Method</th>
          <th scope="col">URL</th>
          <th scope="col" class="num">Status</th>
          <th scope="col">Type</th>
          <th scope="col" class="num">Time</th>
          <th scope="col" class="num">CPU</th>
          <th scope="col" class="num">Size</th>
        </tr>
      </thead>
      <tbody>
        {requests.map((request) => (
          <tr
            key={request.id}
            data-request-id={request.id}
            aria-selected={request.id === selectedId}
            onClick={() => onSelect(request)}
          >
            <td class="method">{request.method}</td>
            <td class="url" title={request.url}>{shortUrl(request.url)}</td>
            <td class="num">
              <ServedStatus request={request} />
            </td>
            <td class="type">{typeLabel(request)}</td>
            <RecordCells id={request.id} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The requests that pass the filter, by the status each row shows (the server's, once its
 * record is in). A status filter follows every listed record: a revalidated page the browser
 * calls 200 must turn up under 3xx once its record says 304, though no row of it was shown.
 */
export function useFilteredRequests(requests: readonly TrackedRequest[], filter: RequestFilter): TrackedRequest[] {
  const records = useRecords(filter.status === '' ? [] : requests.map((request) => request.id));
  return requests.filter((request, i) => {
    const record = records[i];
    return matches(request, record === undefined ? request.status : servedStatus(request, record), filter);
  });
}
