import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { TimerStats } from '../../shared/panels.js';
import { overlappingRequests } from '../context.js';
import { ProcessMonitor } from '../monitors/process-monitor.js';
import { SharedUsage } from '../monitors/shared-usage.js';
import type { Panel } from './panel.js';

interface TimerState {
  usage: NodeJS.ResourceUsage;
  elu: EventLoopUtilization;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Wall time, CPU and the process counters of the seed's TimerPanel, over the request's window. */
export function timerPanel(): Panel<TimerStats, TimerState> {
  const monitor = new ProcessMonitor();
  const usageClock = new SharedUsage();
  return {
    id: 'timer',
    start() {
      monitor.ensureStarted();
      return { usage: usageClock.now(), elu: performance.eventLoopUtilization() };
    },
    stats(ctx, state) {
      const end = ctx.endedAt ?? performance.now();
      const usage = usageClock.since(state.usage);
      const userCpuMs = (usage.userCPUTime - state.usage.userCPUTime) / 1000;
      const systemCpuMs = (usage.systemCPUTime - state.usage.systemCPUTime) / 1000;
      const gcPauses = monitor.gcPauses(ctx.start, end);
      return {
        totalMs: round(end - ctx.start),
        userCpuMs: round(userCpuMs),
        systemCpuMs: round(systemCpuMs),
        cpuMs: round(userCpuMs + systemCpuMs),
        voluntaryContextSwitches: usage.voluntaryContextSwitches - state.usage.voluntaryContextSwitches,
        involuntaryContextSwitches:
          usage.involuntaryContextSwitches - state.usage.involuntaryContextSwitches,
        minorPageFaults: usage.minorPageFault - state.usage.minorPageFault,
        majorPageFaults: usage.majorPageFault - state.usage.majorPageFault,
        headersMs: ctx.headersAt === null ? null : round(ctx.headersAt - ctx.start),
        eventLoopDelayMaxMs: round(monitor.maxDelayMs(ctx.start, end)),
        eventLoopUtilization: round(performance.eventLoopUtilization(state.elu).utilization),
        gcPauses,
        gcTotalMs: round(gcPauses.reduce((sum, pause) => sum + pause.durationMs, 0)),
        concurrentRequests: overlappingRequests(ctx),
      };
    },
    close() {
      monitor.close();
    },
  };
}
