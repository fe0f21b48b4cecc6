import type { LoupeRecord } from '../shared/record.js';

/** The webRequest resource types the background watches, and main-frame responses saved as files. */
export type TrackedType = 'main_frame' | 'sub_frame' | 'xmlhttprequest' | 'other' | 'download';

/** One response of a tab that carried `X-Loupe-Id`. */
export interface TrackedRequest {
  id: string;
  url: string;
  method: string;
  status: number;
  type: TrackedType;
  /** The absolute URL of the API base the response named (`X-Loupe-Api`). */
  api: string;
  /** When the response headers arrived, ms since the epoch. */
  time: number;
  /** The browser's id for the request: the same across a redirect chain. */
  requestId: string;
}

/** What the content script and the DevTools panel know about a tab. */
export interface TabView {
  /** The document the tab shows, when it carried `X-Loupe-Id`. */
  page: TrackedRequest | null;
  /** The page's redirect chain, then the page, then its fetch/XHR/frame requests, in order. */
  requests: TrackedRequest[];
  /** Whether the overlay shows in this tab. */
  on: boolean;
}

export type RecordAnswer = { ok: true; record: LoupeRecord } | { ok: false; status: number; message: string };

/** Messages to the background. */
export type BackgroundMessage =
  | { type: 'tab-view'; tabId?: number }
  | { type: 'record'; id: string; waitMs: number; tabId?: number };

/** Messages from the background to a tab's content script. */
export interface TabViewPush {
  type: 'tab-view';
  view: TabView;
}
