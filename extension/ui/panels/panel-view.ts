import type { FunctionComponent } from 'preact';
import type { LoupeRecord } from '../../../shared/record.js';

/**
 * The UI side of a panel, joined to the server's panel by id. The overlay shows `summary` in
 * its panel list and `Detail` when the panel is opened; the DevTools panel shows the same.
 */
export interface PanelView {
  id: string;
  title: string;
  /** Whether the record carries this panel's data. */
  has(record: LoupeRecord): boolean;
  /** One line, e.g. `12.3 ms · CPU 4.1 ms`. */
  summary(record: LoupeRecord): string;
  Detail: FunctionComponent<{ record: LoupeRecord }>;
}
