import type { CpuProfile, CpuProfileNode } from '../../shared/profile.js';
import { FunctionTable } from './function-table.js';
import type { IndexedSegment } from './indexed-segment.js';

export interface CutProfile {
  cpuProfile: CpuProfile;
  samples: number;
  sampledMs: number;
  functions: FunctionTable;
}

/** Where samples go whose call path would need more than `maxNodes` nodes. */
const TRUNCATED_FRAME = { functionName: '(truncated)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 };

/**
 * The part of the continuous profile inside one request's window, as a `.cpuprofile` of its
 * own (nodes renumbered, only the paths its samples used) and its top functions. A long
 * request touching many distinct stacks is bounded at `maxNodes`: further paths count under
 * one `(truncated)` node below the root.
 */
export function cutProfile(segments: readonly IndexedSegment[], startUs: number, endUs: number, maxNodes = Infinity): CutProfile {
  const nodes: CpuProfileNode[] = [
    { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 0, children: [] },
  ];
  const idsByPath = new Map<string, number>();
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  const table = new FunctionTable(Infinity);
  // Deltas between rounded times, so that they add up exactly to each sample's time.
  let previousUs = Math.round(startUs);
  let sampledMs = 0;
  let truncatedId = 0;
  const truncated = (): number => {
    if (truncatedId === 0) {
      truncatedId = nodes.length + 1;
      nodes.push({ id: truncatedId, callFrame: { ...TRUNCATED_FRAME }, hitCount: 0, children: [] });
      nodes[0]!.children!.push(truncatedId);
    }
    return truncatedId;
  };

  for (const segment of segments) {
    if (segment.endUs <= startUs || segment.startUs >= endUs) continue;
    const idsByNode = new Map<number, number>();
    const idOf = (index: number): number => {
      const known = idsByNode.get(index);
      if (known !== undefined) return known;
      let parentId = 1;
      let pathKey = '';
      for (const at of segment.path(index)) {
        pathKey += `\u0001${segment.keys[at]!}`;
        let id = idsByPath.get(pathKey);
        if (id === undefined) {
          if (nodes.length >= maxNodes - 1) return truncated();
          id = nodes.length + 1;
          idsByPath.set(pathKey, id);
          nodes.push({ id, callFrame: { ...segment.frames[at]! }, hitCount: 0, children: [] });
          nodes[parentId - 1]!.children!.push(id);
        }
        parentId = id;
      }
      idsByNode.set(index, parentId);
      return parentId;
    };
    for (let i = segment.sampleAt(startUs); i < segment.times.length && segment.times[i]! < endUs; i++) {
      const node = segment.nodes[i]!;
      const id = idOf(node);
      nodes[id - 1]!.hitCount! += 1;
      samples.push(id);
      const atUs = Math.round(segment.times[i]!);
      timeDeltas.push(atUs - previousUs);
      previousUs = atUs;
      sampledMs += segment.durationsMs[i]!;
      table.addSample(segment, node, segment.durationsMs[i]!);
    }
  }
  return {
    cpuProfile: { nodes, startTime: Math.round(startUs), endTime: Math.round(endUs), samples, timeDeltas },
    samples: samples.length,
    sampledMs,
    functions: table,
  };
}
