import { isRedirect, type TabLog, type TabView, type TrackedRequest } from '../messages.js';

/** What the background keeps per tab, in storage.session. */
export interface TabState {
  /** Set by the action; null until the user chooses, then held across navigations. */
  toggle: 'on' | 'off' | null;
  requests: TrackedRequest[];
  /** The requests of the tab's earlier pages, oldest first, for the DevTools panel's "preserve log". */
  earlier: TrackedRequest[];
}

export const EMPTY_TAB: TabState = { toggle: null, requests: [], earlier: [] };

/** A tab that polls forever must not grow its lists without bound. */
export const MAX_REQUESTS_PER_TAB = 500;

/** The document the tab shows: the last main-frame response, unless it only redirected. */
export function currentPage(state: TabState): TrackedRequest | null {
  const last = state.requests.findLast((request) => request.type === 'main_frame');
  return last === undefined || isRedirect(last) ? null : last;
}

/** A tab with no choice yet is on where the page is recorded: that is why one installs Loupe. */
export function isOn(state: TabState): boolean {
  return state.toggle === 'on' || (state.toggle === null && currentPage(state) !== null);
}

/**
 * A main-frame response replaces the page: the old page's requests go, the redirects that
 * led here stay (they share the browser's request id), and `response` joins them when Loupe
 * recorded it. The same response reported again (Firefox reports a revalidated page's 304,
 * then the cached 200 with the 304's headers) only updates its entry: the page it belongs to
 * may already have made its own requests.
 */
export function navigate(state: TabState, requestId: string, response: TrackedRequest | null): TabState {
  const inChain = (request: TrackedRequest) => request.type === 'main_frame' && request.requestId === requestId;
  const again = state.requests.findIndex((known) => inChain(known) && known.id === response?.id);
  if (response !== null && again !== -1) return { ...state, requests: state.requests.with(again, response) };
  const chain = state.requests.filter(inChain);
  const left = state.requests.filter((request) => !inChain(request));
  return {
    ...state,
    requests: response === null ? chain : [...chain, response],
    earlier: [...state.earlier, ...left].slice(-MAX_REQUESTS_PER_TAB),
  };
}

/**
 * Any other recorded response of the tab joins the current page's list, once: a response the
 * browser replays from its cache (DevTools reading the page's source does) carries the same id.
 */
export function addRequest(state: TabState, request: TrackedRequest): TabState {
  if (state.requests.some((known) => known.id === request.id)) return state;
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

export function logOf(state: TabState): TabLog {
  return { view: viewOf(state), earlier: state.earlier };
}

/** A request the tab's responses carried, on this page or an earlier one. */
export function findRequest(state: TabState, id: string): TrackedRequest | undefined {
  return state.requests.find((request) => request.id === id) ?? state.earlier.findLast((request) => request.id === id);
}

/** The request whose API answers for the tab: the page's, else the newest one's. */
export function apiRequestOf(state: TabState): TrackedRequest | undefined {
  return currentPage(state) ?? state.requests.at(-1) ?? state.earlier.at(-1);
}
