import { createHash } from 'node:crypto';
import type { CallTreeNode, FunctionRow } from '../../shared/profile.js';
import type { ProfileFile } from '../profiler/accumulated-profile.js';
import type { DropReporter } from './drop-reporter.js';
import { withTimeout, type RedisCommands, type RedisKeys } from './redis-client.js';
import type { ProfileSink } from './profile-sink.js';

type Tables = ProfileFile['all'];
type Frame = Pick<FunctionRow, 'functionName' | 'url' | 'lineNumber' | 'columnNumber'>;

/**
 * Adds a batch in one atomic script. KEYS: meta, the set of routes, then one hash per scope
 * (the whole profile, each route). ARGV: since, intervalMs, then per scope its route ('' for
 * the whole profile), how many set-once fields and how many increments follow, and those
 * field/value pairs. Every number is an HINCRBYFLOAT: processes add, nobody reads and writes back.
 */
const ADD_BATCH = `
redis.call('HSETNX', KEYS[1], 'since', ARGV[1])
redis.call('HSETNX', KEYS[1], 'intervalMs', ARGV[2])
local at = 3
for k = 3, #KEYS do
  local route, once, increments = ARGV[at], tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  at = at + 3
  if route ~= '' then redis.call('SADD', KEYS[2], route) end
  for i = 1, once do
    redis.call('HSETNX', KEYS[k], ARGV[at], ARGV[at + 1])
    at = at + 2
  end
  for i = 1, increments do
    redis.call('HINCRBYFLOAT', KEYS[k], ARGV[at], ARGV[at + 1])
    at = at + 2
  end
end
return 1
`;

/*
 * One hash per scope. Fields: `requests`, `samples`, `totalMs`; per function `fn:<metric>:<frame>`
 * with the frame as JSON; per call-tree node `tn:<id>` = [parent id, ...frame] (set once) and
 * `tt:`, `ts:`, `tc:<id>` for total ms, self ms and samples. A node's id hashes its parent's id
 * and its frame, so every process names the same path alike without coordination.
 */
const FUNCTION_METRICS = { n: 'samples', sn: 'selfSamples', sm: 'selfMs', cm: 'cumulativeMs' } as const;
const NODE_METRICS = { tt: 'totalMs', ts: 'selfMs', tc: 'samples' } as const;
const ROOT_ID = 'root';

/** The accumulated profile of a fleet, in Redis. */
export class RedisProfileSink implements ProfileSink {
  constructor(
    private readonly client: () => RedisCommands | null,
    private readonly keys: RedisKeys,
    private readonly timeoutMs: number,
    private readonly drops: DropReporter,
  ) {}

  async add(batch: ProfileFile): Promise<void> {
    const client = this.client();
    if (client === null) return this.drops.drop(new Error('Redis is not connected; a profile batch was dropped'));
    const scopes: Array<[route: string, tables: Tables]> = [['', batch.all], ...Object.entries(batch.routes)];
    const args = [String(batch.since), String(batch.intervalMs)];
    for (const [route, tables] of scopes) args.push(route, ...encodeTables(tables));
    try {
      await client.eval(ADD_BATCH, {
        keys: [this.keys.profile('meta'), this.keys.profile('routes'), ...scopes.map(([route]) => this.scopeKey(route))],
        arguments: args,
      });
    } catch (error) {
      this.drops.drop(error);
    }
  }

  async read(): Promise<ProfileFile | null> {
    const client = this.connected();
    const [meta, routes] = await this.bounded(
      Promise.all([client.hGetAll(this.keys.profile('meta')), client.sMembers(this.keys.profile('routes'))]),
    );
    if (meta.since === undefined) return null;
    const hashes = await this.bounded(Promise.all(['', ...routes].map((route) => client.hGetAll(this.scopeKey(route)))));
    const file: ProfileFile = {
      format: 'loupe-profile',
      version: 1,
      since: Number(meta.since),
      intervalMs: Number(meta.intervalMs),
      all: decodeTables(hashes[0]!),
      routes: {},
    };
    routes.forEach((route, i) => (file.routes[route] = decodeTables(hashes[i + 1]!)));
    return file;
  }

