export { loupe, type LoupeMiddleware, type NextFunction } from './middleware.js';
export { currentRequest, type RequestContext } from './context.js';
export { instrument, mark, span } from './instrument/index.js';
export {
  DEFAULT_BOUNDS,
  type LoupeMode,
  type InstrumentationSettings,
  type LoupeOptions,
  type StoreBounds,
} from './options.js';
export { MemoryStore } from './stores/memory-store.js';
export type { RecordStore, StoreUsage } from './stores/store.js';
export type { Panel, ServerTimingEntry } from './panels/panel.js';
export * from '../shared/index.js';
