import type { RecordStatus } from './record-source.js';

/** What to show instead of a record that is loading or could not be had. */
export function RecordMessage({ status }: { status: Exclude<RecordStatus, { ok: true }> }) {
  if (status.loading) return <p class="message">Loading…</p>;
  return <p class="message error">Could not load the record: {status.message}</p>;
}
