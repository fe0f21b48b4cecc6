import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { isProfileFile, type ProfileFile } from './accumulated-profile.js';

const MIN_INTERVAL_MS = 1000;

/**
 * The seed's STATS_FILE: accumulated statistics survive restarts. Writes go to a temporary
 * file renamed over the real one (a reader never sees half a file), at most once a second,
 * never on the request path.
 */
export class StatsFile {
  private timer: NodeJS.Timeout | null = null;
  private lastWrite = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly snapshot: () => ProfileFile,
    private readonly onError: (error: unknown, where: string) => void,
  ) {}

  /** The saved statistics, or null. A corrupt or foreign file is reported and later replaced. */
  load(): ProfileFile | null {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.onError(error, `reading ${this.path}`);
      return null;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (isProfileFile(parsed)) return parsed;
      this.onError(new Error('not a Loupe profile file; it will be replaced'), `loading ${this.path}`);
    } catch (error) {
      this.onError(new Error(`corrupt (${(error as Error).message}); it will be replaced`), `loading ${this.path}`);
    }
    return null;
  }

  /** Something changed: write within a second. */
  schedule(): void {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastWrite + MIN_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.write();
    }, wait);
    this.timer.unref();
  }

  /** Writes now (e.g. when Loupe closes) and waits for it. */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
      await this.write();
    }
    await this.writing;
  }

  private write(): Promise<void> {
    this.lastWrite = Date.now();
    const json = JSON.stringify(this.snapshot());
    const temporary = `${this.path}.${process.pid}.tmp`;
    this.writing = this.writing
      .then(() => writeFile(temporary, json))
      .then(() => rename(temporary, this.path))
      .catch((error: unknown) => this.onError(error, `writing ${this.path}`));
    return this.writing;
  }
}
