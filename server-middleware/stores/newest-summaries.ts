import { summarize, type LoupeRecord, type RecordSummary } from '../../shared/record.js';

/** `GET {api}/requests`: records still in flight and complete ones together, newest first. */
export function newestSummaries(
  pending: Iterable<LoupeRecord>,
  complete: Iterable<RecordSummary>,
  limit: number,
): RecordSummary[] {
  const summaries: RecordSummary[] = [];
  for (const record of pending) summaries.push(summarize(record));
  for (const summary of complete) summaries.push(summary);
  summaries.sort((a, b) => b.startedAt - a.startedAt);
  return summaries.slice(0, limit);
}
