import { Fragment } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CallTreeNode } from '../../../shared/profile.js';
import { formatCount, formatMs } from '../format.js';
import { fileLine, functionKey, functionName } from './functions.js';

/** Boxes narrower than this share of the focused node carry nothing readable. */
const MIN_SHARE = 0.002;
const ROW_PX = 18;
/** Narrower boxes get no label: a letter and an ellipsis say nothing, the tooltip does. */
const LABEL_MIN_PX = 28;
/** Frames shown at each end of a long path above the graph. */
const PATH_ENDS = 3;

interface Box {
  node: CallTreeNode;
  /** Keys from the root to this node: how zoom finds it again after a refresh. */
  path: string[];
  depth: number;
  left: number;
  width: number;
}

interface Focus {
  /** The frames above the graph's top frame, from the root: shown as a clickable path. */
  above: Array<{ node: CallTreeNode; path: string[] }>;
  top: CallTreeNode;
  path: string[];
}

/**
 * The zoomed-in frame, following `zoom` as far as the (refreshed) tree allows, then down every
 * frame that has one callee only: the server's and the framework's outer frames every sample
 * passes through would fill the graph with full-width rows that say nothing.
 */
function focusOf(root: CallTreeNode, zoom: readonly string[]): Focus {
  const above: Focus['above'] = [];
  let top = root;
  let path: string[] = [];
  const step = (child: CallTreeNode) => {
    above.push({ node: top, path });
    path = [...path, functionKey(child)];
    top = child;
  };
  for (const key of zoom) {
    const child = top.children.find((candidate) => functionKey(candidate) === key);
    if (child === undefined) break;
    step(child);
  }
  while (top.children.length === 1) step(top.children[0]!);
  return { above, top, path };
}

function layout({ top, path }: Focus): Box[] {
  const boxes: Box[] = [];
  const scale = top.totalMs;
  if (scale <= 0) return boxes;
  const visit = (node: CallTreeNode, nodePath: string[], depth: number, left: number) => {
    const width = node.totalMs / scale;
    if (width < MIN_SHARE) return;
    boxes.push({ node, path: nodePath, depth, left, width });
    let childLeft = left;
    for (const child of node.children) {
      visit(child, [...nodePath, functionKey(child)], depth + 1, childLeft);
      childLeft += child.totalMs / scale;
    }
  };
  visit(top, path, 0, 0);
  return boxes;
}

/** The path above the graph; long paths show their ends until asked for the middle. */
function FramePath({ above, onZoom }: { above: Focus['above']; onZoom: (path: string[]) => void }) {
  const [whole, setWhole] = useState(false);
  if (above.length === 0) return null;
  const hidden = whole || above.length <= PATH_ENDS * 2 ? 0 : above.length - PATH_ENDS * 2;
  const shown = hidden === 0 ? above : [...above.slice(0, PATH_ENDS), ...above.slice(-PATH_ENDS)];
  return (
    <div class="flame-path" aria-label="Frames above">
      {shown.map((frame, index) => (
        <Fragment key={frame.path.join('\n')}>
          {hidden > 0 && index === PATH_ENDS && (
            <button type="button" class="crumb more" onClick={() => setWhole(true)}>{`… ${hidden} more …`}</button>
          )}
          <button type="button" class="crumb" title={frame.node.url || undefined} onClick={() => onZoom(frame.path)}>
            {functionName(frame.node)}
          </button>
        </Fragment>
      ))}
    </div>
  );
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
      <div>{`Total ${formatMs(node.totalMs)}${share} · self ${formatMs(node.selfMs)} · ${formatCount(node.samples, 'sample')}`}</div>
    </div>
  );
}

/** The element's width in pixels, kept up to date as the panel is resized. */
function useWidth(ref: { current: HTMLElement | null }): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    setWidth(element.clientWidth);
    return () => observer.disconnect();
  }, [ref.current]);
  return width;
}

/**
 * An icicle graph of a merged call tree: callers on top, callees below, widths by time. A
 * click zooms into a frame; the path above the graph zooms back out.
 */
export function FlameGraph({ tree }: { tree: CallTreeNode }) {
  const [zoom, setZoom] = useState<string[]>([]);
  const [hover, setHover] = useState<{ box: Box; at: { x: number; y: number } } | null>(null);
  const graph = useRef<HTMLDivElement>(null);
  const widthPx = useWidth(graph);
  const focus = useMemo(() => focusOf(tree, zoom), [tree, zoom]);
  const boxes = useMemo(() => layout(focus), [focus]);
  if (tree.totalMs <= 0) return <p class="empty">No samples yet.</p>;
  const depth = Math.max(...boxes.map((box) => box.depth)) + 1;
  return (
    <>
      <FramePath above={focus.above} onZoom={setZoom} />
      <div class="flame-scroll">
        <div class="flame" ref={graph} style={{ height: `${depth * ROW_PX}px` }} onMouseLeave={() => setHover(null)}>
          {boxes.map((box) => (
            <div
              key={box.path.join('\n')}
              class={`flame-box kind-${kindOf(box.node)}`}
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
              {box.width * widthPx >= LABEL_MIN_PX ? functionName(box.node) : ''}
            </div>
          ))}
          {hover !== null && <Tooltip box={hover.box} totalMs={tree.totalMs} at={hover.at} />}
        </div>
      </div>
    </>
  );
}
