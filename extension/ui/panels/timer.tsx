import type { TimerStats } from '../../../shared/panels.js';
import { formatCount, formatMs } from '../format.js';
import { KeyValueTable, Section } from '../KeyValueTable.js';
import type { PanelView } from './panel-view.js';

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

function TimerDetail({ timer }: { timer: TimerStats }) {
  const gcRows = timer.gcPauses.map((pause, index) => [
    `#${index + 1} ${pause.kind}`,
    `${formatMs(pause.durationMs)} at +${formatMs(pause.startMs)}`,
  ] as const);
  return (
    <>
      <Section title="Time">
        <KeyValueTable
          rows={[
            ['Total', formatMs(timer.totalMs)],
            ['Until headers', formatMs(timer.headersMs)],
            ['CPU', formatMs(timer.cpuMs)],
            ['User CPU', formatMs(timer.userCpuMs)],
            ['System CPU', formatMs(timer.systemCpuMs)],
          ]}
        />
      </Section>
      <Section title="Process while in flight">
        <p class="note">
          {timer.concurrentRequests > 0
            ? `Shared with ${formatCount(timer.concurrentRequests, 'overlapping request')}: these figures are process-wide.`
            : 'No other request overlapped this one.'}
        </p>
        <KeyValueTable
          rows={[
            ['Event-loop delay (max)', formatMs(timer.eventLoopDelayMaxMs)],
            ['Event-loop utilisation', percent(timer.eventLoopUtilization)],
            ['Context switches', `${timer.voluntaryContextSwitches} voluntary, ${timer.involuntaryContextSwitches} involuntary`],
            ['Page faults', `${timer.minorPageFaults} minor, ${timer.majorPageFaults} major`],
            ['GC', `${formatMs(timer.gcTotalMs)} in ${formatCount(timer.gcPauses.length, 'pause')}`],
          ]}
        />
      </Section>
      {gcRows.length > 0 && (
        <Section title="GC pauses">
          <KeyValueTable rows={gcRows} />
        </Section>
      )}
    </>
  );
}

export const timerPanel: PanelView = {
  id: 'timer',
  title: 'Time',
  has: (record) => record.panels.timer !== undefined,
  summary: (record) => {
    const timer = record.panels.timer;
    return timer === undefined ? '' : `${formatMs(timer.totalMs)} · CPU ${formatMs(timer.cpuMs)}`;
  },
  Detail: ({ record }) => (record.panels.timer === undefined ? null : <TimerDetail timer={record.panels.timer} />),
};
