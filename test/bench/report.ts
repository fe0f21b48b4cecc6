/** What every bench script shares: its statistics, the machine it ran on, its JSON file. */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * The q-quantile (0..1) of `values`, interpolated between the two nearest ranks; NaN values
 * (a ratio to a zero latency) are left out, and all NaN gives NaN.
 */
export function quantile(values: number[], q: number): number {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = (sorted.length - 1) * q;
  const below = Math.floor(rank);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (rank - below);
}

export const median = (values: number[]) => quantile(values, 0.5);

/** `value` with `digits` decimals, right-aligned in `width`; NaN prints as "-". */
export const fixed = (value: number, digits: number, width: number) =>
  (Number.isNaN(value) ? '-' : value.toFixed(digits)).padStart(width);

/** "median  q1–q3" of `ratios`: a ratio to bare Express with its interquartile range. */
export function ratioColumns(ratios: number[], digits: number): string {
  const spread = `${fixed(quantile(ratios, 0.25), digits, 0)}–${fixed(quantile(ratios, 0.75), digits, 0)}`;
  return `${fixed(median(ratios), digits, 7)} ${spread.padStart(2 * digits + 6)}`;
}

/** The machine, for the first line of every bench's output and for its JSON. */
export function machine() {
  const cores = cpus();
  return {
    node: process.version,
    cpus: cores.length,
    cpuModel: cores[0]?.model ?? 'unknown cpu',
    memoryBytes: totalmem(),
    /** Other work on the machine at the start: the noise a reader should know about. */
    loadAverage: loadavg(),
  };
}

export function machineLine(): string {
  const { node, cpus: count, cpuModel, memoryBytes, loadAverage } = machine();
  return `${count} × ${cpuModel}, ${(memoryBytes / 2 ** 30).toFixed(1)} GiB, Node ${node}, load average ${loadAverage.map((load) => load.toFixed(2)).join(' ')}`;
}

/** Writes `data` with the machine and the date to test/.artifacts/<name>-<date>.json; returns the path. */
export async function writeArtifact(name: string, data: object): Promise<string> {
  const directory = fileURLToPath(new URL('../.artifacts/', import.meta.url));
  await mkdir(directory, { recursive: true });
  const date = new Date().toISOString();
  const file = `${directory}${name}-${date.replace(/[:.]/g, '-')}.json`;
  await writeFile(file, JSON.stringify({ date, machine: machine(), ...data }, null, 2));
  return file;
}
