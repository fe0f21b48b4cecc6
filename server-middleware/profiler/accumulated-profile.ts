import type {
  AccumulatedProfileJson,
  CallTreeNode,
  CpuProfile,
  FunctionRow,
  ProfileSort,
  RouteTotals,
} from '../../shared/profile.js';
import { CallTree } from './call-tree.js';
import { FunctionTable, round } from './function-table.js';
import type { IndexedSegment } from './indexed-segment.js';

export interface ProfileBounds {
  /** Rows of a function table (the whole profile's, and each route's). */
  maxFunctions: number;
  /** Nodes of the merged call tree of the whole profile; each route's gets a tenth. */
  maxTreeNodes: number;
  /** Routes with their own tables; later ones share `(other routes)`. */
  maxRoutes: number;
}

const OTHER_ROUTES = '(other routes)';
const CPUPROFILE_MAX_SAMPLES = 200_000;

/** One table of statistics: the whole profile's, or one route's. */
class ProfileTables {
  requests = 0;
  samples = 0;
  totalMs = 0;
  readonly functions: FunctionTable;
  readonly tree: CallTree;

  constructor(maxFunctions: number, maxTreeNodes: number) {
    this.functions = new FunctionTable(maxFunctions);
    this.tree = new CallTree(maxTreeNodes);
  }

  addSample(segment: IndexedSegment, node: number, ms: number, samples: number): void {
    this.samples += samples;
    this.totalMs += ms;
    this.functions.addSample(segment, node, ms, samples);
    this.tree.addSample(segment, node, ms, samples);
  }

  toFile(): TablesFile {
    return {
      requests: this.requests,
      samples: this.samples,
      totalMs: this.totalMs,
      functions: this.functions.sorted('cumulative'),
      tree: this.tree.toJSON(),
    };
  }

  merge(file: TablesFile): void {
    this.requests += file.requests;
    this.samples += file.samples;
    this.totalMs += file.totalMs;
    this.functions.merge(file.functions);
    this.tree.merge(file.tree);
  }
}

interface TablesFile {
  requests: number;
  samples: number;
  totalMs: number;
  functions: FunctionRow[];
  tree: CallTreeNode;
}

/** What `statsFile` holds. */
export interface ProfileFile {
  format: 'loupe-profile';
  version: 1;
  since: number;
  intervalMs: number;
  all: TablesFile;
  routes: Record<string, TablesFile>;
}

/**
 * The statistics of every sampled request since the start or the last reset, for the whole
 * process and per route. A sample taken while several sampled requests were in flight is
 * counted once in the whole profile and once in each of their routes.
 */
export class AccumulatedProfile {
  private since = Date.now();
  private all: ProfileTables;
  private routes = new Map<string, ProfileTables>();

  constructor(
    private readonly intervalMs: number,
    private readonly bounds: ProfileBounds,
  ) {
    this.all = this.newTables(true);
  }

  get isEmpty(): boolean {
    return this.all.requests === 0 && this.all.samples === 0;
  }

  addRequest(route: string): void {
    this.all.requests++;
    this.tablesOf(route).requests++;
  }

  /** Adds `samples` samples (1 unless grouped) lasting `ms` in all, in which `node` was running. */
  addSample(routes: Iterable<string>, segment: IndexedSegment, node: number, ms: number, samples = 1): void {
    this.all.addSample(segment, node, ms, samples);
    for (const route of routes) this.tablesOf(route).addSample(segment, node, ms, samples);
  }

  reset(): void {
    this.since = Date.now();
    this.all = this.newTables(true);
    this.routes = new Map();
  }

  /** `null` when the route has no statistics. */
  toJSON(options: { route?: string | null; sort: ProfileSort; limit: number }): AccumulatedProfileJson | null {
    const route = options.route ?? null;
    const tables = route === null ? this.all : this.routes.get(route);
    if (tables === undefined) return null;
    return {
      since: this.since,
      route,
      intervalMs: this.intervalMs,
      requests: tables.requests,
      samples: tables.samples,
      totalMs: round(tables.totalMs),
      sort: options.sort,
      functionCount: tables.functions.size,
      functions: tables.functions.sorted(options.sort, options.limit),
      routes: this.routeTotals(),
    };
  }

