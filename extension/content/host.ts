import { OVERLAY_CSS } from './styles.js';

export const HOST_ID = 'loupe-overlay';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';

/**
 * Inline and `!important`: page rules such as `div { display: none !important }` would
 * otherwise reach the host, which lives in the page's DOM. The host takes no room; its
 * content is fixed to the viewport, so the page's layout never moves.
 */
const HOST_STYLE: Record<string, string> = {
  all: 'initial',
  display: 'block',
  position: 'fixed',
  top: '0',
  left: '0',
  width: '0',
  height: '0',
  margin: '0',
  padding: '0',
  border: '0',
  overflow: 'visible',
  'z-index': '2147483647',
  visibility: 'visible',
  opacity: '1',
  transform: 'none',
  filter: 'none',
  'pointer-events': 'auto',
};

export interface OverlayHost {
  host: HTMLElement;
  root: ShadowRoot;
  /** Stops keeping the host in the page and takes it out. */
  remove(): void;
}

function adoptStyles(root: ShadowRoot): void {
  try {
    // A constructed sheet is not subject to the page's CSP `style-src`.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(OVERLAY_CSS);
    root.adoptedStyleSheets = [sheet];
  } catch {
    // Firefox content scripts cannot hand their own sheet objects to the page's DOM.
    const style = document.createElementNS(XHTML_NS, 'style');
    style.textContent = OVERLAY_CSS;
    root.append(style);
  }
}

/**
 * Puts the host in the top layer, above anything a page can stack with `z-index` (a page
 * element at the highest z-index added after the host would otherwise cover it). The
 * inline styles above override the popover's own. Where popovers are missing (Firefox
 * before 125, some XML documents), the z-index has to do.
 */
function raise(host: HTMLElement): void {
  try {
    if (typeof host.showPopover !== 'function') return;
    if (!host.hasAttribute('popover')) host.setAttribute('popover', 'manual');
    if (!host.matches(':popover-open')) host.showPopover();
  } catch {
    // Not in this document type: the z-index stays.
  }
}

/** An event only the host listens for, to tell whether its listeners are still there. */
const CANARY = 'loupe-listeners-alive';

/**
 * Creates the overlay's host and keeps it attached: pages that replace their body or their
 * whole document element (`document.write`, `innerHTML` on <html>, frameworks' hydration)
 * would otherwise drop it. XML documents need the XHTML namespace for a styled, working host.
 * `document.open()` also erases the event listeners of every node in the document, shadow
 * trees included, leaving a toolbar that ignores clicks: then `onListenersLost` is called,
 * and the toolbar must be rendered into a new host.
 */
export function mountHost(onListenersLost: () => void): OverlayHost {
  document.getElementById(HOST_ID)?.remove();
  const host = document.createElementNS(XHTML_NS, 'div') as HTMLElement;
  host.id = HOST_ID;
  for (const [property, value] of Object.entries(HOST_STYLE)) host.style.setProperty(property, value, 'important');
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root);

  let removed = false;
  let listening = false;
  host.addEventListener(CANARY, () => (listening = true));

  const attach = () => {
    const parent = document.documentElement;
    if (parent === null || host.parentNode === parent) return;
    parent.append(host);
    raise(host);
    listening = false;
    host.dispatchEvent(new Event(CANARY));
    if (!listening) onListenersLost();
  };
  const observer = new MutationObserver(() => {
    if (removed) return;
    attach();
    if (!removed) observeParent();
  });
  const observeParent = () => {
    observer.disconnect();
    observer.observe(document, { childList: true });
    if (document.documentElement !== null) observer.observe(document.documentElement, { childList: true });
  };
  attach();
  observeParent();

  return {
    host,
    root,
    remove() {
      removed = true;
      observer.disconnect();
      host.remove();
    },
  };
}
