import { useMemo, useState } from 'preact/hooks';
import type { CallTreeNode } from '../../../shared/profile.js';
import { formatMs } from '../format.js';
import { fileLine, functionKey, functionName } from './functions.js';

/** Boxes narrower than this share of the focused node carry nothing readable. */
const MIN_SHARE = 0.002;
const ROW_PX = 18;

interface Box {
  node: CallTreeNode;
  /** Keys from the root to this node: how zoom finds it again after a refresh. */
  path: string[];
  depth: number;
  left: number;
  width: number;
  /** Above the focused node: shown full width, dimmed; a click zooms out to it. */
  ancestor: boolean;
}

/** The focused node and its ancestors, following `path` as far as the (refreshed) tree allows. */
function focusOf(root: CallTreeNode, path: readonly string[]): { chain: CallTreeNode[]; path: string[] } {
  const chain = [root];
  const found: string[] = [];
  for (const key of path) {
    const child = chain.at(-1)!.children.find((candidate) => functionKey(candidate) === key);
    if (child === undefined) break;
    chain.push(child);
    found.push(key);
  }
  return { chain, path: found };
}

function layout(root: CallTreeNode, zoom: readonly string[]): Box[] {
  const { chain, path } = focusOf(root, zoom);
  const boxes: Box[] = chain.slice(0, -1).map((node, depth) => ({
    node, path: path.slice(0, depth), depth, left: 0, width: 1, ancestor: true,
  }));
  const focus = chain.at(-1)!;
  const scale = focus.totalMs;
  if (scale <= 0) return boxes;
  const visit = (node: CallTreeNode, nodePath: string[], depth: number, left: number) => {
    const width = node.totalMs / scale;
    if (width < MIN_SHARE) return;
    boxes.push({ node, path: nodePath, depth, left, width, ancestor: false });
    let childLeft = left;
    for (const child of node.children) {
      visit(child, [...nodePath, functionKey(child)], depth + 1, childLeft);
      childLeft += child.totalMs / scale;
    }
  };
  visit(focus, path, chain.length - 1, 0);
  return boxes;
}

function hash(text: string): number {
  let value = 0;
  for (let index = 0; index < text.length; index++) value = (value * 31 + text.charCodeAt(index)) | 0;
  return Math.abs(value);
}

/** Colour says whose code it is: the app's (warm), a dependency's (blue), Node's or V8's (grey). */
function kindOf(node: CallTreeNode): string {
  if (node.url === '' || node.url.startsWith('node:')) return 'runtime';
  return node.url.includes('/node_modules/') ? 'dependency' : 'app';
}

function Tooltip({ box, totalMs, at }: { box: Box; totalMs: number; at: { x: number; y: number } }) {
  const { node } = box;
  const share = totalMs > 0 ? ` (${((node.totalMs / totalMs) * 100).toFixed(1)}%)` : '';
  return (
    <div class="flame-tip" role="tooltip" style={{ left: `${at.x + 12}px`, top: `${at.y + 14}px` }}>
      <strong>{functionName(node)}</strong>
      {node.url !== '' && <div class="muted">{`${fileLine(node)} · ${node.url}`}</div>}
      <div>{`Total ${formatMs(node.totalMs)}${share} · self ${formatMs(node.selfMs)} · ${node.samples} samples`}</div>
    </div>
  );
}

/**
 * An icicle graph of a merged call tree: the root on top, callees below, widths by time.
 * A click zooms into a frame; a click on a dimmed ancestor (or the root) zooms back out.
 */
export function FlameGraph({ tree }: { tree: CallTreeNode }) {
  const [zoom, setZoom] = useState<string[]>([]);
  const [hover, setHover] = useState<{ box: Box; at: { x: number; y: number } } | null>(null);
  const boxes = useMemo(() => layout(tree, zoom), [tree, zoom]);
  if (tree.totalMs <= 0) return <p class="empty">No samples yet.</p>;
  const depth = Math.max(...boxes.map((box) => box.depth)) + 1;
  return (
    <div class="flame" style={{ height: `${depth * ROW_PX}px` }} onMouseLeave={() => setHover(null)}>
      {boxes.map((box) => (
        <div
          key={box.path.join('\n')}
          class={`flame-box kind-${kindOf(box.node)}${box.ancestor ? ' ancestor' : ''}`}
          style={{
            left: `${box.left * 100}%`,
            width: `${box.width * 100}%`,
            top: `${box.depth * ROW_PX}px`,
            '--hue': String(hash(box.node.functionName) % 40),
          }}
          data-function={box.node.functionName}
          onClick={() => setZoom(box.path)}
          onMouseMove={(event) => setHover({ box, at: { x: event.clientX, y: event.clientY } })}
        >
          {functionName(box.node)}
        </div>
      ))}
      {hover !== null && <Tooltip box={hover.box} totalMs={tree.totalMs} at={hover.at} />}
    </div>
  );
}
