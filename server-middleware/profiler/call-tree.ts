import type { CallTreeNode, CpuProfile, CpuProfileNode } from '../../shared/profile.js';
import { displayedFunctionKey, type IndexedSegment } from './indexed-segment.js';
import { round } from './function-table.js';

/** A `CallTreeNode` while it grows: children by function key. */
interface TreeNode extends Omit<CallTreeNode, 'children'> {
  children: Map<string, TreeNode>;
}

function newNode(functionName: string, url = '', lineNumber = 0, columnNumber = 0): TreeNode {
  return { functionName, url, lineNumber, columnNumber, selfMs: 0, totalMs: 0, samples: 0, children: new Map() };
}

/**
 * Call stacks merged by path, for flame graphs. Bounded in nodes: once full, time that would
 * need a new node stays with the deepest existing one, so totals remain exact.
 */
export class CallTree {
  private root = newNode('(root)');
  private nodeCount = 1;

  constructor(private readonly maxNodes: number) {}

  /** Adds `samples` samples lasting `ms` in all, in which `node` was running. */
  addSample(segment: IndexedSegment, node: number, ms: number, samples = 1): void {
    let at = this.root;
    at.totalMs += ms;
    at.samples += samples;
    for (const index of segment.path(node)) {
      const frame = segment.frames[index]!;
      const key = segment.keys[index]!;
      let child = at.children.get(key);
      if (child === undefined) {
        if (this.nodeCount >= this.maxNodes) break;
        child = newNode(frame.functionName, frame.url, frame.lineNumber + 1, frame.columnNumber + 1);
        at.children.set(key, child);
        this.nodeCount++;
      }
      at = child;
      at.totalMs += ms;
      at.samples += samples;
    }
    at.selfMs += ms;
  }

  toJSON(): CallTreeNode {
    const convert = (node: TreeNode): CallTreeNode => ({
      functionName: node.functionName,
      url: node.url,
      lineNumber: node.lineNumber,
      columnNumber: node.columnNumber,
      selfMs: round(node.selfMs),
      totalMs: round(node.totalMs),
      samples: node.samples,
      children: [...node.children.values()].sort((a, b) => b.totalMs - a.totalMs).map(convert),
    });
    return convert(this.root);
  }

  merge(tree: CallTreeNode): void {
    const visit = (into: TreeNode, from: CallTreeNode) => {
      into.totalMs += from.totalMs;
      into.samples += from.samples;
      into.selfMs += from.selfMs;
      for (const child of from.children) {
        // Keyed like `addSample` keys a frame, so loaded and new time meet in one node.
        const key = displayedFunctionKey(child);
        let target = into.children.get(key);
        if (target === undefined) {
          if (this.nodeCount >= this.maxNodes) {
            into.selfMs += child.totalMs;
            continue;
          }
          target = newNode(child.functionName, child.url, child.lineNumber, child.columnNumber);
          into.children.set(key, target);
          this.nodeCount++;
        }
        visit(target, child);
      }
    };
    visit(this.root, tree);
  }

  /**
   * The tree as one `.cpuprofile`: each node's self time becomes that many samples of the
   * nominal interval. Order in time is lost, which flame graphs and tables do not need.
   */
  toCpuProfile(intervalMs: number, maxSamples: number): CpuProfile {
    const nodes: CpuProfileNode[] = [];
    const samples: number[] = [];
    const total = Math.max(1, Math.round(this.root.totalMs / intervalMs));
    const scale = Math.min(1, maxSamples / total);
    const visit = (node: TreeNode): number => {
      const id = nodes.length + 1;
      const entry: CpuProfileNode = {
        id,
        callFrame: {
          functionName: node.functionName,
          scriptId: '0',
          url: node.url,
          lineNumber: Math.max(0, node.lineNumber - 1),
          columnNumber: Math.max(0, node.columnNumber - 1),
        },
        hitCount: Math.round((node.selfMs / intervalMs) * scale),
        children: [],
      };
      nodes.push(entry);
      for (let i = 0; i < entry.hitCount!; i++) samples.push(id);
      for (const child of node.children.values()) entry.children!.push(visit(child));
      return id;
    };
    visit(this.root);
    const deltaUs = Math.round((intervalMs * 1000) / scale);
    return {
      nodes,
      startTime: 0,
      endTime: samples.length * deltaUs,
      samples,
      timeDeltas: samples.map(() => deltaUs),
    };
  }
}
