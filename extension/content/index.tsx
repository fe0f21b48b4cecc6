import { render } from 'preact';
import browser from 'webextension-polyfill';
import type { BackgroundMessage, RecordAnswer, TabView, TabViewPush, TrackedRequest } from '../messages.js';
import { loadSettings, onSettingsChanged, type Settings } from '../settings.js';
import { createRecordSource, RecordSourceContext } from '../ui/record-source.js';
import { mountHost, type OverlayHost } from './host.js';
import { Overlay } from './Overlay.js';

const ask = <T,>(message: BackgroundMessage) => browser.runtime.sendMessage(message) as Promise<T>;

const records = createRecordSource((id, waitMs) => ask<RecordAnswer>({ type: 'record', id, waitMs }));

let view: TabView | null = null;
let settings: Settings | null = null;
let overlay: OverlayHost | null = null;

const withoutHash = (url: string) => url.split('#', 1)[0];

/**
 * The URL this document was loaded from. Single-page apps change `location` with
 * `history.pushState` while the document, and so the request the toolbar shows, stays.
 */
const documentUrl = withoutHash(location.href);

/**
 * A view may describe another document: pushed while the previous document is still shown,
 * it is the next one's (another URL); answered before the background has seen this
 * document's headers (Firefox often asks that early), it is still the previous one's, whose
 * headers came before this document's navigation started (on a reload, at the same URL).
 */
function isThisDocument(page: TrackedRequest): boolean {
  return withoutHash(page.url) === documentUrl && page.time >= performance.timeOrigin;
}

function unmount(): void {
  if (overlay === null) return;
  render(null, overlay.root);
  overlay.remove();
  overlay = null;
}

function update(): void {
  const page = view?.on ? view.page : null;
  if (view === null || page === null || settings === null || !isThisDocument(page)) {
    unmount();
    return;
  }
  const current = (overlay ??= mountHost(() => {
    unmount();
    update();
  }));
  render(
    <RecordSourceContext.Provider value={records}>
      <Overlay
        page={page}
        requests={view.requests}
        settings={settings}
        onShown={(id) => current.host.setAttribute('data-loupe-id', id)}
      />
    </RecordSourceContext.Provider>,
    current.root,
  );
}

browser.runtime.onMessage.addListener((message: unknown) => {
  const push = message as TabViewPush;
  if (push.type !== 'tab-view') return;
  view = push.view;
  update();
});

onSettingsChanged((changed) => {
  settings = changed;
  update();
});

void Promise.all([ask<TabView>({ type: 'tab-view' }), loadSettings()]).then(([answered, loaded]) => {
  // A push may have come first, and is newer.
  view ??= answered;
  settings = loaded;
  update();
});
