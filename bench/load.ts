import { performance } from 'node:perf_hooks';

/** What a closed-loop load run measured. */
export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
}

/** The q-quantile (0…1) of sorted milliseconds. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Runs `task` from `concurrency` loops for `durationMs` (after a short warm-up) and reports
 * throughput and latency. Every task checks its own response and throws on a wrong one.
 */
export async function closedLoop(
  task: () => Promise<void>,
  concurrency: number,
  durationMs: number,
): Promise<LoadResult> {
  const warmUpEnd = performance.now() + Math.min(1000, durationMs / 4);
  while (performance.now() < warmUpEnd) await task();
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await task();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
  };
}

/** Runs a measurement `times` times and keeps every result (the table shows the median). */
export async function repeat<T>(times: number, measure: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < times; i++) results.push(await measure());
  return results;
}

/** The median of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Posts a GraphQL operation and returns the parsed body; throws on errors. */
export async function post(url: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data;
}
