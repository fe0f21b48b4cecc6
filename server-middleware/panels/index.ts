import type { ResolvedOptions } from '../options.js';
import { errorsPanel } from './errors.js';
import { outboundPanel } from './http-client.js';
import { logsPanel } from './logs.js';
import type { Panel } from './panel.js';
import { profilePanel } from './profile.js';
import { requestPanel } from './request.js';
import { queriesPanel } from './queries.js';
import { responsePanel } from './response.js';
import { templatesPanel } from './templates.js';
import { timelinePanel } from './timeline.js';
import { timerPanel } from './timer.js';
import { versionsPanel } from './versions.js';

export type { Panel, ServerTimingEntry } from './panel.js';
export { profilePanel, requestPanel, responsePanel, timerPanel, versionsPanel };

/**
 * The panels a Loupe instance runs unless told otherwise; `profiling` names the instance in
 * profiles and says why it is not profiling, if so.
 */
export function defaultPanels(
  options: ResolvedOptions,
  profiling: { instance: string; unavailable(): string | null },
): Panel[] {
  return [
    timerPanel() as Panel,
    requestPanel(options) as Panel,
    responsePanel(options) as Panel,
    versionsPanel(options) as Panel,
    ...(options.profile === null ? [] : [profilePanel(options.profile, profiling.instance, profiling.unavailable) as Panel]),
    ...instrumentationPanels(options),
  ];
}

/** The panels fed by instrumentation: logs, outbound calls, queries, templates, timeline, errors. */
function instrumentationPanels(options: ResolvedOptions): Panel[] {
  const settings = options.instrumentation;
  if (settings === null) return [];
  return [
    logsPanel(options, settings),
    outboundPanel(options, settings),
    queriesPanel(options, settings),
    templatesPanel(options, settings),
    timelinePanel(settings),
    errorsPanel(settings),
  ] as Panel[];
}
