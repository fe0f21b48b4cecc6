import type { CallFrame, CpuProfile } from '../../shared/profile.js';
import type { Segment } from './segmented-profiler.js';

/** Identifies a function across profiles: scriptIds change between processes, positions do not. */
export function functionKey(frame: Pick<CallFrame, 'functionName' | 'url' | 'lineNumber' | 'columnNumber'>): string {
  return `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}\u0000${frame.columnNumber}`;
}

/** The same key for a function as tables and trees show it, with 1-based positions. */
export function displayedFunctionKey(shown: Pick<CallFrame, 'functionName' | 'url' | 'lineNumber' | 'columnNumber'>): string {
  return functionKey({ ...shown, lineNumber: shown.lineNumber - 1, columnNumber: shown.columnNumber - 1 });
}

const ROOT = '(root)';

/** Longest time one sample may stand for, in mean sampling intervals. */
const MAX_GAP_INTERVALS = 50;

/**
 * A segment prepared for repeated questions: which samples fall in a window, how long each
 * lasted, and the distinct functions on each sample's stack.
 */
export class IndexedSegment {
  readonly startUs: number;
  readonly endUs: number;
  readonly frames: CallFrame[] = [];
  readonly keys: string[] = [];
  /** Parent node index, or -1 for the root. */
  readonly parents: Int32Array;
  /** Sample timestamps (µs), node indexes and durations (ms), kept to [startUs, endUs). */
  readonly times: Float64Array;
  readonly nodes: Int32Array;
  readonly durationsMs: Float64Array;
  private readonly distinctStacks: Array<readonly number[] | undefined>;
  /** Rough retained size, to bound how many segments are kept. */
  readonly bytes: number;

  constructor(segment: Segment) {
    const { profile } = segment;
    this.startUs = segment.startUs;
    this.endUs = segment.endUs;
    const indexOf = new Map<number, number>();
    profile.nodes.forEach((node, index) => {
      indexOf.set(node.id, index);
      this.frames.push(node.callFrame);
      this.keys.push(functionKey(node.callFrame));
    });
    this.parents = new Int32Array(profile.nodes.length).fill(-1);
    profile.nodes.forEach((node, index) => {
      for (const child of node.children ?? []) {
        const childIndex = indexOf.get(child);
        if (childIndex !== undefined) this.parents[childIndex] = index;
      }
    });
    this.distinctStacks = new Array(profile.nodes.length);
    const { times, nodes, durations } = sampleTable(profile, indexOf, segment);
    this.times = times;
    this.nodes = nodes;
    this.durationsMs = durations;
    this.bytes = profile.nodes.length * 200 + times.length * 20;
  }

  isRoot(index: number): boolean {
    return this.parents[index] === -1 && this.frames[index]!.functionName === ROOT;
  }

  /** First sample at or after `us`. */
  sampleAt(us: number): number {
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.times[mid]! < us) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Node indexes from the outermost frame to this one, without the root. */
  path(index: number): number[] {
    const path: number[] = [];
    for (let at = index; at !== -1 && !this.isRoot(at); at = this.parents[at]!) path.push(at);
    return path.reverse();
  }

  /**
   * One node index per distinct function on the stack: a recursive function's cumulative
   * time counts once per sample (the outermost frame's).
   */
  distinctFunctions(index: number): readonly number[] {
    let cached = this.distinctStacks[index];
    if (cached === undefined) {
      const seen = new Set<string>();
      const distinct: number[] = [];
      for (const at of this.path(index)) {
        const key = this.keys[at]!;
        if (!seen.has(key)) {
          seen.add(key);
          distinct.push(at);
        }
      }
      this.distinctStacks[index] = cached = distinct;
    }
    return cached;
  }
}

/**
 * Absolute sample times from V8's deltas, and each sample's duration: the time to the next
 * sample (as DevTools counts it), the last one getting the mean interval. Samples outside the
 * segment's own span are dropped: neighbouring segments overlap by a few samples.
 */
function sampleTable(profile: CpuProfile, indexOf: Map<number, number>, segment: Segment) {
  const count = profile.samples.length;
  const allTimes = new Float64Array(count);
  let time = profile.startTime;
  for (let i = 0; i < count; i++) {
    // V8 occasionally reports a negative delta; keep time moving forward.
    time += Math.max(0, profile.timeDeltas[i] ?? 0);
    allTimes[i] = time;
  }
  const meanUs = count > 1 ? (allTimes[count - 1]! - allTimes[0]!) / (count - 1) : 1000;
  const kept: number[] = [];
  for (let i = 0; i < count; i++) {
    const at = allTimes[i]!;
    if (at >= segment.startUs && at < segment.endUs && indexOf.has(profile.samples[i]!)) kept.push(i);
  }
  const times = new Float64Array(kept.length);
  const nodes = new Int32Array(kept.length);
  const durations = new Float64Array(kept.length);
  kept.forEach((i, k) => {
    times[k] = allTimes[i]!;
    nodes[k] = indexOf.get(profile.samples[i]!)!;
    const next = i + 1 < count ? allTimes[i + 1]! - allTimes[i]! : meanUs;
    // A gap means the thread did not run (the machine was busy) while this stack was on
    // it: the time is this sample's, as DevTools counts it. Only a stopped process (a
    // debugger, SIGSTOP) makes a gap so long that it is cut.
    durations[k] = Math.min(next, meanUs * MAX_GAP_INTERVALS) / 1000;
  });
  return { times, nodes, durations };
}
