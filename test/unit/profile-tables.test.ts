import { describe, expect, it } from 'vitest';
import type { CallFrame, CpuProfile } from '../../shared/profile.js';
import { AccumulatedProfile, isProfileFile } from '../../server-middleware/profiler/accumulated-profile.js';
import { FunctionTable } from '../../server-middleware/profiler/function-table.js';
import { IndexedSegment } from '../../server-middleware/profiler/indexed-segment.js';
import { cutProfile } from '../../server-middleware/profiler/request-profile.js';

const frame = (functionName: string, lineNumber = 0, url = 'file:///app.js'): CallFrame => ({
  functionName,
  scriptId: String(lineNumber),
  url,
  lineNumber,
  columnNumber: 0,
});

/**
 * root ─ main ─ fib ─ fib ─ fib
 *     │      └ work
 *     ├ (idle)
 *     └ (garbage collector)
 * Samples every 1000 µs from t=1000: main, fib, fib₂, fib₃, work, work, (idle), (gc), fib₃, work
 */
function syntheticProfile(): CpuProfile {
  const nodes = [
    { id: 1, callFrame: frame('(root)', -1, ''), children: [2, 7, 8] },
    { id: 2, callFrame: frame('main', 1), children: [3, 6] },
    { id: 3, callFrame: frame('fib', 10), children: [4] },
    { id: 4, callFrame: frame('fib', 10), children: [5] },
    { id: 5, callFrame: frame('fib', 10), children: [] },
    { id: 6, callFrame: frame('work', 20), children: [] },
    { id: 7, callFrame: frame('(idle)', -1, ''), children: [] },
    { id: 8, callFrame: frame('(garbage collector)', -1, ''), children: [] },
  ];
  const samples = [2, 3, 4, 5, 6, 6, 7, 8, 5, 6];
  return { nodes, startTime: 0, endTime: 11_000, samples, timeDeltas: samples.map(() => 1000) };
}

const segmentOf = (profile: CpuProfile, startUs = 0, endUs = 11_000) => new IndexedSegment({ profile, startUs, endUs });

function rowsByName(table: FunctionTable) {
  return Object.fromEntries(table.sorted('cumulative').map((row) => [row.functionName, row]));
}

