/** Small timing helpers for the bench scripts: figures, not pass/fail. */
import { performance } from 'node:perf_hooks';

export interface Figures {
  p50: number;
  p95: number;
  max: number;
  runs: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export async function timeRuns(runs: number, fn: (i: number) => unknown): Promise<Figures> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1) ?? NaN, runs };
}

export function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}

export function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}
