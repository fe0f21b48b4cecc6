import type { ProfileSort } from '../shared/profile.js';
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

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A main-frame response that sent the tab on; a 304 (revalidated from the cache) is the page itself. */
export function isRedirect(request: TrackedRequest): boolean {
  return request.type === 'main_frame' && REDIRECT_STATUSES.has(request.status);
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

/** What the DevTools panel shows of a tab: the view, and the requests of the pages before it. */
export interface TabLog {
  view: TabView;
  /** Requests of earlier pages of the tab, oldest first: the "preserve log" part. */
  earlier: TrackedRequest[];
}

/** An API call that did not give an answer; `status` 0 when the server could not be reached. */
export interface ApiFailure {
  ok: false;
  status: number;
  message: string;
  /** Whether the answer came from Loupe (a JSON error) rather than the app or the network. */
  fromLoupe: boolean;
}

export type RecordAnswer = { ok: true; record: LoupeRecord } | ApiFailure;
export type ApiAnswer<T> = { ok: true; body: T } | ApiFailure;

/** The profile calls of the DevTools panel, made to the API of the inspected tab's page. */
export type ProfileCall =
  | { kind: 'stats'; route: string | null; sort: ProfileSort; limit: number }
  | { kind: 'tree'; route: string | null }
  | { kind: 'cpuprofile'; route: string | null }
  | { kind: 'reset' }
  | { kind: 'request-profile'; id: string };

/** Messages to the background. */
export type BackgroundMessage =
  | { type: 'tab-view'; tabId?: number }
  | { type: 'record'; id: string; waitMs: number; tabId?: number }
  | { type: 'profile'; call: ProfileCall; tabId: number };

/** The name of the port a DevTools panel opens to follow a tab: `tab-log:<tabId>`. */
export const TAB_LOG_PORT = 'tab-log:';

/** Messages from the background to a tab's content script. */
export interface TabViewPush {
  type: 'tab-view';
  view: TabView;
}
