import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { matchedRoute } from '../route.js';
import type { ProfileSink } from '../stores/profile-sink.js';
import { AccumulatedProfile, type ProfileBounds } from './accumulated-profile.js';
import { profileClockNow, toProfileClock } from './clock.js';
import { IndexedSegment } from './indexed-segment.js';
import { cutProfile, type CutProfile } from './request-profile.js';
import { SegmentedProfiler, type Segment } from './segmented-profiler.js';
import { StatsFile } from './stats-file.js';

export interface ProfilerSettings extends ProfileBounds {
  /** V8's sampling interval. */
  intervalMs: number;
  /** How long each segment of the continuous profile runs before it is processed. */
  segmentMs: number;
  /** How long samples are kept for cutting per-request profiles on demand. */
  retainMs: number;
  /** At most this many bytes of retained segments (roughly). */
  retainBytes: number;
}

/**
 * A profiled request's time window; `endUs` is Infinity while it runs. A closed window waits
 * up to a segment for its samples, so it keeps its route, not the request: holding a second
 * of finished requests (and their sockets and records) would be a leak under load.
 */
export interface ProfileWindow {
  readonly startUs: number;
  endUs: number;
  req: IncomingMessage | null;
  route: string | null;
  /** Whether this request's own profile may be asked for (it was recorded): its segments are kept. */
  readonly recorded: boolean;
}

type SampleGroup = { routes: string[]; nodes: Map<number, { ms: number; samples: number }> };

function groupOf(groups: Map<string, SampleGroup>, routes: string[]): SampleGroup {
  const key = routes.sort().join('\n');
  let group = groups.get(key);
  if (group === undefined) groups.set(key, (group = { routes, nodes: new Map() }));
  return group;
}

const DRAIN_SLICE_MS = 2;

/** Windows waiting for their samples; more than this and the oldest are dropped. */
const MAX_WINDOWS = 100_000;

function routeKey(window: ProfileWindow): string {
  const { req } = window;
  return window.route ?? `${req!.method ?? 'GET'} ${matchedRoute(req!) ?? '(unmatched)'}`;
}

/**
 * Profiling of sampled requests on top of one continuous V8 profile: requests open and close
 * windows (two numbers, no inspector call); each finished segment adds the samples that fall
 * in open windows to the accumulated statistics, and is kept for a while so that a request's
 * own profile can be cut from it when someone asks.
 */
export class RequestProfiler {
  readonly accumulated: AccumulatedProfile;
  private readonly sampler: SegmentedProfiler;
  private readonly statsFile: StatsFile | null;
  private windows: ProfileWindow[] = [];
  private segments: IndexedSegment[] = [];
  private retainedBytes = 0;
  private processedUntilUs = -Infinity;
  /** Grouped samples not yet added to the accumulated tables; added in slices between requests. */
  private backlog: Array<{ segment: IndexedSegment; routes: string[]; node: number; ms: number; samples: number }> = [];
  private draining: NodeJS.Immediate | null = null;
  private startedAtUs = Infinity;
  /**
   * Called after each segment is processed, inside the segment switch: the profiles of the
   * requests that ended before it can be cut from then on. Keep it cheap (schedule the work).
   */
  onSegmentProcessed: () => void = () => {};

  constructor(
    private readonly settings: ProfilerSettings,
    statsFile: string | null,
    private readonly onError: (error: unknown, where: string) => void,
    /** Shared statistics (Redis): `accumulated` is then only the batch not yet sent to it. */
    private readonly sink: ProfileSink | null = null,
  ) {
    this.accumulated = new AccumulatedProfile(settings.intervalMs, settings);
    this.sampler = new SegmentedProfiler({
      intervalMs: settings.intervalMs,
      segmentMs: settings.segmentMs,
      onSegment: (segment) => this.process(segment),
      onError,
    });
    this.statsFile = statsFile === null || sink !== null ? null : new StatsFile(statsFile, () => this.accumulated.toFile(), onError);
  }

  /** The profiler's own cost: its one start, and each segment switch with its processing. */
  get costs(): Readonly<SegmentedProfiler['costs']> {
    return this.sampler.costs;
  }

  start(): boolean {
    const saved = this.statsFile?.load();
    if (saved) this.accumulated.merge(saved);
    this.startedAtUs = profileClockNow();
    return this.sampler.start();
  }

  /** False once V8's profiler was given up (a debugger attached): requests are no longer profiled. */
  get running(): boolean {
    return this.sampler.running;
  }

  /** Why V8's profiler was given up after it started, or null. */
  get unavailable(): string | null {
    return this.sampler.unavailable;
  }

  open(req: IncomingMessage, startMs: number, recorded: boolean): ProfileWindow {
    const window: ProfileWindow = { startUs: toProfileClock(startMs), endUs: Infinity, req, route: null, recorded };
    if (this.windows.length >= MAX_WINDOWS) this.windows.shift();
    this.windows.push(window);
    return window;
  }

  close(window: ProfileWindow, endMs: number): void {
    if (window.endUs !== Infinity) return;
    window.endUs = toProfileClock(endMs);
    window.route = routeKey(window);
    window.req = null;
    this.accumulated.addRequest(window.route);
    this.statsFile?.schedule();
  }

  /** Ends the current segment now and adds everything up to this moment to the tables. */
  flush(): void {
    this.sampler.rotate();
    this.drain(Infinity);
  }

  /** A window's own profile: `pending` until processed, `expired` once its samples are gone. */
  cut(startUs: number, endUs: number): CutProfile | 'pending' | 'expired' {
    if (endUs > this.processedUntilUs) return this.running ? 'pending' : 'expired';
    const oldest = this.segments[0];
    if (startUs >= this.startedAtUs && (oldest === undefined || oldest.startUs > startUs)) return 'expired';
    return cutProfile(this.segments, startUs, endUs, this.settings.maxTreeNodes);
  }

