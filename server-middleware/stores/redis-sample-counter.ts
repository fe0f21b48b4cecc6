import type { DropReporter } from './drop-reporter.js';
import type { RedisCommands } from './redis-client.js';
import { localSampleCounter, type SampleCounter } from './sample-counter.js';

/** Counter values each process reserves at once, in multiples of N. */
const BLOCKS_OF_N = 5;

interface Block {
  next: number;
  /** Exclusive. */
  end: number;
}

/**
 * "Every Nth request" across a fleet, without a round trip per request: each process reserves
 * a block of counter values with one INCRBY and hands them to its requests one by one; the
 * next block is reserved in the background when half of the current one is used. Every value
 * of the shared counter goes to exactly one request of one process, so exactly one in N of the
 * fleet's requests is sampled (a process that stops leaves at most one block unused).
 *
 * Reserving blocks was chosen over a local counter synced now and then: a synced count is
 * only known after the fact, so two processes would both sample, or neither, around each
 * sync. Without a block (Redis down, or not back yet) the process counts on its own, so
 * sampling never stops.
 */
export class RedisSampleCounter implements SampleCounter {
  private current: Block | null = null;
  private spare: Block | null = null;
  private reserving = false;
  private readonly fallback: SampleCounter;
  private readonly blockSize: number;

  constructor(
    private readonly every: number,
    private readonly client: () => RedisCommands | null,
    private readonly key: string,
    private readonly drops: DropReporter,
  ) {
    this.fallback = localSampleCounter(every);
    this.blockSize = every * BLOCKS_OF_N;
    this.reserve();
  }

  next(): boolean {
    if (this.every <= 0) return false;
    let block = this.current;
    if (block === null || block.next >= block.end) {
      block = this.current = this.spare;
      this.spare = null;
    }
    if (block === null || block.end - block.next <= this.blockSize / 2) this.reserve();
    if (block === null) return this.fallback.next();
    return block.next++ % this.every === 0;
  }

  private reserve(): void {
    if (this.every <= 0 || this.reserving || this.spare !== null) return;
    const client = this.client();
    if (client === null) return;
    this.reserving = true;
    client
      .incrBy(this.key, this.blockSize)
      .then((last) => {
        const block = { next: last - this.blockSize + 1, end: last + 1 };
        if (this.current === null) this.current = block;
        else this.spare = block;
      })
      .catch((error: unknown) => this.drops.drop(error, 0))
      .finally(() => {
        this.reserving = false;
      });
  }
}
