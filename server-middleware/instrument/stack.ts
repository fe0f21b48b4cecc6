import { fileURLToPath } from 'node:url';

/** Loupe's own folder: its frames are never the app's. */
const OWN_DIR = fileURLToPath(new URL('..', import.meta.url));
const SITE_FRAMES = 40;

/** A captured call stack; `stack` is formatted when first read. */
export type CallSite = { stack?: string };

/**
 * Captures the call stack cheaply: V8 keeps the frames and formats them only if `stack` is
 * read, which happens only when someone reads the record.
 */
export function captureSite(): CallSite {
  const holder: CallSite = {};
  const limit = Error.stackTraceLimit;
  // Deep enough to climb out of the client library and Loupe into the app.
  Error.stackTraceLimit = SITE_FRAMES;
  Error.captureStackTrace(holder, captureSite);
  Error.stackTraceLimit = limit;
  return holder;
}

function isAppFrame(line: string): boolean {
  return (
    line.startsWith('    at ') &&
    !line.includes('/node_modules/') &&
    !line.includes('(node:') &&
    !line.startsWith('    at node:') &&
    !line.includes(OWN_DIR) &&
    !line.endsWith('(<anonymous>)')
  );
}

/**
 * The first frame of the app's own code, e.g. `listUsers (/app/src/users.ts:12:7)`. Node maps
 * it to the original source itself when source maps are enabled (`--enable-source-maps`): only
 * then does it keep the maps that `module.findSourceMap` would read.
 */
export function appFrame(stack: string | undefined): string | null {
  if (stack === undefined) return null;
  const line = stack.split('\n').find(isAppFrame);
  return line === undefined ? null : fromWorkingDirectory(line.slice('    at '.length));
}

/** Paths inside the app's working directory are shown from it, as its developers read them. */
function fromWorkingDirectory(frame: string): string {
  const root = `${process.cwd()}/`;
  return frame.replaceAll(`file://${root}`, '').replaceAll(root, '');
}

/** Whether stacks read now have their frames mapped to the original sources. */
export const stacksAreSourceMapped = (): boolean => process.sourceMapsEnabled;