describe('profile statistics from the sample tree', () => {
  it('count self time at the leaf and cumulative time once per sample, however deep the recursion', () => {
    const segment = segmentOf(syntheticProfile());
    const table = new FunctionTable(100);
    for (let i = 0; i < segment.times.length; i++) table.addSample(segment, segment.nodes[i]!, segment.durationsMs[i]!);
    const rows = rowsByName(table);
    expect(rows.main).toMatchObject({ samples: 8, selfSamples: 1, selfMs: 1, cumulativeMs: 8 });
    expect(rows.fib).toMatchObject({ samples: 4, selfSamples: 4, selfMs: 4, cumulativeMs: 4, lineNumber: 11 });
    expect(rows.work).toMatchObject({ samples: 3, selfSamples: 3, selfMs: 3, cumulativeMs: 3 });
    expect(rows['(idle)']).toMatchObject({ selfMs: 1, cumulativeMs: 1 });
    expect(rows['(garbage collector)']).toMatchObject({ selfMs: 1, cumulativeMs: 1 });
    expect(rows['(root)']).toBeUndefined();
    expect(table.sorted('self', 1)[0]!.functionName).toBe('fib');
  });

  it('drop samples outside the segment, which overlap its neighbours', () => {
    const segment = segmentOf(syntheticProfile(), 2500, 6500);
    expect(Array.from(segment.times)).toEqual([3000, 4000, 5000, 6000]);
  });

  it('cut a window into a valid .cpuprofile of its own', () => {
    const segment = segmentOf(syntheticProfile());
    const cut = cutProfile([segment], 2500, 9500);
    const { cpuProfile } = cut;
    expect(cut.samples).toBe(7);
    expect(cpuProfile.samples).toHaveLength(cpuProfile.timeDeltas.length);
    const ids = new Set(cpuProfile.nodes.map((node) => node.id));
    expect(ids.size).toBe(cpuProfile.nodes.length);
    for (const node of cpuProfile.nodes) for (const child of node.children ?? []) expect(ids.has(child)).toBe(true);
    for (const sample of cpuProfile.samples) expect(ids.has(sample)).toBe(true);
    expect(cpuProfile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0)).toBe(7);
    expect(cpuProfile.startTime + cpuProfile.timeDeltas.reduce((a, b) => a + b, 0)).toBe(9000);
    expect(cpuProfile.endTime).toBe(9500);
    expect(cut.functions.sorted('self', 1)[0]).toMatchObject({ functionName: 'fib', selfSamples: 3 });
  });

  it('accumulate per route, merge through the stats file format, and bound the routes', () => {
    const segment = segmentOf(syntheticProfile());
    const profile = new AccumulatedProfile(1, { maxFunctions: 100, maxTreeNodes: 100, maxRoutes: 2 });
    expect(profile.isEmpty).toBe(true);
    for (const route of ['GET /a', 'GET /b', 'GET /c']) profile.addRequest(route);
    for (let i = 0; i < segment.times.length; i++) {
      profile.addSample(i < 5 ? ['GET /a'] : ['GET /b', 'GET /c'], segment, segment.nodes[i]!, segment.durationsMs[i]!);
    }
    const all = profile.toJSON({ sort: 'cumulative', limit: 2 })!;
    expect(all).toMatchObject({ requests: 3, samples: 10, totalMs: 10, functionCount: 5 });
    expect(all.functions.map((row) => row.functionName)).toEqual(['main', 'fib']);
    expect(all.routes.map((route) => route.route).sort()).toEqual(['(other routes)', 'GET /a', 'GET /b']);
    expect(profile.toJSON({ route: 'GET /a', sort: 'self', limit: 10 })!.samples).toBe(5);
    expect(profile.toJSON({ route: 'GET /nope', sort: 'self', limit: 10 })).toBeNull();

    const file = JSON.parse(JSON.stringify(profile.toFile()));
    expect(isProfileFile(file)).toBe(true);
    const restored = new AccumulatedProfile(1, { maxFunctions: 100, maxTreeNodes: 100, maxRoutes: 10 });
    restored.merge(file);
    restored.merge(file);
    expect(restored.toJSON({ sort: 'cumulative', limit: 100 })).toMatchObject({ requests: 6, samples: 20, totalMs: 20 });
    expect(rowsFrom(restored).fib).toMatchObject({ samples: 8, selfMs: 8, cumulativeMs: 8 });
    const tree = restored.tree(null)!;
    expect(tree.totalMs).toBe(20);
    expect(tree.children.find((child) => child.functionName === 'main')!.totalMs).toBe(16);

    profile.reset();
    expect(profile.isEmpty).toBe(true);
  });

  it('merge loaded statistics into the same tree nodes that new samples reach', () => {
    const segment = segmentOf(syntheticProfile());
    const bounds = { maxFunctions: 100, maxTreeNodes: 100, maxRoutes: 10 };
    const saved = new AccumulatedProfile(1, bounds);
    for (let i = 0; i < segment.times.length; i++) saved.addSample([], segment, segment.nodes[i]!, segment.durationsMs[i]!);
    const restarted = new AccumulatedProfile(1, bounds);
    restarted.merge(JSON.parse(JSON.stringify(saved.toFile())));
    for (let i = 0; i < segment.times.length; i++) restarted.addSample([], segment, segment.nodes[i]!, segment.durationsMs[i]!);
    const tree = restarted.tree(null)!;
    const mains = tree.children.filter((child) => child.functionName === 'main');
    expect(mains).toHaveLength(1);
    expect(mains[0]!.totalMs).toBe(16);
    expect(rowsFrom(restarted).fib).toMatchObject({ samples: 8, selfMs: 8 });
  });

  it('keep the merged tree within its node bound without losing time', () => {
    const segment = segmentOf(syntheticProfile());
    const profile = new AccumulatedProfile(1, { maxFunctions: 100, maxTreeNodes: 3, maxRoutes: 10 });
    for (let i = 0; i < segment.times.length; i++) profile.addSample([], segment, segment.nodes[i]!, segment.durationsMs[i]!);
    const tree = profile.tree(null)!;
    const count = (node: typeof tree): number => 1 + node.children.reduce((sum, child) => sum + count(child), 0);
    expect(count(tree)).toBeLessThanOrEqual(3);
    const self = (node: typeof tree): number => node.selfMs + node.children.reduce((sum, child) => sum + self(child), 0);
    expect(self(tree)).toBe(10);
    const cpuProfile = profile.cpuProfile(null)!;
    expect(cpuProfile.samples).toHaveLength(10);
  });

  it('refuse files that are not Loupe profiles', () => {
    for (const bad of [null, 42, {}, { format: 'loupe-profile', version: 2 }, { format: 'other', version: 1 }]) {
      expect(isProfileFile(bad)).toBe(false);
    }
  });
});

function rowsFrom(profile: AccumulatedProfile) {
  return Object.fromEntries(profile.toJSON({ sort: 'cumulative', limit: 100 })!.functions.map((row) => [row.functionName, row]));
}
