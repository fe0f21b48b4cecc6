const REPORT_EVERY_MS = 10_000;

/**
 * Counts what a store had to drop (records it could not write, profile batches it could not
 * send) and tells `onError` at most once per interval: a store that is down must not flood
 * the log with one warning per request.
 */
export class DropReporter {
  private dropped = 0;
  private lastError: unknown = null;
  private timer: NodeJS.Timeout | null = null;
  private lastReport = -Infinity;

  constructor(
    private readonly where: string,
    private readonly onError: (error: unknown, where: string) => void,
    private readonly intervalMs = REPORT_EVERY_MS,
  ) {}

  /** Counts one dropped item (or only an error, with `count` 0) and reports when it is time. */
  drop(error: unknown, count = 1): void {
    this.dropped += count;
    this.lastError = error;
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastReport + this.intervalMs - Date.now());
    if (wait === 0) this.report();
    else {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.report();
      }, wait);
      this.timer.unref();
    }
  }

  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private report(): void {
    if (this.lastError === null) return;
    this.lastReport = Date.now();
    const reason = this.lastError instanceof Error ? this.lastError.message : String(this.lastError);
    const what = this.dropped === 0 ? '' : `dropped ${this.dropped} since the last warning; `;
    this.onError(new Error(`${what}${reason}`), this.where);
    this.dropped = 0;
    this.lastError = null;
  }
}