  tree(route: string | null): CallTreeNode | null {
    const tables = route === null ? this.all : this.routes.get(route);
    return tables?.tree.toJSON() ?? null;
  }

  cpuProfile(route: string | null): CpuProfile | null {
    const tables = route === null ? this.all : this.routes.get(route);
    return tables?.tree.toCpuProfile(this.intervalMs, CPUPROFILE_MAX_SAMPLES) ?? null;
  }

  toFile(): ProfileFile {
    const routes: Record<string, TablesFile> = {};
    for (const [route, tables] of this.routes) routes[route] = tables.toFile();
    return { format: 'loupe-profile', version: 1, since: this.since, intervalMs: this.intervalMs, all: this.all.toFile(), routes };
  }

  /** Adds a file's statistics to these (they were loaded at start, or come from elsewhere). */
  merge(file: ProfileFile): void {
    this.since = Math.min(this.since, file.since);
    this.all.merge(file.all);
    for (const [route, tables] of Object.entries(file.routes)) this.tablesOf(route).merge(tables);
  }

  private routeTotals(): RouteTotals[] {
    return [...this.routes]
      .map(([route, tables]) => ({ route, requests: tables.requests, samples: tables.samples, totalMs: round(tables.totalMs) }))
      .sort((a, b) => b.totalMs - a.totalMs || b.requests - a.requests);
  }

  private tablesOf(route: string): ProfileTables {
    let tables = this.routes.get(route);
    if (tables === undefined) {
      // Past the bound, every new route shares one extra table.
      const key = this.routes.size >= this.bounds.maxRoutes ? OTHER_ROUTES : route;
      tables = this.routes.get(key);
      if (tables === undefined) {
        tables = this.newTables(false);
        this.routes.set(key, tables);
      }
    }
    return tables;
  }

  private newTables(whole: boolean): ProfileTables {
    const treeNodes = whole ? this.bounds.maxTreeNodes : Math.ceil(this.bounds.maxTreeNodes / 10);
    return new ProfileTables(this.bounds.maxFunctions, treeNodes);
  }
}

/** Checks that parsed JSON is a profile file this version wrote. */
export function isProfileFile(value: unknown): value is ProfileFile {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as Partial<ProfileFile>;
  return (
    file.format === 'loupe-profile' &&
    file.version === 1 &&
    typeof file.since === 'number' &&
    isTablesFile(file.all) &&
    typeof file.routes === 'object' &&
    file.routes !== null &&
    Object.values(file.routes).every(isTablesFile)
  );
}

function isTablesFile(value: unknown): value is TablesFile {
  if (typeof value !== 'object' || value === null) return false;
  const tables = value as Partial<TablesFile>;
  return (
    typeof tables.requests === 'number' &&
    typeof tables.samples === 'number' &&
    typeof tables.totalMs === 'number' &&
    Array.isArray(tables.functions) &&
    tables.functions.every(isRow) &&
    isTreeNode(tables.tree)
  );
}

function isRow(value: unknown): value is FunctionRow {
  const row = value as Partial<FunctionRow> | null;
  return (
    typeof row === 'object' &&
    row !== null &&
    typeof row.functionName === 'string' &&
    typeof row.url === 'string' &&
    typeof row.lineNumber === 'number' &&
    typeof row.columnNumber === 'number' &&
    typeof row.samples === 'number' &&
    typeof row.selfSamples === 'number' &&
    typeof row.selfMs === 'number' &&
    typeof row.cumulativeMs === 'number'
  );
}

function isTreeNode(value: unknown): value is CallTreeNode {
  const node = value as Partial<CallTreeNode> | null;
  return (
    typeof node === 'object' &&
    node !== null &&
    typeof node.functionName === 'string' &&
    typeof node.totalMs === 'number' &&
    typeof node.selfMs === 'number' &&
    typeof node.samples === 'number' &&
    Array.isArray(node.children) &&
    node.children.every(isTreeNode)
  );
}
