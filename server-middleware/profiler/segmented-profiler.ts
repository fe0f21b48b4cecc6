import { randomBytes } from 'node:crypto';
import { Session, console as inspectorConsole } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import type { CpuProfile } from '../../shared/profile.js';
import { profileClockNow } from './clock.js';
import { inspectorInUse } from './inspector-use.js';

/** A finished slice of the continuous profile. Samples outside [startUs, endUs) belong to its neighbours. */
export interface Segment {
  profile: CpuProfile;
  startUs: number;
  endUs: number;
}

export interface SegmentedProfilerOptions {
  intervalMs: number;
  segmentMs: number;
  onSegment(segment: Segment): void;
  onError(error: unknown, where: string): void;
}

/**
 * Keeps V8's sampling profiler running as a chain of short, overlapping console profiles.
 *
 * Starting the profiler is O(compiled functions) and blocks the loop (hundreds of ms with
 * 100k functions), but starting a nested profile while another runs is cheap; ending a short
 * one costs well under a millisecond. So the next segment starts before the current one ends,
 * the profiler never stops, and no request pays for a start. The first start happens when
 * Loupe is created, before the app has compiled much. `node:inspector`'s own console is used
 * so that an app replacing `console.profile` changes nothing.
 */
export class SegmentedProfiler {
  private session: Session | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly prefix = `loupe-${process.pid}-${randomBytes(4).toString('hex')}-`;
  private serial = 0;
  private current: string | null = null;
  private currentStartUs = 0;
  private ending: string | null = null;
  private finished: CpuProfile | null = null;
  private gaveUpBecause: string | null = null;
  /** What the profiler has cost the event loop, for the bench and for operators. */
  readonly costs = { startMs: 0, segments: 0, worstSegmentMs: 0, totalSegmentMs: 0 };

  constructor(private readonly options: SegmentedProfilerOptions) {}

  get running(): boolean {
    return this.current !== null;
  }

  /** Why profiling stopped for good, once a debugger took the inspector; null otherwise. */
  get unavailable(): string | null {
    return this.gaveUpBecause;
  }

  /** Returns false, having reported why, when the inspector cannot be used. */
  start(): boolean {
    if (this.session !== null) return this.running;
    const inUse = inspectorInUse();
    if (inUse !== null) {
      this.options.onError(new Error(inUse), 'CPU profiling');
      return false;
    }
    try {
      const session = new Session();
      session.connect();
      this.session = session;
      session.on('Profiler.consoleProfileFinished', (message) => {
        if (message.params.title === this.ending) this.finished = message.params.profile as CpuProfile;
      });
      // In-process sessions answer synchronously, so the profiler is set up on return.
      let failure: Error | null = null;
      session.post('Profiler.enable', (error) => (failure ??= error));
      session.post('Profiler.setSamplingInterval', { interval: Math.round(this.options.intervalMs * 1000) }, (error) => (failure ??= error));
      if (failure !== null) throw failure;
      const started = performance.now();
      this.current = this.nextTitle();
      this.currentStartUs = profileClockNow();
      inspectorConsole.profile(this.current);
      // The first nested start and the first end are far slower than later ones (V8 sets up
      // code lookups, tens of ms with 100k functions): pay for them now, at creation, with
      // an empty first segment, rather than during the first second of traffic.
      this.switchSegment();
      this.costs.startMs = performance.now() - started;
      this.timer = setInterval(() => this.rotate(), this.options.segmentMs);
      this.timer.unref();
      return true;
    } catch (error) {
      this.options.onError(error, 'starting the CPU profiler');
      this.stop();
      return false;
    }
  }

  /**
   * Ends the current segment and hands it to `onSegment`, the next one already running.
   * Also called directly when a result is wanted at once (`?profile`).
   */
  rotate(): void {
    if (this.current === null) return;
    // A debugger may attach after Loupe started (SIGUSR1, inspector.open()): its profiler
    // would list every one of Loupe's segments from then on. Loupe steps aside for good.
    const inUse = inspectorInUse();
    if (inUse !== null) {
      this.gaveUpBecause = inUse;
      this.options.onError(new Error(inUse), 'CPU profiling');
      this.stop();
      return;
    }
    const started = performance.now();
    try {
      const segment = this.switchSegment();
      if (segment !== null) this.options.onSegment(segment);
    } catch (error) {
      this.options.onError(error, 'rotating the CPU profile');
    }
    const took = performance.now() - started;
    this.costs.segments++;
    this.costs.totalSegmentMs += took;
    this.costs.worstSegmentMs = Math.max(this.costs.worstSegmentMs, took);
  }

  /** Starts the next segment, then ends the current one: the profiler never stops. */
  private switchSegment(): Segment | null {
    const previous = this.current!;
    const boundaryUs = profileClockNow();
    const next = this.nextTitle();
    inspectorConsole.profile(next);
    this.current = next;
    const segment = this.end(previous, this.currentStartUs, boundaryUs);
    this.currentStartUs = boundaryUs;
    return segment;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.current !== null) {
      try {
        const segment = this.end(this.current, this.currentStartUs, profileClockNow());
        if (segment !== null) this.options.onSegment(segment);
      } catch (error) {
        this.options.onError(error, 'stopping the CPU profiler');
      }
    }
    this.current = null;
    this.session?.disconnect();
    this.session = null;
  }

  private end(title: string, startUs: number, endUs: number): Segment | null {
    this.ending = title;
    this.finished = null;
    inspectorConsole.profileEnd(title);
    this.ending = null;
    const profile = this.finished as CpuProfile | null;
    this.finished = null;
    return profile === null ? null : { profile, startUs: Math.max(startUs, profile.startTime), endUs };
  }

  private nextTitle(): string {
    return this.prefix + String(++this.serial);
  }
}