  /** The statistics to show: this process's, or with a sink, the sum of every process's. */
  async current(): Promise<AccumulatedProfile> {
    this.flush();
    if (this.sink === null) return this.accumulated;
    await this.ship();
    const shared = new AccumulatedProfile(this.settings.intervalMs, this.settings);
    const file = await this.sink.read();
    if (file !== null) shared.merge(file);
    return shared;
  }

  async reset(): Promise<void> {
    // Samples taken so far, in the running segment or waiting, belong to the statistics being thrown away.
    this.sampler.rotate();
    this.backlog = [];
    this.accumulated.reset();
    this.statsFile?.schedule();
    await this.sink?.reset();
  }

  async stop(): Promise<void> {
    this.sampler.stop();
    this.drain(Infinity);
    if (this.draining !== null) clearImmediate(this.draining);
    this.segments = [];
    this.windows = [];
    await Promise.all([this.statsFile?.flush(), this.ship()]);
  }

  /** Hands the batch gathered since the last one to the sink (once per segment, and before reads). */
  private ship(): Promise<void> {
    if (this.sink === null || this.accumulated.isEmpty) return Promise.resolve();
    const batch = this.accumulated.toFile();
    this.accumulated.reset();
    return this.sink.add(batch);
  }

  private process(segment: Segment): void {
    void this.ship();
    try {
      const indexed = new IndexedSegment(segment);
      const cuttable = this.accumulate(indexed);
      this.processedUntilUs = indexed.endUs;
      // Only a recorded request's profile is ever cut: in production most segments serve
      // the accumulated tables alone and need not stay in memory.
      if (cuttable) this.retain(indexed);
      this.onSegmentProcessed();
    } catch (error) {
      this.onError(error, 'processing a CPU profile segment');
    }
  }

  /**
   * Adds the samples that fall in open windows to the backlog and returns whether a recorded
   * request's window overlaps the segment. Each window becomes the range of sample indexes it
   * covers (a binary search: most requests are shorter than the sampling interval and cover
   * none), and a sweep over those ranges groups the samples by the set of active routes and
   * by node, so that the tables see each distinct stack once per segment, not once per sample.
   */
  private accumulate(segment: IndexedSegment): boolean {
    const relevant = this.windows.filter((w) => w.startUs < segment.endUs && w.endUs > segment.startUs);
    const steps: Array<{ at: number; route: string; delta: 1 | -1 }> = [];
    for (const window of relevant) {
      const from = segment.sampleAt(window.startUs);
      const to = segment.sampleAt(window.endUs);
      if (from === to) continue;
      const route = routeKey(window);
      steps.push({ at: from, route, delta: 1 }, { at: to, route, delta: -1 });
    }
    if (steps.length > 0) {
      steps.sort((a, b) => a.at - b.at);
      const active = new Map<string, number>();
      const groups = new Map<string, SampleGroup>();
      let group: SampleGroup | undefined;
      let next = 0;
      for (let i = steps[0]!.at; i < segment.times.length && next < steps.length; i++) {
        if (steps[next]!.at === i) {
          for (; next < steps.length && steps[next]!.at === i; next++) {
            const { route, delta } = steps[next]!;
            const count = (active.get(route) ?? 0) + delta;
            if (count === 0) active.delete(route);
            else active.set(route, count);
          }
          group = active.size === 0 ? undefined : groupOf(groups, [...active.keys()]);
        }
        if (group === undefined) continue;
        const node = segment.nodes[i]!;
        const weight = group.nodes.get(node);
        if (weight === undefined) group.nodes.set(node, { ms: segment.durationsMs[i]!, samples: 1 });
        else {
          weight.ms += segment.durationsMs[i]!;
          weight.samples++;
        }
      }
      for (const { routes, nodes } of groups.values()) {
        for (const [node, weight] of nodes) this.backlog.push({ segment, routes, node, ...weight });
      }
      this.scheduleDrain();
    }
    this.windows = this.windows.filter((w) => w.endUs > segment.endUs);
    return relevant.some((w) => w.recorded);
  }

  /**
   * Adding a deep stack to the tables costs tens of microseconds; a segment of a busy server
   * has hundreds of them. Done in slices of a few milliseconds so no single turn of the event
   * loop pays for a whole segment.
   */
  private scheduleDrain(): void {
    if (this.draining !== null || this.backlog.length === 0) return;
    this.draining = setImmediate(() => {
      this.draining = null;
      this.drain(DRAIN_SLICE_MS);
      this.scheduleDrain();
    });
  }

  private drain(budgetMs: number): void {
    if (this.backlog.length === 0) return;
    const deadline = performance.now() + budgetMs;
    let done = 0;
    try {
      while (done < this.backlog.length && performance.now() < deadline) {
        const { segment, routes, node, ms, samples } = this.backlog[done++]!;
        this.accumulated.addSample(routes, segment, node, ms, samples);
      }
    } catch (error) {
      this.onError(error, 'adding samples to the profile');
    }
    this.backlog.splice(0, done);
    this.statsFile?.schedule();
  }

  private retain(segment: IndexedSegment): void {
    this.segments.push(segment);
    this.retainedBytes += segment.bytes;
    const oldestKept = segment.endUs - this.settings.retainMs * 1000;
    while (
      this.segments.length > 1 &&
      (this.segments[0]!.endUs < oldestKept || this.retainedBytes > this.settings.retainBytes)
    ) {
      this.retainedBytes -= this.segments.shift()!.bytes;
    }
  }
}
