import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { API_LIMITS } from '../../shared/protocol.js';
import type { LoupeRecord } from '../../shared/record.js';
import type { RecordAnswer } from '../messages.js';

export type FetchRecord = (id: string, waitMs: number) => Promise<RecordAnswer>;

/** A record as the UI sees it: not there yet, or the API's answer. */
export type RecordStatus = { loading: true; ok: false } | ({ loading: false } & RecordAnswer);

const LOADING: RecordStatus = { loading: true, ok: false };

export interface RecordSource {
  current(id: string): RecordStatus;
  /** Calls `listener` whenever the record changes; returns the unsubscribe. */
  subscribe(id: string, listener: () => void): () => void;
}

/** Panels whose stats come after the response (the profile) say `status: 'pending'`. */
function hasPendingPanel(record: LoupeRecord): boolean {
  return Object.values(record.panels).some(
    (stats) => typeof stats === 'object' && stats !== null && (stats as { status?: unknown }).status === 'pending',
  );
}

const PANEL_RETRIES = 5;
const PANEL_RETRY_MS = 1000;

/**
 * Records by id, fetched once each. A pending record (a response still streaming) is asked
 * for again with `?wait=` so it updates the moment it completes, and a panel still being
 * computed (the profile) is asked for again a few times; then records never change.
 */
export function createRecordSource(fetchRecord: FetchRecord): RecordSource {
  const records = new Map<string, RecordStatus>();
  const listeners = new Map<string, Set<() => void>>();

  const set = (id: string, status: RecordStatus) => {
    records.set(id, status);
    for (const listener of listeners.get(id) ?? []) listener();
  };

  const load = async (id: string) => {
    let answer = await fetchRecord(id, 0);
    set(id, { loading: false, ...answer });
    while (answer.ok && answer.record.state === 'pending') {
      answer = await fetchRecord(id, API_LIMITS.waitMaxMs);
      set(id, { loading: false, ...answer });
    }
    for (let attempt = 0; answer.ok && hasPendingPanel(answer.record) && attempt < PANEL_RETRIES; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, PANEL_RETRY_MS));
      answer = await fetchRecord(id, 0);
      set(id, { loading: false, ...answer });
    }
  };

  return {
    current: (id) => records.get(id) ?? LOADING,
    subscribe(id, listener) {
      let group = listeners.get(id);
      if (group === undefined) listeners.set(id, (group = new Set()));
      group.add(listener);
      if (!records.has(id)) {
        records.set(id, LOADING);
        load(id).catch((error: unknown) => set(id, { loading: false, ok: false, status: 0, message: String(error), fromLoupe: false }));
      }
      return () => group.delete(listener);
    },
  };
}

export const RecordSourceContext = createContext<RecordSource | null>(null);

export function useRecordSource(): RecordSource {
  const source = useContext(RecordSourceContext);
  if (source === null) throw new Error('Loupe’s views need a RecordSourceContext provider');
  return source;
}

/** The record with this id, re-rendering as it loads and completes. */
export function useRecord(id: string): RecordStatus {
  return useRecords([id])[0]!;
}

/** These records (loading them), re-rendering whenever one of them changes. */
export function useRecords(ids: readonly string[]): RecordStatus[] {
  const source = useRecordSource();
  const [, rerender] = useState(0);
  const key = ids.join('\n');
  useEffect(() => {
    const unsubscribes = ids.map((id) => source.subscribe(id, () => rerender((count) => count + 1)));
    return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
    // `key` stands for `ids`, which callers build anew on every render.
  }, [source, key]);
  return ids.map((id) => source.current(id));
}
