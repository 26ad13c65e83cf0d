import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

/** One line of the results table. */
export interface Row {
  name: string;
  ours: string;
  baseline: string;
  result: string;
  target: string;
  met: boolean;
}

/** The table as Markdown, with the machine it was measured on. */
export function renderTable(rows: Row[], notes: string[]): string {
  const cpu = cpus();
  const lines = [
    `Measured ${new Date().toISOString()} on ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}.`,
    'Each figure is the median of at least two runs; every response was checked.',
    '',
    '| benchmark | ours | baseline | result | target | met |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.ours} | ${r.baseline} | ${r.result} | ${r.target} | ${r.met ? 'yes' : '**no**'} |`,
    ),
    '',
    ...notes.map((n) => `- ${n}`),
  ];
  return lines.join('\n') + '\n';
}

/** Prints the table and writes bench/RESULTS.md. */
export function publish(rows: Row[], notes: string[]): void {
  const table = renderTable(rows, notes);
  process.stdout.write(`\n${table}`);
  writeFileSync(
    join(__dirname, '..', '..', '..', 'bench', 'RESULTS.md'),
    `# Benchmark results\n\n${table}`,
  );
}
