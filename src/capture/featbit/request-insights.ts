import type { OnFeatBitRead } from '../../evaluators/featbit/featbit-results';
import type { FeatBitSegments, ParsedFeatBitFlag, ParsedFeatBitUser } from '../../evaluators/featbit/parsed-types';
import type { FeatBitEvaluation } from '../../evaluators/featbit/result';
import { asciiJson, entryTimestamp, evaluationEntryPrefix, sendToExperimentSuffix } from './insight-json';
import { customPropertiesRead, propertiesReadAlways } from './insight-user';
import type { FeatBitInsights } from './insights';

/** The reads of one request in one turn of the event loop: one insight item. */
interface ReadGroup {
  readonly user: ParsedFeatBitUser;
  readonly segments: FeatBitSegments;
  /** The time of the first read, for every entry: a request's reads fall within a few milliseconds. */
  readonly atMs: number;
  readonly flags: ParsedFeatBitFlag[];
  readonly evaluations: FeatBitEvaluation[];
  /** Sent: a later read of the same request starts a group of its own. */
  sent: boolean;
}

/** What an evaluation's entries share, worked out on its first read: evaluations are made once per flag and reused. */
interface EntryParts {
  /** The entry's text up to its timestamp. */
  readonly prefix: string;
  readonly suffix: string;
  /** The custom properties the flag reads, when they do not depend on segments (see propertiesReadAlways). */
  readonly reads: readonly string[] | null;
}

const entryParts = new WeakMap<FeatBitEvaluation, EntryParts>();

function partsOf(flag: ParsedFeatBitFlag, evaluation: FeatBitEvaluation): EntryParts {
  let parts = entryParts.get(evaluation);
  if (parts === undefined) {
    const prefix = evaluationEntryPrefix(flag.key, { id: evaluation.variationId ?? '', value: evaluation.value ?? '' });
    parts = { prefix, suffix: sendToExperimentSuffix(evaluation.sendToExperiment), reads: propertiesReadAlways(flag) };
    entryParts.set(evaluation, parts);
  }
  return parts;
}

/** A group as its item says it: each entry's text, and what each entry's flag reads of the user. */
interface ItemParts {
  readonly entries: string[];
  readonly reads: (readonly string[])[];
}

/**
 * The group's entries, each `{ featureFlagKey, variation, timestamp, sendToExperiment }`, in the order read. One
 * that cannot be written (a clock that gave no time) is refused alone, and counted.
 */
function itemPartsOf(group: ReadGroup, refuse: (error: unknown) => void): ItemParts {
  const item: ItemParts = { entries: [], reads: [] };
  let timestamp: string | null = null;
  for (let i = 0; i < group.evaluations.length; i++) {
    const flag = group.flags[i] as ParsedFeatBitFlag;
    try {
      timestamp ??= String(entryTimestamp(group.atMs));
      const { prefix, suffix, reads } = partsOf(flag, group.evaluations[i] as FeatBitEvaluation);
      item.entries.push(`${prefix}${timestamp}${suffix}`);
      item.reads.push(reads ?? customPropertiesRead(flag, group.segments));
    } catch (error) {
      refuse(error);
    }
  }
  return item;
}

/**
 * The user an item carries: key, name, and those of its custom properties that any of the item's flags can read
 * (their rules, rollouts and segments), in the user's order. FeatBit's event server reads only key and name of
 * every insight; the properties feed its end-user list, so what no flag reads stays out (see insight-user.ts).
 */
function itemUserJson(user: ParsedFeatBitUser, reads: readonly (readonly string[])[]): string {
  const customizedProperties: { name: string; value: string }[] = [];
  for (const [name, value] of user.properties) if (reads.some((names) => names.includes(name))) customizedProperties.push({ name, value });
  return asciiJson(JSON.stringify({ keyId: user.key, name: user.name, customizedProperties }));
}

/**
 * FeatBit evaluation insights grouped by request: the flags one request reads in a turn of the event loop go out
 * as one item whose `variations` lists each read (FeatBit's wire shape allows many), instead of one item, one
 * copy of the user and a twentieth of a POST per read. Each read is in exactly one item: a request that reads
 * more after its group was sent (after an await) starts another.
 */
export class RequestInsights {
  private pending: ReadGroup[] = [];
  private scheduled = false;

  constructor(
    private readonly insights: FeatBitInsights,
    private readonly now: () => number,
  ) {}

  /** The reader for one request's results (called at most once per flag per request; see FeatBitResults). */
  open(user: ParsedFeatBitUser, segments: FeatBitSegments): OnFeatBitRead {
    let group: ReadGroup | null = null;
    // A read only notes what was read: the entries are written when the group is sent, never in the app's request.
    return (flag, evaluation) => {
      if (group === null || group.sent) {
        group = { user, segments, atMs: this.timeNow(), flags: [], evaluations: [], sent: false };
        this.pending.push(group);
        this.schedule();
      }
      group.flags.push(flag);
      group.evaluations.push(evaluation);
    };
  }

  /** The app's clock, which must not throw into a read: a time it cannot give refuses the entries instead. */
  private timeNow(): number {
    try {
      return this.now();
    } catch {
      return Number.NaN;
    }
  }

  /** Queues every pending group as an item now. */
  flush(): void {
    const groups = this.pending;
    this.pending = [];
    this.scheduled = false;
    for (const group of groups) {
      group.sent = true;
      if (group.evaluations.length === 0) continue;
      try {
        const { entries, reads } = itemPartsOf(group, (error) => this.insights.refuse(error));
        if (entries.length > 0) this.insights.evaluations(itemUserJson(group.user, reads), entries);
      } catch (error) {
        this.insights.refuse(error);
      }
    }
  }

  /** Once per turn of the event loop, however many requests read flags in it. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }
}
