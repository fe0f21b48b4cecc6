import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { TAB_LOG_PORT, type ApiAnswer, type BackgroundMessage, type ProfileCall, type RecordAnswer, type TabLog } from '../messages.js';

const ask = <T,>(message: BackgroundMessage) => browser.runtime.sendMessage(message) as Promise<T>;

export const askRecord = (tabId: number, id: string, waitMs: number) => ask<RecordAnswer>({ type: 'record', id, waitMs, tabId });

export const askProfile = <T,>(tabId: number, call: ProfileCall) => ask<ApiAnswer<T>>({ type: 'profile', call, tabId });

const RECONNECT_MS = 500;

/**
 * The tab's log, live: the background pushes it through a port on every change. A stopped
 * service worker closes the port; the panel connects again and gets the log anew.
 */
export function useTabLog(tabId: number): TabLog | null {
  const [log, setLog] = useState<TabLog | null>(null);
  useEffect(() => {
    let closed = false;
    let port: browser.Runtime.Port | null = null;
    const connect = () => {
      port = browser.runtime.connect({ name: TAB_LOG_PORT + tabId });
      port.onMessage.addListener((message: unknown) => setLog(message as TabLog));
      port.onDisconnect.addListener(() => {
        if (!closed) setTimeout(connect, RECONNECT_MS);
      });
    };
    connect();
    return () => {
      closed = true;
      port?.disconnect();
    };
  }, [tabId]);
  return log;
}
