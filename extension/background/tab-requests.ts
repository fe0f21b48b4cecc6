import type { TabView, TrackedRequest } from '../messages.js';

/** What the background keeps per tab, in storage.session. */
export interface TabState {
  /** Set by the action; null until the user chooses, then held across navigations. */
  toggle: 'on' | 'off' | null;
  requests: TrackedRequest[];
}

export const EMPTY_TAB: TabState = { toggle: null, requests: [] };

/** A tab that polls forever must not grow its list without bound. */
export const MAX_REQUESTS_PER_TAB = 500;

const isRedirect = (status: number) => status >= 300 && status < 400;

/** The document the tab shows: the last main-frame response, unless it only redirected. */
export function currentPage(state: TabState): TrackedRequest | null {
  const last = state.requests.findLast((request) => request.type === 'main_frame');
  return last === undefined || isRedirect(last.status) ? null : last;
}

/** A tab with no choice yet is on where the page is recorded: that is why one installs Loupe. */
export function isOn(state: TabState): boolean {
  return state.toggle === 'on' || (state.toggle === null && currentPage(state) !== null);
}

/**
 * A main-frame response replaces the page: the old page's requests go, the redirects that
 * led here stay (they share the browser's request id), and `response` joins them when Loupe
 * recorded it.
 */
export function navigate(state: TabState, requestId: string, response: TrackedRequest | null): TabState {
  const chain = state.requests.filter((request) => request.type === 'main_frame' && request.requestId === requestId);
  return { ...state, requests: response === null ? chain : [...chain, response] };
}

/** Any other recorded response of the tab joins the current page's list. */
export function addRequest(state: TabState, request: TrackedRequest): TabState {
  const requests = [...state.requests, request];
  if (requests.length > MAX_REQUESTS_PER_TAB) {
    // Drop the oldest sub-requests; the page and its redirect chain are what the overlay shows.
    const drop = requests.findIndex((candidate) => candidate.type !== 'main_frame');
    requests.splice(drop, 1);
  }
  return { ...state, requests };
}

export function toggled(state: TabState): TabState {
  return { ...state, toggle: isOn(state) ? 'off' : 'on' };
}

export function viewOf(state: TabState): TabView {
  return { page: currentPage(state), requests: state.requests, on: isOn(state) };
}
