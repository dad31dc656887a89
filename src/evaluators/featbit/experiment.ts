import { inShare, type RolloutShare, rolloutShare } from './dispatch';
import type { Md5Prefix } from './md5';

/** What experiment dispatch inputs start with, so experiment sampling is independent of variation buckets. */
export const EXPERIMENT_PREFIX = 'expt';

/**
 * The experiment sample of a share `[start, end]`: `exptRollout` is a fraction of all users, so within a share of
 * width w a user is sampled at exptRollout / w (at most 1), bucketed on `"expt" + dispatch input`. `null` when no
 * one is sampled (exptRollout or w is 0).
 */
export function experimentShare(start: number, end: number, exptRollout: number): RolloutShare | null {
  const width = end - start;
  if (exptRollout === 0 || width === 0) return null;
  return rolloutShare(0, Math.min(exptRollout / width, 1));
}

/**
 * Whether a rule or fallthrough evaluation joins the experiment. Every evaluation does when the flag includes
 * all targets; otherwise only when *this* rule (or the fallthrough) is in the experiment (FeatBit's spec and
 * Python SDK; the Node SDK reads the fallthrough's setting for rules too), and then only the sampled users.
 * @param experimentPrefix `"expt" + flag key`, packed: the prefix of the experiment dispatch input.
 */
export function sendToExperiment(
  exptIncludeAllTargets: boolean,
  includedInExpt: boolean,
  sample: RolloutShare | null,
  experimentPrefix: Md5Prefix,
  dispatchValue: string,
): boolean {
  if (exptIncludeAllTargets) return true;
  if (!includedInExpt || sample === null) return false;
  return inShare(sample, experimentPrefix, dispatchValue);
}
