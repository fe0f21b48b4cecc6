import type { CallTreeNode, CpuProfile, CpuProfileNode } from '../../../shared/profile.js';
import { functionKey } from './functions.js';

/**
 * A `.cpuprofile` as the merged call tree the flame graph draws: each sample lasts until the
 * next one, V8's frames are 0-based and the API's 1-based, and sibling frames of one function
 * (V8 splits them by script id) merge.
 */
export function cpuProfileTree(profile: CpuProfile): CallTreeNode {
  const selfUs = new Map<number, number>();
  const hits = new Map<number, number>();
  profile.samples.forEach((node, index) => {
    const next = profile.timeDeltas[index + 1] ?? 0;
    selfUs.set(node, (selfUs.get(node) ?? 0) + next);
    hits.set(node, (hits.get(node) ?? 0) + 1);
  });
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  const root = profile.nodes.find((node) => !childIds.has(node.id));

  const convert = (node: CpuProfileNode): CallTreeNode => {
    const children = mergeSiblings((node.children ?? []).flatMap((id) => (byId.has(id) ? [convert(byId.get(id)!)] : [])));
    const selfMs = (selfUs.get(node.id) ?? 0) / 1000;
    const samples = hits.get(node.id) ?? 0;
    return {
      functionName: node.callFrame.functionName,
      url: node.callFrame.url,
      lineNumber: node.callFrame.lineNumber + 1,
      columnNumber: node.callFrame.columnNumber + 1,
      selfMs,
      totalMs: children.reduce((sum, child) => sum + child.totalMs, selfMs),
      samples: children.reduce((sum, child) => sum + child.samples, samples),
      children,
    };
  };
  const tree = root === undefined ? undefined : convert(root);
  return tree ?? { functionName: '(root)', url: '', lineNumber: 0, columnNumber: 0, selfMs: 0, totalMs: 0, samples: 0, children: [] };
}

function mergeSiblings(nodes: CallTreeNode[]): CallTreeNode[] {
  const merged = new Map<string, CallTreeNode>();
  for (const node of nodes) {
    const key = functionKey(node);
    const into = merged.get(key);
    merged.set(
      key,
      into === undefined
        ? node
        : {
            ...into,
            selfMs: into.selfMs + node.selfMs,
            totalMs: into.totalMs + node.totalMs,
            samples: into.samples + node.samples,
            children: mergeSiblings([...into.children, ...node.children]),
          },
    );
  }
  return [...merged.values()].sort((a, b) => b.totalMs - a.totalMs);
}