  async reset(): Promise<void> {
    const client = this.connected();
    const routes = await this.bounded(client.sMembers(this.keys.profile('routes')));
    const keys = [this.keys.profile('meta'), this.keys.profile('routes'), ...['', ...routes].map((route) => this.scopeKey(route))];
    await this.bounded(client.del(keys));
  }

  private scopeKey(route: string): string {
    return this.keys.profile(route === '' ? 'all' : `route:${route}`);
  }

  private connected(): RedisCommands {
    const client = this.client();
    if (client === null) throw new Error('Redis is not connected');
    return client;
  }

  private bounded<T>(promise: Promise<T>): Promise<T> {
    return withTimeout(promise, this.timeoutMs, 'Redis did not answer in time');
  }
}

/** A scope's set-once fields and increments: `[once, increments, ...once pairs, ...increment pairs]`. */
function encodeTables(tables: Tables): string[] {
  const once: string[] = [];
  const increments: string[] = [];
  const add = (field: string, value: number) => {
    if (value !== 0) increments.push(field, String(value));
  };
  add('requests', tables.requests);
  add('samples', tables.samples);
  add('totalMs', tables.totalMs);
  for (const row of tables.functions) {
    const frame = frameJson(row);
    for (const [metric, name] of Object.entries(FUNCTION_METRICS)) add(`fn:${metric}:${frame}`, row[name]);
  }
  const visit = (node: CallTreeNode, id: string) => {
    for (const [metric, name] of Object.entries(NODE_METRICS)) add(`${metric}:${id}`, node[name]);
    for (const child of node.children) {
      const frame = frameJson(child);
      const childId = createHash('sha1').update(`${id}\n${frame}`).digest('base64url').slice(0, 16);
      once.push(`tn:${childId}`, `[${JSON.stringify(id)},${frame.slice(1)}`);
      visit(child, childId);
    }
  };
  visit(tables.tree, ROOT_ID);
  return [String(once.length / 2), String(increments.length / 2), ...once, ...increments];
}

function frameJson(frame: Frame): string {
  return JSON.stringify([frame.functionName, frame.url, frame.lineNumber, frame.columnNumber]);
}

function decodeTables(hash: Record<string, string>): Tables {
  const rows = new Map<string, FunctionRow>();
  const nodes = new Map<string, CallTreeNode>();
  const parents: Array<[parent: string, id: string]> = [];
  const nodeOf = (id: string) => {
    let node = nodes.get(id);
    if (node === undefined) {
      node = { functionName: '(root)', url: '', lineNumber: 0, columnNumber: 0, selfMs: 0, totalMs: 0, samples: 0, children: [] };
      nodes.set(id, node);
    }
    return node;
  };
  const tables: Tables = { requests: 0, samples: 0, totalMs: 0, functions: [], tree: nodeOf(ROOT_ID) };
  for (const [field, value] of Object.entries(hash)) {
    if (field === 'requests' || field === 'samples' || field === 'totalMs') {
      tables[field] = Number(value);
    } else if (field.startsWith('fn:')) {
      const split = field.indexOf(':', 3);
      const frame = field.slice(split + 1);
      let row = rows.get(frame);
      if (row === undefined) {
        const [functionName, url, lineNumber, columnNumber] = JSON.parse(frame) as [string, string, number, number];
        row = { functionName, url, lineNumber, columnNumber, samples: 0, selfSamples: 0, selfMs: 0, cumulativeMs: 0 };
        rows.set(frame, row);
      }
      row[FUNCTION_METRICS[field.slice(3, split) as keyof typeof FUNCTION_METRICS]] = Number(value);
    } else if (field.startsWith('tn:')) {
      const id = field.slice(3);
      const [parent, functionName, url, lineNumber, columnNumber] = JSON.parse(value) as [string, string, string, number, number];
      Object.assign(nodeOf(id), { functionName, url, lineNumber, columnNumber });
      parents.push([parent, id]);
    } else {
      const split = field.indexOf(':');
      nodeOf(field.slice(split + 1))[NODE_METRICS[field.slice(0, split) as keyof typeof NODE_METRICS]] = Number(value);
    }
  }
  for (const [parent, id] of parents) nodeOf(parent).children.push(nodes.get(id)!);
  tables.functions = [...rows.values()];
  return tables;
}
