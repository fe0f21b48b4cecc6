import type { FunctionRow, ProfileSort } from '../../shared/profile.js';
import { displayedFunctionKey, type IndexedSegment } from './indexed-segment.js';

const OTHER_KEY = '(other functions)';

/** Per-function samples, self and cumulative time, like `pstats`, bounded in rows. */
export class FunctionTable {
  private readonly rows = new Map<string, FunctionRow>();

  constructor(private readonly maxRows: number) {}

  get size(): number {
    return this.rows.size;
  }

  /** Adds `samples` samples lasting `ms` in all, in which `node` was running. */
  addSample(segment: IndexedSegment, node: number, ms: number, samples = 1): void {
    const self = this.row(segment, node);
    self.selfSamples += samples;
    self.selfMs += ms;
    for (const at of segment.distinctFunctions(node)) {
      const row = this.row(segment, at);
      row.samples += samples;
      row.cumulativeMs += ms;
    }
  }

  merge(rows: readonly FunctionRow[]): void {
    for (const incoming of rows) {
      const row = this.rowFor(keyOfRow(incoming), incoming);
      row.samples += incoming.samples;
      row.selfSamples += incoming.selfSamples;
      row.selfMs += incoming.selfMs;
      row.cumulativeMs += incoming.cumulativeMs;
    }
  }

  sorted(sort: ProfileSort, limit = Infinity): FunctionRow[] {
    const by: (row: FunctionRow) => number =
      sort === 'self' ? (row) => row.selfMs : sort === 'samples' ? (row) => row.samples : (row) => row.cumulativeMs;
    return [...this.rows.values()]
      .sort((a, b) => by(b) - by(a) || b.selfMs - a.selfMs)
      .slice(0, limit)
      .map(rounded);
  }

  private row(segment: IndexedSegment, node: number): FunctionRow {
    const frame = segment.frames[node]!;
    return this.rowFor(segment.keys[node]!, {
      functionName: frame.functionName,
      url: frame.url,
      lineNumber: frame.lineNumber + 1,
      columnNumber: frame.columnNumber + 1,
    });
  }

  private rowFor(key: string, frame: Pick<FunctionRow, 'functionName' | 'url' | 'lineNumber' | 'columnNumber'>): FunctionRow {
    let row = this.rows.get(key);
    if (row !== undefined) return row;
    if (this.rows.size >= this.maxRows) {
      row = this.rows.get(OTHER_KEY);
      if (row !== undefined) return row;
      frame = { functionName: OTHER_KEY, url: '', lineNumber: 0, columnNumber: 0 };
      key = OTHER_KEY;
    }
    row = { ...frame, samples: 0, selfSamples: 0, selfMs: 0, cumulativeMs: 0 };
    this.rows.set(key, row);
    return row;
  }
}

function keyOfRow(row: FunctionRow): string {
  return row.functionName === OTHER_KEY ? OTHER_KEY : displayedFunctionKey(row);
}

function rounded(row: FunctionRow): FunctionRow {
  return { ...row, selfMs: round(row.selfMs), cumulativeMs: round(row.cumulativeMs) };
}

export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
