import { describe, expect, it } from 'vitest';
import { addRequest, currentPage, EMPTY_TAB, navigate, type TabState } from '../../extension/background/tab-requests.js';
import type { TrackedRequest } from '../../extension/messages.js';

let time = 0;
function tracked(id: string, url: string, status: number, type: TrackedRequest['type'], requestId: string): TrackedRequest {
  return { id, url, method: 'GET', status, type, api: 'http://127.0.0.1/_loupe/', time: ++time, requestId };
}

const ids = (state: TabState) => state.requests.map((request) => request.id);

describe("a tab's requests", () => {
  it('keep the redirect chain that led to the page and move the old page to earlier', () => {
    let state = navigate(EMPTY_TAB, 'r1', tracked('old', '/old', 200, 'main_frame', 'r1'));
    state = addRequest(state, tracked('call', '/api', 200, 'xmlhttprequest', 'r2'));
    state = navigate(state, 'r3', tracked('hop', '/redirect', 302, 'main_frame', 'r3'));
    state = navigate(state, 'r3', tracked('page', '/', 200, 'main_frame', 'r3'));
    expect(ids(state)).toEqual(['hop', 'page']);
    expect(state.earlier.map((request) => request.id)).toEqual(['old', 'call']);
    expect(currentPage(state)?.id).toBe('page');
  });

  it('treat a revalidated page (304) as the page, and its report again as the same entry', () => {
    let state = navigate(EMPTY_TAB, 'r1', tracked('page', '/sse', 304, 'main_frame', 'r1'));
    expect(currentPage(state)?.id).toBe('page');
    state = addRequest(state, tracked('events', '/events', 200, 'other', 'r2'));
    // Firefox reports the cached 200 with the 304's headers, sometimes after the page's own requests.
    state = navigate(state, 'r1', tracked('page', '/sse', 200, 'main_frame', 'r1'));
    expect(ids(state)).toEqual(['page', 'events']);
    expect(currentPage(state)?.status).toBe(200);
    expect(state.earlier).toEqual([]);
  });

  it('list a response replayed from the cache once', () => {
    let state = navigate(EMPTY_TAB, 'r1', tracked('page', '/', 200, 'main_frame', 'r1'));
    state = addRequest(state, tracked('call', '/api', 200, 'xmlhttprequest', 'r2'));
    state = addRequest(state, tracked('call', '/api', 200, 'xmlhttprequest', 'r3'));
    expect(ids(state)).toEqual(['page', 'call']);
  });
});
