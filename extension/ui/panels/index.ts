import type { LoupeRecord } from '../../../shared/record.js';
import { errorsPanel } from './errors.js';
import { genericPanel } from './generic.js';
import { logsPanel } from './logs.js';
import { outboundPanel } from './outbound.js';
import type { PanelView } from './panel-view.js';
import { profilePanel } from './profile.js';
import { queriesPanel } from './queries.js';
import { requestPanel } from './request.js';
import { responsePanel } from './response.js';
import { templatesPanel } from './templates.js';
import { timelinePanel } from './timeline.js';
import { timerPanel } from './timer.js';
import { versionsPanel } from './versions.js';

export type { PanelView } from './panel-view.js';

/** The panels the UI knows, in the order the toolbar lists them. */
export const PANEL_VIEWS: readonly PanelView[] = [
  timerPanel,
  requestPanel,
  responsePanel,
  errorsPanel,
  queriesPanel,
  logsPanel,
  outboundPanel,
  templatesPanel,
  timelinePanel,
  profilePanel,
  versionsPanel,
];

/** The record's panels: known ones first, then any panel a newer server adds, shown generically. */
export function panelsOf(record: LoupeRecord): PanelView[] {
  const known = PANEL_VIEWS.filter((panel) => panel.has(record));
  const knownIds = new Set(PANEL_VIEWS.map((panel) => panel.id));
  const unknown = Object.keys(record.panels)
    .filter((id) => !knownIds.has(id))
    .map(genericPanel);
  return [...known, ...unknown];
}
