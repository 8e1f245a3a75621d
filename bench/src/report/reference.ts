// Finds the newest committed run that measured the kernel path, so that a report written on a
// kernel without multicast routing still shows how MCR compared with the kernel where it could.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchRun } from '../results';
import type { KernelReference } from './markdown';

const hasKernelFigure = (run: BenchRun): boolean =>
  run.cells.some((c) => c.relay === 'kernel' && (c.maxLosslessPps?.median ?? 0) > 0);

/** Undefined when `run` has the kernel path itself, or when no file in `resultsDir` has it. */
export function findKernelReference(run: BenchRun, resultsDir: string): KernelReference | undefined {
  if (hasKernelFigure(run)) return undefined;
  let names: string[];
  try {
    names = readdirSync(resultsDir).filter((name) => name.endsWith('.json'));
  } catch {
    return undefined;
  }
  // File names are ISO start times, so the reverse lexical order is newest first.
  for (const jsonName of names.sort().reverse()) {
    const candidate = JSON.parse(readFileSync(path.join(resultsDir, jsonName), 'utf8')) as BenchRun;
    if (candidate.startedAt !== run.startedAt && hasKernelFigure(candidate)) return { run: candidate, jsonName };
  }
  return undefined;
}
