import type { ResolvedOptions } from '../options.js';
import type { Panel } from './panel.js';
import { profilePanel } from './profile.js';
import { requestPanel } from './request.js';
import { responsePanel } from './response.js';
import { timerPanel } from './timer.js';
import { versionsPanel } from './versions.js';

export type { Panel, ServerTimingEntry } from './panel.js';
export { profilePanel, requestPanel, responsePanel, timerPanel, versionsPanel };

/** The panels a Loupe instance runs unless told otherwise. */
export function defaultPanels(options: ResolvedOptions): Panel[] {
  return [
    timerPanel() as Panel,
    requestPanel(options) as Panel,
    responsePanel(options) as Panel,
    versionsPanel(options) as Panel,
    ...(options.profile === null ? [] : [profilePanel(options.profile) as Panel]),
  ];
}
