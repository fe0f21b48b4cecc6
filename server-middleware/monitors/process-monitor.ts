import { PerformanceObserver, performance, constants, type PerformanceEntry } from 'node:perf_hooks';
import type { GcPause } from '../../shared/panels.js';

const EVENT_LOOP_TICK_MS = 20;
const RING_SIZE = 512;

interface Sample {
  at: number;
  value: number;
  kind: number;
}

/** A fixed-size ring of recent samples on the `performance.now()` axis. */
class SampleRing {
  private readonly samples: Sample[] = [];
  private next = 0;

  push(at: number, value: number, kind = 0): void {
    if (this.samples.length < RING_SIZE) this.samples.push({ at, value, kind });
    else {
      const slot = this.samples[this.next]!;
      slot.at = at;
      slot.value = value;
      slot.kind = kind;
    }
    this.next = (this.next + 1) % RING_SIZE;
  }

  /** Newest first, stopping at the first sample before `from`: a request's window is recent. */
  *between(from: number, to: number): Generator<Sample> {
    const size = this.samples.length;
    for (let back = 1; back <= size; back++) {
      const sample = this.samples[(this.next - back + size) % size]!;
      if (sample.at < from) return;
      if (sample.at <= to) yield sample;
    }
  }
}

const GC_KINDS: Record<number, GcPause['kind']> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/**
 * Process-wide signals that a request can only be given by its time window: event-loop
 * delay (a late timer tick) and GC pauses. Started on the first recorded request, so a
 * production process that records nothing pays nothing; the timer never keeps a process
 * alive.
 */
export class ProcessMonitor {
  private readonly delays = new SampleRing();
  private readonly gcs = new SampleRing();
  private timer: NodeJS.Timeout | null = null;
  private observer: PerformanceObserver | null = null;

  ensureStarted(): void {
    if (this.timer !== null) return;
    let expected = performance.now() + EVENT_LOOP_TICK_MS;
    this.timer = setInterval(() => {
      const now = performance.now();
      this.delays.push(now, Math.max(0, now - expected));
      expected = now + EVENT_LOOP_TICK_MS;
    }, EVENT_LOOP_TICK_MS);
    this.timer.unref();
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
        this.gcs.push(entry.startTime, entry.duration, detail?.kind ?? 0);
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /**
   * The largest lateness of the loop seen in the window. A tick that lands after the window
   * closed may still report a stall that began inside it, so the window's end is widened
   * by one tick.
   */
  maxDelayMs(from: number, to: number): number {
    let max = 0;
    for (const sample of this.delays.between(from, to + EVENT_LOOP_TICK_MS)) {
      if (sample.at - sample.value <= to && sample.value > max) max = sample.value;
    }
    return max;
  }

  gcPauses(from: number, to: number): GcPause[] {
    const pauses: GcPause[] = [];
    for (const sample of this.gcs.between(from, to)) {
      pauses.push({
        startMs: sample.at - from,
        durationMs: sample.value,
        kind: GC_KINDS[sample.kind] ?? 'unknown',
      });
    }
    return pauses.sort((a, b) => a.startMs - b.startMs);
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.observer?.disconnect();
    this.timer = null;
    this.observer = null;
  }
}
