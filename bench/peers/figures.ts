import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { measure, type Task } from '../measure';

/** Paired runs per ratio: each a short interleaved measure of the baseline beside the paths compared with it. */
const PAIRED_RUNS = 7;

export const median = (values: readonly number[]): number => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? Number.NaN;

/**
 * Each path's time over the baseline's, from short runs of the baseline and the paths side by side, so that the
 * slow and fast spells of a shared machine fall on all of them alike: one ratio per run, for each path.
 */
export async function pairedRatios(baseline: Task, paths: readonly Task[]): Promise<number[][]> {
  const ratios = paths.map((): number[] => []);
  for (let run = 0; run < PAIRED_RUNS; run++) {
    const [base, ...others] = await measure([baseline, ...paths], { rounds: 10, targetBatchMs: 5 });
    others.forEach((other, i) => ratios[i]!.push(other.nsPerOp / base!.nsPerOp));
  }
  return ratios;
}

/** "**0.812×** GrowthBook (runs 0.790 – 0.850); target ≤ 0.7×: missed": the median ratio, its spread, the verdict. */
export function ratioVerdict(ratios: readonly number[], baselineName: string, target?: number): string {
  const ratio = median(ratios);
  const sorted = [...ratios].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(3);
  // A handful of paired runs show them all; many samples (chunks) show their middle 80%.
  const range = ratios.length > 10 ? ` (p10 – p90 of ${ratios.length}: ${at(0.1)} – ${at(0.9)})` : ratios.length > 1 ? ` (runs ${at(0)} – ${at(1)})` : '';
  const verdict = target === undefined ? '' : `; target ≤ ${target}×: ${ratio <= target ? 'met' : 'missed'}`;
  return `**${ratio.toFixed(3)}×** ${baselineName}${range}${verdict}`;
}

export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (Math.abs(bytes) >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes.toFixed(0)} B`;
}

/**
 * A full collection, in this process without --expose-gc: the flag exposes `gc` to contexts made after it is set.
 * Timed batches start on a clean heap, so one batch does not pay for the garbage of the one before.
 */
export const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();
