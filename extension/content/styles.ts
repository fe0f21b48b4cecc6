const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace';

/**
 * The overlay's own look, the same on light and dark pages: a calm dark surface that reads
 * like the browser's DevTools. `:host { all: initial }` keeps the page's inherited styles out.
 */
export const OVERLAY_CSS = `
:host { all: initial; }
.loupe {
  font: 12px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
  color: #e4e4e7;
  color-scheme: dark;
  -webkit-font-smoothing: antialiased;
  text-align: left;
}
.loupe *, .loupe *::before, .loupe *::after { box-sizing: border-box; }
button { font: inherit; color: inherit; margin: 0; }
button:focus-visible { outline: 2px solid #60a5fa; outline-offset: -2px; }

.handle, .card { position: fixed; }
.pos-bottom-right .handle, .pos-bottom-right .card { right: 12px; bottom: 12px; }
.pos-bottom-left .handle, .pos-bottom-left .card { left: 12px; bottom: 12px; }
.pos-top-right .handle, .pos-top-right .card { right: 12px; top: 12px; }
.pos-top-left .handle, .pos-top-left .card { left: 12px; top: 12px; }

.handle {
  display: flex; align-items: center; gap: 7px;
  height: 26px; padding: 0 10px 0 8px;
  border-radius: 13px; border: 1px solid rgba(255, 255, 255, 0.14);
  background: rgba(24, 24, 27, 0.94);
  box-shadow: 0 2px 10px rgba(0, 0, 0, 0.28);
  cursor: pointer; white-space: nowrap;
  font-variant-numeric: tabular-nums;
}
.handle:hover { background: #27272a; }
.logo { width: 14px; height: 14px; flex: none; color: #60a5fa; }
.count { color: #a1a1aa; font-family: ${MONO}; font-size: 11px; }

.card {
  display: flex; flex-direction: column;
  width: min(480px, calc(100vw - 24px));
  max-height: min(520px, calc(100vh - 24px));
  background: #18181b; border: 1px solid #3f3f46; border-radius: 8px;
  box-shadow: 0 10px 32px rgba(0, 0, 0, 0.36);
  overflow: hidden;
}
.bar {
  display: flex; align-items: center; gap: 6px;
  padding: 5px 6px 5px 10px;
  background: #1f1f23; border-bottom: 1px solid #2e2e33;
}
.brand { display: flex; align-items: center; gap: 6px; font-weight: 600; color: #f4f4f5; letter-spacing: 0.01em; }
.current {
  flex: 1; min-width: 0;
  display: flex; align-items: center; gap: 8px;
  padding: 3px 6px; border: 1px solid transparent; border-radius: 5px;
  background: transparent; cursor: pointer; text-align: left;
}
.current:hover, .current[aria-expanded="true"] { background: #27272a; border-color: #3f3f46; }
.caret { color: #71717a; font-size: 10px; }
.icon {
  flex: none; width: 24px; height: 24px; padding: 0;
  border: 0; border-radius: 5px; background: transparent;
  color: #a1a1aa; cursor: pointer; font-size: 15px; line-height: 1;
}
.icon:hover { background: #27272a; color: #f4f4f5; }

.method { font-family: ${MONO}; font-size: 11px; font-weight: 600; color: #a1a1aa; }
.url { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: ${MONO}; font-size: 11px; color: #e4e4e7; }
.status { font-family: ${MONO}; font-size: 11px; font-weight: 600; color: #d4d4d8; }
.status-2xx { color: #4ade80; }
.status-3xx { color: #60a5fa; }
.status-4xx { color: #fbbf24; }
.status-5xx { color: #f87171; }
.time { font-family: ${MONO}; font-size: 11px; color: #d4d4d8; white-space: nowrap; text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #71717a; }

.body { flex: 1; min-height: 0; overflow: auto; overscroll-behavior: contain; }
.panels, .requests { list-style: none; margin: 0; padding: 4px 0; }
.panel-row, .request-row {
  display: grid; align-items: center; gap: 10px;
  width: 100%; padding: 6px 12px;
  border: 0; background: transparent; text-align: left; cursor: pointer;
}
.panel-row { grid-template-columns: 84px minmax(0, 1fr) 10px; }
.request-row { grid-template-columns: 52px 44px minmax(0, 1fr) 32px 64px; }
.panel-row:hover, .request-row:hover { background: #232327; }
.request-row[aria-current="true"] { background: rgba(96, 165, 250, 0.12); box-shadow: inset 2px 0 #60a5fa; }
.panel-row.skipped { cursor: default; }
.panel-title { font-weight: 600; color: #f4f4f5; }
.panel-summary { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: ${MONO}; font-size: 11px; color: #a1a1aa; }
.chevron { color: #52525b; font-size: 14px; }
.type { font-size: 10px; letter-spacing: 0.05em; text-transform: uppercase; color: #71717a; }

.detail-head {
  position: sticky; top: 0; z-index: 1;
  display: flex; align-items: center; gap: 8px;
  padding: 6px 12px 6px 6px; background: #18181b; border-bottom: 1px solid #2e2e33;
}
.detail-head h2 { margin: 0; font-size: 12px; font-weight: 600; color: #f4f4f5; }
.back { border: 0; border-radius: 5px; background: transparent; padding: 2px 6px; color: #60a5fa; cursor: pointer; }
.back:hover { background: #232327; }
.section { padding: 8px 12px 4px; }
.section h3 { margin: 0 0 4px; font-size: 10px; font-weight: 600; letter-spacing: 0.06em; text-transform: uppercase; color: #71717a; }
.kv { width: 100%; border-collapse: collapse; font-family: ${MONO}; font-size: 11px; }
.kv th { width: 38%; padding: 2px 12px 2px 0; vertical-align: top; text-align: left; font-weight: 400; color: #a1a1aa; overflow-wrap: anywhere; }
.kv td { padding: 2px 0; color: #e4e4e7; overflow-wrap: anywhere; white-space: pre-wrap; }
.functions thead th { width: auto; white-space: nowrap; padding-bottom: 4px; font-size: 10px; letter-spacing: 0.05em; text-transform: uppercase; color: #71717a; }
.functions td:nth-child(-n+2) { width: 76px; padding-right: 8px; white-space: nowrap; color: #d4d4d8; }
.empty, .note { margin: 0 0 4px; color: #71717a; }
.message { margin: 0; padding: 10px 12px; color: #a1a1aa; }
.message.error { color: #f87171; }
`;
